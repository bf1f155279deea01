package dev.tollgate.mock.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamConversionTest {
    static final String ANSWER = """
            {"id":"chatcmpl-x","object":"chat.completion","created":1760389847,"model":"openai/gpt-oss-120b",
             "choices":[{"index":0,"message":{"role":"assistant","reasoning":"Need the weather.","tool_calls":[
               {"id":"fc_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}},
               {"id":"fc_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"queue_time":0.1,"prompt_tokens":74,"prompt_time":0.01,"completion_tokens":27,"completion_time":0.05,"total_tokens":101,"total_time":0.06},
             "usage_breakdown":null,"system_fingerprint":"fp_5c888d599f","x_groq":{"id":"req_01k7","seed":7},"service_tier":"on_demand"}
            """;

    @Test
    void jsonToStreamToJsonKeepsTheAnswer() {
        JsonNode answer = Json.parse(ANSWER);
        List<SseEvent> events = StreamSynthesizer.synthesize(answer, false);
        ObjectNode back = StreamAssembler.assemble(events);
        assertThat(back.at("/choices/0/message")).isEqualTo(answer.at("/choices/0/message"));
        assertThat(back.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(back.get("usage")).isEqualTo(answer.get("usage"));
        assertThat(back.get("x_groq")).isEqualTo(answer.get("x_groq"));
        assertThat(back.get("id")).isEqualTo(answer.get("id"));
    }

    @Test
    void synthesizedStreamHasGroqsShape() {
        List<SseEvent> events = StreamSynthesizer.synthesize(Json.parse(ANSWER), true);
        JsonNode first = Json.parse(events.get(0).data());
        assertThat(first.at("/choices/0/delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(first.at("/x_groq/id").asText()).isEqualTo("req_01k7");
        JsonNode reasoning = Json.parse(events.get(1).data());
        assertThat(reasoning.at("/choices/0/delta/channel").asText()).isEqualTo("analysis");
        assertThat(events.get(events.size() - 1).isDone()).isTrue();
        JsonNode usageOnly = Json.parse(events.get(events.size() - 2).data());
        assertThat(usageOnly.path("choices")).isEmpty();
        assertThat(usageOnly.path("service_tier").asText()).isEqualTo("on_demand");
        JsonNode finish = Json.parse(events.get(events.size() - 3).data());
        assertThat(finish.at("/x_groq/usage")).isEqualTo(finish.get("usage"));
        assertThat(events)
                .allSatisfy(e -> assertThat(e.isDone()
                                || Json.parse(e.data()).path("object").asText().equals("chat.completion.chunk"))
                        .isTrue());
    }

    @Test
    void tokensJoinBackToTheText() {
        String text = "Hello, world! 🌍  How's it going?\nFine.";
        assertThat(String.join("", StreamSynthesizer.tokens(text))).isEqualTo(text);
        assertThat(StreamSynthesizer.tokens("Hello, world")).containsExactly("Hello", ",", " world");
    }

    @Test
    void fragmentedOpenAiStyleToolCallsAreJoined() {
        String head =
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":";
        List<SseEvent> events = List.of(
                SseEvent.data(
                        0,
                        head
                                + "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}"),
                SseEvent.data(
                        0,
                        head
                                + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]},\"finish_reason\":null}]}"),
                SseEvent.data(
                        0,
                        head
                                + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":null}]}"),
                SseEvent.data(0, head + "{},\"finish_reason\":\"tool_calls\"}]}"),
                SseEvent.data(0, "[DONE]"));
        JsonNode call = StreamAssembler.assemble(events).at("/choices/0/message/tool_calls/0");
        assertThat(call.path("id").asText()).isEqualTo("call_1");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void inBandErrorIsFoundWithItsStatus() {
        List<SseEvent> events = List.of(
                SseEvent.data(0, "{\"id\":\"c\",\"choices\":[]}"),
                new SseEvent(
                        0,
                        "error",
                        "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\",\"status_code\":400}}"));
        assertThat(StreamAssembler.errorOf(events).toString())
                .isEqualTo(
                        "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\"}}");
        assertThat(StreamAssembler.errorStatus(events)).isEqualTo(400);
        assertThat(StreamAssembler.errorOf(events.subList(0, 1))).isNull();
    }

    @Test
    void usageChunkFollowsTheRequest() {
        List<SseEvent> withUsage = StreamSynthesizer.synthesize(Json.parse(ANSWER), true);
        List<SseEvent> without = StreamSynthesizer.synthesize(Json.parse(ANSWER), false);
        assertThat(UsageChunk.fitTo(withUsage, false)).isEqualTo(without);
        assertThat(UsageChunk.fitTo(without, true)).isEqualTo(withUsage);
        assertThat(UsageChunk.fitTo(withUsage, true)).isSameAs(withUsage);
    }

    @Test
    void pacingSchedules() {
        SseEvent content = SseEvent.data(40, "{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");
        SseEvent finish = SseEvent.data(50, "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
        Pacing groq = Pacing.parse("500", 1, 150);
        assertThat(groq.offset(0, content, 0)).isEqualTo(150);
        assertThat(groq.offset(1, content, 150)).isEqualTo(152);
        assertThat(groq.offset(2, finish, 152)).isEqualTo(152);
        assertThat(Pacing.parse("recorded", 4, 0).offset(3, content, 0)).isEqualTo(10);
        assertThat(Pacing.parse("instant", 1, 0).offset(3, content, 0)).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pacing.parse("fast", 1, 0))
                .hasMessageContaining("pace must be");
    }
}
