package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.HashSet;
import java.util.Set;

/** What a relayed stream has shown so far: Groq's usage, the output relayed, and whether and how Groq ended it. */
final class StreamTally {
    /** Groq's usage, once stated (counted once, whichever event carried it). */
    JsonNode usage;
    /** Output tokens relayed, counted with the model's tokenizer. */
    long outputTokens;
    /** Groq's in-band error ({@code {"error":{…}}} or a Responses error event), when it ended the stream with one. */
    JsonNode error;
    /** A terminal event arrived. */
    boolean ended;
    /** When the first event reached the client (System.nanoTime), or 0. */
    long firstEventNanos;

    /** The built-in tools Groq reported running, as "choice:tool" indexes (a stream announces each, then repeats it with its output). */
    private final Set<String> executedTools = new HashSet<>();

    /** Notes the {@code executed_tools} of a chunk's deltas, or of a whole answer's messages. */
    void sawExecutedTools(JsonNode answerOrChunk) {
        for (JsonNode choice : answerOrChunk.path("choices")) {
            JsonNode tools = choice.has("delta")
                    ? choice.path("delta").path("executed_tools")
                    : choice.path("message").path("executed_tools");
            int position = 0;
            for (JsonNode tool : tools) {
                executedTools.add(
                        choice.path("index").asInt(0) + ":" + tool.path("index").asInt(position));
                position++;
            }
        }
    }

    /** The same for a stream event; most events carry none, and are not parsed again. */
    void sawExecutedTools(SseEvent event) {
        if (event.data() == null || !event.data().contains("\"executed_tools\"")) return;
        try {
            sawExecutedTools(Json.parse(event.data()));
        } catch (IllegalArgumentException notJson) {
            // the dialect deals with malformed events
        }
    }

    int executedTools() {
        return executedTools.size();
    }

    void failed(JsonNode error) {
        this.error = error;
        this.ended = true;
    }
}
