package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recorded response headers, reduced to what a replay should send. Request headers are never kept
 * (they carry the API key); of the response headers, secrets, cookies, framing headers that no longer
 * describe the stored (decoded) body, and per-connection noise are dropped.
 */
final class RecordedHeaders {
    static final Set<String> DROPPED = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie",
            "content-length", "transfer-encoding", "connection", "content-encoding", "date", "keep-alive",
            "cf-ray", "alt-svc");

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    /** Adds one value; repeated names keep all their values in order. */
    RecordedHeaders add(String name, String value) {
        if (name == null || value == null) return this;
        values.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    /** Headers stored as a JSON object whose values are strings or lists of strings (VCR.py, req_llm). */
    static RecordedHeaders fromObject(JsonNode object) {
        RecordedHeaders headers = new RecordedHeaders();
        object.properties().forEach(e -> {
            if (e.getValue().isArray()) e.getValue().forEach(v -> headers.add(e.getKey(), v.asText()));
            else if (!e.getValue().isNull()) headers.add(e.getKey(), e.getValue().asText());
        });
        return headers;
    }

    /** The first value of {@code name}, or null. */
    String first(String name) {
        List<String> list = values.get(name.toLowerCase(Locale.ROOT));
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** The headers worth replaying, lower-case names, repeated values joined with ", ". */
    Map<String, String> kept() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, list) -> {
            // HTTP/2 pseudo-headers (":status") appear in browser HARs; they are not headers to send.
            if (!DROPPED.contains(name) && !name.startsWith(":")) out.put(name, String.join(", ", list));
        });
        return out;
    }

    /** The {@code date} header as an ISO-8601 instant: the capture time when a recording has no better one. */
    String capturedAt() {
        String date = first("date");
        if (date == null) return null;
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code text} as an ISO-8601 instant when it is one (with or without zone), else the text unchanged. */
    static String isoInstant(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}
