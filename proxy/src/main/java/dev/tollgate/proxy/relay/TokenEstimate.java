package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a request may spend, before Groq says what it did: the prompt at one token per three bytes
 * of the request body (generous on purpose: English runs near four bytes a token, and a quota must
 * not be overrun by an estimate that was too low), and the output the request allows itself.
 */
public record TokenEstimate(long prompt, long output) {
    public static TokenEstimate of(byte[] body, JsonNode request, long defaultOutput) {
        return new TokenEstimate((body.length + 2) / 3, maxOutput(request, defaultOutput));
    }

    /** {@code max_completion_tokens}, else {@code max_tokens} (chat) or {@code max_output_tokens} (responses), else the default. */
    static long maxOutput(JsonNode request, long defaultOutput) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
            JsonNode value = request.get(field);
            if (value != null && value.canConvertToLong() && value.asLong() > 0) return value.asLong();
        }
        return defaultOutput;
    }

    public long total() {
        return prompt + output;
    }
}
