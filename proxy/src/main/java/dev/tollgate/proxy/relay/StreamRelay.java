package dev.tollgate.proxy.relay;

import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.proxy.upstream.Upstream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import okio.BufferedSource;

/**
 * Relays an event stream from Groq to the client event by event, each flushed as it arrives; nothing
 * is held back. Events are read with {@link SseFraming.Events} (the parser the recorder uses too) and
 * given their meaning by the stream's {@link StreamDialect}. When Groq's stream stops short, falls
 * silent, or sends what the stream cannot carry, the client gets one final error event and the call is
 * ended; when the client leaves, the call to Groq is cancelled.
 */
final class StreamRelay {
    private StreamRelay() {}

    /** Relays until Groq ends the stream, it fails, or the client leaves; says which, with {@code tally} filled in. */
    static Ending relay(
            BufferedSource upstream,
            OutputStream client,
            StreamDialect dialect,
            Upstream.Exchange exchange,
            StreamTally tally) {
        SseFraming.Events parser = new SseFraming.Events();
        try {
            while (true) {
                String line;
                try {
                    line = upstream.readUtf8Line();
                } catch (IOException e) {
                    return fail(
                            client, dialect, exchange, exchange.timedOut() ? Ending.IDLE_TIMEOUT : Ending.STREAM_CUT);
                }
                SseEvent event = line == null ? parser.end(0) : parser.line(line, 0);
                if (line != null) exchange.progressed();
                if (event != null) {
                    tally.sawExecutedTools(event);
                    SseEvent out;
                    try {
                        out = dialect.onEvent(event, tally);
                    } catch (StreamDialect.MalformedEvent e) {
                        return fail(client, dialect, exchange, Ending.STREAM_MALFORMED);
                    }
                    if (out != null) {
                        write(client, SseFraming.encode(out));
                        if (tally.firstEventNanos == 0) tally.firstEventNanos = System.nanoTime();
                    }
                    if (tally.ended) {
                        drain(upstream);
                        return tally.error != null ? Ending.STREAM_ERROR : Ending.COMPLETED;
                    }
                }
                if (line == null) return fail(client, dialect, exchange, Ending.STREAM_CUT); // closed before its end
            }
        } catch (ClientGone e) {
            exchange.call().cancel();
            return Ending.CLIENT_LEFT;
        }
    }

    /** Reads what Groq sends after its stream's end (normally only the body's end), so the answer is seen whole (record mode). */
    private static void drain(BufferedSource upstream) {
        try {
            while (!upstream.exhausted()) upstream.skip(upstream.getBuffer().size());
        } catch (IOException | IllegalStateException ignored) {
            // the answer is complete for the client; what follows does not matter
        }
    }

    private static Ending fail(OutputStream client, StreamDialect dialect, Upstream.Exchange exchange, Ending ending) {
        exchange.call().cancel();
        String message = switch (ending) {
            case IDLE_TIMEOUT -> "Groq's stream fell silent for longer than the proxy waits; the answer is incomplete.";
            case STREAM_MALFORMED -> "Groq's stream carried an event that is not valid; the answer is incomplete.";
            default -> "The upstream stream broke off before it finished.";
        };
        try {
            write(client, SseFraming.encode(dialect.failure(message, ending.errorCode)));
        } catch (ClientGone gone) {
            // Groq's failure came first: that is how this request ended
        }
        return ending;
    }

    private static void write(OutputStream client, String frame) {
        try {
            client.write(frame.getBytes(StandardCharsets.UTF_8));
            client.flush();
        } catch (IOException e) {
            throw new ClientGone();
        }
    }

    /** The client's connection failed while we wrote to it. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super(null, null, false, false);
        }
    }
}
