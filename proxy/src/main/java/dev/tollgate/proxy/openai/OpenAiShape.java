package dev.tollgate.proxy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Makes Groq's answers valid against OpenAI's published schemas (openai/openai-openapi), in place and
 * changing as little as possible. Every Groq extra is kept ({@code reasoning}, {@code channel},
 * {@code executed_tools}, {@code x_groq}, {@code usage_breakdown}, the timings in {@code usage}, …) and
 * so is Groq's key order; added keys go last, except {@code refusal}, which goes right after
 * {@code content}.
 *
 * <p>{@link #completion} ({@code CreateChatCompletionResponse}) and {@link #chunk}
 * ({@code CreateChatCompletionStreamResponse}):
 * <ul>
 * <li>{@code service_tier}: Groq's {@code on_demand} becomes {@code default} and {@code performance}
 *     becomes {@code priority}; OpenAI's own values ({@code auto, default, flex, scale, priority, fast})
 *     and {@code null} stay; anything else becomes {@code null}.</li>
 * <li>{@code system_fingerprint: null} is removed (compound models send it; OpenAI's is a string).</li>
 * <li>{@code id}, {@code object}, {@code created}, {@code model}, {@code choices} are added when absent
 *     ({@code chatcmpl-<uuid>}, the expected object type, the current time, {@code "unknown"}, {@code []}).</li>
 * <li>each choice: {@code index} (its position) is added when absent; a {@code logprobs} object gets
 *     {@code content: null} / {@code refusal: null} when absent.</li>
 * </ul>
 * {@link #completion} only:
 * <ul>
 * <li>{@code usage: null} is removed (OpenAI's is an object or absent).</li>
 * <li>each choice: {@code logprobs: null} is added when absent; {@code finish_reason} that is absent, null or not one
 *     of OpenAI's values becomes {@code tool_calls} when the message has tool calls, else {@code stop}.</li>
 * <li>each message: {@code role: assistant} is added when absent, {@code content: null} when absent (Groq
 *     leaves it out when only tool calls come back), {@code refusal: null} always when absent (Groq never
 *     sends it; OpenAI requires it).</li>
 * <li>message {@code annotations} that are not OpenAI {@code url_citation}s (Groq's
 *     {@code document_citation} / {@code function_citation}) move to {@code groq_annotations}.</li>
 * </ul>
 * {@link #chunk} only, per choice: {@code delta: {}} is added when absent; {@code finish_reason} is set
 * to {@code null} when absent and to {@code stop} when not one of OpenAI's values; each
 * {@code delta.tool_calls[]} entry gets its position as {@code index} when absent.
 *
 * <p>{@link #error} builds a new {@code ErrorResponse} {@code {"error":{"message","type","param","code",…}}}
 * from Groq's error body: Groq's {@code message} and {@code type} are kept (its 429s say {@code tokens} /
 * {@code requests}), and so are its extra keys ({@code failed_generation}, {@code status_code}, …) and
 * its key order (missing keys are added last); {@code param} / {@code code} are {@code null} when absent
 * and text when they are other scalars; a body that is not JSON or has no message gets a generic message
 * naming the HTTP status, and a missing type becomes {@code upstream_error}; keys outside {@code error}
 * are dropped; {@code gsk_…} key look-alikes are masked.
 */
public final class OpenAiShape {
    private static final Set<String> SERVICE_TIERS = Set.of("auto", "default", "flex", "scale", "priority", "fast");
    private static final Set<String> FINISH_REASONS =
            Set.of("stop", "length", "tool_calls", "content_filter", "function_call");

    private OpenAiShape() {}

    /** A {@code chat.completion} body. */
    public static void completion(ObjectNode body) {
        common(body, "chat.completion");
        if (body.has("usage") && body.get("usage").isNull()) body.remove("usage");
        int position = 0;
        for (JsonNode node : (ArrayNode) body.get("choices")) {
            if (!(node instanceof ObjectNode choice)) continue;
            choiceBasics(choice, position++);
            if (!choice.has("logprobs")) choice.putNull("logprobs");
            ObjectNode message = choice.get("message") instanceof ObjectNode m ? m : choice.putObject("message");
            if (!message.has("role")) message.put("role", "assistant");
            if (!message.has("content")) message.putNull("content");
            if (!message.has("refusal")) putAfter(message, "content", "refusal");
            moveGroqAnnotations(message);
            String reason = choice.path("finish_reason").asText(null);
            if (reason == null || !FINISH_REASONS.contains(reason)) {
                choice.put("finish_reason", message.path("tool_calls").isEmpty() ? "stop" : "tool_calls");
            }
        }
    }

    /** A {@code chat.completion.chunk} (one {@code data:} event of a stream). */
    public static void chunk(ObjectNode chunk) {
        common(chunk, "chat.completion.chunk");
        int position = 0;
        for (JsonNode node : (ArrayNode) chunk.get("choices")) {
            if (!(node instanceof ObjectNode choice)) continue;
            choiceBasics(choice, position++);
            ObjectNode delta = choice.get("delta") instanceof ObjectNode d ? d : choice.putObject("delta");
            if (!choice.has("finish_reason")) choice.putNull("finish_reason");
            JsonNode reason = choice.get("finish_reason");
            if (!reason.isNull() && !FINISH_REASONS.contains(reason.asText())) choice.put("finish_reason", "stop");
            int call = 0;
            for (JsonNode toolCall : delta.path("tool_calls")) {
                if (toolCall instanceof ObjectNode t && !t.has("index")) t.put("index", call);
                call++;
            }
        }
    }

    /**
     * An {@code ErrorResponse} body for an upstream failure; {@code upstream} is Groq's parsed body, or
     * {@code null} when it was not JSON. See {@link UpstreamError#body}.
     */
    public static ObjectNode error(JsonNode upstream, int status) {
        return UpstreamError.body(upstream, status);
    }

    private static void common(ObjectNode body, String object) {
        if (!body.has("id")) body.put("id", "chatcmpl-" + UUID.randomUUID());
        if (!body.has("object")) body.put("object", object);
        if (!body.has("created")) body.put("created", Instant.now().getEpochSecond());
        if (!body.has("model")) body.put("model", "unknown");
        if (!(body.get("choices") instanceof ArrayNode)) body.putArray("choices");
        if (body.has("system_fingerprint") && body.get("system_fingerprint").isNull())
            body.remove("system_fingerprint");
        if (body.has("service_tier")) body.set("service_tier", serviceTier(body.get("service_tier")));
    }

    private static JsonNode serviceTier(JsonNode tier) {
        String value = switch (tier.isTextual() ? tier.asText() : "") {
            case "on_demand" -> "default";
            case "performance" -> "priority";
            case String other when SERVICE_TIERS.contains(other) -> other;
            default -> null;
        };
        return value == null
                ? Json.MAPPER.nullNode()
                : Json.MAPPER.getNodeFactory().textNode(value);
    }

    private static void choiceBasics(ObjectNode choice, int position) {
        if (!choice.has("index")) choice.put("index", position);
        if (choice.get("logprobs") instanceof ObjectNode logprobs) {
            if (!logprobs.has("content")) logprobs.putNull("content");
            if (!logprobs.has("refusal")) logprobs.putNull("refusal");
        }
    }

    /** OpenAI's annotations are url citations only; Groq's other kinds are kept under another name. */
    private static void moveGroqAnnotations(ObjectNode message) {
        if (!(message.get("annotations") instanceof ArrayNode annotations)) return;
        ArrayNode openAi = message.arrayNode();
        ArrayNode groq = message.arrayNode();
        for (JsonNode a : annotations) {
            (a.path("type").asText().equals("url_citation")
                                    && a.path("url_citation").isObject()
                            ? openAi
                            : groq)
                    .add(a);
        }
        if (groq.isEmpty()) return;
        message.set("annotations", openAi);
        message.set("groq_annotations", groq);
    }

    /** Adds {@code key: null} right after {@code after} (or last), keeping the other keys' order. */
    private static void putAfter(ObjectNode node, String after, String key) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.properties().forEach(field -> fields.add(Map.entry(field.getKey(), field.getValue())));
        node.removeAll();
        for (var field : fields) {
            node.set(field.getKey(), field.getValue());
            if (field.getKey().equals(after)) node.putNull(key);
        }
        if (!node.has(key)) node.putNull(key);
    }
}
