package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get a clear OpenAI-shaped 4xx before anything is spent upstream; what Groq rejects is dropped. */
class RequestHygieneIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass(Map.of("TOLLGATE_MAX_BODY_BYTES", "4096"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                  | {model:                                                                                   | 400 | invalid_json               | ",
                "not an object             | [1,2]                                                                                     | 400 | invalid_json               | ",
                "missing model             | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                                   | 400 | missing_required_parameter | model",
                "missing messages          | {\"model\":\"openai/gpt-oss-120b\"}                                                       | 400 | missing_required_parameter | messages",
                "empty messages            | {\"model\":\"openai/gpt-oss-120b\",\"messages\":[]}                                       | 400 | invalid_type               | messages",
                "n above 1                 | {\"model\":\"openai/gpt-oss-120b\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | unsupported_value | n",
                "too many output tokens    | {\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":65537,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_value | max_tokens",
                "too many completion tokens| {\"model\":\"openai/gpt-oss-120b\",\"max_completion_tokens\":100000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_value | max_completion_tokens",
                "stream_options not object | {\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_type | stream_options",
                "stream_options an array   | {\"model\":\"openai/gpt-oss-120b\",\"stream\":false,\"stream_options\":[],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_type | stream_options",
                "unknown model             | {\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}               | 404 | model_not_found            | model",
            })
    void refusedBeforeGroq(String name, String body, int status, String code, String param) {
        Http.Answer answer =
                Http.post(gateways.get().baseUrl() + "/v1/chat/completions", gateways.get().clientSecret, body);
        assertThat(answer.status()).isEqualTo(status);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("param").isNull() ? null : error.path("param").asText())
                .isEqualTo(param);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(gateways.get().mock.journal().entries()).isEmpty();
    }

    @Test
    void nullStreamOptionsOnAStreamStillAsksForUsage() {
        Http.Answer answer = Http.post(
                gateways.get().baseUrl() + "/v1/chat/completions",
                gateways.get().clientSecret,
                "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(answer.status()).as(answer.body()).isLessThan(500); // the mock has no fixture for it: its 404
        assertThat(gateways.get()
                        .mock
                        .journal()
                        .entries()
                        .get(0)
                        .body()
                        .at("/stream_options/include_usage")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(5000) + "\"}]}";
        Http.Answer answer =
                Http.post(gateways.get().baseUrl() + "/v1/chat/completions", gateways.get().clientSecret, big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("request_too_large");
        assertThat(gateways.get().mock.journal().entries()).isEmpty();
    }

    @Test
    void missingKeyIs401() {
        Http.Answer answer = Http.post(gateways.get().baseUrl() + "/v1/chat/completions", null, "{}");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("missing_api_key");
    }

    @Test
    void reasoningContentInHistoryBecomesReasoning() {
        String body = """
                {"model":"openai/gpt-oss-120b","messages":[
                  {"role":"user","content":"hi"},
                  {"role":"assistant","content":"hello","reasoning_content":"They greeted me.","reasoning_details":[{"type":"text"}]},
                  {"role":"user","content":"again"}]}""";
        Http.post(gateways.get().baseUrl() + "/v1/chat/completions", gateways.get().clientSecret, body);
        JsonNode sent = gateways.get().mock.journal().entries().get(0).body().at("/messages/1");
        assertThat(sent.has("reasoning_content")).isFalse();
        assertThat(sent.has("reasoning_details")).isFalse();
        assertThat(sent.path("reasoning").asText()).isEqualTo("They greeted me.");
    }

    @Test
    void unknownRouteIsAnOpenAiError() {
        Http.Answer answer = Http.get(gateways.get().baseUrl() + "/v1/engines", gateways.get().clientSecret);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("error").fieldNames())
                .toIterable()
                .containsExactly("message", "type", "param", "code");
    }
}
