package com.creditwallet.wallet.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditwallet.wallet.WalletViews;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.domain.WalletEvent.CreditsReserved;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rate card on the pure rules with a set clock: operations with weighted costs (seed 004:
 * Reminders 1 campaign credit, Rewards/Scheduled 5, Postman 25), the sender's extra (1 app_email
 * credit per unit with the app's own email sender, nothing with Shopify Email, Klaviyo or Flow),
 * all-or-nothing across categories, allowPartial, estimates, the 10^12 bound and idempotency.
 * Every step, and every scenario's end, checks the audit.
 */
class OperationRulesTest {
  private static final Instant T0 = Instant.parse("2027-03-01T09:00:00Z");
  private static final long TTL = Validation.DEFAULT_TTL_SECONDS;

  /** Seed 004's campaign types; every one adds 1 app_email per unit with the APP_EMAIL sender. */
  private static final Map<String, Map<String, Long>> APP_EMAIL = Map.of("APP_EMAIL", Map.of("app_email", 1L));
  private static final RateCard REMINDER = new RateCard("gift_card_reminder", Map.of("campaign", 1L), APP_EMAIL);
  private static final RateCard REWARD = new RateCard("gift_card_reward", Map.of("campaign", 5L), APP_EMAIL);
  private static final RateCard SCHEDULED = new RateCard("scheduled_gift_card", Map.of("campaign", 5L), APP_EMAIL);
  private static final RateCard POSTMAN = new RateCard("gift_card_postman", Map.of("campaign", 25L), APP_EMAIL);

  private WalletState state = WalletState.EMPTY;
  private Instant now = T0;
  private final List<WalletEvent> journal = new ArrayList<>();
  private int grants;

  @BeforeEach
  void create() {
    step(s -> WalletRules.configure(s, new WalletSettings.SettingsUpdate(null, null, null, null), now));
  }

  @AfterEach
  void auditStillConsistent() {
    AuditReport report = WalletViews.audit(state);
    assertTrue(report.consistent(), () -> "audit at the end: " + report);
    report.categories().forEach((c, a) -> assertEquals(
        a.granted() + a.refunded(), a.available() + a.held() + a.committed() + a.expired(), "audit equation of " + c));
  }

  // ---- driving the rules like the entity does --------------------------------------------

  private List<WalletEvent> step(Function<Decision, List<WalletEvent>> rule) {
    Decision d = new Decision(state, WalletPolicy.DEFAULTS);
    DeadlineRules.applyDue(d, now);
    int mark = d.size();
    rule.apply(d);
    journal.addAll(d.events());
    state = d.state();
    List<WalletEvent> own = d.eventsSince(mark);
    assertTrue(WalletViews.audit(state).consistent(), () -> "audit after " + own);
    return own;
  }

  /**
   * A refused rule: the code, the rule emitted nothing before refusing, and nothing at all
   * changed (no events, same balances, same holds).
   */
  private Rejection reject(String code, Function<Decision, List<WalletEvent>> rule) {
    WalletState before = state;
    int journalBefore = journal.size();
    AuditReport auditBefore = WalletViews.audit(state);
    Map<String, List<Long>> balancesBefore = balances();
    Decision d = new Decision(state, WalletPolicy.DEFAULTS);
    DeadlineRules.applyDue(d, now);
    int mark = d.size();
    Rejection r = assertThrows(Rejection.class, () -> rule.apply(d));
    assertEquals(code, r.code(), () -> "code of " + r.getMessage());
    assertEquals(mark, d.size(), "a rule refuses before it emits anything");
    assertSame(before, state, "a refusal leaves the state as it was");
    assertEquals(journalBefore, journal.size(), "a refusal persists no event");
    assertEquals(auditBefore, WalletViews.audit(state), "a refusal changes no total");
    assertEquals(balancesBefore, balances(), "a refusal changes no balance and no hold");
    assertTrue(WalletViews.audit(state).consistent());
    return r;
  }

  /** Per category: [available, held]. */
  private Map<String, List<Long>> balances() {
    Map<String, List<Long>> out = new TreeMap<>();
    for (String c : state.totals().keySet()) out.put(c, List.of(state.available(c), state.totals(c).held()));
    return out;
  }

  private void grant(String category, long amount) {
    String id = "pkg-" + (++grants) + "-" + category;
    step(s -> GrantRules.issueGrant(s, new GrantRequest(id, category, amount, GrantSource.PACKAGE,
        null, null, null, 0, false), now));
  }

  private static ReserveRequest op(String id, RateCard card, long quantity, String sender, boolean allowPartial) {
    return new ReserveRequest(id, List.of(), card.operation(), quantity, sender, null, TTL, allowPartial, null);
  }

  private static ReserveRequest lines(String id, boolean allowPartial, Line... lines) {
    return new ReserveRequest(id, List.of(lines), null, TTL, allowPartial, null);
  }

  private static ReserveRequest debitOp(String id, RateCard card, long quantity, String sender) {
    return new ReserveRequest(id, List.of(), card.operation(), quantity, sender, null, 0, false, null);
  }

  private List<WalletEvent> reserve(ReserveRequest r, RateCard card) {
    return step(s -> ReservationRules.reserve(s, r, card == null ? null : card.unitCosts(r.sender()), ReservationKind.HOLD, now));
  }

  private Function<Decision, List<WalletEvent>> reserving(ReserveRequest r, RateCard card) {
    return s -> ReservationRules.reserve(s, r, card == null ? null : card.unitCosts(r.sender()), ReservationKind.HOLD, now);
  }

  private Reservation reservation(String id) {
    return state.reservation(id).orElseThrow(() -> new AssertionError("no reservation " + id));
  }

  /** Lines as category -> amount, order aside. */
  private static Map<String, Long> byCategory(List<Line> lines) {
    Map<String, Long> out = new TreeMap<>();
    for (Line l : lines) assertEquals(null, out.put(l.category(), l.amount()), "category twice in " + lines);
    return out;
  }

  private static <E extends WalletEvent> E only(Class<E> type, List<WalletEvent> events) {
    assertEquals(1, events.size(), () -> "expected one event, got " + events);
    assertTrue(type.isInstance(events.get(0)), () -> "expected " + type.getSimpleName() + ", got " + events);
    return type.cast(events.get(0));
  }

  // ---- rate card --------------------------------------------------------------------------

  @Test
  void unitCostsAddTheSendersExtraOnlyForTheAppEmailSender() {
    assertEquals(Map.of("campaign", 25L, "app_email", 1L), POSTMAN.unitCosts("APP_EMAIL"));
    assertEquals(Map.of("campaign", 25L), POSTMAN.unitCosts("SHOPIFY_EMAIL"));
    assertEquals(Map.of("campaign", 25L), POSTMAN.unitCosts("KLAVIYO"));
    assertEquals(Map.of("campaign", 25L), POSTMAN.unitCosts("FLOW"));
    assertEquals(Map.of("campaign", 25L), POSTMAN.unitCosts(null), "no sender: the operation's own costs");
    assertEquals(Map.of("campaign", 1L, "app_email", 1L), REMINDER.unitCosts("APP_EMAIL"));
    RateCard sameCategory = new RateCard("x", Map.of("campaign", 25L), Map.of("APP_EMAIL", Map.of("campaign", 2L)));
    assertEquals(Map.of("campaign", 27L), sameCategory.unitCosts("APP_EMAIL"), "a sender's extra in the same category adds up");
  }

  // ---- weighted costs (seed 004) ----------------------------------------------------------

  @Test
  void bronzeShop500RemindersAnd20PostmanUseExactly1000CampaignCredits() {
    grant("campaign", 1000);
    CreditsReserved reminders = only(CreditsReserved.class, reserve(op("r-rem", REMINDER, 500, "SHOPIFY_EMAIL", false), REMINDER));
    assertEquals(Map.of("campaign", 500L), byCategory(reminders.lines()));
    assertEquals(500L, reminders.quantity());
    assertEquals(500, state.available("campaign"));

    CreditsReserved postman = only(CreditsReserved.class, reserve(op("r-post", POSTMAN, 20, "KLAVIYO", false), POSTMAN));
    assertEquals(Map.of("campaign", 500L), byCategory(postman.lines()), "20 x 25");
    assertEquals(20L, postman.quantity());
    assertEquals(0, state.available("campaign"));
    assertEquals(1000, state.totals("campaign").held());
    assertEquals(20L, reservation("r-post").quantity());
    assertEquals(20L, WalletViews.reservation(reservation("r-post")).requestedQuantity());

    Rejection r = reject(Rejection.INSUFFICIENT_CREDITS,
        reserving(op("r-one-more", REMINDER, 1, "SHOPIFY_EMAIL", false), REMINDER));
    assertEquals(Map.of("campaign", 0L), r.extras().get("available"));
    assertTrue(state.reservation("r-one-more").isEmpty());

    step(s -> ReservationRules.commit(s, "r-rem", null, now));
    step(s -> ReservationRules.commit(s, "r-post", null, now));
    assertEquals(1000, state.totals("campaign").committed());
    assertEquals(0, state.totals("campaign").held());
  }

  @Test
  void bronzeShop200Reminders80Rewards80ScheduledAsDebitsUseExactly1000() {
    grant("campaign", 1000);
    for (Object[] x : new Object[][] {{"d-rem", REMINDER, 200L}, {"d-rew", REWARD, 80L}, {"d-sch", SCHEDULED, 80L}}) {
      RateCard card = (RateCard) x[1];
      ReserveRequest req = debitOp((String) x[0], card, (Long) x[2], "SHOPIFY_EMAIL");
      List<WalletEvent> events = step(s -> ReservationRules.reserve(s, req, card.unitCosts(req.sender()), ReservationKind.DEBIT, now));
      assertEquals(2, events.size(), "a debit is reserved and committed at once");
      assertTrue(events.get(1) instanceof WalletEvent.ReservationCommitted);
    }
    assertEquals(0, state.available("campaign"));
    assertEquals(1000, state.totals("campaign").committed());
    assertEquals(0, state.totals("campaign").held());
    ReserveRequest more = debitOp("d-more", REMINDER, 1, "KLAVIYO");
    reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, more, REMINDER.unitCosts("KLAVIYO"), ReservationKind.DEBIT, now));
  }

  // ---- sender costs -----------------------------------------------------------------------

  @Test
  void appEmailSenderAddsOneAppEmailCreditPerUnitOtherSendersNothing() {
    grant("campaign", 1000);
    grant("app_email", 1000);
    CreditsReserved app = only(CreditsReserved.class, reserve(op("r-app", POSTMAN, 20, "APP_EMAIL", false), POSTMAN));
    assertEquals(Map.of("campaign", 500L, "app_email", 20L), byCategory(app.lines()), "the contract's example");
    assertEquals(500, state.available("campaign"));
    assertEquals(980, state.available("app_email"));
    assertEquals(20, state.totals("app_email").held());

    CreditsReserved shopify = only(CreditsReserved.class, reserve(op("r-shop", POSTMAN, 4, "SHOPIFY_EMAIL", false), POSTMAN));
    assertEquals(Map.of("campaign", 100L), byCategory(shopify.lines()), "Shopify Email is free: no app_email line");
    assertEquals(980, state.available("app_email"), "app_email untouched");
    assertEquals(400, state.available("campaign"));

    step(s -> ReservationRules.commit(s, "r-app", null, now));
    assertEquals(20, state.totals("app_email").committed());
    assertEquals(500, state.totals("campaign").committed());
  }

  // ---- atomicity across categories ---------------------------------------------------------

  @Test
  void campaignEnoughButAppEmailShortRefusesTheWholeReservationAndChangesNothing() {
    grant("campaign", 1000);
    grant("app_email", 10);
    reserve(op("r-before", REMINDER, 3, "APP_EMAIL", false), REMINDER);
    assertEquals(997, state.available("campaign"));
    assertEquals(7, state.available("app_email"));

    Rejection r = reject(Rejection.INSUFFICIENT_CREDITS,
        reserving(op("r-post", POSTMAN, 20, "APP_EMAIL", false), POSTMAN));
    assertEquals(Map.of("campaign", 997L, "app_email", 7L), r.extras().get("available"));
    assertEquals(997, state.available("campaign"), "campaign was enough but none of it was taken");
    assertEquals(3, state.totals("campaign").held());
    assertEquals(3, state.totals("app_email").held());
    assertTrue(state.reservation("r-post").isEmpty());

    // The same through the lines form; and with DEBIT.
    reject(Rejection.INSUFFICIENT_CREDITS,
        reserving(lines("r-lines", false, new Line("campaign", 500), new Line("app_email", 8)), null));
    ReserveRequest debit = debitOp("d-post", POSTMAN, 8, "APP_EMAIL");
    reject(Rejection.INSUFFICIENT_CREDITS,
        s -> ReservationRules.reserve(s, debit, POSTMAN.unitCosts("APP_EMAIL"), ReservationKind.DEBIT, now));

    // 7 units is exactly what app_email allows.
    CreditsReserved ok = only(CreditsReserved.class, reserve(op("r-7", POSTMAN, 7, "APP_EMAIL", false), POSTMAN));
    assertEquals(Map.of("campaign", 175L, "app_email", 7L), byCategory(ok.lines()));
    assertEquals(0, state.available("app_email"));
  }

  // ---- allowPartial -----------------------------------------------------------------------

  @Test
  void allowPartialTakesTheLargestQuantityAffordableInEveryCategory() {
    grant("campaign", 1000);
    grant("app_email", 30);
    // 50 Postman with the app's sender: campaign allows 1000/25 = 40, app_email 30/1 = 30 -> 30.
    CreditsReserved r = only(CreditsReserved.class, reserve(op("r-part", POSTMAN, 50, "APP_EMAIL", true), POSTMAN));
    assertEquals(30L, r.quantity());
    assertEquals(Map.of("campaign", 750L, "app_email", 30L), byCategory(r.lines()));
    Reservation held = reservation("r-part");
    assertEquals(30L, held.quantity());
    WalletViews.ReservationView view = WalletViews.reservation(held);
    assertEquals(30L, view.quantity());
    assertEquals(50L, view.requestedQuantity());
    assertTrue(view.quantity() < view.requestedQuantity());
    assertEquals(250, state.available("campaign"));
    assertEquals(0, state.available("app_email"));

    // Now campaign binds: 250/25 = 10 of 40 asked (no app_email needed with Shopify Email).
    CreditsReserved c = only(CreditsReserved.class, reserve(op("r-part2", POSTMAN, 40, "SHOPIFY_EMAIL", true), POSTMAN));
    assertEquals(10L, c.quantity());
    assertEquals(Map.of("campaign", 250L), byCategory(c.lines()));
    assertEquals(0, state.available("campaign"));
  }

  @Test
  void allowPartialWhenEverythingIsAffordableTakesAllOfIt() {
    grant("campaign", 1000);
    grant("app_email", 1000);
    CreditsReserved r = only(CreditsReserved.class, reserve(op("r-all", POSTMAN, 20, "APP_EMAIL", true), POSTMAN));
    assertEquals(20L, r.quantity());
    assertEquals(20L, WalletViews.reservation(reservation("r-all")).requestedQuantity());
  }

  @Test
  void allowPartialWithOneLineTakesPartOfIt() {
    grant("campaign", 100);
    CreditsReserved r = only(CreditsReserved.class, reserve(lines("r-line", true, new Line("campaign", 150)), null));
    assertEquals(List.of(new Line("campaign", 100)), r.lines());
    assertNull(r.quantity(), "no quantity in the lines form");
    assertEquals(List.of(new Line("campaign", 100)), reservation("r-line").lines());
    assertEquals(0, state.available("campaign"));
    assertEquals(100, state.totals("campaign").held());
  }

  @Test
  void nothingAffordableIsStill409WithAllowPartial() {
    grant("campaign", 24);
    grant("app_email", 100);
    Rejection r = reject(Rejection.INSUFFICIENT_CREDITS,
        reserving(op("r-none", POSTMAN, 5, "APP_EMAIL", true), POSTMAN));
    assertEquals(Map.of("campaign", 24L, "app_email", 100L), r.extras().get("available"));
    reserve(lines("r-all", false, new Line("campaign", 24)), null);
    reject(Rejection.INSUFFICIENT_CREDITS, reserving(lines("r-line", true, new Line("campaign", 1)), null));
    reject(Rejection.INSUFFICIENT_CREDITS, reserving(op("r-rem", REMINDER, 3, "SHOPIFY_EMAIL", true), REMINDER));
  }

  @Test
  void allowPartialWithSeveralLinesIsAnInvalidRequest() {
    grant("campaign", 1000);
    grant("app_email", 1000);
    Rejection r = reject(Rejection.INVALID_REQUEST,
        reserving(lines("r-two", true, new Line("campaign", 10), new Line("app_email", 1)), null));
    assertEquals("allowPartial", r.extras().get("field"));
  }

  // ---- estimates --------------------------------------------------------------------------

  @Test
  void estimateOfTheOperationFormPricesItAndChangesNothing() {
    grant("campaign", 1000);
    grant("app_email", 1000);
    WalletState before = state;
    AuditReport audit = WalletViews.audit(state);

    // The contract's example: 1000 Postman on 1000 campaign credits: 25000, 40 affordable.
    Estimate e = ReservationRules.estimate(state, null, POSTMAN.operation(), 1000L, POSTMAN.unitCosts("SHOPIFY_EMAIL"));
    assertEquals(List.of(new Line("campaign", 25000)), e.cost());
    assertEquals(Map.of("campaign", 1000L), e.available());
    assertFalse(e.sufficient());
    assertEquals(40, e.affordableQuantity());

    Estimate app = ReservationRules.estimate(state, List.of(), POSTMAN.operation(), 1000L, POSTMAN.unitCosts("APP_EMAIL"));
    assertEquals(Map.of("campaign", 25000L, "app_email", 1000L), byCategory(app.cost()));
    assertEquals(Map.of("campaign", 1000L, "app_email", 1000L), app.available());
    assertFalse(app.sufficient());
    assertEquals(40, app.affordableQuantity());

    Estimate enough = ReservationRules.estimate(state, null, POSTMAN.operation(), 40L, POSTMAN.unitCosts("APP_EMAIL"));
    assertTrue(enough.sufficient());
    assertEquals(40, enough.affordableQuantity());
    assertEquals(Map.of("campaign", 1000L, "app_email", 40L), byCategory(enough.cost()));

    assertSame(before, state);
    assertEquals(audit, WalletViews.audit(state));

    // app_email binds once most of it is held.
    reserve(lines("r-mail", false, new Line("app_email", 990)), null);
    Estimate bound = ReservationRules.estimate(state, null, POSTMAN.operation(), 20L, POSTMAN.unitCosts("APP_EMAIL"));
    assertFalse(bound.sufficient());
    assertEquals(10, bound.affordableQuantity());
    assertEquals(Map.of("campaign", 1000L, "app_email", 10L), bound.available());
    // What the estimate says is affordable is exactly what allowPartial then takes.
    CreditsReserved r = only(CreditsReserved.class, reserve(op("r-p", POSTMAN, 20, "APP_EMAIL", true), POSTMAN));
    assertEquals(bound.affordableQuantity(), r.quantity());
  }

  @Test
  void estimateOfTheLinesFormPricesItAndChangesNothing() {
    grant("campaign", 1000);
    grant("app_email", 50);
    WalletState before = state;
    int journalBefore = journal.size();

    Estimate one = ReservationRules.estimate(state, List.of(new Line("campaign", 300)), null, null, null);
    assertEquals(List.of(new Line("campaign", 300)), one.cost());
    assertEquals(Map.of("campaign", 1000L), one.available());
    assertTrue(one.sufficient());
    assertEquals(300, one.affordableQuantity(), "one line: the amount affordable, as allowPartial would take");

    Estimate tooMuch = ReservationRules.estimate(state, List.of(new Line("campaign", 1500)), null, null, null);
    assertFalse(tooMuch.sufficient());
    assertEquals(1000, tooMuch.affordableQuantity());

    Estimate two = ReservationRules.estimate(state, List.of(new Line("campaign", 300), new Line("app_email", 50)), null, null, null);
    assertEquals(Map.of("campaign", 300L, "app_email", 50L), byCategory(two.cost()));
    assertEquals(Map.of("campaign", 1000L, "app_email", 50L), two.available());
    assertTrue(two.sufficient());

    Estimate short_ = ReservationRules.estimate(state, List.of(new Line("campaign", 300), new Line("app_email", 51)), null, null, null);
    assertFalse(short_.sufficient(), "one category short is enough to be insufficient");
    assertEquals(0, short_.affordableQuantity());

    assertSame(before, state, "estimates change nothing");
    assertEquals(journalBefore, journal.size());

    Rejection unknown = assertThrows(Rejection.class,
        () -> ReservationRules.estimate(state, List.of(new Line("fax", 1)), null, null, null));
    assertEquals(Rejection.INVALID_REQUEST, unknown.code());
    assertEquals("lines[0].category", unknown.extras().get("field"));
  }

  // ---- bounds -----------------------------------------------------------------------------

  @Test
  void aQuantityWhoseCostExceeds10To12IsAnInvalidRequest() {
    grant("campaign", 1000);
    // 40,000,000,000 x 25 = 10^12 exactly: a valid amount, just not affordable.
    reject(Rejection.INSUFFICIENT_CREDITS, reserving(op("r-max", POSTMAN, 40_000_000_000L, null, false), POSTMAN));
    Rejection over = reject(Rejection.INVALID_REQUEST, reserving(op("r-over", POSTMAN, 40_000_000_001L, null, false), POSTMAN));
    assertEquals("quantity", over.extras().get("field"));
    Rejection overPartial = reject(Rejection.INVALID_REQUEST,
        reserving(op("r-over-p", POSTMAN, 40_000_000_001L, null, true), POSTMAN));
    assertEquals("quantity", overPartial.extras().get("field"), "allowPartial does not excuse an overflowing cost");
    // A unit cost of 10^12 times 10^12 overflows a long: still 400, not an arithmetic crash.
    RateCard huge = new RateCard("huge", Map.of("campaign", Validation.MAX_AMOUNT), Map.of());
    Rejection overflow = reject(Rejection.INVALID_REQUEST,
        reserving(op("r-huge", huge, Validation.MAX_AMOUNT, null, false), huge));
    assertEquals("quantity", overflow.extras().get("field"));
    Rejection quantityItself = reject(Rejection.INVALID_REQUEST,
        reserving(op("r-q", REMINDER, Validation.MAX_AMOUNT + 1, null, false), REMINDER));
    assertEquals("quantity", quantityItself.extras().get("field"));
    reject(Rejection.INVALID_REQUEST, reserving(op("r-zero", REMINDER, 0, null, false), REMINDER));

    Rejection estimate = assertThrows(Rejection.class,
        () -> ReservationRules.estimate(state, null, POSTMAN.operation(), 40_000_000_001L, POSTMAN.unitCosts(null)));
    assertEquals(Rejection.INVALID_REQUEST, estimate.code());
    assertEquals("quantity", estimate.extras().get("field"));
  }

  @Test
  void malformedOperationFormsAreInvalidRequests() {
    grant("campaign", 1000);
    ReserveRequest noQuantity = new ReserveRequest("r-1", List.of(), "gift_card_postman", null, null, null, TTL, false, null);
    assertEquals("quantity", reject(Rejection.INVALID_REQUEST, reserving(noQuantity, POSTMAN)).extras().get("field"));
    ReserveRequest both = new ReserveRequest("r-2", List.of(new Line("campaign", 1)), "gift_card_postman", 1L, null, null, TTL, false, null);
    assertEquals("lines", reject(Rejection.INVALID_REQUEST, reserving(both, POSTMAN)).extras().get("field"));
    ReserveRequest noCard = op("r-3", POSTMAN, 1, null, false);
    assertEquals("operation", reject(Rejection.INVALID_REQUEST,
        s -> ReservationRules.reserve(s, noCard, Map.of(), ReservationKind.HOLD, now)).extras().get("field"));
  }

  // ---- idempotency ------------------------------------------------------------------------

  @Test
  void anOperationFormReservationIsIdempotentByItsId() {
    grant("campaign", 1000);
    grant("app_email", 1000);
    ReserveRequest first = op("r-idem", POSTMAN, 20, "APP_EMAIL", false);
    assertEquals(1, reserve(first, POSTMAN).size());
    Map<String, List<Long>> after = balances();

    assertTrue(reserve(first, POSTMAN).isEmpty(), "same body: no events");
    assertTrue(reserve(op("r-idem", POSTMAN, 20, "APP_EMAIL", false), POSTMAN).isEmpty(), "an equal copy: no events");
    assertEquals(after, balances());

    reject(Rejection.IDEMPOTENCY_CONFLICT, reserving(op("r-idem", POSTMAN, 21, "APP_EMAIL", false), POSTMAN));
    reject(Rejection.IDEMPOTENCY_CONFLICT, reserving(op("r-idem", POSTMAN, 20, "SHOPIFY_EMAIL", false), POSTMAN));
    reject(Rejection.IDEMPOTENCY_CONFLICT, reserving(op("r-idem", REMINDER, 20, "APP_EMAIL", false), REMINDER));
    reject(Rejection.IDEMPOTENCY_CONFLICT, reserving(op("r-idem", POSTMAN, 20, "APP_EMAIL", true), POSTMAN));
    reject(Rejection.IDEMPOTENCY_CONFLICT, reserving(lines("r-idem", false, new Line("campaign", 500), new Line("app_email", 20)), null));
    reject(Rejection.IDEMPOTENCY_CONFLICT, s -> ReservationRules.reserve(
        s, debitOp("r-idem", POSTMAN, 20, "APP_EMAIL"), POSTMAN.unitCosts("APP_EMAIL"), ReservationKind.DEBIT, now));

    // Still idempotent once committed, and even when the wallet could no longer afford it.
    step(s -> ReservationRules.commit(s, "r-idem", null, now));
    reserve(lines("r-rest", false, new Line("campaign", 500)), null);
    assertEquals(0, state.available("campaign"));
    assertTrue(reserve(first, POSTMAN).isEmpty(), "a retry after commit is answered, not refused");
    assertEquals(ReservationStatus.COMMITTED, reservation("r-idem").status());
  }

  @Test
  void aRetryAfterTheRateCardChangedIsAnsweredWithTheOriginal() {
    grant("campaign", 1000);
    ReserveRequest r = op("r-1", POSTMAN, 20, null, false);
    reserve(r, POSTMAN);
    RateCard repriced = new RateCard("gift_card_postman", Map.of("campaign", 30L), Map.of());
    assertTrue(reserve(r, repriced).isEmpty(), "same id, same body: no events whatever the price now");
    assertEquals(Map.of("campaign", 500L), byCategory(reservation("r-1").lines()));
    assertEquals(500, state.available("campaign"));
    // Even a price that would now overflow, or a card with no cost left, answers the retry.
    RateCard absurd = new RateCard("gift_card_postman", Map.of("campaign", 1_000_000_000_000L), Map.of());
    assertTrue(reserve(r, absurd).isEmpty());
  }

  @Test
  void unitCostsListTheOperationsOwnCostsBeforeTheSendersExtra() {
    assertEquals(List.of("campaign", "app_email"), List.copyOf(POSTMAN.unitCosts("APP_EMAIL").keySet()));
  }

  @Test
  void aPartialReservationRepeatedKeepsItsOriginalQuantity() {
    grant("campaign", 100);
    ReserveRequest partial = op("r-p", POSTMAN, 10, "SHOPIFY_EMAIL", true);
    assertEquals(4L, only(CreditsReserved.class, reserve(partial, POSTMAN)).quantity());
    grant("campaign", 1000);
    assertTrue(reserve(partial, POSTMAN).isEmpty(), "the repeat changes nothing even though 10 are affordable now");
    assertEquals(4L, reservation("r-p").quantity());
    assertEquals(Map.of("campaign", 100L), byCategory(reservation("r-p").lines()));
  }
}
