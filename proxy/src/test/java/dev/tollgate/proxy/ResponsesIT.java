package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/responses} goes through to Groq's Responses API under the same keys, JSON and streamed. */
class ResponsesIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass();

    @Test
    void jsonAnswerPassesThroughWithTheAliasResolved() {
        Gateway gateway = gateways.get();
        Http.Answer answer = Http.post(
                gateway.baseUrl() + "/v1/responses",
                gateway.clientSecret,
                "{\"model\":\"gpt-oss-120b\",\"input\":\"Tell me a three sentence bedtime story about a unicorn.\",\"reasoning\":{\"effort\":\"low\"}}");
        assertThat(answer.status()).isEqualTo(200);
        var recorded = FixtureFiles.read(Gateway.fixtures().resolve("responses/basic.json"), "responses/basic")
                .responses()
                .get(0);
        assertThat(answer.body()).isEqualTo(Json.compact(recorded.body()));
        assertThat(answer.header("x-request-id")).isEqualTo("req_01k9responsesbasic00000000");
        assertThat(gateway.mock.journal().entries().get(0).body().path("model").asText())
                .isEqualTo("openai/gpt-oss-120b");
    }

    @Test
    void streamPassesThroughEventByEvent() {
        Gateway gateway = gateways.get();
        Http.Answer answer = Http.post(
                gateway.baseUrl() + "/v1/responses",
                gateway.clientSecret,
                "{\"model\":\"openai/gpt-oss-120b\",\"input\":\"Say hi.\",\"stream\":true}");
        assertThat(answer.header("content-type")).startsWith("text/event-stream");
        List<SseEvent> events = SseFraming.parse(answer.body());
        var recorded = FixtureFiles.read(Gateway.fixtures().resolve("responses/streaming.json"), "responses/streaming")
                .responses()
                .get(0);
        assertThat(events)
                .containsExactlyElementsOf(
                        recorded.events().stream().map(e -> e.at(0)).toList());
    }

    @Test
    void needsAKeyAndAKnownModel() {
        Gateway gateway = gateways.get();
        assertThat(Http.post(
                                gateway.baseUrl() + "/v1/responses",
                                null,
                                "{\"model\":\"openai/gpt-oss-120b\",\"input\":\"x\"}")
                        .status())
                .isEqualTo(401);
        Http.Answer unknown = Http.post(
                gateway.baseUrl() + "/v1/responses", gateway.clientSecret, "{\"model\":\"o3\",\"input\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asText()).isEqualTo("model_not_found");
        assertThat(gateway.mock.journal().entries()).isEmpty();
    }
}
