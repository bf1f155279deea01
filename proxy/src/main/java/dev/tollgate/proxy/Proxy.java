package dev.tollgate.proxy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.admin.AdminAuth;
import dev.tollgate.proxy.admin.AdminKeyRoutes;
import dev.tollgate.proxy.admin.AuditRoutes;
import dev.tollgate.proxy.admin.DashboardRoutes;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.audit.RequestLog;
import dev.tollgate.proxy.audit.RequestLogPartitions;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.Retention;
import dev.tollgate.proxy.audit.UsageQuery;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.keys.Authenticator;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.metrics.ProxyMetrics;
import dev.tollgate.proxy.record.UpstreamRecorder;
import dev.tollgate.proxy.relay.ChatCompletions;
import dev.tollgate.proxy.relay.ClientWatches;
import dev.tollgate.proxy.relay.Forwarding;
import dev.tollgate.proxy.relay.HistoryCleanup;
import dev.tollgate.proxy.relay.ModelsRoute;
import dev.tollgate.proxy.relay.RequestPath;
import dev.tollgate.proxy.relay.Responses;
import dev.tollgate.proxy.relay.TokenCounter;
import dev.tollgate.proxy.store.ChangeListener;
import dev.tollgate.proxy.store.Database;
import dev.tollgate.proxy.upstream.Upstream;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: every part built here and passed through constructors, so a test can start
 * two proxies in one JVM. {@link #start} listens; {@link #close} stops and releases everything.
 */
public final class Proxy implements AutoCloseable {
    /** How long a stop waits for requests in flight. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final HikariDataSource database;
    private final Upstream upstream;
    private final KeyStore keys;
    private final LimitStore limits;
    private final UsageLedger ledger;
    private final RequestLog requestLog;
    private final Retention retention;
    private final RequestLogPartitions partitions; // PostgreSQL only
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final RequestAudit audit;
    private final ClientWatches clientWatches = new ClientWatches();
    private final Javalin app;
    private final ChangeListener changes; // null on H2, whose trigger runs in this process

    private Proxy(ProxyConfig config, Clock clock) {
        this.database = Database.open(config.database(), 10);
        this.changes = ChangeListener.startFor(config.database());
        UsageLedger startedLedger = null;
        RequestLog startedLog = null;
        Retention startedRetention = null;
        RequestLogPartitions startedPartitions = null;
        LimitStore startedLimits = null;
        try {
            this.keys = new KeyStore(database, clock);
            startedLimits = new LimitStore(database, clock);
            this.limits = startedLimits;
            limits.refreshEvery(
                    Duration.ofMillis(500)); // off the request path; the 1 s bound for other processes holds
            startedLedger = new UsageLedger(database, clock, config.limits());
            this.ledger = startedLedger;
            // Before the log writes: today's rows go to today's partition.
            if (config.database().isPostgres()) startedPartitions = RequestLogPartitions.start(database, clock);
            this.partitions = startedPartitions;
            startedLog = new RequestLog(
                    database,
                    config.limits().zone(),
                    config.audit().flushInterval(),
                    config.audit().queueCapacity(),
                    2_000);
            this.requestLog = startedLog;
            startedRetention = Retention.start(database, clock, config.audit().retentionDays(), partitions);
            this.retention = startedRetention;
            SecretMask mask = new SecretMask(config.secrets());
            UpstreamRecorder recorder = UpstreamRecorder.start(
                    config.recording(), config.secrets(), config.upstream().baseUrl());
            this.upstream = new Upstream(config.upstream(), recorder, mask);
            metrics.watch(requestLog);
            metrics.watch(upstream.health());
            this.audit = new RequestAudit(config.audit().requestLog() ? requestLog : null, metrics::observe);
            Authenticator auth = new Authenticator(keys);
            Forwarding forwarding = new Forwarding(new RequestPath(
                    config, auth, limits, ledger, upstream, audit, mask, new TokenCounter(), clientWatches));
            Handler chat = forwarding.handler(new ChatCompletions(new HistoryCleanup(config.historyCleanup())));
            ModelsRoute models = new ModelsRoute(config.models(), auth, audit);
            Handler responses = forwarding.handler(new Responses());
            AdminAuth adminAuth = new AdminAuth(
                    config.adminToken() == null ? null : config.adminToken().value(), metrics);
            AdminKeyRoutes admin = new AdminKeyRoutes(keys, limits, ledger, adminAuth);
            AuditRoutes auditRoutes = new AuditRoutes(
                    new RequestLogQuery(database),
                    new UsageQuery(database),
                    adminAuth,
                    config.limits().zone());
            Handler scrape = ctx ->
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            this.app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false;
                c.concurrency.useVirtualThreads = true;
                // Java's default accept backlog of 50 makes a burst of new connections (a test suite's workers
                // starting) wait a second.
                c.jetty.modifyServer(server -> {
                    // On stop: refuse new requests, let those in flight finish (streams included) for up to the grace
                    // period.
                    server.setStopTimeout(SHUTDOWN_GRACE.toMillis());
                    server.setHandler(new ShutdownGate(audit));
                    server.setErrorHandler(new OpenAiErrorPage(audit));
                });
                c.jetty.addConnector((server, http) -> {
                    // Answers are small or streamed event by event and flushed, and each open stream holds its
                    // connection's
                    // buffers (direct memory) for as long as it lasts: Jetty's defaults (32 KB out, 8 KB in) would be
                    // most of
                    // what an open stream costs. Larger writes and bodies simply take more than one buffer.
                    http.setOutputBufferSize(4_096);
                    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
                    http1.setInputBufferSize(4_096);
                    ServerConnector connector = new ServerConnector(server, http1);
                    connector.setHost(config.server().host());
                    connector.setPort(config.server().port());
                    connector.setAcceptQueueSize(1024);
                    return connector;
                });
                c.http.maxRequestSize =
                        config.server().maxBodyBytes() + 1; // our own check answers first, in OpenAI's shape
                c.http.prefer405over404 =
                        true; // as OpenAI: a method the URL does not serve is a 405, an unknown URL a 404
                for (String prefix : List.of("/v1", "/openai/v1")) {
                    c.routes.post(prefix + "/chat/completions", chat);
                    c.routes.get(prefix + "/models", models::list);
                    c.routes.get(prefix + "/models/<id>", models::retrieve);
                    c.routes.post(prefix + "/responses", responses);
                }
                c.routes.get(
                        "/health",
                        ctx -> ctx.json(Map.of(
                                "status", "ok", "upstream", config.upstream().baseUrl())));
                c.routes.get("/metrics", config.audit().metricsNeedToken() ? adminAuth.guarded(scrape) : scrape);
                admin.register(c.routes);
                auditRoutes.register(c.routes);
                new DashboardRoutes(adminAuth, config.limits().zone(), clock).register(c.routes);
                new ErrorAnswers(audit, config.server().maxBodyBytes()).register(c.routes);
            });
            app.start();
        } catch (RuntimeException e) {
            if (startedRetention != null) startedRetention.close();
            if (startedPartitions != null) startedPartitions.close();
            if (startedLog != null) startedLog.close();
            if (startedLedger != null) startedLedger.close();
            if (startedLimits != null) startedLimits.close();
            clientWatches.close();
            if (changes != null) changes.close();
            database.close();
            throw e;
        }
    }

    public static Proxy start(ProxyConfig config, Clock clock) {
        return new Proxy(config, clock);
    }

    public int port() {
        return app.port();
    }

    public KeyStore keys() {
        return keys;
    }

    public LimitStore limits() {
        return limits;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public RequestLog requestLog() {
        return requestLog;
    }

    /**
     * Stops taking requests and lets those in flight finish (up to {@link #SHUTDOWN_GRACE}; calls to
     * Groq still running after that are cancelled), then writes the request log and the usage counters
     * out, then closes the database.
     */
    @Override
    public void close() {
        app.stop();
        clientWatches.close();
        upstream.close();
        try {
            if (!audit.awaitIdle(Duration.ofSeconds(10))) {
                LoggerFactory.getLogger(Proxy.class)
                        .warn("requests still running at shutdown; their log rows may be missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retention.close();
        if (partitions != null) partitions.close();
        requestLog.close();
        ledger.close();
        limits.close();
        if (changes != null) changes.close();
        database.close();
    }
}
