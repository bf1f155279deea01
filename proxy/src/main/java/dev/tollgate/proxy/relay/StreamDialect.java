package dev.tollgate.proxy.relay;

import dev.tollgate.fixture.SseEvent;

/** What one API's event stream means: chat-completion chunks ending in {@code [DONE]}, or Responses events. */
interface StreamDialect {
    /**
     * The event to send on for {@code event} as Groq sent it (null: drop it), noting usage, output and
     * the stream's end in {@code tally}.
     *
     * @throws MalformedEvent when the event is not what this stream carries
     */
    SseEvent onEvent(SseEvent event, StreamTally tally);

    /** The last event the client gets when the proxy ends the stream for Groq's failure ({@code code}: why). */
    SseEvent failure(String message, String code);

    /** An upstream event this stream cannot carry. */
    final class MalformedEvent extends RuntimeException {
        MalformedEvent(String why) {
            super(why, null, false, false);
        }
    }
}
