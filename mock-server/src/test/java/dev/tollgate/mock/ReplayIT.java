package dev.tollgate.mock;

import static dev.tollgate.mock.TestFixtures.answer;
import static dev.tollgate.mock.TestFixtures.chat;
import static dev.tollgate.mock.TestFixtures.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matching, turns, stream/JSON cross replay and near misses, on fixtures written by the test. */
class ReplayIT {
    @TempDir
    static Path dir;

    static MockServer server;
    static WireClient client;

    @BeforeAll
    static void start() {
        TestFixtures.write(dir, "json-answer", chat("json please"), answer("Hello, world! 🌍"));
        TestFixtures.write(dir, "stream-answer", chat("stream please"), TestFixtures.stream(3, 0));
        TestFixtures.write(dir, "turns", chat("count"), answer("one"), answer("two"));
        TestFixtures.write(dir, "same-request-a", chat("twice"), answer("first file"));
        TestFixtures.write(dir, "same-request-b", chat("twice"), answer("second file"));
        String error =
                "{\"error\":{\"message\":\"Tool choice is required\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\",\"status_code\":400}}";
        TestFixtures.write(
                dir,
                "stream-error",
                chat("fail in band"),
                FixtureResponse.stream(
                        200,
                        Map.of("content-type", "text/event-stream"),
                        List.of(
                                SseEvent.data(
                                        0,
                                        TestFixtures.stream(1, 0)
                                                .events()
                                                .get(0)
                                                .data()),
                                new SseEvent(0, "error", error))));
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
    void jsonAnswerIsReplayedByteForByteWithGroqHeaders() {
        WireClient.Reply reply = client.post("/v1/chat/completions", chatBody("json please", false));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body())
                .isEqualTo(Json.compact(answer("Hello, world! 🌍").body()));
        assertThat(reply.header("content-type")).startsWith("application/json");
        assertThat(reply.header("x-request-id")).isEqualTo("req_01test");
        assertThat(reply.header("x-ratelimit-remaining-requests")).isEqualTo("999");
    }

    @Test
    void groqPrefixServesTheSameAnswers() {
        WireClient.Reply reply = client.post("/openai/v1/chat/completions", chatBody("json please", false));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/choices/0/message/content").asText()).isEqualTo("Hello, world! 🌍");
    }

    @Test
    void jsonFixtureStreamsAsGroqWould() {
        WireClient.StreamReply reply = client.stream(
                "/v1/chat/completions",
                "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"json please\"}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).startsWith("text/event-stream");
        List<SseEvent> events = reply.events();
        assertThat(events.get(events.size() - 1).isDone()).isTrue();
        JsonNode first = Json.parse(events.get(0).data());
        assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(first.at("/x_groq/id").asText()).isEqualTo("req_01test");
        StringBuilder content = new StringBuilder(), reasoning = new StringBuilder();
        for (SseEvent e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(e.data());
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            content.append(chunk.at("/choices/0/delta/content").asText(""));
            reasoning.append(chunk.at("/choices/0/delta/reasoning").asText(""));
        }
        assertThat(content.toString()).isEqualTo("Hello, world! 🌍");
        assertThat(reasoning.toString()).isEqualTo("Think.");
        JsonNode finish = Json.parse(events.get(events.size() - 3).data());
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.at("/x_groq/usage/total_tokens").asInt()).isEqualTo(15);
        JsonNode usageChunk = Json.parse(events.get(events.size() - 2).data());
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(15);
    }

    @Test
    void usageChunkOnlyWhenAskedFor() {
        List<SseEvent> without = client.stream("/v1/chat/completions", chatBody("stream please", true))
                .events();
        assertThat(without).noneMatch(ReplayIT::isUsageOnlyChunk);
        List<SseEvent> with = client.stream(
                        "/v1/chat/completions",
                        "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}")
                .events();
        assertThat(with).hasSize(without.size() + 1);
        assertThat(isUsageOnlyChunk(with.get(with.size() - 2))).isTrue();
        assertThat(Json.parse(with.get(with.size() - 2).data())
                        .at("/usage/completion_tokens")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void streamFixtureAnswersAJsonRequestAssembled() {
        WireClient.Reply reply = client.post("/v1/chat/completions", chatBody("stream please", false));
        assertThat(reply.status()).isEqualTo(200);
        JsonNode answer = reply.json();
        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("w0 w1 w2");
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(reply.header("x-request-id"))
                .isEqualTo("req_02test")
                .isEqualTo(answer.at("/x_groq/id").asText());
    }

    @Test
    void inBandStreamErrorBecomesAnHttpErrorForJsonRequests() {
        WireClient.Reply reply = client.post("/v1/chat/completions", chatBody("fail in band", false));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/error/code").asText()).isEqualTo("tool_use_failed");
        assertThat(reply.json().at("/error/status_code").isMissingNode()).isTrue();
        List<SseEvent> streamed = client.stream("/v1/chat/completions", chatBody("fail in band", true))
                .events();
        assertThat(streamed.get(streamed.size() - 1).isError()).isTrue();
        assertThat(streamed).noneMatch(SseEvent::isDone);
    }

    @Test
    void turnsPlayInOrderThenTheLastRepeats() {
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("count", false))))
                .isEqualTo("one");
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("count", true))))
                .isEqualTo("two");
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("count", false))))
                .isEqualTo("two");
        server.reset();
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("count", false))))
                .isEqualTo("one");
    }

    @Test
    void fixturesForTheSameRequestPlayInFileOrder() {
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("twice", false))))
                .isEqualTo("first file");
        assertThat(contentOf(client.post("/v1/chat/completions", chatBody("twice", false))))
                .isEqualTo("second file");
    }

    @Test
    void volatileFieldsDoNotAffectMatching() {
        WireClient.Reply reply = client.post(
                "/v1/chat/completions",
                "{\"temperature\":0.3,\"seed\":9,\"user\":\"u1\",\"top_p\":0.5,\"n\":1,\"metadata\":{\"a\":\"b\"},\"messages\":[{\"content\":\"json please\",\"role\":\"user\"}],\"model\":\"openai/gpt-oss-120b\"}");
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void nearMissNamesTheNearestFixtureAndTheDifferingFields() {
        WireClient.Reply reply = client.post(
                "/v1/chat/completions",
                "{\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"json pleaze\"}]}");
        assertThat(reply.status()).isEqualTo(404);
        JsonNode error = reply.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("no_fixture_match");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("message").asText())
                .contains("messages.0.content")
                .contains("max_tokens");
        assertThat(error.path("differences").toString()).contains("messages.0.content");
        Journal.Entry last =
                server.journal().entries().get(server.journal().entries().size() - 1);
        assertThat(last.status()).isEqualTo(404);
        assertThat(last.nearest()).isEqualTo(error.path("nearest").asText());
        assertThat(last.differences()).contains("max_tokens");
    }

    @Test
    void badJsonAndUnknownRoutesGetOpenAiShapedErrors() {
        WireClient.Reply bad = client.post("/v1/chat/completions", "{not json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/code").asText()).isEqualTo("invalid_json");
        WireClient.Reply unknown = client.get("/v2/nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").fieldNames()).toIterable().contains("message", "type", "param", "code");
    }

    @Test
    void modelsAreListedAndRetrievedWithSlashesInTheId() {
        JsonNode list = client.get("/v1/models").json();
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").findValuesAsText("id")).contains("openai/gpt-oss-120b");
        JsonNode model = client.get("/openai/v1/models/openai/gpt-oss-120b").json();
        assertThat(model.path("context_window").asInt()).isEqualTo(131072);
        assertThat(model.path("max_completion_tokens").asInt()).isEqualTo(65536);
        WireClient.Reply missing = client.get("/v1/models/no/such-model");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("model_not_found");
    }

    private static boolean isUsageOnlyChunk(SseEvent e) {
        if (e.isDone() || e.isError()) return false;
        JsonNode chunk = Json.parse(e.data());
        return chunk.path("choices").isArray() && chunk.path("choices").isEmpty() && chunk.has("usage");
    }

    private static String contentOf(WireClient.Reply reply) {
        if (reply.header("content-type").startsWith("text/event-stream")) {
            StringBuilder content = new StringBuilder();
            for (SseEvent e : dev.tollgate.fixture.SseFraming.parse(reply.body())) {
                if (!e.isDone())
                    content.append(
                            Json.parse(e.data()).at("/choices/0/delta/content").asText(""));
            }
            return content.toString();
        }
        return reply.json().at("/choices/0/message/content").asText();
    }
}
