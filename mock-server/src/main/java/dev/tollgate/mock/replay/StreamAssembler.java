package dev.tollgate.mock.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns a recorded chat-completion event stream into the one JSON answer Groq gives when the same
 * request is not streamed: text, reasoning and tool calls concatenated, usage from the stream.
 */
public final class StreamAssembler {
    private StreamAssembler() {}

    /** The in-band error a stream ended with, as {@code {"error":{…}}} without the stream-only {@code status_code}; null if none. */
    public static ObjectNode errorOf(List<SseEvent> events) {
        for (SseEvent e : events) {
            if (!e.isError()) continue;
            ObjectNode body = (ObjectNode) Json.parse(e.data());
            if (body.get("error") instanceof ObjectNode error) error.remove("status_code");
            return body;
        }
        return null;
    }

    /** The HTTP status Groq uses for the stream's in-band error when the request is not streamed. */
    public static int errorStatus(List<SseEvent> events) {
        for (SseEvent e : events)
            if (e.isError())
                return Json.parse(e.data()).path("error").path("status_code").asInt(400);
        return 400;
    }

    public static ObjectNode assemble(List<SseEvent> events) {
        JsonNode first = null;
        JsonNode usage = null;
        JsonNode serviceTier = null;
        ObjectNode xGroq = null;
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        boolean sawContent = false, sawReasoning = false;
        String finishReason = null;
        TreeMap<Integer, ObjectNode> toolCalls = new TreeMap<>();
        for (SseEvent e : events) {
            if (e.isDone() || e.isError()) continue;
            JsonNode chunk = Json.parse(e.data());
            if (first == null) first = chunk;
            if (chunk.hasNonNull("usage")) usage = chunk.get("usage");
            else if (usage == null && chunk.path("x_groq").hasNonNull("usage"))
                usage = chunk.path("x_groq").get("usage");
            if (chunk.hasNonNull("service_tier")) serviceTier = chunk.get("service_tier");
            if (xGroq == null && chunk.path("x_groq").hasNonNull("id")) {
                xGroq = Json.MAPPER
                        .createObjectNode()
                        .put("id", chunk.path("x_groq").path("id").asText());
                if (chunk.path("x_groq").has("seed"))
                    xGroq.set("seed", chunk.path("x_groq").get("seed"));
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                if (delta.hasNonNull("content")) {
                    content.append(delta.get("content").asText());
                    sawContent = true;
                }
                if (delta.hasNonNull("reasoning")) {
                    reasoning.append(delta.get("reasoning").asText());
                    sawReasoning = true;
                }
                for (JsonNode call : delta.path("tool_calls")) mergeToolCall(toolCalls, call);
                if (choice.hasNonNull("finish_reason"))
                    finishReason = choice.get("finish_reason").asText();
            }
        }
        if (first == null) throw new IllegalArgumentException("the stream has no chunks to assemble");

        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.set("id", first.get("id"));
        answer.put("object", "chat.completion");
        answer.set("created", first.get("created"));
        answer.set("model", first.get("model"));
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (sawContent && (content.length() > 0 || toolCalls.isEmpty())) message.put("content", content.toString());
        if (sawReasoning) message.put("reasoning", reasoning.toString());
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            toolCalls.values().forEach(calls::add);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (usage != null) answer.set("usage", usage);
        answer.putNull("usage_breakdown");
        answer.set("system_fingerprint", first.get("system_fingerprint"));
        if (xGroq != null) answer.set("x_groq", xGroq);
        answer.set(
                "service_tier",
                serviceTier != null ? serviceTier : Json.MAPPER.getNodeFactory().textNode("on_demand"));
        return answer;
    }

    /** Groq sends each call whole in one delta, OpenAI in fragments by index: both end up as one call. */
    private static void mergeToolCall(TreeMap<Integer, ObjectNode> calls, JsonNode delta) {
        int index = delta.path("index").asInt(calls.size());
        ObjectNode call = calls.computeIfAbsent(index, i -> {
            ObjectNode c = Json.MAPPER.createObjectNode();
            c.putNull("id");
            c.put("type", "function");
            c.putObject("function").put("name", "").put("arguments", "");
            return c;
        });
        if (delta.hasNonNull("id")) call.set("id", delta.get("id"));
        if (delta.hasNonNull("type")) call.set("type", delta.get("type"));
        ObjectNode fn = (ObjectNode) call.get("function");
        JsonNode d = delta.path("function");
        if (d.hasNonNull("name"))
            fn.put("name", fn.get("name").asText() + d.get("name").asText());
        if (d.hasNonNull("arguments"))
            fn.put(
                    "arguments",
                    fn.get("arguments").asText() + d.get("arguments").asText());
    }
}
