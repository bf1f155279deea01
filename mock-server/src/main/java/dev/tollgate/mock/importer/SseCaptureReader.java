package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import java.util.List;
import java.util.Map;

/**
 * Reads a raw {@code text/event-stream} capture: the answer only, no request and no timing. The
 * request is rebuilt from what the stream shows (the model) with a placeholder user message, so
 * the fixture loads and replays; the user is expected to edit the request to what their client sends.
 */
final class SseCaptureReader {
    /** Used when no chunk names a model (a stream holding only an error event). */
    static final String UNKNOWN_MODEL = "unknown";

    private SseCaptureReader() {}

    static List<RecordedExchange> read(String content, String fileName) {
        List<SseEvent> events = SseFraming.parse(content);
        if (events.isEmpty()) throw new ImportException("the capture holds no server-sent events");
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model(events));
        body.putArray("messages").addObject().put("role", "user").put("content", "(imported from " + fileName + ")");
        body.put("stream", true);
        // A `choices: []` chunk with usage only comes when the client asked for it.
        if (hasUsageOnlyChunk(events)) body.putObject("stream_options").put("include_usage", true);
        FixtureRequest request = new FixtureRequest("POST", "/v1/chat/completions", body);
        FixtureResponse response = FixtureResponse.stream(200, Map.of("content-type", "text/event-stream"), events);
        String url = isGroq(events) ? "https://api.groq.com/openai/v1/chat/completions" : null;
        return List.of(new RecordedExchange(request, response, url, null));
    }

    private static String model(List<SseEvent> events) {
        for (SseEvent e : events) {
            JsonNode chunk = chunk(e);
            if (chunk != null && chunk.path("model").isTextual())
                return chunk.get("model").asText();
        }
        return UNKNOWN_MODEL;
    }

    private static boolean hasUsageOnlyChunk(List<SseEvent> events) {
        for (SseEvent e : events) {
            JsonNode chunk = chunk(e);
            if (chunk != null
                    && chunk.path("choices").isArray()
                    && chunk.get("choices").isEmpty()
                    && chunk.has("usage")) return true;
        }
        return false;
    }

    /** Groq marks its chunks with {@code x_groq}; nothing else in a raw capture says where it came from. */
    private static boolean isGroq(List<SseEvent> events) {
        for (SseEvent e : events) {
            JsonNode chunk = chunk(e);
            if (chunk != null && chunk.has("x_groq")) return true;
        }
        return false;
    }

    private static JsonNode chunk(SseEvent e) {
        if (e.isDone() || !e.data().startsWith("{")) return null;
        try {
            return Json.parse(e.data());
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
