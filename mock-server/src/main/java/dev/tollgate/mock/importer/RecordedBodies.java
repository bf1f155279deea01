package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseFraming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Turns recorded bodies (JSON trees, text, gzip bytes) into fixture requests' and responses' bodies. */
final class RecordedBodies {
    private RecordedBodies() {}

    /** Bytes as text, gunzipped first when they are gzip (recorders often store the wire bytes). */
    static String text(byte[] bytes) {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt gzip body", e);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A request body: JSON when it parses (keys and number text as sent), else kept as a string; null when empty. */
    static JsonNode requestBody(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(text);
        }
    }

    /**
     * A response from its body text: an event stream when the content type says so (or, with no
     * content type, when the text is SSE-shaped), JSON when it parses, otherwise plain text.
     */
    static FixtureResponse response(int status, Map<String, String> headers, String text) {
        if (isEventStream(headers, text)) return FixtureResponse.stream(status, headers, SseFraming.parse(text));
        if (text == null || text.isEmpty()) return new FixtureResponse(status, headers, null, null, null);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return FixtureResponse.json(status, headers, Json.parse(text));
            } catch (IllegalArgumentException e) {
                // not JSON after all: keep it as text below
            }
        }
        return new FixtureResponse(status, headers, null, text, null);
    }

    static boolean isEventStream(Map<String, String> headers, String text) {
        String type = headers.get("content-type");
        if (type != null) return type.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
        if (text == null) return false;
        String start = text.stripLeading();
        return start.startsWith("data:") || start.startsWith("event:");
    }
}
