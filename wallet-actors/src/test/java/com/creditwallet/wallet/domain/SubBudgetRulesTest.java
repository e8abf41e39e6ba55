package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Seed 001's lists: allocations, the unassigned pool, and proportional expiry. */
class SubBudgetRulesTest {
  private static final Instant T0 = Instant.parse("2027-05-01T08:00:00Z");

  private final RulesDriver driver = new RulesDriver(T0);
  private WalletState state;
  private Instant now = T0;
  private final List<WalletEvent> journal = driver.journal;

  /** A driver step, plus: allocations never exceed the live credits. */
  private List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    driver.now = now;
    List<WalletEvent> events = driver.step(rule);
    state = driver.state;
    for (SubBudget b : state.subBudgets().values()) {
      for (String c : b.allocated().keySet()) assertTrue(state.unassigned(c) >= 0, "allocations never exceed the live credits");
    }
    return events;
  }

  private void wallet() {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate("Europe/Rome", ConsumptionOrder.NON_EXPIRING_FIRST, null, null), now));
  }

  private void grant(String id, long amount, Instant expiresAt) {
    step(s -> GrantRules.issueGrant(s, new GrantRequest(id, "sms", amount, GrantSource.PACKAGE, expiresAt, null, null, 0, false), now));
  }

  private void allocate(String name, Long sms) {
    step(s -> SubBudgetRules.configureSubBudget(s, name, sms == null ? Map.of() : Map.of("sms", sms), now));
  }

  private void reserve(String id, String subBudget, long amount) {
    step(s -> ReservationRules.reserve(s, new ReserveRequest(id, List.of(new Line("sms", amount)), subBudget, 900, false, null), ReservationKind.HOLD, now));
  }

  private SubBudget budget(String name) {
    return state.subBudget(name).orElseThrow();
  }

  @Test
  void allocatedListsSpendOnlyTheirAllocationAndThePoolSpendsTheRest() {
    wallet();
    grant("pkg", 1000, null);
    allocate("list-7", 300L);
    allocate("free", null);
    assertEquals(700, state.unassigned("sms"));
    assertEquals(1000, state.available("sms"));

    reserve("a", "list-7", 300);
    Rejection exhausted = assertThrows(Rejection.class, () -> reserve("b", "list-7", 1));
    assertEquals("SUB_BUDGET_EXHAUSTED", exhausted.code());

    reserve("c", "free", 500);
    reserve("d", null, 200);
    Rejection pool = assertThrows(Rejection.class, () -> reserve("e", null, 1));
    assertEquals("INSUFFICIENT_CREDITS", pool.code());

    step(s -> ReservationRules.release(s, "a", now));
    assertEquals(300, budget("list-7").unspent("sms"), "released credits go back to the list's allocation");
    assertThrows(Rejection.class, () -> reserve("f", null, 1), "and stay out of the pool's reach");
    step(s -> ReservationRules.commit(s, "c", List.of(new Line("sms", 100)), now));
    assertEquals(100, budget("free").spent().get("sms"));
  }

  @Test
  void allocatingMoreThanTheUnassignedPoolIs409AndChangesNothing() {
    wallet();
    grant("pkg", 100, null);
    allocate("a", 60L);
    Rejection r = assertThrows(Rejection.class, () -> allocate("b", 41L));
    assertEquals("INSUFFICIENT_CREDITS", r.code());
    assertTrue(state.subBudget("b").isEmpty());
    allocate("b", 40L);
    allocate("a", 50L);
    assertEquals(10, state.unassigned("sms"), "lowering an allocation returns credits to the pool");
    assertTrue(step(s -> SubBudgetRules.configureSubBudget(s, "a", Map.of("sms", 50L), now)).isEmpty(), "same allocation: no change");
  }

  @Test
  void unknownSubBudgetIsRefused() {
    wallet();
    grant("pkg", 100, null);
    Rejection r = assertThrows(Rejection.class, () -> reserve("x", "nope", 1));
    assertEquals("INVALID_REQUEST", r.code());
    assertEquals("subBudget", r.extras().get("field"));
  }

  /**
   * Seed 001: expired credits come off the unassigned pool first; only the rest is taken from
   * the lists' allocations, in proportion (largest remainder, ties by name).
   */
  @Test
  void expiryTakesThePoolFirstThenAllocationsInProportion() {
    wallet();
    Instant expiry = T0.plusSeconds(3600);
    grant("expiring", 1000, expiry);
    grant("forever", 100, null);
    allocate("list-a", 500L);
    allocate("list-b", 300L);
    allocate("list-c", 100L);
    assertEquals(200, state.unassigned("sms"));

    now = expiry;
    step(s -> List.of());
    // 1000 expire, 1100 -> 100 left; pool had 200: 800 more must come off 900 of allocations.
    assertEquals(100, state.available("sms"));
    long a = budget("list-a").unspent("sms");
    long b = budget("list-b").unspent("sms");
    long c = budget("list-c").unspent("sms");
    assertEquals(100, a + b + c);
    // 800 over 500:300:100 = 444.4, 266.7, 88.9 -> floors 444, 266, 88 (798), +1 to b (.67), +1 to c (.89)
    assertEquals(500 - 444, a);
    assertEquals(300 - 267, b);
    assertEquals(100 - 89, c);
    assertTrue(journal.stream().anyMatch(e -> e instanceof WalletEvent.AllocationsReduced));
    assertEquals(0, state.unassigned("sms"));
  }

  @Test
  void expiryThatThePoolCoversLeavesAllocationsAlone() {
    wallet();
    Instant expiry = T0.plusSeconds(60);
    grant("expiring", 50, expiry);
    grant("forever", 500, null);
    allocate("list-a", 400L);
    now = expiry;
    step(s -> List.of());
    assertEquals(400, budget("list-a").unspent("sms"));
    assertEquals(100, state.unassigned("sms"));
    assertTrue(journal.stream().noneMatch(e -> e instanceof WalletEvent.AllocationsReduced));
  }

  @Test
  void releasingAListsHoldAfterItsCreditsExpiredCutsTheAllocationNotThePool() {
    wallet();
    Instant expiry = T0.plusSeconds(60);
    grant("expiring", 100, expiry);
    allocate("list-a", 100L);
    reserve("h", "list-a", 40);
    now = expiry;
    step(s -> List.of());
    assertEquals(40, budget("list-a").allocated().get("sms"), "its 60 unspent expired with the grant: cut from the allocation");
    assertEquals(0, budget("list-a").unspent("sms"));
    step(s -> ReservationRules.release(s, "h", now));
    assertEquals(0, budget("list-a").unspent("sms"), "the released 40 expired too: the allocation has nothing behind it");
  }

  @Test
  void estimateRespectsTheSubBudget() {
    wallet();
    grant("pkg", 1000, null);
    allocate("list-7", 30L);
    Estimate e = ReservationRules.estimate(state, List.of(new Line("sms", 50)), null, null, null, "list-7");
    assertEquals(false, e.sufficient());
    assertEquals(30, e.affordableQuantity());
  }
}
