package dev.tollgate.mock.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.synthetic.SyntheticAnswers;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a JSON {@code response} (the Responses API) into the event stream OpenAI documents for it
 * (openapi.yaml's {@code ResponseStreamEvent}s), each event named in its {@code event:} line and
 * numbered by {@code sequence_number}: {@code response.created}, {@code response.in_progress}; per
 * output item {@code response.output_item.added}, then for text {@code response.content_part.added},
 * one {@code response.output_text.delta} (or {@code response.reasoning_text.delta}) per token,
 * {@code …text.done}, {@code response.content_part.done}; for a function call its arguments whole in one
 * {@code response.function_call_arguments.delta} (Groq sends chat tool calls whole too) and
 * {@code …done}; {@code response.output_item.done}; finally {@code response.completed} (or
 * {@code response.incomplete}) with the whole response and its usage. No {@code [DONE]}: a Responses
 * stream ends with its last event. All offsets are 0: pacing decides timing.
 */
public final class ResponseStream {
    private final List<SseEvent> events = new ArrayList<>();

    private ResponseStream() {}

    public static List<SseEvent> synthesize(JsonNode response) {
        ResponseStream stream = new ResponseStream();
        ObjectNode started = response.deepCopy();
        started.put("status", "in_progress");
        started.putArray("output");
        started.putNull("usage");
        started.putNull("incomplete_details");
        stream.add("response.created", node().set("response", started));
        stream.add("response.in_progress", node().set("response", started));
        int index = 0;
        for (JsonNode item : response.path("output")) stream.item(index++, item);
        String end =
                response.path("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed";
        stream.add(end, node().set("response", response));
        return stream.events;
    }

    private void item(int index, JsonNode item) {
        ObjectNode added = item.deepCopy();
        added.put("status", "in_progress");
        String id = item.path("id").asText();
        switch (item.path("type").asText()) {
            case "function_call" -> {
                added.put("arguments", "");
                add(
                        "response.output_item.added",
                        node().put("output_index", index).set("item", added));
                String arguments = item.path("arguments").asText();
                add(
                        "response.function_call_arguments.delta",
                        node().put("item_id", id).put("output_index", index).put("delta", arguments));
                add(
                        "response.function_call_arguments.done",
                        node().put("item_id", id)
                                .put("name", item.path("name").asText())
                                .put("output_index", index)
                                .put("arguments", arguments));
            }
            case "message", "reasoning" -> {
                added.putArray("content");
                add(
                        "response.output_item.added",
                        node().put("output_index", index).set("item", added));
                int part = 0;
                for (JsonNode content : item.path("content")) text(index, id, part++, content);
            }
            default ->
                add(
                        "response.output_item.added",
                        node().put("output_index", index).set("item", item));
        }
        add("response.output_item.done", node().put("output_index", index).set("item", item));
    }

    private void text(int index, String id, int part, JsonNode content) {
        boolean reasoning = content.path("type").asText().equals("reasoning_text");
        String prefix = reasoning ? "response.reasoning_text." : "response.output_text.";
        String text = content.path("text").asText("");
        ObjectNode empty = content.deepCopy();
        empty.put("text", "");
        add("response.content_part.added", at(index, id, part).set("part", empty));
        for (String token : SyntheticAnswers.splitTokens(text)) {
            ObjectNode delta = at(index, id, part).put("delta", token);
            if (!reasoning) delta.putArray("logprobs");
            add(prefix + "delta", delta);
        }
        ObjectNode done = at(index, id, part).put("text", text);
        if (!reasoning) done.putArray("logprobs");
        add(prefix + "done", done);
        add("response.content_part.done", at(index, id, part).set("part", content));
    }

    private static ObjectNode at(int index, String id, int part) {
        return node().put("item_id", id).put("output_index", index).put("content_index", part);
    }

    private static ObjectNode node() {
        return Json.MAPPER.createObjectNode();
    }

    /** {@code type} first and {@code sequence_number} last, as in OpenAI's examples. */
    private void add(String type, ObjectNode fields) {
        ObjectNode event = node().put("type", type);
        event.setAll(fields);
        event.put("sequence_number", events.size());
        events.add(new SseEvent(0, type, Json.compact(event)));
    }
}
