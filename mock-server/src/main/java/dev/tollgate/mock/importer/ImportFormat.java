package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.util.regex.Pattern;

/** The recording formats the importer reads, told apart by their content rather than their file name. */
public enum ImportFormat {
    VCR("VCR.py cassette"),
    HAR("HAR 1.2"),
    SSE("raw text/event-stream capture"),
    REQ_LLM("req_llm fixture");

    private static final Pattern VCR_ROOT = Pattern.compile("(?m)^interactions:");

    private final String label;

    ImportFormat(String label) {
        this.label = label;
    }

    /** How the format is named in a fixture's {@code recorded.source}. */
    public String label() {
        return label;
    }

    /** The format of {@code content}; throws {@link ImportException} when it is none of them. */
    public static ImportFormat detect(String content) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) return detectJson(trimmed);
        if (VCR_ROOT.matcher(text).find()) return VCR;
        String first = firstMeaningfulLine(trimmed);
        if (first.startsWith("data:") || first.startsWith("event:")) return SSE;
        throw new ImportException("not a recognised recording (expected a VCR.py cassette, a HAR file, "
                + "a req_llm JSON fixture or a text/event-stream capture)");
    }

    private static ImportFormat detectJson(String text) {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImportException("looks like JSON but does not parse: " + e.getMessage(), e);
        }
        if (root.path("log").path("entries").isArray()) return HAR;
        if (root.path("request").isObject() && root.path("response").isObject()) return REQ_LLM;
        throw new ImportException("a JSON file, but neither HAR ({\"log\":{\"entries\":[…]}}) "
                + "nor a req_llm fixture ({\"request\":…,\"response\":…})");
    }

    /** The first line that is not blank and not an SSE comment. */
    private static String firstMeaningfulLine(String text) {
        for (String line : text.split("\r\n|\r|\n")) {
            if (!line.isBlank() && !line.startsWith(":")) return line;
        }
        return "";
    }
}
