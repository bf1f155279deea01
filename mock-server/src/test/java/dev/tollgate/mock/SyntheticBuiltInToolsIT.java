package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.junit.MockGroqExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Synthetic mode's answers for Groq's built-in tools, browser_search and code_interpreter, JSON and streamed, over HTTP. */
class SyntheticBuiltInToolsIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.synthetic();

    WireClient wire;

    @BeforeEach
    void client() {
        wire = new WireClient(groq.baseUrl());
    }

    static String ask(String tool, String extra) {
        return "{\"model\":\"openai/gpt-oss-120b\",\"tool_choice\":\"required\",\"tools\":[{\"type\":\"" + tool
                + "\"}]," + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 1312 x 3333?\"}]" + extra + "}";
    }

    @Test
    void browserSearchReportsItsSearchResultsAndReasonsAboutTheTool() {
        WireClient.Reply reply = wire.post("/v1/chat/completions", ask("browser_search", ""));
        assertThat(reply.status()).isEqualTo(200);
        JsonNode message = reply.json().path("choices").path(0).path("message");
        JsonNode tool = message.path("executed_tools").path(0);
        assertThat(tool.path("index").asInt()).isZero();
        assertThat(Json.parse(tool.path("arguments").asText()).path("query").asText())
                .contains("1312 x 3333");
        JsonNode result = tool.path("search_results").path("results").path(0);
        assertThat(result.path("title").isTextual()
                        && result.path("url").isTextual()
                        && result.path("content").isTextual())
                .isTrue();
        assertThat(result.path("score").isNumber()).isTrue();
        assertThat(message.path("reasoning").asText()).contains("browser");
        assertThat(message.has("tool_calls"))
                .as("the tool ran on Groq's side: nothing for the client to call")
                .isFalse();
        assertThat(reply.json().path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("stop");
        JsonNode usage = reply.json().path("usage");
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt()
                        + usage.path("completion_tokens").asInt());
    }

    @Test
    void codeExecutionStreamsTheToolAnnouncedThenWithItsOutput() {
        WireClient.StreamReply reply = wire.stream("/v1/chat/completions", ask("code_interpreter", ",\"stream\":true"));
        assertThat(reply.status()).isEqualTo(200);
        List<JsonNode> tools = reply.events().stream()
                .filter(e -> !e.isDone())
                .map(SseEvent::data)
                .map(Json::parse)
                .map(c -> c.path("choices").path(0).path("delta").path("executed_tools"))
                .filter(JsonNode::isArray)
                .toList();
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).path(0).has("code_results")).isFalse();
        assertThat(tools.get(1)
                        .path(0)
                        .path("code_results")
                        .path(0)
                        .path("text")
                        .isTextual())
                .isTrue();
        assertThat(tools.get(1).path(0).path("name").asText()).isEqualTo("python");
        JsonNode whole =
                wire.post("/v1/chat/completions", ask("code_interpreter", "")).json();
        assertThat(tools.get(1))
                .isEqualTo(whole.path("choices").path(0).path("message").path("executed_tools"));
    }

    @Test
    void browserSearchWithStructuredOutputIsRefused() {
        WireClient.Reply reply = wire.post(
                "/v1/chat/completions", ask("browser_search", ",\"response_format\":{\"type\":\"json_object\"}"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("param").asText()).isEqualTo("response_format");
        assertThat(reply.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void toolChoiceNoneGetsAPlainAnswer() {
        JsonNode message = wire.post(
                        "/v1/chat/completions", ask("browser_search", "").replace("\"required\"", "\"none\""))
                .json()
                .path("choices")
                .path(0)
                .path("message");
        assertThat(message.has("executed_tools")).isFalse();
    }
}
