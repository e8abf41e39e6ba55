package com.creditwallet.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.creditwallet.archive.InMemoryReservationArchive;
import com.creditwallet.wakeup.WakeupIndex;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.domain.ConsumptionOrder;
import com.creditwallet.wallet.domain.Draws;
import com.creditwallet.wallet.domain.GrantRequest;
import com.creditwallet.wallet.domain.GrantSource;
import com.creditwallet.wallet.domain.Line;
import com.creditwallet.wallet.domain.Plan;
import com.creditwallet.wallet.domain.RefundRequest;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Reservation;
import com.creditwallet.wallet.domain.ReservationKind;
import com.creditwallet.wallet.domain.ReserveRequest;
import com.creditwallet.wallet.domain.WalletEvent;
import com.creditwallet.wallet.domain.WalletPolicy;
import com.creditwallet.wallet.domain.WalletSettings;
import com.creditwallet.wallet.domain.WalletState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random command sequences through the entity itself (in-memory journal, serialization checked),
 * from a fixed seed: grants (some named like the service's plan grants), a plan with short
 * cycles and rollover, holds, debits, commits, releases, refunds, time passing, restarts of the
 * entity ({@code restart()}: recovery from the journal and snapshots), and replays of earlier
 * commands with the same ids. After every step: the audit equation holds, no category without
 * overdraft is below zero (no overspend) and none with one is below its limit; a replay answers
 * exactly what the first call answered and persists nothing; a restart changes nothing.
 */
class WalletEntityPropertyTest {
  private static final Instant T0 = Instant.parse("2027-05-01T06:00:00Z");
  private static final int STEPS = 400;
  private static final List<String> CATEGORIES = List.of("sms", "email", "campaign");
  private static final Map<String, Long> OVERDRAFT = Map.of("email", 40L);
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("WalletEntityPropertyTest", WalletEntityTest.CONFIG);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11L, 2027L, 424242L})
  void invariantsHoldAcrossReplaysAndRestarts(long seed) {
    new Run(seed).go();
  }

  /** A command as the entity takes it, so that it can be sent again with the same ids. */
  private record Sent(String what, Function<ActorRef<Outcome<Object>>, WalletEntity.Command> command, Outcome<Object> reply) {}

  private static final class Run {
    final long seed;
    final Random rnd;
    final ManualClock clock = new ManualClock(T0);
    final EventSourcedBehaviorTestKit<WalletEntity.Command, WalletEvent, WalletState> kit;
    final List<Sent> accepted = new ArrayList<>();
    final List<String> reservations = new ArrayList<>();
    final Map<String, Integer> outcomes = new TreeMap<>();
    int step;
    int ids;
    int restarts;
    int replays;
    String op = "";

    Run(long seed) {
      this.seed = seed;
      this.rnd = new Random(seed);
      // Snapshots every 50 events, so restarts recover from snapshot + events.
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), WalletEntity.create(
          "w-prop-" + seed, clock, WalletPolicy.DEFAULTS.withRecent(Duration.ofMinutes(5), 20), 50, WakeupIndex.NONE,
          new InMemoryReservationArchive()));
      kit.clear();
    }

    @SuppressWarnings("unchecked")
    Outcome<Object> run(String what, Function<ActorRef<Outcome<Object>>, WalletEntity.Command> command) {
      op = what;
      Outcome<Object> reply = (Outcome<Object>) kit.runCommand(r -> command.apply((ActorRef<Outcome<Object>>) (ActorRef<?>) r))
          .reply();
      if (reply.isAccepted()) {
        outcomes.merge("accepted", 1, Integer::sum);
        accepted.add(new Sent(what, command, reply));
      } else {
        outcomes.merge(reply.rejected().code(), 1, Integer::sum);
        if (Rejection.INTERNAL.equals(reply.rejected().code())) fail(ctx("a fault: " + reply.rejected()));
      }
      return reply;
    }

    void go() {
      run("configure", r -> new WalletEntity.Configure(new WalletSettings.SettingsUpdate("Europe/Rome",
          rnd.nextBoolean() ? ConsumptionOrder.NON_EXPIRING_FIRST : ConsumptionOrder.EXPIRING_FIRST, null, OVERDRAFT),
          cast(r)));
      Plan plan = new Plan("p", Map.of("campaign", 60L, "sms", 30L), List.of(), "PT20M", Map.of("campaign", 25L),
          null, Map.of());
      run("subscribe", r -> new WalletEntity.Subscribe(plan, cast(r)));
      for (step = 1; step <= STEPS; step++) {
        int dice = rnd.nextInt(100);
        if (dice < 14) grant();
        else if (dice < 38) reserve(ReservationKind.HOLD);
        else if (dice < 44) reserve(ReservationKind.DEBIT);
        else if (dice < 58) commit();
        else if (dice < 64) release();
        else if (dice < 72) refund();
        else if (dice < 82) advance();
        else if (dice < 92) replay();
        else restart();
        check();
      }
      assertTrue(restarts > 5 && replays > 10, () -> ctx("restarts " + restarts + ", replays " + replays));
      assertTrue(outcomes.getOrDefault("accepted", 0) > STEPS / 3, () -> ctx("outcomes " + outcomes));
      assertTrue(outcomes.getOrDefault(Rejection.INSUFFICIENT_CREDITS, 0) > 0, () -> ctx("outcomes " + outcomes));
    }

    @SuppressWarnings("unchecked")
    static <T> ActorRef<Outcome<T>> cast(ActorRef<Outcome<Object>> r) {
      return (ActorRef<Outcome<T>>) (ActorRef<?>) r;
    }

    String ctx(String msg) {
      return "seed " + seed + ", step " + step + " (" + op + "): " + msg;
    }

    String category() {
      return CATEGORIES.get(rnd.nextInt(CATEGORIES.size()));
    }

    void grant() {
      // Now and then a client id shaped like the plan's next grants: it must live beside them.
      String id = rnd.nextInt(5) == 0 ? "plan:p:" + (2 + rnd.nextInt(6)) + ":" + category() : "g-" + (++ids);
      Instant expiresAt = rnd.nextBoolean() ? null : clock.instant().plusSeconds(60 + rnd.nextInt(4 * 3600));
      GrantRequest g = new GrantRequest(id, category(), 1 + rnd.nextInt(120),
          rnd.nextBoolean() ? GrantSource.PROMO : GrantSource.PACKAGE, expiresAt, null, null, rnd.nextInt(3) - 1, false);
      run("grant " + g, r -> new WalletEntity.IssueGrant(g, cast(r)));
    }

    void reserve(ReservationKind kind) {
      String id = (kind == ReservationKind.DEBIT ? "d-" : "r-") + (++ids);
      List<Line> lines = new ArrayList<>();
      List<String> cats = new ArrayList<>(CATEGORIES);
      for (int i = 0, n = 1 + rnd.nextInt(2); i < n; i++) {
        lines.add(new Line(cats.remove(rnd.nextInt(cats.size())), 1 + rnd.nextInt(rnd.nextBoolean() ? 20 : 150)));
      }
      ReserveRequest req = new ReserveRequest(id, lines, null, kind == ReservationKind.HOLD ? 60 + rnd.nextInt(3600) : 0,
          lines.size() == 1 && rnd.nextInt(4) == 0, null);
      if (run(kind + " " + req, r -> new WalletEntity.Reserve(req, kind, cast(r))).isAccepted()) reservations.add(id);
    }

    String someReservation() {
      return reservations.isEmpty() ? "none" : reservations.get(rnd.nextInt(reservations.size()));
    }

    void commit() {
      String id = someReservation();
      List<Line> lines = null;
      Reservation held = kit.getState().reservation(id).filter(Reservation::held).orElse(null);
      if (held != null && rnd.nextBoolean()) {
        lines = new ArrayList<>();
        for (Map.Entry<String, Long> e : Draws.perCategory(held.draws()).entrySet()) {
          lines.add(new Line(e.getKey(), 1 + rnd.nextInt((int) Math.min(e.getValue(), 1000))));
        }
      }
      List<Line> l = lines;
      run("commit " + id + " " + l, r -> new WalletEntity.Commit(id, l, cast(r)));
    }

    void release() {
      String id = someReservation();
      run("release " + id, r -> new WalletEntity.Release(id, cast(r)));
    }

    void refund() {
      String id = someReservation();
      RefundRequest req = new RefundRequest("f-" + (++ids), List.of(new Line(category(), 1 + rnd.nextInt(15))), "BOUNCE");
      run("refund " + id + " " + req, r -> new WalletEntity.Refund(id, req, cast(r)));
    }

    void advance() {
      long seconds = rnd.nextInt(4) == 0 ? 1200 + rnd.nextInt(3600) : 1 + rnd.nextInt(400);
      clock.advanceSeconds(seconds);
      op = "advance " + seconds + " s";
      kit.<org.apache.pekko.Done>runCommand(WalletEntity.WakeUp::new);
    }

    /** The same command again: the first answer exactly, nothing persisted, nothing changed. */
    void replay() {
      if (accepted.isEmpty()) return;
      Sent s = accepted.get(rnd.nextInt(accepted.size()));
      if (s.what.startsWith("release") || s.what.startsWith("configure") || s.what.startsWith("subscribe")) return;
      // Deadlines due now are applied first and are not part of the replay: apply them first.
      kit.<org.apache.pekko.Done>runCommand(WalletEntity.WakeUp::new);
      WalletState before = kit.getState();
      op = "replay of " + s.what;
      @SuppressWarnings("unchecked")
      var result = kit.runCommand(r -> s.command.apply((ActorRef<Outcome<Object>>) (ActorRef<?>) r));
      @SuppressWarnings("unchecked")
      Outcome<Object> again = (Outcome<Object>) result.reply();
      replays++;
      if (s.what.startsWith("grant")) {
        // A grant answers its current view (spent since, maybe); it must still be accepted.
        assertTrue(again.isAccepted(), () -> ctx("grant replay refused: " + again.rejected()));
      } else {
        assertEquals(s.reply, again, () -> ctx("a replay answers what the first call answered"));
      }
      assertEquals(List.of(), result.events(), () -> ctx("a replay persists nothing"));
      assertEquals(WalletViews.audit(before), WalletViews.audit(kit.getState()), () -> ctx("a replay changes nothing"));
    }

    void restart() {
      WalletState before = kit.getState();
      op = "restart";
      WalletState after = kit.restart().state();
      restarts++;
      assertEquals(before.grants(), after.grants(), () -> ctx("grants after recovery"));
      assertEquals(before.reservations(), after.reservations(), () -> ctx("reservations after recovery"));
      assertEquals(before.totals(), after.totals(), () -> ctx("totals after recovery"));
      assertEquals(before.subscription(), after.subscription(), () -> ctx("plan after recovery"));
    }

    void check() {
      WalletState s = kit.getState();
      AuditReport audit = WalletViews.audit(s);
      assertTrue(audit.consistent(), () -> ctx("audit " + audit));
      audit.categories().forEach((c, a) -> assertEquals(a.granted() + a.refunded() + a.metered(),
          a.available() + a.held() + a.committed() + a.expired(), () -> ctx("audit equation of " + c + ": " + a)));
      for (String c : s.totals().keySet()) {
        long limit = OVERDRAFT.getOrDefault(c, 0L);
        assertTrue(s.available(c) >= -limit, () -> ctx(c + " overspent: " + s.available(c)));
      }
    }
  }
}
