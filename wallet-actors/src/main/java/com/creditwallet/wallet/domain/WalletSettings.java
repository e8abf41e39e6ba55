package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/** Per-wallet configuration set by the admin PUT; maps are sorted so equality is stable. */
public record WalletSettings(
    String timeZone,
    ConsumptionOrder consumptionOrder,
    Map<String, Long> lowBalanceThresholds,
    Map<String, Long> overdraft)
    implements CborSerializable {

  public static final WalletSettings DEFAULTS =
      new WalletSettings("UTC", ConsumptionOrder.EXPIRING_FIRST, Map.of(), Map.of());

  public WalletSettings {
    lowBalanceThresholds = new TreeMap<>(lowBalanceThresholds == null ? Map.of() : lowBalanceThresholds);
    overdraft = new TreeMap<>(overdraft == null ? Map.of() : overdraft);
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  public long overdraftLimit(String category) {
    return overdraft.getOrDefault(category, 0L);
  }

  /** The changes of a partial update: every null field keeps its current value. */
  public WalletSettings merge(SettingsUpdate update) {
    return new WalletSettings(
        update.timeZone() != null ? update.timeZone() : timeZone,
        update.consumptionOrder() != null ? update.consumptionOrder() : consumptionOrder,
        update.lowBalanceThresholds() != null ? update.lowBalanceThresholds() : lowBalanceThresholds,
        update.overdraft() != null ? update.overdraft() : overdraft);
  }

  /** The admin PUT body: omitted fields (null) stay as they are, or take defaults on creation. */
  public record SettingsUpdate(
      String timeZone,
      ConsumptionOrder consumptionOrder,
      Map<String, Long> lowBalanceThresholds,
      Map<String, Long> overdraft)
      implements CborSerializable {}
}
