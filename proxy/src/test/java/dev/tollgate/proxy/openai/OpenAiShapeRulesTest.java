package dev.tollgate.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each change {@link OpenAiShape} makes, on hand-written Groq-like bodies. */
class OpenAiShapeRulesTest {
    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text);
    }

    private static ObjectNode completion(String message, String more) {
        return json("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"message":%s,"finish_reason":"stop"}]%s}""".formatted(message, more));
    }

    private static String tier(String groq) {
        ObjectNode body = completion("{\"role\":\"assistant\",\"content\":\"x\"}", ",\"service_tier\":" + groq);
        OpenAiShape.completion(body);
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", body)).isEmpty();
        return Json.compact(body.get("service_tier"));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void serviceTiersAreMappedToOpenAisEnum() {
        assertThat(tier("\"on_demand\"")).isEqualTo("\"default\"");
        assertThat(tier("\"performance\"")).isEqualTo("\"priority\"");
        assertThat(tier("\"flex\"")).isEqualTo("\"flex\"");
        assertThat(tier("\"auto\"")).isEqualTo("\"auto\"");
        assertThat(tier("null")).isEqualTo("null");
        assertThat(tier("\"batch\"")).isEqualTo("null");
        assertThat(tier("7")).isEqualTo("null");
    }

    @Test
    void refusalGoesRightAfterContentAndAbsentServiceTierStaysAbsent() {
        ObjectNode body = completion("{\"content\":\"Hi\",\"reasoning\":\"r\",\"role\":\"assistant\"}", "");
        OpenAiShape.completion(body);
        assertThat(keys(body.at("/choices/0/message"))).containsExactly("content", "refusal", "reasoning", "role");
        assertThat(keys(body.at("/choices/0"))).containsExactly("index", "message", "finish_reason", "logprobs");
        assertThat(body.has("service_tier")).isFalse();
    }

    @Test
    void toolCallOnlyMessagesGetNullContent() {
        ObjectNode body = completion("""
                {"role":"assistant","tool_calls":[{"id":"fc_1","type":"function","function":{"name":"f","arguments":"{}"}}]}""", "");
        ((ObjectNode) body.at("/choices/0")).remove("finish_reason");
        OpenAiShape.completion(body);
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", body)).isEmpty();
        assertThat(body.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void missingTopLevelFieldsAndNullsOpenAiDoesNotAllowAreFixed() {
        ObjectNode body = json("""
                {"choices":[{"message":{"content":"x"},"finish_reason":"eos"}],"system_fingerprint":null,"usage":null}""");
        OpenAiShape.completion(body);
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", body)).isEmpty();
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.has("system_fingerprint")).isFalse();
        assertThat(body.has("usage")).isFalse();
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void groqCitationsMoveAsideAndUrlCitationsStay() {
        ObjectNode body = completion("""
                {"role":"assistant","content":"x","annotations":[
                  {"type":"document_citation","document_citation":{"document_id":"d","start_index":0,"end_index":1}},
                  {"type":"url_citation","url_citation":{"url":"https://example.com/","title":"t","start_index":0,"end_index":1}}]}""", "");
        OpenAiShape.completion(body);
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", body)).isEmpty();
        assertThat(body.at("/choices/0/message/annotations/0/type").asText()).isEqualTo("url_citation");
        assertThat(body.at("/choices/0/message/groq_annotations/0/type").asText())
                .isEqualTo("document_citation");
    }

    @Test
    void chunksGetIndexesAndNullFinishReasons() {
        ObjectNode chunk = json("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,
                 "choices":[{"delta":{"tool_calls":[{"id":"fc_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}],
                 "x_groq":{"id":"req_1"},"service_tier":"on_demand"}""");
        OpenAiShape.chunk(chunk);
        assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", chunk))
                .isEmpty();
        assertThat(chunk.at("/choices/0/index").asInt(-1)).isZero();
        assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(chunk.at("/choices/0/delta/tool_calls/0/index").asInt(-1)).isZero();
        assertThat(chunk.get("service_tier").asText()).isEqualTo("default");
        assertThat(chunk.at("/x_groq/id").asText()).isEqualTo("req_1");
    }
}
