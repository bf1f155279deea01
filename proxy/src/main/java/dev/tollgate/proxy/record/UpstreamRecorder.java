package dev.tollgate.proxy.record;

import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.MatchRules;
import dev.tollgate.fixture.record.FixtureRecorder;
import dev.tollgate.fixture.record.RecordedHeaders;
import dev.tollgate.fixture.record.SecretFoundException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Okio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record mode on the proxy's side: {@link #tee} wraps the answer Groq gave so that, as the relay reads
 * it, its bytes (or stream events, with their timing) are also captured; a complete answer is handed
 * to one background writer. The client is never kept waiting and never sees a recording failure:
 * writes happen off the request path, failures are logged (without secrets) and counted, and a full
 * queue drops the recording rather than slowing requests down.
 */
public final class UpstreamRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRecorder.class);
    /** Recording off: answers pass through untouched. */
    public static final UpstreamRecorder OFF = new UpstreamRecorder(null);

    private static final int QUEUE = 1_000;

    /** Counts since the start: fixtures written (created, appended, replaced), kept as they were, refused for a secret, failed, dropped, incomplete. */
    public record Stats(long written, long kept, long refused, long failed, long dropped, long incomplete) {}

    private final FixtureRecorder recorder;
    private final ThreadPoolExecutor writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();

    private UpstreamRecorder(FixtureRecorder recorder) {
        this.recorder = recorder;
        this.writer = recorder == null
                ? null
                : new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(QUEUE),
                        r -> {
                            Thread t = new Thread(r, "fixture-recorder");
                            t.setDaemon(true);
                            return t;
                        },
                        (r, pool) -> {
                            dropped.incrementAndGet();
                            LOG.warn(
                                    "fixture recording dropped: the writer is stopped or already has {} recordings waiting",
                                    QUEUE);
                        });
    }

    /**
     * A recorder for {@code record}, or {@link #OFF}, of exchanges with {@code upstreamUrl}; a recording
     * holding one of {@code secrets} is refused. The folder's existing fixtures are read now (a bad one stops the start).
     */
    public static UpstreamRecorder start(RecordConfig record, List<String> secrets, String upstreamUrl) {
        if (record == null || !record.enabled()) return OFF;
        FixtureRecorder recorder;
        try {
            recorder = new FixtureRecorder(
                    new FixtureRecorder.Settings(
                            record.dir(),
                            record.mode(),
                            record.redaction(),
                            secrets,
                            MatchRules.DEFAULT_IGNORED,
                            upstreamUrl,
                            "recorded by the Tollgate proxy"),
                    Clock.systemUTC());
        } catch (FixtureFiles.InvalidFixtureException | UncheckedIOException e) {
            throw new IllegalArgumentException("TOLLGATE_RECORD_DIR: " + e.getMessage(), e);
        }
        LOG.info(
                "recording every exchange with the upstream into {} (mode {})",
                record.dir(),
                record.mode().label());
        return new UpstreamRecorder(recorder);
    }

    public boolean enabled() {
        return recorder != null;
    }

    /**
     * The answer to relay instead of {@code response}: the same, with its body captured as it is read.
     * {@code path} is the upstream path under the base URL ({@code /chat/completions}); {@code requestBody}
     * the bytes sent.
     */
    public Response tee(String path, byte[] requestBody, Response response) {
        if (recorder == null || response.body() == null) return response;
        String type = response.header("content-type", "");
        boolean stream = type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        RecordedHeaders headers = new RecordedHeaders();
        response.headers().forEach(h -> headers.add(h.getFirst(), h.getSecond()));
        String fixturePath = "/v1" + path;
        // Groq ends a chat stream with [DONE] or an error event; a chat stream that just stops is incomplete. Other
        // routes' streams end with the body.
        boolean streamEndsAtEof = !path.equals("/chat/completions");
        int status = response.code();
        String upstreamRequestId = response.header("x-request-id");
        CapturingSource source = new CapturingSource(
                response.body().source(),
                stream,
                streamEndsAtEof,
                System.nanoTime(),
                (body, events) -> submit(
                        events == null
                                ? FixtureRecorder.Exchange.of("POST", fixturePath, requestBody, status, headers, body)
                                : FixtureRecorder.Exchange.stream(
                                        "POST", fixturePath, requestBody, status, headers, events),
                        upstreamRequestId),
                incomplete::incrementAndGet);
        ResponseBody teed = ResponseBody.create(
                Okio.buffer(source),
                response.body().contentType(),
                response.body().contentLength());
        return response.newBuilder().body(teed).build();
    }

    private void submit(FixtureRecorder.Exchange exchange, String upstreamRequestId) {
        writer.execute(() -> write(exchange, upstreamRequestId));
    }

    private void write(FixtureRecorder.Exchange exchange, String upstreamRequestId) {
        String what = exchange.method() + " " + exchange.path() + " (status " + exchange.status()
                + (upstreamRequestId == null ? "" : ", upstream request " + upstreamRequestId) + ")";
        try {
            FixtureRecorder.Result result = recorder.record(exchange);
            if (result.outcome() == FixtureRecorder.Outcome.KEPT) kept.incrementAndGet();
            else written.incrementAndGet();
            LOG.debug("recorded {}: {} {}", what, result.outcome(), result.file());
        } catch (SecretFoundException e) {
            refused.incrementAndGet();
            LOG.error(
                    "FIXTURE REFUSED, nothing written for {}: it contains {}. Redact it (TOLLGATE_RECORD_REDACT_PATHS / "
                            + "TOLLGATE_RECORD_REDACT_PATTERN) or keep it out of prompts.",
                    what,
                    e.reason());
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("fixture recording failed for {}: {}", what, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public Stats stats() {
        return new Stats(written.get(), kept.get(), refused.get(), failed.get(), dropped.get(), incomplete.get());
    }

    /** Writes what is still queued (waiting up to 30 s), then logs the counts. */
    @Override
    public void close() {
        if (writer == null) return;
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS))
                LOG.warn("fixture recorder: gave up waiting for the last writes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Stats s = stats();
        LOG.info(
                "fixture recorder: {} written, {} kept as they were (mode once), {} refused (secret), {} failed, {} dropped, {} incomplete (not recorded)",
                s.written(),
                s.kept(),
                s.refused(),
                s.failed(),
                s.dropped(),
                s.incomplete());
    }

    /** Never prints anything secret. */
    @Override
    public String toString() {
        return recorder == null ? "UpstreamRecorder[off]" : "UpstreamRecorder[" + recorder.settings() + "]";
    }
}
