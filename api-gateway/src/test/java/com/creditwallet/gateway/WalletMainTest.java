package com.creditwallet.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bin/wallet node` as a real process: without an admin key it must not start. */
class WalletMainTest {

  @Test
  void refusesToStartWithoutAnAdminKey(@TempDir Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WalletMain.class.getName()));
    pb.environment().remove("WALLET_ADMIN_KEY");
    pb.environment().put("WALLET_HTTP_PORT", "0");
    pb.environment().put("WALLET_REMOTE_PORT", "0");
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile());
    Process p = pb.start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    if (!exited) p.destroyForcibly().waitFor();
    String stderr = Files.readString(err);
    assertTrue(exited, "it stops by itself; stderr: " + stderr);
    assertEquals(1, p.exitValue(), stderr);
    assertTrue(stderr.contains("wallet: WALLET_ADMIN_KEY is not set"), stderr);
  }
}
