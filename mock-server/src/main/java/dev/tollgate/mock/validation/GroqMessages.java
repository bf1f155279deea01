package dev.tollgate.mock.validation;

/**
 * Groq's wording for the requests it refuses, in one place. Groq reports one violation, naming its
 * JSON path as {@code 'messages.1'} (indexes from 0). Each method cites the answer it copies; where
 * only the pattern is quoted (a type or a bound Groq was not seen naming for that very field), the
 * comment says so and the text follows the quoted pattern.
 */
final class GroqMessages {
    private GroqMessages() {}

    /**
     * {@code 'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' : property
     * 'reasoning_content' is unsupported)]}, type invalid_request_error, no param, no code: janhq/jan#8136,
     * AstrBotDevs/AstrBot#5946 and NousResearch/hermes-agent#11089 (full bodies), tashfeenahmed/freellmapi#1070;
     * user {@code timestamp} ServiceStack/llms#17, user {@code metadata} odysseus-dev/odysseus#200 (2026).
     * Older answers added "did you mean 'name'?" (chatboxai/chatbox#2081, 2025); the 2026 ones do not, nor does the mock.
     */
    static Refusal unsupportedProperty(int index, String role, String property) {
        String at = "'messages." + index + "'";
        return Refusal.invalid(at + " : for 'role:" + role + "' the following must be satisfied[(" + at
                + " : property '" + property + "' is unsupported)]");
    }

    /**
     * {@code 'messages.0' : discriminator property 'role' has invalid value} for {@code "role":"human"}:
     * nhaouari/obsidian-textgenerator-plugin#309. A missing role gets the same text (the role is the
     * discriminator; no answer to a missing role is quoted anywhere we looked).
     */
    static Refusal invalidRole(int index) {
        return Refusal.invalid("'messages." + index + "' : discriminator property 'role' has invalid value");
    }

    /**
     * {@code 'temperature' : value must be a number} (ai-shifu/ChatALL#901) and {@code 'messages.2.content' : value
     * must be a string} (CherryHQ/cherry-studio#3307). "an integer", "an array", "an object" follow that pattern.
     */
    static Refusal wrongType(String path, String type) {
        String article = type.matches("[aeiou].*") ? "an " : "a ";
        return Refusal.invalid("'" + path + "' : value must be " + article + type);
    }

    /**
     * {@code 'n' : number must be at most 1}: the rule is Groq's ("only n=1 is supported. Other values will result
     * in a 400 response", SDK completion_create_params.py and docs), the text as quoted in groq-api.md (dspy#1155)
     * in Groq's schema wording; the same wording for temperature's bound of 2.
     */
    static Refusal atMost(String path, String limit) {
        return Refusal.invalid("'" + path + "' : number must be at most " + limit);
    }

    /** The lower twin of {@link #atMost} (n = 0, a negative temperature): pattern, not quoted. */
    static Refusal atLeast(String path, String limit) {
        return Refusal.invalid("'" + path + "' : number must be at least " + limit);
    }

    /** {@code 'tools' : maximum number of items is 128}: HunorLaczko/ha-groq-cloud-api#25 (full body, 2026). */
    static Refusal maxItems(String path, int limit) {
        return Refusal.invalid("'" + path + "' : maximum number of items is " + limit);
    }

    /**
     * {@code `max_completion_tokens` must be less than or equal to `16384`, the maximum value for
     * `max_completion_tokens` is less than the `context_window` for this model}, param max_completion_tokens:
     * Alishahryar1/free-claude-code#1354 (full body, 2026).
     */
    static Refusal tooManyOutputTokens(String field, int limit) {
        return Refusal.invalid(
                "`" + field + "` must be less than or equal to `" + limit + "`, the maximum value for `" + field
                        + "` is less than the `context_window` for this model",
                field);
    }

    /**
     * {@code {"message":"json mode cannot be combined with tool/function calling","type":"invalid_request_error",
     * "param":"response_format"}}: recorded, groq-recordings/vercel-ai/issue-10023-output-with-tools-error.json.
     */
    static Refusal jsonModeWithTools() {
        return Refusal.invalid("json mode cannot be combined with tool/function calling", "response_format");
    }
}
