package com.creditwallet.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates and funds the wallets a simulation needs, through the admin API, before the load
 * starts: {@code PUT /v1/wallets/{id}} then one large {@code ADJUSTMENT} grant per wallet (no
 * top-up bounds apply to it), many wallets at a time.
 *
 * <p>Why it exists: the setup must not count in the measured figures (so it is not a Gatling
 * scenario, whose requests would enter the global p99), and must be fast for 10,000 wallets (so
 * it runs {@code concurrency} wallets in parallel on keep-alive connections). Every call is
 * idempotent by its id, so a retry after a timeout or a 503 is safe.
 */
final class WalletSetup {
  /** The contract's largest amount per grant. */
  static final long MAX_GRANT = 1_000_000_000_000L;
  private static final int ATTEMPTS = 5;

  private final String baseUrl;
  private final String adminKey;
  private final int concurrency;
  private final HttpClient client;

  /** The ids {@code prefix + "0"} to {@code prefix + (count - 1)}: a simulation's wallets. */
  static java.util.List<String> walletIds(String prefix, int count) {
    java.util.List<String> ids = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) ids.add(prefix + i);
    return java.util.List.copyOf(ids);
  }

  WalletSetup(String baseUrl, String adminKey, int concurrency) {
    this.baseUrl = baseUrl;
    this.adminKey = adminKey;
    this.concurrency = concurrency;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Fails with a clear message unless the node is ready and takes the admin key. */
  void checkService() {
    HttpResponse<String> ready = send("GET", "/health/ready", null);
    if (ready.statusCode() != 200) {
      throw new IllegalStateException(baseUrl + "/health/ready answered " + ready.statusCode() + ": the node is not ready");
    }
    HttpResponse<String> probe = send("GET", "/v1/wallets/lt-probe-does-not-exist", null);
    if (probe.statusCode() == 401 || probe.statusCode() == 403) {
      throw new IllegalStateException(baseUrl + " refused the admin key (" + probe.statusCode() + "): check -DadminKey / WALLET_ADMIN_KEY");
    }
  }

  /**
   * Creates every wallet of {@code walletIds} and grants it {@code amount} credits of
   * {@code category} (grant id {@code grantId}, the same in every wallet), in parallel.
   */
  void createFunded(List<String> walletIds, String category, long amount, String grantId) {
    checkService();
    long start = System.nanoTime();
    String grant = "{\"grantId\":\"" + grantId + "\",\"category\":\"" + category + "\",\"amount\":" + amount
        + ",\"source\":\"ADJUSTMENT\"}";
    AtomicInteger next = new AtomicInteger();
    int workers = Math.max(1, Math.min(concurrency, walletIds.size()));
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "wallet-setup");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<?>[] futures = new Future<?>[workers];
      for (int w = 0; w < workers; w++) {
        futures[w] = pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < walletIds.size(); i = next.getAndIncrement()) {
            String wallet = walletIds.get(i);
            expect(201, 200, "PUT", "/v1/wallets/" + wallet, "{}");
            expect(201, 201, "POST", "/v1/wallets/" + wallet + "/grants", grant);
          }
          return null;
        });
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("setup failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("[loadtest] setup: %d wallet(s) created and granted %d %s credits each in %.1f s%n",
        walletIds.size(), amount, category, (System.nanoTime() - start) / 1e9);
  }

  private void expect(int created, int alsoOk, String method, String path, String body) {
    HttpResponse<String> r = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        r = send(method, path, body);
      } catch (IllegalStateException e) {
        if (attempt == ATTEMPTS) throw e;
        pause(attempt);
        continue;
      }
      if (r.statusCode() == created || r.statusCode() == alsoOk) return;
      if (r.statusCode() != 503 || attempt == ATTEMPTS) break;
      pause(attempt);
    }
    throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
  }

  private static void pause(int attempt) {
    try {
      TimeUnit.MILLISECONDS.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + baseUrl + path + " failed (" + e
          + "): is the node running there? (-DbaseUrl, default " + Params.DEFAULT_BASE_URL + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
