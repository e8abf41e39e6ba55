package com.creditwallet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the service's logs next to the report, since the bench deletes its work dir: a window that
 * dips is often Cassandra flushing or compacting, and only its log says when
 * (docs/performance.md, "w's dip"). A log this run did not write is removed from the directory,
 * so the logs beside a report are always that report's.
 */
final class KeptLogs {
  private KeptLogs() {}

  /** Copies each existing source to {@code dir} under its name; returns the names kept. */
  static List<String> keep(Map<String, Path> sources, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, Path> e : sources.entrySet()) {
      Path target = dir.resolve(e.getKey());
      if (Files.isRegularFile(e.getValue())) {
        Files.copy(e.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
        kept.add(e.getKey());
      } else {
        Files.deleteIfExists(target);
      }
    }
    return kept;
  }
}
