package dev.tollgate.mock.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.Locale;

/**
 * When each event of a stream goes out, as milliseconds after the response starts.
 * {@code recorded}: the recorded offsets divided by a speed factor; {@code instant}: all at once;
 * tokens per second: a time to first token, then each event after as long as its tokens take at
 * that rate (like Groq: about 500 tokens/s, so about 2 ms per chunk).
 */
public sealed interface Pacing {
    /** The schedule: offset in ms of {@code event} given the previous event's offset. */
    double offset(int index, SseEvent event, double previousOffset);

    record Recorded(double speed) implements Pacing {
        public Recorded {
            if (speed <= 0) throw new IllegalArgumentException("speed must be > 0");
        }

        public double offset(int index, SseEvent event, double previousOffset) {
            return event.at() / speed;
        }

        @Override
        public String toString() {
            return speed == 1 ? "recorded" : "recorded x" + speed;
        }
    }

    record Instant() implements Pacing {
        public double offset(int index, SseEvent event, double previousOffset) {
            return 0;
        }

        @Override
        public String toString() {
            return "instant";
        }
    }

    record TokensPerSecond(double tokensPerSecond, double firstTokenMs) implements Pacing {
        public TokensPerSecond {
            if (tokensPerSecond <= 0) throw new IllegalArgumentException("tokens per second must be > 0");
            if (firstTokenMs < 0) throw new IllegalArgumentException("time to first token must be >= 0");
        }

        public double offset(int index, SseEvent event, double previousOffset) {
            if (index == 0) return firstTokenMs;
            return previousOffset + tokensIn(event) * 1000.0 / tokensPerSecond;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT, "%.0f tokens/s, first token after %.0f ms", tokensPerSecond, firstTokenMs);
        }
    }

    Pacing INSTANT = new Instant();
    Pacing GROQ = new TokensPerSecond(500, 150);

    /** {@code recorded}, {@code instant}, or a number of tokens per second. */
    static Pacing parse(String spec, double speed, double firstTokenMs) {
        return switch (spec.toLowerCase(Locale.ROOT)) {
            case "recorded" -> new Recorded(speed);
            case "instant" -> INSTANT;
            default -> {
                try {
                    yield new TokensPerSecond(Double.parseDouble(spec.replaceFirst("(?i)tps$", "")), firstTokenMs);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "pace must be 'recorded', 'instant' or tokens per second (e.g. 500), was '" + spec + "'");
                }
            }
        };
    }

    /**
     * Tokens an event carries: Groq sends about one token per content or reasoning chunk; a whole
     * tool call arrives in one chunk, so it counts its arguments at about 4 characters a token.
     * Chunks without text (finish, usage, [DONE]) take no time.
     */
    static double tokensIn(SseEvent event) {
        if (event.isDone() || !event.data().startsWith("{")) return 0;
        JsonNode chunk;
        try {
            chunk = Json.parse(event.data());
        } catch (IllegalArgumentException malformed) {
            return 1;
        }
        double tokens = 0;
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            if (!delta.path("content").asText("").isEmpty()
                    || !delta.path("reasoning").asText("").isEmpty()) tokens += 1;
            for (JsonNode call : delta.path("tool_calls"))
                tokens += Math.max(
                        1, call.path("function").path("arguments").asText("").length() / 4.0);
        }
        return tokens;
    }
}
