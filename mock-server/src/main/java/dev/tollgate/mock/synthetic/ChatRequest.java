package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.fixture.Json;
import java.util.ArrayList;
import java.util.List;

/** The few fields of a chat-completions body the synthetic answer depends on, read defensively. */
final class ChatRequest {
    private final JsonNode body;
    private final JsonNode messages;

    ChatRequest(JsonNode body) {
        this.body = body == null ? MissingNode.getInstance() : body;
        JsonNode m = this.body.path("messages");
        this.messages = m.isArray() ? m : Json.MAPPER.createArrayNode();
    }

    String model() {
        JsonNode model = body.path("model");
        return model.isTextual() ? model.textValue() : "openai/gpt-oss-120b";
    }

    String lastRole() {
        return messages.isEmpty()
                ? ""
                : messages.get(messages.size() - 1).path("role").asText("");
    }

    /** Text of the newest message with {@code role}, or "" when there is none. */
    String lastText(String role) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (role.equals(message.path("role").asText())) return text(message.path("content"));
        }
        return "";
    }

    /** {@code low}, {@code medium} (the default) or {@code high}. */
    String reasoningEffort() {
        String effort = body.path("reasoning_effort").asText("medium");
        return effort.equals("low") || effort.equals("high") ? effort : "medium";
    }

    boolean showsReasoning() {
        return body.path("include_reasoning").asBoolean(true)
                && !body.path("reasoning_format").asText("").equals("hidden")
                && !body.path("reasoning_effort").asText("").equals("none");
    }

    /** {@code max_completion_tokens}, else the deprecated {@code max_tokens}; 0 when unlimited. */
    int tokenBudget() {
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode limit = body.path(field);
            if (limit.isNumber() && limit.asLong() > 0) return (int) Math.min(Integer.MAX_VALUE, limit.asLong());
        }
        return 0;
    }

    /** {@code text}, {@code json_object} or {@code json_schema}. */
    String responseFormat() {
        return body.path("response_format").path("type").asText("text");
    }

    JsonNode responseSchema() {
        return body.path("response_format").path("json_schema").path("schema");
    }

    /**
     * The function the answer calls, or null for a text answer: the named one, the first one when
     * {@code required}, and with {@code auto} (the default) the first one only when the user spoke last,
     * so that a tool round trip ends in text.
     */
    JsonNode functionToCall() {
        List<JsonNode> functions = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if (tool.path("type").asText("function").equals("function")
                    && tool.path("function").isObject()) {
                functions.add(tool.path("function"));
            }
        }
        JsonNode choice = body.path("tool_choice");
        String named = choice.path("function").path("name").asText("");
        if (!named.isEmpty()) {
            return functions.stream()
                    .filter(f -> named.equals(f.path("name").asText()))
                    .findFirst()
                    .orElse(Json.MAPPER.createObjectNode().put("name", named));
        }
        if (functions.isEmpty()) return null;
        String mode = choice.asText("auto");
        if (mode.equals("required")) return functions.getFirst();
        if (mode.equals("auto") || choice.isMissingNode() || choice.isNull()) {
            return lastRole().equals("user") ? functions.getFirst() : null;
        }
        return null;
    }

    /**
     * The built-in tool the answer runs, or null: the first {@code browser_search} / {@code code_interpreter}
     * in {@code tools}, unless {@code tool_choice} is {@code none} or names a function, and only when the
     * user spoke last (as for functions with {@code auto}).
     */
    BuiltInTool builtInTool() {
        JsonNode choice = body.path("tool_choice");
        if (choice.asText("").equals("none")
                || choice.path("function").isObject()
                || !lastRole().equals("user")) return null;
        for (JsonNode tool : body.path("tools")) {
            BuiltInTool builtIn = BuiltInTool.of(tool.path("type").asText(""));
            if (builtIn != null) return builtIn;
        }
        return null;
    }

    /**
     * An estimate of the prompt's size: every message's text and tool calls, 4 tokens of framing per
     * message, 3 to prime the answer, and the tool and schema definitions as compact JSON.
     */
    int promptTokens() {
        int tokens = 3;
        for (JsonNode message : messages) {
            tokens += 4 + Tokens.count(text(message.path("content")));
            for (JsonNode call : message.path("tool_calls")) {
                tokens += Tokens.count(call.path("function").path("name").asText(""));
                tokens += Tokens.count(call.path("function").path("arguments").asText(""));
            }
        }
        if (body.path("tools").isArray()) tokens += Tokens.count(Json.compact(body.path("tools")));
        if (responseSchema().isObject()) tokens += Tokens.count(Json.compact(responseSchema()));
        return tokens;
    }

    /** A string content, or the text parts of an array content joined by a space. */
    private static String text(JsonNode content) {
        if (content.isTextual()) return content.textValue();
        if (!content.isArray()) return "";
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            if (part.isTextual()) parts.add(part.textValue());
            else if (part.path("text").isTextual()) parts.add(part.path("text").textValue());
        }
        return String.join(" ", parts);
    }
}
