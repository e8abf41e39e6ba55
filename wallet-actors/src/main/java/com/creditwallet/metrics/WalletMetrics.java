package com.creditwallet.metrics;

import com.creditwallet.wallet.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The wallet's own meters, behind one static sink so the entity's hooks stay one call each: a
 * command decided (by type and outcome), a journal write started and finished (latency and
 * events per write), a wallet recovered (how long it took to come into memory), a webhook
 * attempt. Meters are created once and then looked up without allocating, so the hooks cost a
 * map lookup and an atomic add on the wallet's hot path.
 *
 * <p>The node installs its registry at start ({@link #install}); until then (entity unit tests)
 * a throwaway in-memory registry counts. With several nodes in one JVM (cluster tests) the last
 * one installed gets the wallet meters.
 */
public final class WalletMetrics {
  private static volatile WalletMetrics current = new WalletMetrics(new SimpleMeterRegistry());

  private final MeterRegistry registry;
  private final Timer journalWrite;
  private final DistributionSummary writeBatch;
  private final Timer recovery;
  private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<String, Counter>> commands = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> webhooks = new ConcurrentHashMap<>();

  private WalletMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.journalWrite = Timer.builder("wallet_journal_write")
        .description("Time from a wallet's journal write to its confirmation (one write carries a group of commands)")
        .publishPercentileHistogram()
        .register(registry);
    this.writeBatch = DistributionSummary.builder("wallet_journal_write_events")
        .description("Events per journal write (group commit)")
        .publishPercentileHistogram()
        .maximumExpectedValue(1000.0)
        .register(registry);
    // Every command for a wallet not in memory waits for this; under many passivated wallets it
    // is what limits a node (the many-wallets benchmark), so operators need to see it.
    this.recovery = Timer.builder("wallet_recovery")
        .description("Time from a wallet's start to the end of its recovery (waiting for a recovery permit,"
            + " reading its snapshot and events); the count is how many wallets were brought into memory")
        .publishPercentileHistogram()
        .register(registry);
  }

  public static WalletMetrics get() {
    return current;
  }

  public static WalletMetrics install(MeterRegistry registry) {
    current = new WalletMetrics(registry);
    return current;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A command was decided; {@code answer} is what it will be answered (an Outcome, or other). */
  public void decided(Object command, Object answer) {
    String outcome = answer instanceof Outcome<?> o ? (o.isAccepted() ? "accepted" : o.rejected().code()) : "done";
    commands.computeIfAbsent(command.getClass(), k -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> Counter.builder("wallet_commands")
            .description("Wallet commands decided, by type and outcome (accepted or the rejection code)")
            .tag("type", command.getClass().getSimpleName())
            .tag("outcome", o)
            .register(registry))
        .increment();
  }

  /** A journal write of {@code events} events, started at {@code startNanos}, is durable. */
  public void written(int events, long startNanos) {
    journalWrite.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    writeBatch.record(events);
  }

  /** A wallet started at {@code startNanos} has recovered (a new wallet too: its recovery finds nothing). */
  public void recovered(long startNanos) {
    recovery.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** A webhook delivery attempt ended: delivered, failed (will retry) or dead. */
  public void webhookAttempt(String outcome) {
    webhooks.computeIfAbsent(outcome, o -> Counter.builder("wallet_webhook_deliveries")
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", o)
        .register(registry))
        .increment();
  }
}
