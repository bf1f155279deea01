package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.proxy.openai.OpenAiSchemas;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded Groq exchange, replayed through the proxy, both plain and streamed: each answer,
 * chunk and error validates against OpenAI's published schemas, and Groq's extras are still there.
 */
class OpenAiValidAnswersIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass();

    static Stream<Fixture> chatFixtures() {
        return FixtureFiles.readAll(Gateway.fixtures()).stream()
                .filter(f -> f.request().path().equals("/v1/chat/completions"))
                .filter(f -> gatewayServes(f.request().body().path("model").asText()));
    }

    private static boolean gatewayServes(String model) {
        return model.equals("openai/gpt-oss-120b");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chatFixtures")
    void plainAndStreamedAnswersAreOpenAiValid(Fixture fixture) {
        for (boolean stream : new boolean[] {false, true}) {
            gateways.get().mock.reset();
            var body = fixture.request().body().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("stream", stream);
            Http.Answer answer = Http.post(
                    gateways.get().baseUrl() + "/v1/chat/completions", gateways.get().clientSecret, Json.compact(body));
            String type = answer.header("content-type");
            if (type.startsWith("text/event-stream")) {
                int chunks = 0;
                for (SseEvent e : SseFraming.parse(answer.body())) {
                    if (e.isDone()) continue;
                    if (e.isError()) {
                        assertThat(Json.parse(e.data()).at("/error/message").asText())
                                .isNotBlank();
                        continue;
                    }
                    assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", e.data()))
                            .as(e.data())
                            .isEmpty();
                    chunks++;
                }
                assertThat(chunks).isPositive();
            } else if (answer.status() == 200) {
                assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", answer.body()))
                        .as(answer.body())
                        .isEmpty();
                JsonNode json = answer.json();
                assertThat(json.has("x_groq")).as("Groq's extras are kept").isTrue();
                assertThat(json.at("/usage/queue_time").isMissingNode()).isFalse();
            } else {
                assertThat(OpenAiSchemas.errors("ErrorResponse", answer.body()))
                        .as(answer.body())
                        .isEmpty();
                assertThat(answer.json().path("error").fieldNames())
                        .toIterable()
                        .contains("message", "type", "param", "code");
            }
        }
    }

    @Test
    void modelListAndOwnErrorsAreOpenAiValid() {
        assertThat(OpenAiSchemas.errors(
                        "ListModelsResponse",
                        Http.get(gateways.get().baseUrl() + "/v1/models", gateways.get().clientSecret)
                                .body()))
                .isEmpty();
        assertThat(OpenAiSchemas.errors(
                        "Model",
                        Http.get(
                                        gateways.get().baseUrl() + "/v1/models/openai/gpt-oss-120b",
                                        gateways.get().clientSecret)
                                .body()))
                .isEmpty();
        for (Http.Answer error : new Http.Answer[] {
            Http.post(gateways.get().baseUrl() + "/v1/chat/completions", null, "{}"),
            Http.post(gateways.get().baseUrl() + "/v1/chat/completions", gateways.get().clientSecret, "{"),
            Http.get(gateways.get().baseUrl() + "/v1/models/nope", gateways.get().clientSecret),
            Http.get(gateways.get().baseUrl() + "/v1/nothing-here", gateways.get().clientSecret)
        }) {
            assertThat(OpenAiSchemas.errors("ErrorResponse", error.body()))
                    .as(error.body())
                    .isEmpty();
        }
    }
}
