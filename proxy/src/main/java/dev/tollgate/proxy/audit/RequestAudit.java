package dev.tollgate.proxy.audit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every finished request goes: one structured line on stdout (no secrets, no prompt text),
 * the metrics, and its request-log row. The log may be off ({@code TOLLGATE_REQUEST_LOG=false}, for
 * measuring its cost); the line and the metrics never are.
 */
public final class RequestAudit {
    private static final Logger LINE = LoggerFactory.getLogger("tollgate.request");

    private final RequestLog log; // null when the request log is off
    private final Consumer<RequestRecord> metrics; // told of every finished request
    private final AtomicInteger inFlight = new AtomicInteger();

    public RequestAudit(RequestLog log, Consumer<RequestRecord> metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    /** A request has started; it is in flight until {@link #finished}. */
    public void began() {
        inFlight.incrementAndGet();
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}; on shutdown, between stopping the
     * server and closing the log, so the last requests' rows are not refused by a closed log.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Logs an API request refused before any route took it (an unknown URL, the server stopping):
     * no key, no model, no tokens. Paths outside the API ({@code /v1/…}, {@code /openai/v1/…}) are not logged.
     * Returns whether it was logged: only then does its answer carry {@code x-tollgate-request-id}.
     */
    public boolean refusedUnrouted(
            String requestId,
            String path,
            int status,
            String errorType,
            String errorCode,
            String clientAddress,
            String userAgent) {
        if (path.startsWith("/openai/v1/")) path = path.substring("/openai".length());
        if (!path.startsWith("/v1/")) return false;
        began();
        finished(
                new RequestRecord(
                        null,
                        Instant.now(),
                        requestId,
                        null,
                        null,
                        null,
                        null,
                        null,
                        path,
                        false,
                        status,
                        errorType,
                        errorCode,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "none",
                        0,
                        null,
                        null,
                        null,
                        clientAddress,
                        userAgent,
                        null,
                        null,
                        null,
                        null),
                errorCode);
        return true;
    }

    /** Records {@code r}; {@code outcome} is a short word for the line, e.g. {@code ok} or {@code client_closed}. */
    public void finished(RequestRecord r, String outcome) {
        if (LINE.isInfoEnabled()) {
            LINE.info(
                    "request id={} endpoint={} key={} model={} stream={} status={} outcome={} error={} prompt_tokens={}"
                            + " completion_tokens={} cost_usd={} usage={} ms={} ttft_ms={} overhead_us={} client={}",
                    r.requestId(),
                    r.endpoint(),
                    dash(r.keyId()),
                    dash(r.modelServed() != null ? r.modelServed() : r.modelRequested()),
                    r.stream(),
                    r.status(),
                    outcome,
                    dash(r.errorCode() != null ? r.errorCode() : r.errorType()),
                    dash(r.promptTokens()),
                    dash(r.completionTokens()),
                    r.costNanos() == null
                            ? "-"
                            : BigDecimal.valueOf(r.costNanos(), 9)
                                    .stripTrailingZeros()
                                    .toPlainString(),
                    r.usageSource(),
                    r.latencyMs(),
                    dash(r.firstTokenMs()),
                    dash(r.overheadMicros()),
                    dash(r.clientAddress()));
        }
        try {
            metrics.accept(r);
            if (log != null) log.append(r);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Object dash(Object value) {
        return value == null ? "-" : value;
    }
}
