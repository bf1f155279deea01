package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Groq's {@code usage} object, with timings computed from the token counts at Groq's speeds. */
final class SyntheticUsage {
    /** gpt-oss-120b decodes at about 500 tokens/s on Groq. */
    static final BigDecimal COMPLETION_TOKENS_PER_SECOND = BigDecimal.valueOf(500);
    /** Prompt processing is far faster than decoding. */
    static final BigDecimal PROMPT_TOKENS_PER_SECOND = BigDecimal.valueOf(20_000);

    private SyntheticUsage() {}

    static ObjectNode of(int promptTokens, int completionTokens, int reasoningTokens, BigDecimal queueTime) {
        BigDecimal promptTime = seconds(promptTokens, PROMPT_TOKENS_PER_SECOND);
        BigDecimal completionTime = seconds(completionTokens, COMPLETION_TOKENS_PER_SECOND);
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("queue_time", decimal(queueTime));
        usage.put("prompt_tokens", promptTokens);
        usage.put("prompt_time", decimal(promptTime));
        usage.put("completion_tokens", completionTokens);
        usage.put("completion_time", decimal(completionTime));
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.put("total_time", decimal(promptTime.add(completionTime)));
        usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        return usage;
    }

    private static BigDecimal seconds(int tokens, BigDecimal perSecond) {
        return BigDecimal.valueOf(tokens).divide(perSecond, 9, RoundingMode.HALF_UP);
    }

    /** Nanosecond precision without trailing zeros, but always with a fraction ({@code 2.0}, never {@code 2E+0}). */
    private static BigDecimal decimal(BigDecimal value) {
        BigDecimal stripped = value.setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
        return stripped.scale() < 1 ? stripped.setScale(1) : stripped;
    }
}
