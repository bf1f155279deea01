package dev.tollgate.mock.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks on a chat completion's own fields: their JSON types (Groq's SDK types, completion_create_params.py:
 * each is Optional, so null passes), then their ranges for openai/gpt-oss-120b. A field the evidence says
 * nothing firm about is not checked.
 */
final class ChatFieldRules {
    /** gpt-oss-120b's maximum output (docs: model card), refused with Groq's own wording. */
    static final int MAX_OUTPUT_TOKENS = 65_536;

    private ChatFieldRules() {}

    static Refusal checkTypes(JsonNode body) {
        for (String number : new String[] {"temperature", "top_p", "frequency_penalty", "presence_penalty"}) {
            if (!nullOr(body.get(number), JsonNode::isNumber)) return GroqMessages.wrongType(number, "number");
        }
        for (String integer : new String[] {"n", "max_completion_tokens", "max_tokens"}) {
            if (!nullOr(body.get(integer), ChatFieldRules::isInteger))
                return GroqMessages.wrongType(integer, "integer");
        }
        for (String bool : new String[] {"stream", "parallel_tool_calls"}) {
            if (!nullOr(body.get(bool), JsonNode::isBoolean)) return GroqMessages.wrongType(bool, "boolean");
        }
        return null;
    }

    static Refusal checkRanges(JsonNode body) {
        JsonNode n = body.get("n");
        if (isInteger(n) && n.asDouble() > 1) return GroqMessages.atMost("n", "1");
        if (isInteger(n) && n.asDouble() < 1) return GroqMessages.atLeast("n", "1");
        // "temperature: A higher value… between 0 and 2" (SDK, docs); bounds in Groq's schema wording.
        JsonNode temperature = body.get("temperature");
        if (temperature != null
                && temperature.isNumber()
                && temperature.decimalValue().compareTo(java.math.BigDecimal.valueOf(2)) > 0) {
            return GroqMessages.atMost("temperature", "2");
        }
        if (temperature != null
                && temperature.isNumber()
                && temperature.decimalValue().signum() < 0) {
            return GroqMessages.atLeast("temperature", "0");
        }
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (isInteger(value)
                    && value.decimalValue().compareTo(java.math.BigDecimal.valueOf(MAX_OUTPUT_TOKENS)) > 0) {
                return GroqMessages.tooManyOutputTokens(field, MAX_OUTPUT_TOKENS);
            }
        }
        return null;
    }

    private static boolean nullOr(JsonNode value, java.util.function.Predicate<JsonNode> type) {
        return value == null || value.isNull() || type.test(value);
    }

    /** JSON Schema's integer: a number with no fractional part, so {@code 1.0} counts (when unsure, accept). */
    static boolean isInteger(JsonNode value) {
        if (value == null || !value.isNumber()) return false;
        if (value.isIntegralNumber()) return true;
        return value.decimalValue().stripTrailingZeros().scale() <= 0;
    }
}
