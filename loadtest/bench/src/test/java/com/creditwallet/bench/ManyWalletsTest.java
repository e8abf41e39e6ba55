package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ManyWalletsTest {

  static ManyWallets.Phase phase(long done, long failed, double seconds, long... latencyMs) {
    Histogram h = new Histogram(LoadRunner.MAX_LATENCY_US, 3);
    for (long ms : latencyMs) h.recordValue(ms * 1000);
    return new ManyWallets.Phase(done, failed, failed > 0 ? "409 INSUFFICIENT_CREDITS" : null, seconds, h, 0.3,
        new ServerCpu.Usage(1.1, 0.7));
  }

  static NodeHeap.Summary heap(long maxUsed, long live) {
    return new NodeHeap.Summary(60, maxUsed, 1600L << 20, 700L << 20, 0, live, 2L << 30, null);
  }

  static ManyWallets.Result result(long reserved, NodeHeap.Summary heap, boolean alive, boolean oom) {
    return new ManyWallets.Result(1_000_000, phase(1_000_000, 0, 400, 5, 9), phase(reserved, 1_000_000 - reserved, 250,
        900, 2000), heap, null, alive, oom, 3L << 30);
  }

  @Test
  void targetIsMetOnlyWithEveryWalletTouchedAndTheNodeHealthy() {
    String met = ManyWallets.target(result(1_000_000, heap(1500L << 20, 300L << 20), true, false));
    assertEquals("1,000,000 distinct wallets touched (one reservation each) with the node's heap under 2 GiB: met"
        + " (max 1.46 GiB used of 2.00 GiB max heap, 300 MiB live after a full GC, 0 full GCs during the run;"
        + " 2,500 wallets/s created, 4,000 reservations/s)", met);
    assertTrue(ManyWallets.target(result(999_000, heap(1500L << 20, 300L << 20), true, false))
        .contains("NOT met: only 999,000 touched"));
    assertTrue(ManyWallets.target(result(1_000_000, heap(1500L << 20, 300L << 20), false, true))
        .contains("NOT met: the node died, OutOfMemoryError in the node's log"));
    assertTrue(ManyWallets.target(result(1_000_000, null, true, false)).contains("NOT met: heap not recorded"));
  }

  @Test
  void rowsForBothPhasesWithTheHeapInTheNote() {
    List<Row> rows = ManyWallets.rows(result(999_000, heap(1500L << 20, 300L << 20), true, false));
    assertEquals(List.of("m1", "m2"), rows.stream().map(Row::id).toList());
    assertEquals(2500, rows.get(0).opsPerSec(), 1e-9);
    assertEquals(1.1, rows.get(0).nodeCpuCores(), 1e-9);
    assertEquals(999_000 / 250.0, rows.get(1).opsPerSec(), 1e-9);
    assertTrue(rows.get(1).note().contains("node heap: max 1.46 GiB used (sampled every 5 s), 300 MiB live after a full GC"),
        rows.get(1).note());
    assertTrue(rows.get(1).note().contains("1000 failed, first: 409 INSUFFICIENT_CREDITS"), rows.get(1).note());
    Report.Section s = ManyWallets.section(result(1_000_000, heap(1500L << 20, 300L << 20), true, false));
    assertTrue(s.markdown().contains("- create: 1,000,000 wallets in 400 s = 2,500/s"), s.markdown());
    assertTrue(s.markdown().contains("Cassandra data on disk 3.00 GiB"), s.markdown());
  }

  @Test
  void batchBodyReservesOneCreditOnEachWalletWithAStableId() {
    assertEquals("{\"requests\":[{\"walletId\":\"bench-m-7\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"m-7\","
        + "\"lines\":[{\"category\":\"sms\",\"amount\":1}]}},{\"walletId\":\"bench-m-8\",\"op\":\"reserve\",\"body\":"
        + "{\"reservationId\":\"m-8\",\"lines\":[{\"category\":\"sms\",\"amount\":1}]}}]}",
        ManyWallets.batchBody(List.of(7, 8)));
    assertEquals("{\"overdraft\":{\"sms\":1}}", ManyWallets.WALLET_BODY);
    assertEquals("created 250,000/1,000,000 wallets, 2,500/s, ETA 5.0 min; node heap 812 MiB used, old gen 300 MiB",
        ManyWallets.progress("created", 250_000, 1_000_000, 2500,
            new NodeHeap.Sample(812L << 20, 1024L << 20, 300L << 20, 0)));
  }

  @Test
  void batchRetriesBackOffLongerEachTimeUpToACap() {
    assertEquals(0, ManyWallets.backoffMs(1));
    assertEquals(500, ManyWallets.backoffMs(2));
    assertEquals(1000, ManyWallets.backoffMs(3));
    assertEquals(5000, ManyWallets.backoffMs(11));
    assertEquals(5000, ManyWallets.backoffMs(30));
  }
}
