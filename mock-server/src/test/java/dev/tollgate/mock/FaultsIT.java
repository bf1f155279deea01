package dev.tollgate.mock;

import static dev.tollgate.mock.TestFixtures.answer;
import static dev.tollgate.mock.TestFixtures.chat;
import static dev.tollgate.mock.TestFixtures.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each fault, injected by request header, by the admin API, and by a fixture. */
class FaultsIT {
    @TempDir
    static Path dir;

    static MockServer server;
    static WireClient client;

    @BeforeAll
    static void start() {
        TestFixtures.write(dir, "ok", chat("hello"), answer("Hi there, friend."));
        TestFixtures.write(dir, "long-stream", chat("long"), TestFixtures.stream(10, 0));
        FixtureFiles.write(
                dir.resolve("flaky.json"),
                new Fixture(
                        "flaky",
                        chat("flaky"),
                        null,
                        List.of(answer("never seen")),
                        new Fault(503, 0, 0, false),
                        null));
        server = MockServer.start(MockConfig.defaults().withFixtures(dir).withPacing(Pacing.INSTANT));
        client = new WireClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void rateLimitLooksLikeGroqs() {
        WireClient.Reply reply =
                client.post("/v1/chat/completions", chatBody("hello", false), "x-mock-fault", "status=429");
        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("retry-after")).isEqualTo("2");
        assertThat(reply.header("x-ratelimit-limit-requests")).isNotNull();
        assertThat(reply.header("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(reply.header("x-ratelimit-reset-tokens")).matches("[0-9.]+(ms|s)");
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(reply.json().at("/error/type").asText()).isEqualTo("requests");
        assertThat(reply.json().at("/error/message").asText()).contains("openai/gpt-oss-120b");
        assertThat(reply.header("x-request-id")).startsWith("req_");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 498, 401})
    void statusFaultsAnswerWithGroqErrorBodies(int status) {
        WireClient.Reply reply =
                client.post("/v1/chat/completions", chatBody("long", true), "x-mock-fault", "status=" + status);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.header("content-type")).startsWith("application/json");
        assertThat(reply.json().at("/error/message").asText()).isNotBlank();
        assertThat(reply.json().at("/error/type").asText()).isNotBlank();
    }

    @Test
    void delayHoldsTheFirstByte() {
        long start = System.nanoTime();
        WireClient.Reply reply =
                client.post("/v1/chat/completions", chatBody("hello", false), "x-mock-fault", "delay=400");
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        assertThat(reply.status()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
    }

    @Test
    void cutDropsTheConnectionAfterNEvents() {
        String wire = WireClient.rawExchange(
                server.port(), "/v1/chat/completions", chatBody("long", true), "x-mock-fault", "cut=3");
        assertThat(wire).startsWith("HTTP/1.1 200");
        assertThat(wire.split("data: ", -1)).hasSize(4);
        assertThat(wire).doesNotContain("[DONE]");
        assertThat(wire)
                .as("no terminating chunk: the connection was dropped mid-body")
                .doesNotEndWith("\r\n0\r\n\r\n");
        assertThat(TestFixtures.finished(server, 0, "cut").outcome()).isEqualTo("cut after 3 events (fault)");
    }

    @Test
    void cutTruncatesAJsonAnswer() {
        String wire = WireClient.rawExchange(
                server.port(), "/v1/chat/completions", chatBody("hello", false), "x-mock-fault", "cut=1");
        assertThat(wire)
                .startsWith("HTTP/1.1 200")
                .contains("{\"id\":\"chatcmpl-1\"")
                .doesNotContain("\"service_tier\":\"on_demand\"}");
    }

    @Test
    void malformedEventIsNotJson() {
        List<SseEvent> events = client.stream(
                        "/v1/chat/completions", chatBody("long", true), "x-mock-fault", "malformed")
                .events();
        assertThat(events)
                .anySatisfy(e -> assertThat(isJson(e.data()) || e.isDone()).isFalse());
        assertThat(events.get(events.size() - 1).isDone()).isTrue();
    }

    @Test
    void adminArmedFaultAppliesToTheNextRequestsOnly() {
        WireClient.Reply armed = client.post("/__admin/faults", "{\"fault\":\"status=503\",\"times\":2}");
        assertThat(armed.status()).isEqualTo(201);
        assertThat(client.get("/__admin/faults").json().path("remaining").asInt())
                .isEqualTo(2);
        assertThat(client.post("/v1/chat/completions", chatBody("hello", false)).status())
                .isEqualTo(503);
        assertThat(client.post("/v1/chat/completions", chatBody("hello", false)).status())
                .isEqualTo(503);
        assertThat(client.post("/v1/chat/completions", chatBody("hello", false)).status())
                .isEqualTo(200);
    }

    @Test
    void adminRejectsABadFault() {
        WireClient.Reply reply = client.post("/__admin/faults", "{\"fault\":\"explode\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("invalid_fault");
    }

    @Test
    void fixtureFaultAppliesEveryTimeAndTheJournalSaysSo() {
        assertThat(client.post("/v1/chat/completions", chatBody("flaky", false)).status())
                .isEqualTo(503);
        Journal.Entry entry = server.journal().entries().get(0);
        assertThat(entry.fixture()).isEqualTo("flaky");
        assertThat(entry.fault()).isEqualTo("status=503");
    }

    @Test
    void badFaultHeaderIsRefused() {
        WireClient.Reply reply =
                client.post("/v1/chat/completions", chatBody("hello", false), "x-mock-fault", "status=abc");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/message").asText()).contains("x-mock-fault");
    }

    private static boolean isJson(String s) {
        try {
            Json.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
