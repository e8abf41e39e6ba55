package com.creditwallet.wallet.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one decision path: rules read {@link #state()} and {@link #emit} events; each event is
 * folded into the state exactly once, here, and stamped with the balances right after it. The
 * entity persists {@link #events()} and hands the states already computed to its event handler
 * ({@link #states()}), so a live event is never folded a second time. Not thread-safe: one
 * decision is one actor's turn.
 */
public final class Decision {
  private final WalletPolicy policy;
  private final WalletState initial;
  private WalletState state;
  private final ArrayList<WalletEvent> events = new ArrayList<>();
  private final ArrayList<WalletState> states = new ArrayList<>();
  /** Reservations read from the archive for this decision (by id); never changed here. */
  private Map<String, Reservation> archived = Map.of();

  public Decision(WalletState state, WalletPolicy policy) {
    this.initial = state;
    this.state = state;
    this.policy = policy;
  }

  public WalletState state() {
    return state;
  }

  public WalletPolicy policy() {
    return policy;
  }

  /** Gives the rules what the archive answered for the ids the commands name. */
  public Decision withArchived(Map<String, Reservation> found) {
    this.archived = Map.copyOf(found);
    return this;
  }

  /** The reservation in memory, else as the archive had it (finished), else empty. */
  public Optional<Reservation> findReservation(String reservationId) {
    Optional<Reservation> live = state.reservation(reservationId);
    return live.isPresent() ? live : Optional.ofNullable(archived.get(reservationId));
  }

  /** The reservation in memory or in the archive, or RESERVATION_NOT_FOUND. */
  public Reservation requireReservation(String reservationId) {
    return findReservation(reservationId).orElseThrow(() -> Rejection.reservationNotFound(reservationId));
  }

  /** Folds the draft into the state, stamps it with the balances it leaves, and records both. */
  public WalletEvent emit(WalletEvent draft) {
    WalletState next = state.apply(draft);
    Map<String, Long> balances = new TreeMap<>();
    for (String c : draft.categories()) balances.put(c, next.available(c));
    WalletEvent stamped = draft.withBalances(balances);
    events.add(stamped);
    states.add(next);
    state = next;
    return stamped;
  }

  /** How many events so far: a mark to roll back to, or to list what came after. */
  public int size() {
    return events.size();
  }

  /** Undoes the events after {@code mark} (a command rejected half-way changes nothing). */
  public void rollbackTo(int mark) {
    while (events.size() > mark) {
      events.remove(events.size() - 1);
      states.remove(states.size() - 1);
    }
    state = states.isEmpty() ? initial : states.get(states.size() - 1);
  }

  public List<WalletEvent> eventsSince(int mark) {
    return List.copyOf(events.subList(mark, events.size()));
  }

  public List<WalletEvent> events() {
    return List.copyOf(events);
  }

  /** The state after each event of {@link #events()}, same order. */
  public List<WalletState> states() {
    return List.copyOf(states);
  }
}
