package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.audit.RequestRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of requests mutated from valid ones (see {@link FuzzCases}), through the real proxy in front of the mock
 * in synthetic mode. A client's mistake must be a 4xx in OpenAI's error shape, never a 5xx; no request may hang; and
 * the request log must hold one row for each answer that carries a request id — and only those.
 *
 * <p>Any 5xx fails, wherever it came from: the cases never ask the mock for a fault, so a 5xx relayed from
 * upstream would be the mock's mistake about a client's mistake (Groq answers those with a 4xx). The one
 * exception is HTTP's own 505 for a request line in an HTTP version the proxy does not speak (or none: HTTP/0.9).
 *
 * <p>The seed is random and printed; replay a run with {@code -Dfuzz.seed=S}, one case of it with
 * {@code -Dfuzz.only=N}; {@code -Dfuzz.cases=N} sets how many (5,000: about 20 s on two cores).
 */
class FuzzIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The codes of Jetty's refusals of a request line it could not read (see OpenAiErrorPage): an illegal or too long URI. */
    private static final Set<String> UNREADABLE_REQUEST_LINE = Set.of("bad_request", "uri_too_long");

    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> answered = new ConcurrentHashMap<>(); // request id → the status the client saw
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /**
     * The same cases sent to the mock directly (synthetic mode, as a client's offline suite uses it): it stands in
     * for Groq, so a client's mistake is a 4xx in OpenAI's shape there too, never a 5xx, a hang or a crash.
     * {@code -Dfuzz.mock.cases=N} sets how many (3,000 by default).
     */
    @Test
    void theMockAlsoAnswersClientMistakesWith4xxInOpenAiShape() {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        Integer only = Integer.getInteger("fuzz.only");
        int count = Integer.getInteger("fuzz.mock.cases", 3_000);
        System.out.printf("FuzzIT (mock): seed %d (replay: -Dfuzz.seed=%d)%n", seed, seed);
        try (MockServer mock = MockServer.start(MockConfig.defaults()
                .withFixtures(Gateway.fixtures())
                .withPacing(Pacing.INSTANT)
                .withMode(MockConfig.Mode.SYNTHETIC))) {
            FuzzCases cases = new FuzzCases(seed, "gsk_fuzz_client_key_000000000000", Gateway.ADMIN_TOKEN, "key_none");
            try (ExecutorService workers = Executors.newFixedThreadPool(4)) {
                (only != null ? IntStream.of(only) : IntStream.range(0, count))
                        .forEach(i -> workers.submit(() -> run(cases.make(i), mock.port(), false)));
            }
        }
        assertThat(failures)
                .as("FuzzIT (mock) seed %d: replay with -Dfuzz.seed=%d, one case with -Dfuzz.only=N", seed, seed)
                .isEmpty();
    }

    @Test
    void clientMistakesAre4xxInOpenAiShapeAndEveryLoggedAnswerHasItsRow() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        Integer only = Integer.getInteger("fuzz.only");
        int count = Integer.getInteger("fuzz.cases", 5_000);
        System.out.printf("FuzzIT: seed %d (replay: -Dfuzz.seed=%d)%n", seed, seed);
        String dbUrl;
        try (Gateway gateway = Gateway.start(
                MockConfig.defaults()
                        .withFixtures(Gateway.fixtures())
                        .withPacing(Pacing.INSTANT)
                        .withMode(MockConfig.Mode.SYNTHETIC),
                Map.of("TOLLGATE_MAX_BODY_BYTES", "65536"))) {
            dbUrl = gateway.dbUrl;
            String victim = gateway.proxy
                    .keys()
                    .create("victim", List.of(), null, null)
                    .key()
                    .id();
            FuzzCases cases = new FuzzCases(seed, gateway.clientSecret, Gateway.ADMIN_TOKEN, victim);
            try (ExecutorService workers = Executors.newFixedThreadPool(4)) {
                (only != null ? IntStream.of(only) : IntStream.range(0, count))
                        .forEach(i -> workers.submit(() -> run(cases.make(i), gateway.proxy.port(), true)));
            }
        } // stopped: every row is written
        if (only == null) checkLog(Gateway.logRows(dbUrl));
        assertThat(failures)
                .as("FuzzIT seed %d: replay with -Dfuzz.seed=%d, one case with -Dfuzz.only=N", seed, seed)
                .isEmpty();
    }

    /** Sends one case; {@code logged}: the server is the proxy, whose every answered API request carries a logged request id. */
    private void run(FuzzCase fuzz, int port, boolean logged) {
        try {
            List<RawHttp.Answer> answers = fuzz.overSocket() ? overSocket(fuzz, port) : List.of(overHttp(fuzz, port));
            if (answers.isEmpty()) fail(fuzz, "no answer: the server closed the connection");
            for (RawHttp.Answer answer : answers) check(fuzz, answer, logged);
        } catch (IOException | RuntimeException e) {
            fail(fuzz, "no answer (timeout: " + TIMEOUT.toSeconds() + " s): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RawHttp.Answer overHttp(FuzzCase fuzz, int port) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + fuzz.path()))
                .timeout(TIMEOUT)
                .method(
                        fuzz.method(),
                        fuzz.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(fuzz.body()));
        fuzz.headers().forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new TreeMap<>();
        response.headers()
                .map()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        return new RawHttp.Answer(response.statusCode(), headers, response.body());
    }

    /** Sends the bytes, ends the output, and reads every answer until the proxy closes the connection. */
    private static List<RawHttp.Answer> overSocket(FuzzCase fuzz, int port) throws IOException {
        List<RawHttp.Answer> answers = new ArrayList<>();
        try (RawHttp connection = new RawHttp(port, TIMEOUT)) {
            try {
                connection.send(fuzz.raw());
                connection.endOutput();
            } catch (java.net.SocketException refusedMidway) {
                // the proxy refused the framing and closed before taking it all: its answer is still there to read
            }
            for (RawHttp.Answer answer = connection.read(fuzz.head());
                    answer != null;
                    answer = connection.read(fuzz.head())) {
                answers.add(answer);
                if ("close".equalsIgnoreCase(answer.header("connection")))
                    break; // what follows is not for a client to read
            }
        }
        return answers;
    }

    private void check(FuzzCase fuzz, RawHttp.Answer answer, boolean logged) {
        String id = answer.header("x-tollgate-request-id");
        if (id != null && answered.put(id, answer.status()) != null) fail(fuzz, "request id " + id + " on two answers");
        if (answer.status() >= 500
                && !(answer.status() == 505 && fuzz.overSocket())) { // only raw bytes can name a bad HTTP version
            fail(fuzz, "a " + answer.status() + " for a client's request: " + answer.text());
        }
        JsonNode error = answer.status() < 400 || fuzz.head() ? null : error(fuzz, answer, logged);
        // Every answered API request is logged, but for one whose request line Jetty could not read: it has no path.
        boolean pathless = error != null
                && UNREADABLE_REQUEST_LINE.contains(error.path("code").asText());
        if (logged && id == null && fuzz.api() && !fuzz.overSocket() && !pathless)
            fail(fuzz, answer.status() + " without a request id: " + answer.text());
    }

    /**
     * The answer's {@code error} object, if it is in OpenAI's shape; else null, and a failure. The proxy always
     * writes {@code param} and {@code code}; the mock leaves them out where Groq does (its recorded 400s and 404s do).
     */
    private JsonNode error(FuzzCase fuzz, RawHttp.Answer answer, boolean everyField) {
        String type = answer.header("content-type");
        if (type == null || !type.startsWith("application/json")) {
            fail(fuzz, answer.status() + " as " + type + ", not JSON: " + answer.text());
            return null;
        }
        JsonNode error;
        try {
            error = Json.parse(answer.body()).path("error");
        } catch (IllegalArgumentException e) {
            fail(fuzz, answer.status() + " with a body that is not JSON: " + answer.text());
            return null;
        }
        boolean shaped = error.isObject()
                && error.path("message").isTextual()
                && !error.path("message").asText().isBlank()
                && error.path("type").isTextual()
                && (!everyField || error.has("param") && error.has("code"))
                && (error.path("param").isMissingNode()
                        || error.path("param").isTextual()
                        || error.path("param").isNull())
                && (error.path("code").isMissingNode()
                        || error.path("code").isTextual()
                        || error.path("code").isNull());
        if (shaped) return error;
        fail(fuzz, answer.status() + " not in OpenAI's error shape: " + answer.text());
        return null;
    }

    /** One row per answer with a request id, with the status that answer had; no row for anything else. */
    private void checkLog(List<RequestRecord> rows) {
        Map<String, Integer> logged =
                rows.stream().collect(Collectors.toMap(RequestRecord::requestId, RequestRecord::status));
        answered.forEach((id, status) -> {
            if (!logged.containsKey(id)) failures.add("answer " + id + " (" + status + ") has no request-log row");
            else if (!logged.get(id).equals(status))
                failures.add("answer " + id + " was a " + status + ", its row says " + logged.get(id));
        });
        logged.keySet().stream()
                .filter(id -> !answered.containsKey(id))
                .forEach(id -> failures.add("row " + id + " for no answer the client saw"));
        System.out.printf("FuzzIT: %d answers with a request id, %d request-log rows%n", answered.size(), rows.size());
    }

    private void fail(FuzzCase fuzz, String problem) {
        failures.add(problem + "\n  " + fuzz.describe());
    }
}
