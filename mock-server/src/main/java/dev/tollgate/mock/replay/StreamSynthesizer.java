package dev.tollgate.mock.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.synthetic.SyntheticAnswers;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a JSON {@code chat.completion} into the event stream Groq sends for the same answer when
 * the request streams: a role chunk carrying {@code x_groq.id}, one chunk per token of reasoning
 * (with {@code "channel":"analysis"}) and of content, each tool call whole in one delta, a finish
 * chunk with usage in {@code x_groq.usage} and at the top level, the {@code choices: []} usage chunk
 * when {@code include_usage} was asked for, and {@code [DONE]}. All offsets are 0: pacing decides timing.
 */
public final class StreamSynthesizer {
    private StreamSynthesizer() {}

    /** An executed tool as first announced: no output yet, no results. */
    private static JsonNode announced(JsonNode tool) {
        ObjectNode entry = tool.deepCopy();
        entry.remove(List.of("output", "code_results"));
        if (entry.path("search_results").path("results").isArray())
            ((ObjectNode) entry.get("search_results")).putArray("results");
        return entry;
    }

    public static List<SseEvent> synthesize(JsonNode answer, boolean includeUsage) {
        List<SseEvent> events = new ArrayList<>();
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        JsonNode xGroq = answer.path("x_groq");

        ObjectNode role = delta(
                answer, Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null);
        if (xGroq.isObject()) {
            ObjectNode idOnly = Json.MAPPER.createObjectNode();
            if (xGroq.has("id")) idOnly.set("id", xGroq.get("id"));
            if (xGroq.has("seed")) idOnly.set("seed", xGroq.get("seed"));
            role.set("x_groq", idOnly);
        }
        events.add(SseEvent.data(0, Json.compact(role)));
        for (String token : tokens(message.path("reasoning").asText(""))) {
            events.add(SseEvent.data(
                    0,
                    Json.compact(delta(
                            answer,
                            Json.MAPPER
                                    .createObjectNode()
                                    .put("reasoning", token)
                                    .put("channel", "analysis"),
                            null))));
        }
        for (JsonNode tool : message.path("executed_tools")) {
            // As Groq streams server-side tools (pydantic-ai's test_groq_model_web_search_tool_stream.yaml):
            // a delta announcing the call with empty results, then one with its output.
            for (JsonNode entry : List.of(announced(tool), tool)) {
                ObjectNode d = Json.MAPPER.createObjectNode();
                d.putArray("executed_tools").add(entry);
                events.add(SseEvent.data(0, Json.compact(delta(answer, d, null))));
            }
        }
        for (String token : tokens(message.path("content").asText(""))) {
            events.add(SseEvent.data(
                    0, Json.compact(delta(answer, Json.MAPPER.createObjectNode().put("content", token), null))));
        }
        int index = 0;
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode c = Json.MAPPER.createObjectNode();
            c.set("id", call.get("id"));
            c.put("type", call.path("type").asText("function"));
            c.set("function", call.get("function"));
            c.put("index", index++);
            ObjectNode d = Json.MAPPER.createObjectNode();
            d.putArray("tool_calls").add(c);
            events.add(SseEvent.data(0, Json.compact(delta(answer, d, null))));
        }
        ObjectNode finish = delta(
                answer,
                Json.MAPPER.createObjectNode(),
                choice.path("finish_reason").asText("stop"));
        JsonNode usage = answer.get("usage");
        if (usage != null && !usage.isNull()) {
            ObjectNode groq = finish.putObject("x_groq");
            if (xGroq.has("id")) groq.set("id", xGroq.get("id"));
            groq.set("usage", usage);
            finish.set("usage", usage);
        }
        events.add(SseEvent.data(0, Json.compact(finish)));
        if (includeUsage && usage != null && !usage.isNull())
            events.add(SseEvent.data(0, Json.compact(usageChunk(answer, usage))));
        events.add(SseEvent.data(0, "[DONE]"));
        return events;
    }

    /** The {@code choices: []} chunk Groq adds before {@code [DONE]} when the client asked for usage. */
    public static ObjectNode usageChunk(JsonNode like, JsonNode usage) {
        ObjectNode chunk = header(like);
        chunk.putArray("choices");
        chunk.set("usage", usage);
        chunk.put("service_tier", like.path("service_tier").asText("on_demand"));
        return chunk;
    }

    /**
     * Splits text into token-sized pieces that concatenate back to it exactly; the same split
     * synthetic answers count their usage with, so their streams agree with their usage.
     */
    public static List<String> tokens(String text) {
        return SyntheticAnswers.splitTokens(text);
    }

    private static ObjectNode delta(JsonNode answer, ObjectNode delta, String finishReason) {
        ObjectNode chunk = header(answer);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        return chunk;
    }

    private static ObjectNode header(JsonNode like) {
        ObjectNode chunk = Json.MAPPER.createObjectNode();
        chunk.set("id", like.get("id"));
        chunk.put("object", "chat.completion.chunk");
        chunk.set("created", like.get("created"));
        chunk.set("model", like.get("model"));
        chunk.set("system_fingerprint", like.get("system_fingerprint"));
        return chunk;
    }
}
