package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.concurrent.CompletableFuture;

/**
 * Counts tokens the way gpt-oss does (OpenAI's o200k encoding), for what is billed when Groq never
 * states its usage: a request's prompt, and the output relayed before a stream ended early.
 *
 * <p>gpt-oss reads a conversation in OpenAI's harmony format: a system preamble Groq adds, a few
 * framing tokens per message and per tool call, then the text. The constants below were fitted to
 * the real gpt-oss-120b recordings in {@code shared/reference/groq-recordings/req_llm} ("Hello world!"
 * is 74 prompt tokens at Groq: 68 + 3 + 3; the repository's recorded fixtures check them, in
 * {@code TokenCounterTest}); tool definitions count as their JSON, which runs up to 40% above Groq's
 * count (harmony renders them more tersely), so an estimate errs high there.
 */
public final class TokenCounter {
    static final int PREAMBLE = 68;
    static final int PER_MESSAGE = 3;
    static final int PER_TOOL_CALL = 8;
    /** What JSON mode ({@code json_object}) adds; a {@code json_schema} adds its schema and more framing (each fitted on one recording). */
    static final int JSON_OBJECT_MODE = 28;

    static final int JSON_SCHEMA_MODE = 46;

    /** The encoding takes half a second and 30 MB of heap to load: done once, off the request path, from the start. */
    private final CompletableFuture<Encoding> o200k = CompletableFuture.supplyAsync(
            () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE),
            task -> Thread.ofVirtual().name("tollgate-tokenizer-load").start(task));

    /** Tokens in {@code text}; 0 for null or empty. */
    public int text(String text) {
        return text == null || text.isEmpty() ? 0 : o200k.join().countTokensOrdinary(text);
    }

    /** The prompt of a chat-completions ({@code messages}) or Responses ({@code instructions}, {@code input}) request. */
    public long prompt(JsonNode request) {
        long tokens = PREAMBLE;
        JsonNode instructions = request.get("instructions");
        if (instructions != null && instructions.isTextual()) tokens += PER_MESSAGE + text(instructions.asText());
        JsonNode input = request.get("input");
        if (input != null && input.isTextual()) tokens += PER_MESSAGE + text(input.asText());
        else if (input != null && input.isArray()) for (JsonNode item : input) tokens += message(item);
        for (JsonNode message : request.path("messages")) tokens += message(message);
        for (JsonNode tool : request.path("tools")) tokens += text(tool.toString());
        JsonNode format = request.path("response_format");
        if (format.path("json_schema").isObject())
            tokens += JSON_SCHEMA_MODE + text(format.path("json_schema").toString());
        else if ("json_object".equals(format.path("type").asText())) tokens += JSON_OBJECT_MODE;
        return tokens;
    }

    private long message(JsonNode message) {
        long tokens = PER_MESSAGE + content(message.get("content"));
        if (message.has("output")) tokens += content(message.get("output")); // a Responses function_call_output item
        for (JsonNode call : message.path("tool_calls")) {
            tokens += PER_TOOL_CALL
                    + text(call.path("function").path("name").asText(""))
                    + text(call.path("function").path("arguments").asText(""));
        }
        if (message.has("arguments"))
            tokens += PER_TOOL_CALL
                    + text(message.path("name").asText(""))
                    + text(message.path("arguments").asText(""));
        return tokens;
    }

    /** A content string, or parts: the text of text parts, the JSON of anything else. */
    private long content(JsonNode content) {
        if (content == null || content.isNull()) return 0;
        if (content.isTextual()) return text(content.asText());
        long tokens = 0;
        if (content.isArray()) {
            for (JsonNode part : content)
                tokens += part.path("text").isTextual() ? text(part.path("text").asText()) : text(part.toString());
        } else {
            tokens += text(content.toString());
        }
        return tokens;
    }
}
