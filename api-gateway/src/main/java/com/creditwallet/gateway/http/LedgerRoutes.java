package com.creditwallet.gateway.http;

import com.creditwallet.ledger.LedgerEntry;
import com.creditwallet.ledger.LedgerPage;
import com.creditwallet.ledger.LedgerQueries;
import com.creditwallet.ledger.LedgerQuery;
import com.creditwallet.ledger.ReadSide;
import com.creditwallet.ledger.UsageReport;
import com.creditwallet.ledger.UsageTotals;
import com.creditwallet.wallet.WalletEntity;
import com.creditwallet.wallet.WalletSharding;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Rejection;
import com.creditwallet.wallet.domain.Validation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * /v1/wallets/{walletId}/ledger and /usage: the read side's reports, as JSON pages or streamed
 * CSV / XLSX exports. They read the read side's tables (eventually consistent: a change shows
 * up once the wallet's ledger feed wrote it, normally milliseconds after the wallet), never the
 * wallet itself, so reports cost the wallets nothing.
 */
public final class LedgerRoutes extends WalletAsk {
  static final ContentType CSV = ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8);
  static final ContentType XLSX = ContentTypes.create(MediaTypes.applicationBinary(
      "vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "xlsx"));

  /** Days a usage report may span (ten years). */
  private static final int MAX_USAGE_DAYS = 3_660;

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final Executor blocking;

  public LedgerRoutes(ActorSystem<?> system, WalletSharding wallets, Duration askTimeout) {
    super(wallets, askTimeout);
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  private LedgerQueries queries() {
    return ReadSide.get(system).queries();
  }

  public Route routes() {
    return pathPrefix("wallets", () -> pathPrefix(PathMatchers.segment(), walletId -> concat(
        path("ledger", () -> get(() -> extractRequest(req -> parameterMap(params -> ledger(walletId, params, req))))),
        path("usage", () -> get(() -> extractRequest(req -> parameterMap(params -> usage(walletId, params, req))))))));
  }

  private static boolean acceptsCsvOnly(HttpRequest req) {
    return req.getHeader("Accept").map(h -> {
      String v = h.value().toLowerCase();
      return v.contains("text/csv") && !v.contains("json");
    }).orElse(false);
  }

  private Route ledger(String walletId, Map<String, String> params, HttpRequest req) {
    Validation.requireId("walletId", walletId);
    ReportParams p = ReportParams.of(params, "from", "to", "category", "subBudget", "reference", "limit", "cursor",
        "format");
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    if (from != null && to != null && !from.isBefore(to)) throw Rejection.invalid("to", "must be after from");
    String format = p.format(acceptsCsvOnly(req));
    boolean export = !format.equals("json");
    int limit = p.integer("limit", 1, export ? Integer.MAX_VALUE : 1_000, export ? Integer.MAX_VALUE : 100);
    LedgerQuery.Position after = null;
    String cursor = p.string("cursor");
    if (cursor != null) {
      try {
        after = LedgerQuery.Position.ofCursor(cursor);
      } catch (IllegalArgumentException e) {
        throw Rejection.invalid("cursor", "is not a cursor this API handed out");
      }
    }
    LedgerQuery q = new LedgerQuery(walletId, from, to, p.category("category"), p.id("subBudget"), p.id("reference"),
        limit, after);
    CompletionStage<HttpResponse> response = exists(walletId).thenCompose(ok -> switch (format) {
      case "csv" -> CompletableFuture.completedFuture(download(CSV, walletId + "-ledger.csv",
          LedgerExport.csv(LedgerExport.LEDGER_COLUMNS, LedgerExport.lines(queries(), q, limit).map(LedgerExport::values))));
      case "xlsx" -> CompletableFuture.completedFuture(download(XLSX, walletId + "-ledger.xlsx",
          LedgerExport.xlsx("ledger", LedgerExport.LEDGER_COLUMNS,
              LedgerExport.lines(queries(), q, limit).map(LedgerExport::values), LedgerExport.LEDGER_NUMERIC,
              materializer, blocking).mapMaterializedValue(m -> NotUsed.getInstance())));
      default -> queries().page(q).thenApply(LedgerRoutes::json);
    }).handle((r, failure) -> failure == null ? r : failed(failure));
    return completeWithFuture(response);
  }

  private static HttpResponse json(LedgerPage page) {
    List<Map<String, Object>> entries = new ArrayList<>(page.entries().size());
    for (LedgerEntry e : page.entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seq", e.seq());
      m.put("at", e.at());
      m.put("type", e.type());
      m.put("category", e.category());
      m.put("amount", e.amount());
      m.put("grantId", e.grantId());
      m.put("reservationId", e.reservationId());
      m.put("subBudget", e.subBudget());
      m.put("reference", e.reference());
      m.put("operation", e.operation());
      m.put("available", e.available());
      m.put("detail", e.detail());
      entries.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entries", entries);
    body.put("nextCursor", page.next() == null ? null : page.next().cursor());
    return Json.response(StatusCodes.OK, body);
  }

  private Route usage(String walletId, Map<String, String> params, HttpRequest req) {
    Validation.requireId("walletId", walletId);
    ReportParams p = ReportParams.of(params, "from", "to", "groupBy", "format");
    LocalDate to = p.day("to") == null ? LocalDate.now(ZoneOffset.UTC) : p.day("to");
    LocalDate from = p.day("from") == null ? to.minusMonths(6) : p.day("from");
    if (from.isAfter(to)) throw Rejection.invalid("to", "must not be before from");
    if (from.plusDays(MAX_USAGE_DAYS).isBefore(to)) throw Rejection.invalid("from", "reports span at most 10 years");
    String groupBy = p.string("groupBy") == null ? "day" : p.string("groupBy");
    UsageReport.GroupBy by = UsageReport.GroupBy.of(groupBy);
    if (by == null) throw Rejection.invalid("groupBy", "must be one of " + UsageReport.GroupBy.names());
    String format = p.format(acceptsCsvOnly(req));
    CompletionStage<HttpResponse> response = exists(walletId)
        .thenCompose(ok -> queries().usage(walletId, from, to))
        .thenApply(rows -> {
          List<UsageReport.Group> groups = UsageReport.group(rows, by);
          Source<List<String>, NotUsed> lines = Source.from(groups).map(LedgerExport::usageValues);
          return switch (format) {
            case "csv" -> download(CSV, walletId + "-usage.csv", LedgerExport.csv(LedgerExport.usageHeader(by.param), lines));
            case "xlsx" -> download(XLSX, walletId + "-usage.xlsx", LedgerExport.xlsx("usage",
                LedgerExport.usageHeader(by.param), lines, LedgerExport.USAGE_NUMERIC, materializer, blocking)
                .mapMaterializedValue(m -> NotUsed.getInstance()));
            default -> Json.response(StatusCodes.OK, usageBody(walletId, from, to, by, groups));
          };
        })
        .handle((r, failure) -> failure == null ? r : failed(failure));
    return completeWithFuture(response);
  }

  private static Map<String, Object> usageBody(
      String walletId, LocalDate from, LocalDate to, UsageReport.GroupBy by, List<UsageReport.Group> groups) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (UsageReport.Group g : groups) {
      UsageTotals t = g.totals();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(by.param, g.key());
      m.put("granted", t.granted());
      m.put("committed", t.committed());
      m.put("refunded", t.refunded());
      m.put("released", t.released());
      m.put("expired", t.expired());
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("walletId", walletId);
    body.put("from", from.toString());
    body.put("to", to.toString());
    body.put("groupBy", by.param);
    body.put("groups", out);
    return body;
  }

  private static HttpResponse download(ContentType type, String filename, Source<ByteString, ?> bytes) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", filename)))
        .withEntity(HttpEntities.createChunked(type, bytes.mapMaterializedValue(m -> NotUsed.getInstance())));
  }

  /**
   * The wallet exists if the read side has seen it; otherwise the wallet itself answers (a wallet
   * created a moment ago may not be projected yet). Unknown: 404 WALLET_NOT_FOUND.
   */
  CompletionStage<Boolean> exists(String walletId) {
    return queries().known(walletId).thenCompose(known -> known
        ? CompletableFuture.completedFuture(true)
        : this.<WalletView>askWallet(walletId, WalletEntity.GetWallet::new).thenApply(w -> true));
  }
}
