package com.creditwallet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the bench: creates and funds the wallets, then makes the operations of
 * scenarios a (one hot wallet), b (1,000 wallets), c (batches of 1,000 over 100 wallets) and of
 * the mixed warm-up, each a {@code POST} with a reservation id never used before.
 *
 * <p>Why it exists: our service's figures must come from the public HTTP API as clients use it
 * (JSON, auth, idempotency ids), over one keep-alive connection per load thread
 * ({@link Http1Connection}). The warm-up uses wallets of its own, so the measured hot wallet does
 * not start out holding a minute's worth of warm-up reservations.
 */
public final class WalletScenarios {

  static final String CATEGORY = "sms";
  static final long CREDITS = 1_000_000_000L;
  static final int SPREAD_WALLETS = 1000;
  static final int BATCH_WALLETS = 100;
  static final int BATCH_ITEMS = 1000;

  static final String HOT = "bench-hot";
  static final String WARM_HOT = "bench-warm-hot";
  /** h's hot wallet: fresh, so its open holds start from zero rather than where a left them. */
  static final String HALF = "bench-half";

  static final String HOST = "127.0.0.1";
  private static final int TIMEOUT_MILLIS = 30_000;

  private final int port;
  private final String auth;
  private final AtomicLong ids = new AtomicLong();
  private final List<Http1Connection> connections = new CopyOnWriteArrayList<>();

  public WalletScenarios(WalletService service) {
    this.port = service.httpPort();
    this.auth = "Bearer " + service.adminKey();
  }

  /** A new connection, closed by {@link #closeConnections()}. */
  Http1Connection connection() {
    Http1Connection c = new Http1Connection(HOST, port, TIMEOUT_MILLIS);
    connections.add(c);
    return c;
  }

  /** Closes the connections of the runs so far (each run's threads make their own). */
  public void closeConnections() {
    for (Http1Connection c : connections) c.close();
    connections.clear();
  }

  static String spreadWallet(int i) {
    return String.format("bench-w-%04d", i);
  }

  static String batchWallet(int i) {
    return String.format("bench-b-%03d", i);
  }

  static String warmBatchWallet(int i) {
    return String.format("bench-wb-%03d", i);
  }

  /** The bearer header value; never printed. */
  String auth() {
    return auth;
  }

  /** Every wallet the scenarios a, b, c, h and the warm-up use, each granted {@link #CREDITS} sms credits. */
  public void setUp(int concurrency) throws InterruptedException {
    List<String> wallets = new ArrayList<>(List.of(HOT, WARM_HOT, HALF));
    for (int i = 0; i < SPREAD_WALLETS; i++) wallets.add(spreadWallet(i));
    for (int i = 0; i < BATCH_WALLETS; i++) wallets.add(batchWallet(i));
    for (int i = 0; i < BATCH_WALLETS; i++) wallets.add(warmBatchWallet(i));
    Log.line("creating and funding " + wallets.size() + " wallets ...");
    createAndFund(wallets, concurrency);
  }

  /** Creates each wallet ({@code PUT}) and grants it {@link #CREDITS} sms credits, {@code concurrency} at a time. */
  public void createAndFund(List<String> wallets, int concurrency) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("setup"));
    ThreadLocal<Http1Connection> conn = ThreadLocal.withInitial(this::connection);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String w : wallets) {
        done.add(pool.submit(() -> {
          Http1Connection c = conn.get();
          expect(c.send("PUT", "/v1/wallets/" + w, auth, "{}"), "PUT /v1/wallets/" + w, 200, 201);
          expect(c.send("POST", "/v1/wallets/" + w + "/grants", auth, "{\"grantId\":\"bench-credits\",\"category\":\""
              + CATEGORY + "\",\"amount\":" + CREDITS + ",\"source\":\"PROMO\"}"), "POST grants of " + w, 200, 201);
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          throw new IllegalStateException("setting up the wallets failed: " + cause.getMessage(), cause);
        }
      }
    } finally {
      pool.shutdownNow();
      closeConnections();
    }
  }

  /** Scenario a: single reservations of 1 credit on one wallet. */
  public LoadRunner.Op hotWallet(int thread) {
    Http1Connection c = connection();
    return () -> reserve(c, HOT);
  }

  /** Scenarios w and h: single reservations of 1 credit on {@code wallet}. */
  public LoadRunner.Op single(String wallet) {
    Http1Connection c = connection();
    return () -> reserve(c, wallet);
  }

  /** Scenario b: single reservations of 1 credit, each on one of 1,000 wallets at random. */
  public LoadRunner.Op spread(int thread) {
    Http1Connection c = connection();
    return () -> reserve(c, spreadWallet(ThreadLocalRandom.current().nextInt(SPREAD_WALLETS)));
  }

  /** Scenario c: one POST /v1/batch of 1,000 reserves, 10 on each of 100 wallets; ops = items. */
  public LoadRunner.Op batch(int thread) {
    Http1Connection c = connection();
    return () -> batch(c, WalletScenarios::batchWallet);
  }

  /**
   * The warm-up, by client thread: every 8th sends batches (on wallets of its own), the others
   * single reservations, half on a hot wallet of its own and half over the 1,000 wallets, so
   * every code path of a, b and c gets compiled while singles still make most of the requests.
   */
  public LoadRunner.Op mixed(int thread) {
    Http1Connection c = connection();
    if (thread % 8 == 7) return () -> batch(c, WalletScenarios::warmBatchWallet);
    if (thread % 2 == 0) return () -> reserve(c, WARM_HOT);
    return () -> reserve(c, spreadWallet(ThreadLocalRandom.current().nextInt(SPREAD_WALLETS)));
  }

  private String nextId() {
    return "r" + ids.incrementAndGet();
  }

  /** The node's HTTP port. */
  int port() {
    return port;
  }

  /** The bytes of one single reservation on {@code wallet}, with an id never used before, for {@link OpenLoop}. */
  byte[] reserveRequest(String wallet) {
    return Http1Connection.request(HOST, port, "POST", reservationsPath(wallet), auth, reserveBody());
  }

  private static String reservationsPath(String wallet) {
    return "/v1/wallets/" + wallet + "/reservations";
  }

  private String reserveBody() {
    return "{\"reservationId\":\"" + nextId() + "\",\"lines\":[{\"category\":\"" + CATEGORY + "\",\"amount\":1}]}";
  }

  private int reserve(Http1Connection c, String wallet) throws Exception {
    Http1Connection.Response r = c.send("POST", reservationsPath(wallet), auth, reserveBody());
    if (r.status() != 201) throw new LoadRunner.Failed("HTTP " + r.status() + ": " + abbreviate(r.body()));
    return 1;
  }

  private int batch(Http1Connection c, java.util.function.IntFunction<String> wallet) throws Exception {
    StringBuilder body = new StringBuilder(BATCH_ITEMS * 110).append("{\"requests\":[");
    for (int i = 0; i < BATCH_ITEMS; i++) {
      if (i > 0) body.append(',');
      body.append("{\"walletId\":\"").append(wallet.apply(i % BATCH_WALLETS))
          .append("\",\"op\":\"reserve\",\"body\":{\"reservationId\":\"").append(nextId())
          .append("\",\"lines\":[{\"category\":\"").append(CATEGORY).append("\",\"amount\":1}]}}");
    }
    body.append("]}");
    Http1Connection.Response r = c.send("POST", "/v1/batch", auth, body.toString());
    if (r.status() != 200) throw new LoadRunner.Failed("HTTP " + r.status() + ": " + abbreviate(r.body()));
    BatchAnswer a = BatchAnswer.of(r.body());
    if (a.created() != BATCH_ITEMS) {
      throw new LoadRunner.Failed(a.created() + " of " + BATCH_ITEMS + " items answered 201, first other "
          + a.firstOther(), a.created());
    }
    return a.created();
  }

  private static final Pattern STATUS = Pattern.compile("\\{\\s*\"status\"\\s*:\\s*(\\d{3})");

  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

  /** What a batch answer says: how many items answered 201, and the first that did not. */
  record BatchAnswer(int created, int other, String firstOther) {
    /** Each item's status, in request order (the results are in request order). */
    static List<Integer> statuses(String body) {
      List<Integer> all = new ArrayList<>();
      Matcher m = STATUS.matcher(body);
      while (m.find()) all.add(Integer.parseInt(m.group(1)));
      return all;
    }

    static BatchAnswer of(String body) {
      Matcher m = STATUS.matcher(body);
      int ok = 0, other = 0;
      String first = "";
      while (m.find()) {
        if (m.group(1).equals("201")) {
          ok++;
        } else {
          if (other == 0) {
            Matcher code = CODE.matcher(body.substring(m.end(), Math.min(body.length(), m.end() + 400)));
            first = m.group(1) + (code.find() ? " " + code.group(1) : "");
          }
          other++;
        }
      }
      return new BatchAnswer(ok, other, first);
    }
  }

  private static void expect(Http1Connection.Response r, String what, int... statuses) {
    for (int st : statuses) if (r.status() == st) return;
    throw new IllegalStateException(what + " answered " + r.status() + ": " + abbreviate(r.body()));
  }

  static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= 200 ? one : one.substring(0, 200) + "...";
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
