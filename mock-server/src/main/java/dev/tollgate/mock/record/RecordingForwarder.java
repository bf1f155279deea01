package dev.tollgate.mock.record;

import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.record.FixtureRecorder;
import dev.tollgate.fixture.record.RecordedHeaders;
import dev.tollgate.fixture.record.SecretFoundException;
import dev.tollgate.fixture.record.StreamCapture;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to the upstream, relays the answer to the client as it arrives (a stream read
 * by read, flushed), and records it into the fixtures folder before the client sees its end, so the
 * next identical request is answered from the new fixture.
 */
public final class RecordingForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingForwarder.class);

    /** How a forwarded request went: the status relayed, the fixture recorded into (or null), and a line for the journal. */
    public record Forwarded(int status, String fixture, String outcome) {}

    private final RecordSettings settings;
    private final FixtureRecorder recorder;
    private final Runnable recorded;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param fixtures the folder to record into (its fixtures are read now; a bad one stops the start)
     * @param ignored  the server's ignored fields, so the recorder matches like the server
     * @param recorded runs after each fixture written (the server reloads its fixtures)
     */
    public RecordingForwarder(RecordSettings settings, Path fixtures, Set<String> ignored, Runnable recorded) {
        if (fixtures == null) throw new IllegalArgumentException("recording needs a fixtures folder to write into");
        this.settings = settings;
        this.recorded = recorded;
        this.recorder = new FixtureRecorder(
                new FixtureRecorder.Settings(
                        fixtures,
                        settings.mode(),
                        settings.redaction(),
                        settings.apiKey() == null ? List.of() : List.of(settings.apiKey()),
                        ignored,
                        settings.upstreamUrl(),
                        "recorded by the Tollgate mock server (--record-from)"),
                Clock.systemUTC());
    }

    public RecordSettings settings() {
        return settings;
    }

    /** Forwards {@code method path} with {@code body}; {@code authorization} is the client's header (or null). */
    public Forwarded forward(
            HttpServletResponse res, String method, String path, byte[] body, String authorization, boolean stream) {
        String token = authorization == null
                ? null
                : authorization.replaceFirst("(?i)^bearer\\s+", "").trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(settings.upstreamUrl() + path.replaceFirst("^/v1", "")))
                .timeout(Duration.ofMinutes(5))
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.apiKey() != null) request.header("authorization", "Bearer " + settings.apiKey());
        else if (authorization != null) request.header("authorization", authorization);
        HttpResponse<InputStream> upstream;
        try {
            upstream = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return unreachable(res, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(res, e);
        }
        long started = System.nanoTime();
        RecordedHeaders headers = new RecordedHeaders();
        upstream.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        boolean eventStream = headers.first("content-type") != null
                && headers.first("content-type").toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        res.setStatus(upstream.statusCode());
        headers.worthReplaying().forEach(res::setHeader);
        List<String> secrets = token == null ? List.of() : List.of(token);
        try (InputStream in = upstream.body()) {
            OutputStream out = res.getOutputStream();
            if (!eventStream) {
                byte[] bytes = in.readAllBytes();
                Forwarded recorded =
                        record(FixtureRecorder.Exchange.of(method, path, body, upstream.statusCode(), headers, bytes)
                                .withSecrets(secrets));
                out.write(bytes);
                out.flush();
                return recorded;
            }
            StreamCapture capture = new StreamCapture(started);
            byte[] buffer = new byte[8192];
            Forwarded recorded = null;
            for (int n; (n = in.read(buffer)) != -1; ) {
                capture.accept(buffer, 0, n, System.nanoTime());
                if (recorded == null && capture.ended()) { // recorded before the client sees the end
                    recorded = record(
                            stream(method, path, body, upstream.statusCode(), headers, capture.finish(), secrets));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            // A chat stream ends with [DONE] or an error event; other routes' streams (Responses) end with the body.
            if (recorded == null && !path.equals("/v1/chat/completions")) {
                recorded =
                        record(stream(method, path, body, upstream.statusCode(), headers, capture.finish(), secrets));
            }
            return recorded != null
                    ? recorded
                    : new Forwarded(
                            upstream.statusCode(),
                            null,
                            "forwarded; not recorded: the stream ended without [DONE] or an error event");
        } catch (IOException e) {
            return new Forwarded(
                    upstream.statusCode(), null, "forwarded; not recorded: the answer broke off or the client left");
        }
    }

    private static FixtureRecorder.Exchange stream(
            String method,
            String path,
            byte[] body,
            int status,
            RecordedHeaders headers,
            List<SseEvent> events,
            List<String> secrets) {
        return FixtureRecorder.Exchange.stream(method, path, body, status, headers, events)
                .withSecrets(secrets);
    }

    /** Records, and reloads the server's fixtures when a file was written; failures are logged, never the client's problem. */
    private Forwarded record(FixtureRecorder.Exchange exchange) {
        int status = exchange.status();
        try {
            FixtureRecorder.Result result = recorder.record(exchange);
            String how = result.outcome().name().toLowerCase(Locale.ROOT);
            if (result.outcome() == FixtureRecorder.Outcome.KEPT) {
                return new Forwarded(
                        status, result.fixture(), "forwarded; not recorded: the fixture is kept as it was (mode once)");
            }
            LOG.info(
                    "recorded {} {} (status {}) into {} ({})",
                    exchange.method(),
                    exchange.path(),
                    status,
                    result.file(),
                    how);
            recorded.run();
            return new Forwarded(status, result.fixture(), "forwarded and recorded (" + how + ")");
        } catch (SecretFoundException e) {
            LOG.error(
                    "FIXTURE REFUSED, nothing written for {} {} (status {}): it contains {}. Redact it (--redact-paths / --redact-pattern)"
                            + " or keep it out of prompts.",
                    exchange.method(),
                    exchange.path(),
                    status,
                    e.reason());
            return new Forwarded(status, null, "forwarded; not recorded: it contains " + e.reason());
        } catch (RuntimeException e) {
            LOG.warn(
                    "recording failed for {} {}: {}",
                    exchange.method(),
                    exchange.path(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return new Forwarded(
                    status, null, "forwarded; not recorded: " + e.getClass().getSimpleName());
        }
    }

    private Forwarded unreachable(HttpServletResponse res, Exception e) {
        LOG.warn(
                "could not reach the upstream {}: {}",
                settings.upstreamUrl(),
                e.getClass().getSimpleName());
        res.setStatus(502);
        res.setContentType("application/json");
        try {
            res.getOutputStream()
                    .write(("{\"error\":{\"message\":\"The mock server could not reach the upstream it records from ("
                                    + e.getClass().getSimpleName()
                                    + ").\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_unreachable\"}}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the client left
        }
        return new Forwarded(502, null, "upstream unreachable");
    }

    /** Lists nothing secret. */
    @Override
    public String toString() {
        return "RecordingForwarder[" + settings + "]";
    }
}
