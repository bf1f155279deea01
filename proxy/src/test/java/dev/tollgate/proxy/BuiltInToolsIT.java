package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.proxy.config.ProxyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groq's built-in tools through the proxy: the executed_tools Groq reports reach the client untouched, and the log row counts them. */
class BuiltInToolsIT {
    @TempDir
    Path dir;

    static String ask(String tool, boolean stream) {
        return "{\"model\":\"openai/gpt-oss-120b\",\"stream\":" + stream
                + ",\"tool_choice\":\"required\",\"tools\":[{\"type\":\"" + tool
                + "\"}],\"messages\":[{\"role\":\"user\",\"content\":\"What happened in AI last week?\"}]}";
    }

    static List<JsonNode> executedToolDeltas(String sse) {
        return SseFraming.parse(sse).stream()
                .filter(e -> !e.isDone())
                .map(SseEvent::data)
                .map(Json::parse)
                .map(chunk -> chunk.path("choices").path(0).path("delta").path("executed_tools"))
                .filter(JsonNode::isArray)
                .toList();
    }

    @Test
    void executedToolsAreRelayedUntouchedAndCountedInTheLog() throws Exception {
        try (MockServer mock = MockServer.start(MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC));
                Proxy proxy = Proxy.start(
                        ProxyConfig.fromEnv(Map.of(
                                "TOLLGATE_PORT",
                                "0",
                                "TOLLGATE_UPSTREAM_URL",
                                mock.openAiBaseUrl(),
                                "GROQ_API_KEY",
                                Gateway.UPSTREAM_KEY_1,
                                "TOLLGATE_DB_URL",
                                "jdbc:h2:file:" + dir.resolve("tollgate"),
                                "TOLLGATE_ADMIN_TOKEN",
                                Gateway.ADMIN_TOKEN,
                                "TOLLGATE_LOG_FLUSH_MS",
                                "20")),
                        Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + proxy.port();
            String key = BodyLoggingIT.newKey(base, "{\"name\":\"tools\"}")
                    .get("key")
                    .asText();

            Http.Answer direct =
                    Http.post(mock.openAiBaseUrl() + "/chat/completions", "gsk_unused", ask("browser_search", false));
            Http.Answer relayed = Http.post(base + "/v1/chat/completions", key, ask("browser_search", false));
            assertThat(relayed.status()).isEqualTo(200);
            JsonNode message = relayed.json().path("choices").path(0).path("message");
            assertThat(message.path("executed_tools"))
                    .hasSize(1)
                    .isEqualTo(direct.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("executed_tools"));
            assertThat(message.path("executed_tools")
                            .path(0)
                            .path("search_results")
                            .path("results"))
                    .isNotEmpty();
            assertThat(message.path("reasoning").asText()).contains("browser");
            assertThat(BodyLoggingIT.row(base, relayed.header("x-tollgate-request-id"))
                            .path("executed_tools")
                            .asInt())
                    .isEqualTo(1);

            String directStream = Http.post(
                            mock.openAiBaseUrl() + "/chat/completions", "gsk_unused", ask("code_interpreter", true))
                    .body();
            Http.Answer streamed = Http.post(base + "/v1/chat/completions", key, ask("code_interpreter", true));
            List<JsonNode> deltas = executedToolDeltas(streamed.body());
            assertThat(deltas)
                    .as("announced, then with its output")
                    .hasSize(2)
                    .isEqualTo(executedToolDeltas(directStream));
            assertThat(deltas.get(1)
                            .path(0)
                            .path("code_results")
                            .path(0)
                            .path("text")
                            .asText())
                    .isNotEmpty();
            assertThat(BodyLoggingIT.row(base, streamed.header("x-tollgate-request-id"))
                            .path("executed_tools")
                            .asInt())
                    .as("one tool, though two deltas name it")
                    .isEqualTo(1);

            Http.Answer plain = Http.post(
                    base + "/v1/chat/completions",
                    key,
                    "{\"model\":\"gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(BodyLoggingIT.row(base, plain.header("x-tollgate-request-id"))
                            .path("executed_tools")
                            .asInt())
                    .isZero();

            String csv = Http.call(
                            "GET", base + "/admin/requests?format=csv&order=desc&limit=10", Gateway.ADMIN_TOKEN, null)
                    .body();
            String[] header = csv.lines().findFirst().orElseThrow().split(",");
            assertThat(header[header.length - 1]).isEqualTo("executed_tools");
        }
    }
}
