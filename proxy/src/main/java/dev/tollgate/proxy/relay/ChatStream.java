package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.openai.OpenAiShape;

/**
 * A chat-completion stream: {@code chat.completion.chunk} events ending in {@code [DONE]}, or in
 * Groq's in-band {@code event: error}. Chunks are made OpenAI-valid ({@link OpenAiShape#chunk}); the
 * usage-only chunk Groq sends because the proxy always asks for usage is dropped when the client did
 * not ask; an error is passed on with secrets and key-shaped text masked.
 *
 * <p>Usage reaches the client only as OpenAI sends it: on a last chunk with {@code choices: []}, when asked
 * for. Groq also puts a top-level {@code usage} on its finish chunk, asked or not (shared/reference/groq-api.md
 * §4); that copy is removed (its {@code x_groq.usage} stays): openai-java's {@code ChatCompletionAccumulator}
 * throws on a chunk with choices and usage, and clients adding up per-chunk usage would count it twice.
 * Billing reads the usage before it is removed.
 */
final class ChatStream implements StreamDialect {
    private final boolean clientAskedForUsage;
    private final TokenCounter tokens;
    private final SecretMask mask;

    ChatStream(boolean clientAskedForUsage, TokenCounter tokens, SecretMask mask) {
        this.clientAskedForUsage = clientAskedForUsage;
        this.tokens = tokens;
        this.mask = mask;
    }

    @Override
    public SseEvent onEvent(SseEvent event, StreamTally tally) {
        if (event.isDone()) {
            tally.ended = true;
            return event;
        }
        if (event.isError()) {
            tally.failed(parsedOrNull(event.data()));
            return new SseEvent(0, "error", mask.secretsAndKeys(event.data()));
        }
        if (!(parsedOrNull(event.data()) instanceof ObjectNode chunk))
            throw new MalformedEvent("a stream event that is not a JSON object");
        if (chunk.has("error") && !chunk.has("choices")) { // an error sent as plain data: Groq's SDK raises on it too
            tally.failed(chunk);
            return new SseEvent(0, "error", mask.secretsAndKeys(event.data()));
        }
        boolean usageOnly =
                chunk.path("choices").isArray() && chunk.path("choices").isEmpty() && chunk.hasNonNull("usage");
        if (chunk.hasNonNull("usage")) tally.usage = chunk.get("usage");
        else if (tally.usage == null && chunk.path("x_groq").hasNonNull("usage"))
            tally.usage = chunk.path("x_groq").get("usage");
        if (usageOnly && !clientAskedForUsage) return null;
        if (!chunk.path("choices").isEmpty()) chunk.remove("usage");
        tally.outputTokens += outputTokens(chunk);
        OpenAiShape.chunk(chunk);
        return new SseEvent(0, event.event(), mask.secrets(Json.compact(chunk)));
    }

    @Override
    public SseEvent failure(String message, String code) {
        return new SseEvent(0, "error", Json.compact(ApiError.body(message, "upstream_error", null, code)));
    }

    /** The tokens of the content, reasoning and tool calls a chunk carries. */
    private long outputTokens(JsonNode chunk) {
        long count = 0;
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            count += tokens.text(delta.path("content").asText(""))
                    + tokens.text(delta.path("reasoning").asText(""));
            for (JsonNode call : delta.path("tool_calls")) {
                count += tokens.text(call.path("function").path("name").asText(""))
                        + tokens.text(call.path("function").path("arguments").asText(""));
            }
        }
        return count;
    }

    static JsonNode parsedOrNull(String data) {
        if (data.isEmpty() || (data.charAt(0) != '{' && data.charAt(0) != '[')) return null;
        try {
            return Json.parse(data);
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }
}
