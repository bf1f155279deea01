package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.proxy.config.ProxyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt and answer bodies in the request log: off by default, on per key or for all, capped, secrets masked. */
class BodyLoggingIT {
    static final String PASTED_KEY = "sk-proj-pastedIntoAPrompt0123456789abcdef";

    @TempDir
    Path dir;

    Proxy start(MockServer mock, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
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
                "20"));
        env.putAll(extra);
        return Proxy.start(ProxyConfig.fromEnv(env), Clock.systemUTC());
    }

    static String chat(String prompt, boolean stream) {
        return "{\"model\":\"gpt-oss-120b\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
    }

    static JsonNode newKey(String base, String body) {
        Http.Answer created = Http.call("POST", base + "/admin/keys", Gateway.ADMIN_TOKEN, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    static JsonNode row(String base, String requestId) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            for (JsonNode r : Http.call("GET", base + "/admin/requests?order=desc&limit=50", Gateway.ADMIN_TOKEN, null)
                    .json()
                    .get("data")) {
                if (r.get("request_id").asText().equals(requestId)) return r;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no row for " + requestId);
    }

    @Test
    void aKeyThatOptsInHasItsBodiesLoggedWithSecretsMasked() throws Exception {
        try (MockServer mock = MockServer.start(MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC));
                Proxy proxy = start(mock, Map.of())) {
            String base = "http://127.0.0.1:" + proxy.port();
            JsonNode logged = newKey(base, "{\"name\":\"audited\",\"log_bodies\":true}");
            assertThat(logged.get("log_bodies").asBoolean()).isTrue();
            JsonNode quiet = newKey(base, "{\"name\":\"quiet\"}");
            assertThat(quiet.get("log_bodies").asBoolean()).isFalse();

            Http.Answer answer = Http.post(
                    base + "/v1/chat/completions",
                    logged.get("key").asText(),
                    chat("Remember my key " + PASTED_KEY + " and say hi", false));
            assertThat(answer.status()).isEqualTo(200);
            JsonNode row = row(base, answer.header("x-tollgate-request-id"));
            assertThat(row.get("request_body").asText())
                    .contains("and say hi")
                    .contains("[redacted]")
                    .doesNotContain(PASTED_KEY)
                    .contains("\"model\":\"openai/gpt-oss-120b\""); // as sent to Groq
            assertThat(row.get("response_body").asText())
                    .isEqualTo(answer.body().replace(PASTED_KEY, "[redacted]"));

            Http.Answer streamed =
                    Http.post(base + "/v1/chat/completions", logged.get("key").asText(), chat("Stream a hello", true));
            JsonNode streamRow = row(base, streamed.header("x-tollgate-request-id"));
            assertThat(streamRow.get("response_body").asText())
                    .isEqualTo(streamed.body())
                    .contains("data: [DONE]");

            Http.Answer unlogged =
                    Http.post(base + "/v1/chat/completions", quiet.get("key").asText(), chat("Say hi", false));
            JsonNode quietRow = row(base, unlogged.header("x-tollgate-request-id"));
            assertThat(quietRow.get("request_body").isNull()).isTrue();
            assertThat(quietRow.get("response_body").isNull()).isTrue();

            // Opting out again takes effect on the next request.
            Http.Answer patched = Http.call(
                    "PATCH",
                    base + "/admin/keys/" + logged.get("id").asText(),
                    Gateway.ADMIN_TOKEN,
                    "{\"log_bodies\":false}");
            assertThat(patched.json().get("log_bodies").asBoolean()).isFalse();
            Http.Answer after =
                    Http.post(base + "/v1/chat/completions", logged.get("key").asText(), chat("Say hi", false));
            assertThat(row(base, after.header("x-tollgate-request-id"))
                            .get("request_body")
                            .isNull())
                    .isTrue();

            assertThat(Http.call(
                                    "PATCH",
                                    base + "/admin/keys/" + quiet.get("id").asText(),
                                    Gateway.ADMIN_TOKEN,
                                    "{\"log_bodies\":\"yes\"}")
                            .status())
                    .isEqualTo(400);
        }
    }

    @Test
    void loggingEveryKeysBodiesCapsThem() throws Exception {
        try (MockServer mock = MockServer.start(MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC));
                Proxy proxy =
                        start(mock, Map.of("TOLLGATE_LOG_BODIES", "true", "TOLLGATE_LOG_BODY_MAX_BYTES", "100"))) {
            String base = "http://127.0.0.1:" + proxy.port();
            JsonNode key = newKey(base, "{\"name\":\"any\"}");
            Http.Answer answer =
                    Http.post(base + "/v1/chat/completions", key.get("key").asText(), chat("x".repeat(500), false));
            JsonNode row = row(base, answer.header("x-tollgate-request-id"));
            String kept = row.get("request_body").asText();
            assertThat(kept).startsWith("{").contains("more bytes not kept]");
            assertThat(kept.length()).isLessThan(160);
            assertThat(row.get("response_body").asText()).contains("more bytes not kept]");
        }
    }
}
