package dev.tollgate.mock.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks on {@code tools}: an array (SDK: {@code Optional[Iterable[ChatCompletionToolParam]]}) of at most
 * 128 (ha-groq-cloud-api#25), each an object whose {@code function}, when present, is an object (SDK:
 * {@code function: FunctionDefinition}); and no JSON mode with tools (recorded refusal).
 */
final class ToolRules {
    static final int MAX_TOOLS = 128;

    private ToolRules() {}

    static Refusal checkTypes(JsonNode body) {
        JsonNode tools = body.get("tools");
        if (tools == null || tools.isNull()) return null;
        if (!tools.isArray()) return GroqMessages.wrongType("tools", "array");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) return GroqMessages.wrongType("tools." + i, "object");
            JsonNode function = tool.get("function");
            if (function != null && !function.isObject())
                return GroqMessages.wrongType("tools." + i + ".function", "object");
        }
        return null;
    }

    static Refusal checkLimits(JsonNode body) {
        JsonNode tools = body.path("tools");
        if (tools.isArray() && tools.size() > MAX_TOOLS) return GroqMessages.maxItems("tools", MAX_TOOLS);
        boolean jsonMode =
                "json_object".equals(body.path("response_format").path("type").asText(null));
        if (jsonMode && tools.isArray() && !tools.isEmpty()) return GroqMessages.jsonModeWithTools();
        return null;
    }
}
