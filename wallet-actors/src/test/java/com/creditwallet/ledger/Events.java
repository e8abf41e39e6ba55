package com.creditwallet.ledger;

import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.Draw;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.WalletEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Wallet events as the wallet writes them (balances stamped), built by hand for read-side tests. */
final class Events {
  private Events() {}

  static WalletEvent configured(Instant at, String tz, Map<String, Long> thresholds) {
    return new WalletEvent.WalletConfigured(at, tz, ConsumptionOrder.EXPIRING_FIRST, thresholds, Map.of(), Map.of());
  }

  static WalletEvent granted(Instant at, String grantId, String category, long amount, Instant expiresAt, long after) {
    return new WalletEvent.GrantIssued(at, grantId, category, GrantSource.TOPUP, amount, 0, expiresAt, 1, 0, List.of(),
        null, Map.of(category, after));
  }

  static WalletEvent reserved(Instant at, String id, String category, long amount, String grantId, String subBudget,
      String reference, String operation, long after) {
    return new WalletEvent.CreditsReserved(at, id, ReservationKind.HOLD, List.of(new Line(category, amount)),
        List.of(new Draw(grantId, category, amount)), at.plusSeconds(900), null, List.of(new Line(category, amount)),
        operation, null, null, subBudget, 900, false, reference, Map.of(category, after));
  }

  static WalletEvent committed(Instant at, String id, String category, long committed, long released, String grantId,
      long after) {
    return new WalletEvent.ReservationCommitted(at, id, List.of(new Draw(grantId, category, committed)),
        released == 0 ? List.of() : List.of(new Draw(grantId, category, released)), List.of(), Map.of(category, after));
  }

  static WalletEvent released(Instant at, String id, String category, long amount, String grantId, boolean ttl,
      long after) {
    return new WalletEvent.ReservationReleased(at, id, ttl, List.of(new Draw(grantId, category, amount)), List.of(),
        Map.of(category, after));
  }

  static WalletEvent expired(Instant at, String grantId, String category, long amount, long after) {
    return new WalletEvent.GrantExpired(at, grantId, category, amount, Map.of(category, after));
  }

  static WalletEvent reset(Instant at, long cycle) {
    return new WalletEvent.CycleReset(at, cycle, at, at.plusSeconds(3600), Map.of());
  }
}
