package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.Secret;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.record.UpstreamRecorder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends requests to Groq over one pooled keep-alive client. Before anything reaches the client:
 * a 401 or 429 moves on to the account's next key, and connection failures and 5xx answers are
 * retried with backoff. The caller owns the returned response (and closes it).
 */
public final class Upstream implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    /**
     * An open upstream answer, the call it belongs to (to cancel it when the client leaves), and its
     * deadline watch; {@link #close()} ends both.
     */
    public final class Exchange implements AutoCloseable {
        private final Call call;
        private final Response response;
        private final CallDeadlines.Watch watch;

        Exchange(Call call, Response response, CallDeadlines.Watch watch) {
            this.call = call;
            this.response = response;
            this.watch = watch;
        }

        public Call call() {
            return call;
        }

        public Response response() {
            return response;
        }

        /** A stream event arrived: the next one has the idle timeout to come. */
        public void progressed() {
            watch.extend(config.streamIdleTimeout());
        }

        /** Whether the answer stopped because Groq fell silent for too long. */
        public boolean timedOut() {
            return watch.expired();
        }

        @Override
        public void close() {
            deadlines.done(watch);
            response.close();
        }
    }

    private final ProxyConfig.Upstream config;
    private final OkHttpClient http;
    private final UpstreamKeys keys;
    private final UpstreamAccounts accounts;
    private final UpstreamHealth health;
    private final UpstreamRecorder recorder;
    private final SecretMask mask;
    private final CallDeadlines deadlines = new CallDeadlines();
    private final ConcurrentHashMap<String, HttpUrl> urls = new ConcurrentHashMap<>();

    public Upstream(ProxyConfig.Upstream config) {
        this(
                config,
                UpstreamRecorder.OFF,
                new SecretMask(config.keys().stream().map(Secret::value).toList()));
    }

    /**
     * With {@code recorder} capturing every answer that is relayed (record mode; it is closed with this),
     * and {@code mask} blanking the proxy's secrets out of what Groq sends back before anyone sees it.
     */
    public Upstream(ProxyConfig.Upstream config, UpstreamRecorder recorder, SecretMask mask) {
        this.config = config;
        this.recorder = recorder;
        this.mask = mask;
        this.keys = new UpstreamKeys(config.keys());
        this.accounts = new UpstreamAccounts(keys.size(), config.accountLimits());
        this.health = new UpstreamHealth(keys.size());
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Integer.MAX_VALUE); // calls run on the caller's virtual thread, never queued
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                .connectTimeout(config.connectTimeout())
                .readTimeout(Duration.ZERO) // first byte and stream idle time are watched by CallDeadlines
                .writeTimeout(Duration.ZERO)
                .retryOnConnectionFailure(true)
                .followRedirects(false)
                .build();
    }

    /**
     * POSTs {@code body} to {@code path} (e.g. {@code /chat/completions}); {@code tokens} is the
     * request's token estimate, for the account limits. An {@link ApiError} 502/504 when Groq cannot
     * be reached, 429 when every account key is at its limit.
     */
    public Exchange post(String path, byte[] body, boolean stream, long tokens) {
        return post(path, body, stream, tokens, null);
    }

    /** The same, with {@code client} cancelling the call when the client leaves first ({@link ClientLeft}). */
    public Exchange post(String path, byte[] body, boolean stream, long tokens, ClientWatch client) {
        int keyIndex = admittedKey(keys.start(), tokens);
        int keysTried = 1;
        int retries = 0;
        while (true) {
            Request request = new Request.Builder()
                    .url(urls.computeIfAbsent(path, p -> HttpUrl.get(config.baseUrl() + p))) // parsed once per path
                    .header("Authorization", "Bearer " + keys.get(keyIndex).value())
                    .header("Accept", stream ? "text/event-stream" : "application/json")
                    .post(RequestBody.create(body, JSON))
                    .build();
            Call call = http.newCall(request);
            CallDeadlines.Watch watch = deadlines.watch(call, config.firstByteTimeout());
            if (client != null) client.attach(call);
            Response response;
            try {
                response = call.execute();
                if (!stream) {
                    response = readWhole(response);
                    deadlines.done(watch);
                }
            } catch (IOException e) {
                deadlines.done(watch);
                if (client != null && client.clientLeft()) throw new ClientLeft();
                health.unreachable(Math.floorMod(keyIndex, keys.size()));
                if (retries++ < config.retries()) {
                    backoff(retries);
                    continue;
                }
                boolean timeout = watch.expired() || e instanceof InterruptedIOException;
                throw new ApiError(
                        timeout ? 504 : 502,
                        timeout
                                ? "Groq did not answer in time."
                                : "Could not reach Groq: " + e.getClass().getSimpleName() + ".",
                        "upstream_error",
                        null,
                        timeout ? "upstream_timeout" : "upstream_unreachable");
            }
            accounts.observe(Math.floorMod(keyIndex, keys.size()), response.headers());
            int status = response.code();
            health.answered(Math.floorMod(keyIndex, keys.size()), status);
            if ((status == 401 || status == 429) && keysTried < keys.size()) {
                deadlines.done(watch);
                response.close();
                keyIndex = admittedKey(keyIndex + 1, tokens);
                keysTried++;
                continue;
            }
            if (status >= 500 && retries < config.retries()) {
                deadlines.done(watch);
                response.close();
                backoff(++retries);
                continue;
            }
            watch.extend(config.streamIdleTimeout());
            response = masked(response, stream);
            return new Exchange(
                    call,
                    recorder.tee(path, body, response),
                    watch); // only the answer relayed is recorded, not one retried past
        }
    }

    /** The client closed its connection while Groq was still working; the call was cancelled. */
    public static final class ClientLeft extends RuntimeException {
        ClientLeft() {
            super(null, null, false, false);
        }
    }

    /** The first key from {@code from} on whose account may take the request now (after a short wait at most). */
    private int admittedKey(int from, long tokens) {
        for (int i = 0; i < keys.size(); i++) {
            if (accounts.acquire(Math.floorMod(from + i, keys.size()), tokens)) return from + i;
        }
        throw new ApiError(
                429,
                "The Groq account behind this proxy is at its own rate limit; try again shortly.",
                "requests",
                null,
                "rate_limit_exceeded",
                Map.of("retry-after", "1", "x-tollgate-limit", "upstream-account"));
    }

    /**
     * {@code response} with the proxy's secrets (and, in headers and error bodies, anything key-shaped)
     * masked: an upstream that echoes a key in an error or a header ({@code x-request-id}) must not hand
     * it to the client, the log, the request log or a fixture. A stream's events are masked as they are relayed.
     */
    private Response masked(Response response, boolean stream) {
        Headers.Builder headers = null;
        for (int i = 0; i < response.headers().size(); i++) {
            String value = response.headers().value(i);
            String clean = mask.secretsAndKeys(value);
            if (clean.equals(value)) continue;
            if (headers == null) headers = response.headers().newBuilder();
            headers.set(response.headers().name(i), clean);
        }
        Response.Builder masked = headers == null ? null : response.newBuilder().headers(headers.build());
        if (!stream && response.body() != null) { // read whole already (readWhole): this reads memory
            String text;
            try {
                text = response.body().string();
            } catch (IOException e) {
                throw new ApiError(
                        502, "Groq's answer could not be read.", "upstream_error", null, "upstream_unreadable");
            }
            String clean = response.code() >= 400 ? mask.secretsAndKeys(text) : mask.secrets(text);
            masked = (masked == null ? response.newBuilder() : masked)
                    .body(ResponseBody.create(clean, response.body().contentType()));
        }
        return masked == null ? response : masked.build();
    }

    /** A JSON answer is read to the end before anything is sent on, so a body cut short can still be retried. */
    private static Response readWhole(Response response) throws IOException {
        try (Response original = response) {
            return original.newBuilder().body(original.peekBody(Long.MAX_VALUE)).build();
        }
    }

    private void backoff(int attempt) {
        try {
            Thread.sleep(config.retryBackoff().toMillis() * (1L << Math.min(attempt - 1, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "The request was interrupted.", "server_error", null, "interrupted");
        }
    }

    /** Per-key answer counts, for the metrics. */
    public UpstreamHealth health() {
        return health;
    }

    @Override
    public void close() {
        deadlines.close();
        http.dispatcher().cancelAll(); // calls still running after the server's grace period end now, and get logged
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        recorder.close();
    }
}
