package dev.tollgate.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import org.junit.jupiter.api.Test;

/** {@link OpenAiShape#error}: whatever Groq (or a proxy in between) answered, the client gets an ErrorResponse. */
class OpenAiErrorTest {
    private static ObjectNode error(JsonNode upstream, int status) {
        ObjectNode body = OpenAiShape.error(upstream, status);
        assertThat(OpenAiSchemas.errors("ErrorResponse", body)).isEmpty();
        return (ObjectNode) body.get("error");
    }

    @Test
    void groqsRateLimitKeepsItsTypeAndGetsNullParam() {
        ObjectNode error = error(Json.parse("""
                {"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}"""), 429);
        assertThat(Json.compact(error)).isEqualTo("""
                {"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded","param":null}""");
    }

    @Test
    void aBodyThatWasNotJsonGetsAGenericMessageNamingTheStatus() {
        ObjectNode error = error(null, 502);
        assertThat(error.get("message").asText()).contains("502");
        assertThat(error.get("type").asText()).isEqualTo("upstream_error");
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("code").isNull()).isTrue();
    }

    @Test
    void oddShapesStillGiveStrings() {
        assertThat(error(Json.parse("{\"error\":\"overloaded\"}"), 503)
                        .get("message")
                        .asText())
                .isEqualTo("overloaded");
        assertThat(error(Json.parse("[1,2]"), 500).get("type").asText()).isEqualTo("upstream_error");
        ObjectNode numeric =
                error(Json.parse("{\"error\":{\"message\":{\"m\":1},\"code\":429,\"param\":[\"a\"]}}"), 429);
        assertThat(numeric.get("message").asText()).contains("429");
        assertThat(numeric.get("code").asText()).isEqualTo("429");
        assertThat(numeric.get("param").isNull()).isTrue();
    }

    @Test
    void groqExtrasStayAndKeyLookAlikesAreMasked() {
        ObjectNode error = error(Json.parse("""
                {"error":{"message":"bad key gsk_abcdEFGH1234","type":"invalid_request_error","failed_generation":"{}",
                 "status_code":400,"debug":{"echo":"gsk_abcdEFGH1234"}},"request_headers":{"authorization":"x"}}"""), 400);
        assertThat(error.get("message").asText()).isEqualTo("bad key gsk_***");
        assertThat(error.get("failed_generation").asText()).isEqualTo("{}");
        assertThat(error.get("status_code").asInt()).isEqualTo(400);
        assertThat(Json.compact(error)).doesNotContain("abcdEFGH1234").doesNotContain("authorization");
    }
}
