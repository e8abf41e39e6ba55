package com.creditwallet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logs beside a report are that run's: copied when written, removed when not. */
class KeptLogsTest {
  @TempDir Path work;
  @TempDir Path out;

  @Test
  void keepsTheLogsThisRunWroteAndDropsAnEarlierRunsOthers() throws Exception {
    Map<String, Path> sources = WalletService.logs(work);
    Path node = sources.get("wallet-node.log");
    Files.writeString(node, "node up\n");
    Path logs = out.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("cassandra-system.log"), "an earlier run's Cassandra\n");
    Files.writeString(logs.resolve("wallet-node.log"), "an earlier run's node\n");

    assertEquals(List.of("wallet-node.log"), KeptLogs.keep(sources, logs));
    assertEquals("node up\n", Files.readString(logs.resolve("wallet-node.log")));
    assertFalse(Files.exists(logs.resolve("cassandra-system.log")), "not this run's: removed");
  }

  @Test
  void findsCassandrasLogWhereTheDevNodePutsIt() throws Exception {
    Path system = work.resolve("wallet-data/cassandra/logs/system.log");
    Files.createDirectories(system.getParent());
    Files.writeString(system, "compacted\n");

    assertEquals(List.of("cassandra-system.log"), KeptLogs.keep(WalletService.logs(work), out));
    assertEquals("compacted\n", Files.readString(out.resolve("cassandra-system.log")));
  }
}
