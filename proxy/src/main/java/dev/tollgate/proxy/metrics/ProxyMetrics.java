package dev.tollgate.proxy.metrics;

import dev.tollgate.proxy.audit.RequestLog;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.upstream.UpstreamHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The proxy's Prometheus metrics (Micrometer). Every label takes values from a small fixed set:
 * endpoints are our routes, error types are OpenAI's and Groq's known ones (anything else is
 * {@code other}), upstream keys are numbered. No client string ever becomes a label.
 */
public final class ProxyMetrics {
    private static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/v1/responses", "/v1/models");
    private static final Set<String> ERROR_TYPES = Set.of(
            "invalid_request_error",
            "authentication_error",
            "permission_error",
            "not_found_error",
            "rate_limit_exceeded",
            "rate_limit_error",
            "insufficient_quota",
            "requests",
            "tokens",
            "server_error",
            "upstream_error",
            "api_error",
            "client_disconnected");

    private LongSupplier ledgerTopUps;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Counter reasoningTokens;
    private final Counter cachedTokens;
    private final Counter cost;
    private final Timer overhead;
    private final Timer firstToken;
    private final Timer upstreamTime;
    private final Map<RequestLabels, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> adminTokenRefusals = new ConcurrentHashMap<>();

    private record RequestLabels(String endpoint, boolean stream, String status, String errorType) {}

    public ProxyMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        promptTokens = tokens("prompt");
        completionTokens = tokens("completion");
        reasoningTokens = tokens("reasoning");
        cachedTokens = tokens("cached");
        cost = Counter.builder("tollgate.cost")
                .baseUnit("usd")
                .description("Cost of the requests served, at the configured prices")
                .register(registry);
        overhead = Timer.builder("tollgate.overhead")
                .description("Time spent in the proxy itself (total minus time waiting on Groq)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        firstToken = Timer.builder("tollgate.time.to.first.token")
                .description("Time from request to the first streamed event")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry);
        upstreamTime = Timer.builder("tollgate.upstream.duration")
                .description("Time spent waiting on Groq")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        for (String via : List.of("dashboard", "bearer")) {
            for (String reason : List.of("wrong_token", "throttled")) {
                adminTokenRefusals.put(
                        via + " " + reason,
                        Counter.builder("tollgate.admin.auth.failures")
                                .tag("via", via)
                                .tag("reason", reason)
                                .description(
                                        "Admin tokens refused: wrong, or not checked while the client's address waits")
                                .register(registry));
            }
        }
    }

    private Counter tokens(String kind) {
        return Counter.builder("tollgate.tokens")
                .tag("kind", kind)
                .description("Tokens used, by kind")
                .register(registry);
    }

    /** Counts one finished request. */
    public void observe(RequestRecord r) {
        String endpoint = ENDPOINTS.contains(r.endpoint()) ? r.endpoint() : "other";
        boolean stream = r.stream();
        // Meters are looked up once per label set, not built per request on the hot path.
        requests.computeIfAbsent(
                        new RequestLabels(endpoint, stream, status(r.status()), errorType(r)),
                        l -> Counter.builder("tollgate.requests")
                                .description("Requests by endpoint, HTTP status and error type")
                                .tag("endpoint", l.endpoint())
                                .tag("stream", Boolean.toString(l.stream()))
                                .tag("status", l.status())
                                .tag("error_type", l.errorType())
                                .register(registry))
                .increment();
        durations
                .computeIfAbsent(
                        endpoint + (stream ? " stream" : ""),
                        k -> Timer.builder("tollgate.request.duration")
                                .description("Total time to answer a request")
                                .tag("endpoint", endpoint)
                                .tag("stream", Boolean.toString(stream))
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1))
                                .maximumExpectedValue(Duration.ofMinutes(10))
                                .register(registry))
                .record(r.latencyMs(), TimeUnit.MILLISECONDS);
        if (r.overheadMicros() != null) overhead.record(r.overheadMicros(), TimeUnit.MICROSECONDS);
        if (r.firstTokenMs() != null) firstToken.record(r.firstTokenMs(), TimeUnit.MILLISECONDS);
        if (r.upstreamMs() != null) upstreamTime.record(r.upstreamMs(), TimeUnit.MILLISECONDS);
        if (r.promptTokens() != null) promptTokens.increment(r.promptTokens());
        if (r.completionTokens() != null) completionTokens.increment(r.completionTokens());
        if (r.reasoningTokens() != null) reasoningTokens.increment(r.reasoningTokens());
        if (r.cachedTokens() != null) cachedTokens.increment(r.cachedTokens());
        if (r.costNanos() != null) cost.increment(r.costNanos() / 1e9);
    }

    /** Counts an admin token refused, {@code via} the dashboard's sign-in or a bearer header, as a wrong token or throttled. */
    public void adminTokenRefused(String via, String reason) {
        adminTokenRefusals.get(via + " " + reason).increment();
    }

    /** The request log's queue, its back-pressure and its writes. */
    public void watch(RequestLog log) {
        Gauge.builder("tollgate.request.log.queue.depth", log, RequestLog::queueDepth)
                .description("Request-log rows waiting to be written")
                .register(registry);
        FunctionCounter.builder("tollgate.request.log.backpressure", log, RequestLog::backPressureEvents)
                .description("Requests that waited because the request-log queue was full")
                .register(registry);
        FunctionCounter.builder("tollgate.request.log.rows.written", log, RequestLog::written)
                .description("Request-log rows written")
                .register(registry);
        FunctionCounter.builder("tollgate.request.log.rows.failed", log, RequestLog::failed)
                .description("Request-log rows given up on after every retry failed")
                .register(registry);
    }

    /** Each Groq key's answers by outcome, and whether it works. */
    /** {@code tollgate_ledger_topups_total}: admissions that asked the shared database for a lease (PostgreSQL). */
    public void watchLedgerTopUps(LongSupplier topUps) {
        this.ledgerTopUps = topUps; // Micrometer holds the state object weakly: hold the supplier here
        FunctionCounter.builder("tollgate.ledger.topups", this, m -> m.ledgerTopUps.getAsLong())
                .description("admissions that needed a database round trip to top up the key's lease")
                .register(registry);
    }

    public void watch(UpstreamHealth health) {
        for (int k = 0; k < health.keys(); k++) {
            int key = k;
            String label = Integer.toString(k + 1);
            Gauge.builder("tollgate.upstream.key.up", health, h -> h.up(key))
                    .tag("key", label)
                    .description("1 unless this Groq key's last answer was 401/403, 429 or none")
                    .register(registry);
            for (UpstreamHealth.Outcome outcome : UpstreamHealth.Outcome.values()) {
                FunctionCounter.builder("tollgate.upstream.responses", health, h -> h.count(key, outcome))
                        .tag("key", label)
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .description("Groq's answers per key and outcome")
                        .register(registry);
            }
        }
    }

    /** Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private static String status(int status) {
        return status >= 100 && status <= 599 ? Integer.toString(status) : "other";
    }

    private static String errorType(RequestRecord r) {
        if (r.errorType() == null) return r.status() >= 400 ? "other" : "none";
        return ERROR_TYPES.contains(r.errorType()) ? r.errorType() : "other";
    }
}
