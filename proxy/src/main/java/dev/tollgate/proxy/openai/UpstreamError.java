package dev.tollgate.proxy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.regex.Pattern;

/** Groq's error bodies in OpenAI's {@code ErrorResponse} shape. */
final class UpstreamError {
    private static final Pattern GROQ_KEY = Pattern.compile("gsk_[A-Za-z0-9]{4,}");

    private UpstreamError() {}

    /**
     * {@code {"error":{"message","type","param","code",…}}}, all four keys present. Groq's
     * {@code message} and {@code type} are kept (its 429s say {@code tokens} or {@code requests}, not
     * {@code rate_limit_error}), as are its extra keys ({@code failed_generation}, {@code status_code}, …)
     * and its key order (keys it left out are added last); {@code param} and {@code code} are {@code null} when absent and text
     * when they are other scalars ({@code 429} → {@code "429"}). {@code {"error":"text"}} uses the text as
     * the message. When {@code upstream} is {@code null} (not JSON) or has no message, the message is a
     * generic one naming the HTTP status; a missing type becomes {@code upstream_error}. Keys outside
     * {@code error} are dropped. Anything that looks like a Groq API key ({@code gsk_…}) is masked, should
     * an upstream ever echo one.
     */
    static ObjectNode body(JsonNode upstream, int status) {
        JsonNode found = upstream == null ? null : upstream.get("error");
        ObjectNode groq = found instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        String message = text(groq.get("message"));
        if (message == null && found != null && found.isTextual()) message = found.asText();
        if (message == null) message = "Groq answered with HTTP status " + status + " and no error message.";
        String type = text(groq.get("type"));

        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        groq.properties().forEach(field -> error.set(field.getKey(), masked(field.getValue())));
        // set() keeps a key where Groq put it; keys Groq left out go last
        error.put("message", masked(message));
        error.put("type", masked(type != null ? type : "upstream_error"));
        error.put("param", masked(text(groq.get("param"))));
        error.put("code", masked(text(groq.get("code"))));
        return body;
    }

    /** Text of a scalar; null for null, absent, objects and arrays. */
    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() ? null : node.asText();
    }

    private static String masked(String text) {
        return text == null ? null : GROQ_KEY.matcher(text).replaceAll("gsk_***");
    }

    /** A copy of {@code node} with every text value masked. */
    private static JsonNode masked(JsonNode node) {
        if (node.isTextual()) return Json.MAPPER.getNodeFactory().textNode(masked(node.asText()));
        if (node instanceof ObjectNode object) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            object.properties().forEach(field -> copy.set(field.getKey(), masked(field.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            array.forEach(item -> copy.add(masked(item)));
            return copy;
        }
        return node.deepCopy();
    }
}
