package com.creditwallet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Makes an external system's binaries available: nothing to do when they are there;
 * {@code apt-get install -y} when the user asked for it ({@code --install} or
 * WALLET_BENCH_INSTALL=1) and we are root; otherwise a one-line reason to skip its rows.
 *
 * <p>Why it exists: the bench must not install software behind the user's back, yet one flag
 * should be enough on a fresh machine. Debian's packages may start their own service on
 * install (a postgres cluster on 5432, redis on 6379); those are stopped again by pid, since
 * the bench started them and nothing may be left running.
 */
public final class Installer {

  private Installer() {}

  /**
   * Returns null when the system can run (perhaps after installing {@code pkg}), else why not.
   *
   * @param daemons file names of the server processes the package's own service would run
   */
  public static String ensure(String what, String pkg, Supplier<String> unavailable, Set<String> daemons,
                              boolean install, Commands commands) throws InterruptedException {
    String reason = unavailable.get();
    if (reason == null) return null;
    if (!install) {
      return reason + "; run with --install (or WALLET_BENCH_INSTALL=1) as root to apt-get install " + pkg;
    }
    if (!Commands.isRoot()) {
      return reason + "; --install needs root: run apt-get install " + pkg + " yourself";
    }
    Set<Long> before = pids(daemons);
    Log.line(what + ": " + reason + "; installing it: apt-get install -y " + pkg + " ...");
    try {
      Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
      List<String> cmd = List.of("apt-get", "install", "-y", "--no-install-recommends", pkg);
      Commands.Result r = commands.run(cmd, 600, env, null, false);
      if (!r.ok()) {
        Log.line(what + ": apt-get install failed; running apt-get update and trying once more ...");
        commands.run(List.of("apt-get", "update"), 300, env, null, false);
        r = commands.run(cmd, 600, env, null, false);
      }
      if (!r.ok()) return reason + "; apt-get install " + pkg + " failed:\n" + r.tail();
    } catch (IOException e) {
      return reason + "; cannot run apt-get: " + e.getMessage();
    } finally {
      for (long pid : pids(daemons)) {
        if (before.contains(pid)) continue;
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null || !h.isAlive()) continue;
        if (h.parent().map(p -> daemons.contains(name(p))).orElse(false)) continue; // its parent is stopped
        Log.line(what + ": stopping the service the package started (pid " + pid + ")");
        Commands.kill(h);
      }
    }
    String after = unavailable.get();
    return after == null ? null : "installed " + pkg + " but still: " + after;
  }

  private static Set<Long> pids(Set<String> daemons) {
    return ProcessHandle.allProcesses()
        .filter(h -> daemons.contains(name(h)))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static String name(ProcessHandle h) {
    return h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
  }
}
