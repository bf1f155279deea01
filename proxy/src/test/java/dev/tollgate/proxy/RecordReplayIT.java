package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.mock.Journal;
import dev.tollgate.mock.replay.Pacing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Record through the proxy (a mock server standing in for Groq), then replay the recorded folder
 * through a fresh mock server, behind a fresh proxy and directly: the same answers, the same event
 * sequences, the recorded timing; and nothing secret in any file written.
 */
class RecordReplayIT {
    /** A request the test makes, on the proxy's routes. */
    record Call(String name, String path, String body) {}

    /** What a client saw: status, the headers that carry Groq's state, and the JSON body or the events as they arrived. */
    record Seen(int status, Map<String, String> headers, JsonNode json, List<SseEvent> events, List<Double> arrivalMs) {
        double spreadMs() {
            return arrivalMs.get(arrivalMs.size() - 1) - arrivalMs.get(0);
        }
    }

    private static final long TIMED_GAP_MS = 60;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path upstreamDir;

    @TempDir
    static Path recorded;

    static final List<Call> CALLS = new ArrayList<>();
    static final Map<String, Seen> live = new LinkedHashMap<>();
    static final Map<String, Seen> replayed = new LinkedHashMap<>();
    static final List<Seen[]> direct = new ArrayList<>();
    static final List<String> clientSecrets = new ArrayList<>();
    static final List<Path> dataDirs = new ArrayList<>();
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static List<Fixture> fixtures;

    @BeforeAll
    static void recordThenReplay() throws IOException {
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        for (String name : List.of(
                "chat/basic-reasoning",
                "tools/tool-call",
                "tools/streaming-tool-call",
                "errors/stream-error",
                "errors/rate-limited-429",
                "responses/streaming")) {
            Path target = upstreamDir.resolve(name + ".json");
            Files.createDirectories(target.getParent());
            Files.copy(Gateway.fixtures().resolve(name + ".json"), target);
        }
        FixtureFiles.write(upstreamDir.resolve("chat/timed.json"), timedStream());

        Gateway groq =
                Gateway.start(upstreamDir, new Pacing.Recorded(1), Map.of("TOLLGATE_RECORD_DIR", recorded.toString()));
        boolean proxyOpen = true;
        try {
            dataDirs.add(groq.dataDir);
            clientSecrets.add(groq.clientSecret);
            for (String name : List.of(
                    "chat/basic-reasoning",
                    "tools/tool-call",
                    "tools/streaming-tool-call",
                    "errors/stream-error",
                    "errors/rate-limited-429")) {
                CALLS.add(new Call(name, "/v1/chat/completions", requestBody(name)));
            }
            CALLS.add(new Call(
                    "chat/basic-reasoning (second turn)", "/v1/chat/completions", requestBody("chat/basic-reasoning")));
            CALLS.add(new Call("chat/timed", "/v1/chat/completions", requestBody(upstreamDir, "chat/timed")));
            CALLS.add(new Call("responses/streaming", "/v1/responses", requestBody("responses/streaming")));
            for (Call call : CALLS)
                live.put(call.name(), call(groq.baseUrl() + call.path(), groq.clientSecret, call.body()));
            // A prompt holding the client's own key: answered, never recorded.
            call(
                    groq.baseUrl() + "/v1/chat/completions",
                    groq.clientSecret,
                    "{\"model\":\"gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"my key is "
                            + groq.clientSecret + "\"}]}");

            groq.proxy.close(); // a graceful stop writes every recording still queued
            proxyOpen = false;
            fixtures = FixtureFiles.readAll(recorded);
            List<Journal.Entry> sent = groq.mock.journal().entries();

            try (Gateway replay = Gateway.start(recorded, new Pacing.Recorded(1), Map.of())) {
                dataDirs.add(replay.dataDir);
                clientSecrets.add(replay.clientSecret);
                for (Call call : CALLS)
                    replayed.put(call.name(), call(replay.baseUrl() + call.path(), replay.clientSecret, call.body()));
                // The mock alone: what the proxy sent Groq, to the original and to the replay.
                groq.mock.reset();
                replay.mock.reset();
                for (Journal.Entry e : sent) {
                    if (e.status() == 404) continue; // the refused recording: no fixture, nothing to compare
                    String body = Json.compact(e.body());
                    direct.add(new Seen[] {
                        call(groq.mock.baseUrl() + e.path(), null, body),
                        call(replay.mock.baseUrl() + e.path(), null, body)
                    });
                }
            }
        } finally {
            if (proxyOpen) groq.proxy.close();
            groq.mock.close();
        }
    }

    @AfterAll
    static void detachLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void everyExchangeWasRecordedUnderAReadableNameAndARepeatedRequestAsASecondTurn() {
        assertThat(fixtures)
                .extracting(Fixture::name)
                .hasSize(7)
                .allMatch(n -> n.matches("(chat|responses)/[a-z0-9-]+-[0-9a-f]{8}"))
                .anyMatch(n -> n.startsWith("chat/hello-world-"))
                .anyMatch(n -> n.startsWith("responses/say-hi-"));
        Fixture hello = fixture("chat/hello-world-");
        assertThat(hello.responses()).hasSize(2);
        assertThat(hello.request().body().path("model").asText())
                .as("the body as sent upstream")
                .isEqualTo("openai/gpt-oss-120b");
        assertThat(hello.recorded().source()).isEqualTo("recorded by the Tollgate proxy");
    }

    @Test
    void jsonAnswersAndToolCallsReplayTheSame() {
        for (String name : List.of("chat/basic-reasoning", "chat/basic-reasoning (second turn)", "tools/tool-call")) {
            Seen before = live.get(name), after = replayed.get(name);
            assertThat(before.status()).as(name).isEqualTo(200);
            assertThat(after.status()).as(name).isEqualTo(200);
            assertThat(after.json()).as(name).isEqualTo(before.json());
            assertThat(after.headers()).as(name).isEqualTo(before.headers());
        }
        assertThat(live.get("tools/tool-call")
                        .json()
                        .at("/choices/0/message/tool_calls/0/function/name")
                        .asText())
                .isEqualTo("get_weather");
    }

    @Test
    void streamsReplayTheSameEventSequenceDataForData() {
        for (String name :
                List.of("tools/streaming-tool-call", "chat/timed", "responses/streaming", "errors/stream-error")) {
            Seen before = live.get(name), after = replayed.get(name);
            assertThat(before.events()).as(name).hasSizeGreaterThan(2);
            assertThat(after.events()).as(name).containsExactlyElementsOf(before.events());
            assertThat(after.headers()).as(name).isEqualTo(before.headers());
        }
        assertThat(live.get("tools/streaming-tool-call").events())
                .anyMatch(e -> e.data().contains("\"tool_calls\""));
    }

    @Test
    void errorsReplayTheSameInBandAndWithGroqsHeaders() {
        List<SseEvent> inBand = replayed.get("errors/stream-error").events();
        assertThat(inBand.get(inBand.size() - 1).isError()).isTrue();
        assertThat(inBand).noneMatch(SseEvent::isDone);

        Seen before = live.get("errors/rate-limited-429"), after = replayed.get("errors/rate-limited-429");
        assertThat(after.status()).isEqualTo(429);
        assertThat(after.json()).isEqualTo(before.json());
        assertThat(after.headers())
                .containsEntry("retry-after", "32")
                .containsEntry("x-groq-ratelimit-remaining-tokens", "689")
                .containsEntry("x-request-id", "req_01kaxb3y7ffz9tz0v6h2mq4n8e")
                .isEqualTo(before.headers());
        Fixture recorded429 = fixture("chat/trigger-a-429-rate-limit-");
        assertThat(recorded429.responses().get(0).headers())
                .containsEntry("x-ratelimit-reset-tokens", "31.0125s")
                .doesNotContainKey("date");
    }

    @Test
    void theMockAloneAnswersWhatTheProxySentExactlyAsTheUpstreamDid() {
        assertThat(direct).hasSize(8);
        for (Seen[] pair : direct) {
            assertThat(pair[1].status()).isEqualTo(pair[0].status());
            assertThat(pair[1].json()).isEqualTo(pair[0].json());
            assertThat(pair[1].events()).isEqualTo(pair[0].events());
        }
    }

    @Test
    void recordedOffsetsFollowTheUpstreamsPacingAndReplayWithIt() {
        List<SseEvent> events = fixture("chat/timed-").responses().get(0).events();
        for (int i = 1; i < events.size(); i++)
            assertThat(events.get(i).at())
                    .isGreaterThanOrEqualTo(events.get(i - 1).at());
        long span = events.get(events.size() - 1).at() - events.get(0).at();
        // Paced 60 ms apart upstream, 360 ms in all: generous bounds, the shape not the precision.
        assertThat(span).isBetween(180L, 10_000L);
        assertThat(live.get("chat/timed").spreadMs()).isBetween(180.0, 10_000.0);
        assertThat(replayed.get("chat/timed").spreadMs())
                .as("replayed with the recorded offsets")
                .isBetween(180.0, 10_000.0);
    }

    @Test
    void aRecordingHoldingAKeyIsRefusedLoudly() {
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage())
                    .contains("FIXTURE REFUSED")
                    .contains("POST /v1/chat/completions")
                    .contains("sk-tg-…");
        });
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("fixture recorder: 8 written")
                        .contains("1 refused"));
    }

    @Test
    void noFileWrittenDuringTheRunHoldsTheUpstreamKeyOrAClientKey() throws IOException {
        List<String> secrets = new ArrayList<>(clientSecrets);
        secrets.add(Gateway.UPSTREAM_KEY_1);
        secrets.add(Gateway.ADMIN_TOKEN);
        List<Path> dirs = new ArrayList<>(List.of(recorded, upstreamDir));
        dirs.addAll(dataDirs);
        List<Path> written = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
        }
        assertThat(written).as("the recordings and both databases at least").hasSizeGreaterThanOrEqualTo(9);
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String secret : secrets) assertThat(text).as(file.toString()).doesNotContain(secret);
        }
        for (ILoggingEvent e : logs.list)
            for (String secret : secrets) assertThat(e.getFormattedMessage()).doesNotContain(secret);
    }

    private static Fixture fixture(String prefix) {
        return fixtures.stream()
                .filter(f -> f.name().startsWith(prefix))
                .findFirst()
                .orElseThrow();
    }

    private static String requestBody(String name) {
        return requestBody(Gateway.fixtures(), name);
    }

    private static String requestBody(Path dir, String name) {
        return Json.compact(
                FixtureFiles.read(dir.resolve(name + ".json"), name).request().body());
    }

    /** A streamed answer of five content chunks paced {@link #TIMED_GAP_MS} apart. */
    private static Fixture timedStream() {
        String head =
                "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-oss-120b\",";
        List<SseEvent> events = new ArrayList<>();
        events.add(
                SseEvent.data(
                        0,
                        head
                                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"x_groq\":{\"id\":\"req_01timed\"}}"));
        for (int i = 1; i <= 5; i++) {
            events.add(SseEvent.data(
                    i * TIMED_GAP_MS,
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i
                            + " \"},\"logprobs\":null,\"finish_reason\":null}]}"));
        }
        String usage = "{\"prompt_tokens\":7,\"completion_tokens\":5,\"total_tokens\":12}";
        events.add(SseEvent.data(
                6 * TIMED_GAP_MS,
                head
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_01timed\",\"usage\":"
                        + usage + "}}"));
        events.add(SseEvent.data(6 * TIMED_GAP_MS, head + "\"choices\":[],\"usage\":" + usage + "}"));
        events.add(SseEvent.data(6 * TIMED_GAP_MS, "[DONE]"));
        FixtureRequest request = new FixtureRequest(
                "POST",
                "/v1/chat/completions",
                Json.parse(
                        "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Timed, please.\"}]}"));
        return new Fixture(
                "chat/timed",
                request,
                FixtureResponse.stream(
                        200, Map.of("content-type", "text/event-stream", "x-request-id", "req_01timed"), events),
                null);
    }

    /** Posts and reads the answer line by line as it arrives. */
    static Seen call(String url, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) b.header("authorization", "Bearer " + bearer);
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> res;
        try {
            res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder text = new StringBuilder();
        List<Double> arrivals = new ArrayList<>();
        try (Stream<String> lines = res.body()) {
            lines.forEach(line -> {
                text.append(line).append('\n');
                if (line.isEmpty()) arrivals.add((System.nanoTime() - sent) / 1e6);
            });
        }
        Map<String, String> headers = new TreeMap<>();
        res.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (n.equals("x-request-id")
                    || n.equals("retry-after")
                    || n.startsWith("x-groq-")
                    || n.startsWith("x-ratelimit-")
                    || n.equals("x-tollgate-limit")
                    || n.equals("content-type")) headers.put(n, String.join(",", values));
        });
        boolean stream = res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
        return stream
                ? new Seen(res.statusCode(), headers, null, SseFraming.parse(text.toString()), arrivals)
                : new Seen(res.statusCode(), headers, Json.parse(text.toString()), null, arrivals);
    }
}
