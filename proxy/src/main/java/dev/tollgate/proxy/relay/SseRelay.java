package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.openai.OpenAiShape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import okio.BufferedSource;

/**
 * Relays a chat-completion event stream from Groq to the client event by event, each flushed as
 * it arrives; nothing is held back. Chunks are made OpenAI-valid ({@link OpenAiShape#chunk}); the
 * usage-only chunk Groq sends because the proxy always asks for usage is dropped when the client did
 * not ask; Groq's in-band {@code event: error} goes through as it is.
 */
final class SseRelay {
    private SseRelay() {}

    /**
     * Reads events from {@code upstream} and writes them to {@code client} until [DONE], an error
     * event, or the end; {@code progressed} runs for each line read (it keeps the idle deadline away).
     */
    static StreamOutcome relay(BufferedSource upstream, OutputStream client, boolean clientAskedForUsage, Runnable progressed,
                               Runnable cancelUpstream) {
        JsonNode usage = null;
        long tokensSeen = 0;
        int sent = 0;
        long firstEvent = 0;
        String name = null;
        StringBuilder data = null;
        try {
            while (true) {
                String line;
                try {
                    line = upstream.readUtf8Line();
                    progressed.run();
                } catch (IOException e) {
                    writeQuietly(client, upstreamBroke());
                    return new StreamOutcome(usage, sent, false, true, false, firstEvent, tokensSeen);
                }
                if (line == null) { // the upstream closed without [DONE] or an error event: the answer is incomplete
                    writeQuietly(client, upstreamBroke());
                    return new StreamOutcome(usage, sent, false, true, false, firstEvent, tokensSeen);
                }
                if (!line.isEmpty()) {
                    if (line.startsWith("event:")) name = line.substring(6).trim();
                    else if (line.startsWith("data:")) {
                        String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    }
                    continue;
                }
                if (data == null) continue;
                SseEvent event = new SseEvent(0, name == null || name.equals("message") ? null : name, data.toString());
                name = null;
                data = null;
                if (event.isError()) {
                    write(client, SseFraming.encode(event));
                    return new StreamOutcome(usage, sent + 1, false, false, true, firstEvent == 0 ? System.nanoTime() : firstEvent, tokensSeen);
                }
                if (event.isDone()) {
                    write(client, SseFraming.encode(event));
                    return new StreamOutcome(usage, sent + 1, false, false, false, firstEvent == 0 ? System.nanoTime() : firstEvent, tokensSeen);
                }
                String out = event.data();
                if (out.startsWith("{")) {
                    ObjectNode chunk = (ObjectNode) Json.parse(out);
                    boolean usageOnly = chunk.path("choices").isArray() && chunk.path("choices").isEmpty() && chunk.hasNonNull("usage");
                    if (chunk.hasNonNull("usage")) usage = chunk.get("usage");
                    else if (usage == null && chunk.path("x_groq").hasNonNull("usage")) usage = chunk.path("x_groq").get("usage");
                    if (usageOnly && !clientAskedForUsage) continue;
                    tokensSeen += tokensIn(chunk);
                    OpenAiShape.chunk(chunk);
                    out = Json.compact(chunk);
                }
                write(client, SseFraming.encode(new SseEvent(0, event.event(), out)));
                if (sent++ == 0) firstEvent = System.nanoTime();
            }
        } catch (ClientGone e) {
            cancelUpstream.run();
            return new StreamOutcome(usage, sent, true, false, false, firstEvent, tokensSeen);
        }
    }

    /** About one token per content or reasoning delta; a whole tool call at about four characters a token. */
    private static long tokensIn(JsonNode chunk) {
        long tokens = 0;
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            if (!delta.path("content").asText("").isEmpty() || !delta.path("reasoning").asText("").isEmpty()) tokens++;
            for (JsonNode call : delta.path("tool_calls")) tokens += 1 + call.path("function").path("arguments").asText("").length() / 4;
        }
        return tokens;
    }

    private static String upstreamBroke() {
        ObjectNode body = ApiError.body("The upstream stream broke off before it finished.", "upstream_error", null, "upstream_stream_error");
        return SseFraming.encode(new SseEvent(0, "error", Json.compact(body)));
    }

    private static void write(OutputStream client, String frame) {
        try {
            client.write(frame.getBytes(StandardCharsets.UTF_8));
            client.flush();
        } catch (IOException e) {
            throw new ClientGone();
        }
    }

    private static void writeQuietly(OutputStream client, String frame) {
        try {
            write(client, frame);
        } catch (ClientGone ignored) {
            // nobody left to tell
        }
    }

    /** The client's connection failed while we wrote to it. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super(null, null, false, false);
        }
    }
}
