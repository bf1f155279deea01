package dev.tollgate.proxy.relay;

import dev.tollgate.proxy.openai.ApiError;

/**
 * How a forwarded request ended once Groq had it: a row of the billing policy (the README's
 * "Billing: how each request ends"). Requests refused before Groq was asked (key, limits, a bad body)
 * and calls that never got an answer (Groq unreachable, no first byte in time) end as {@link ApiError}s
 * instead, with nothing billed.
 *
 * <p>Billing, in {@link Spending#settle}: Groq's usage whenever Groq stated it; otherwise an estimate
 * (the prompt counted with gpt-oss's tokenizer, the output relayed) when the client left after Groq
 * started working or when output had reached the client before the answer broke; otherwise nothing.
 */
enum Ending {
    /** The whole answer reached the client (or Groq's own error answer did: status and type are Groq's). */
    COMPLETED(0, null, null),
    /** The client closed its connection before the answer was through (nginx's 499). */
    CLIENT_LEFT(499, "client_disconnected", "client_disconnected"),
    /** Groq's stream stopped without its end ({@code [DONE]}, {@code response.completed}): the client got a final error event. */
    STREAM_CUT(502, "upstream_error", "upstream_stream_error"),
    /** Groq ended its stream with an in-band error event (status, type and code come from that event). */
    STREAM_ERROR(502, "upstream_error", null),
    /** An event that is not what the stream carries (not JSON, say): the client got a final error event. */
    STREAM_MALFORMED(502, "upstream_error", "upstream_malformed"),
    /** Groq fell silent mid-stream for longer than the idle timeout: the client got a final error event. */
    IDLE_TIMEOUT(504, "upstream_error", "upstream_timeout"),
    /** A 200 JSON answer that is not a completion (or response): the client got a 502. */
    ANSWER_MALFORMED(502, "upstream_error", "upstream_malformed");

    /** The status the request-log row records; 0 keeps Groq's. */
    final int status;

    final String errorType;
    final String errorCode;

    Ending(int status, String errorType, String errorCode) {
        this.status = status;
        this.errorType = errorType;
        this.errorCode = errorCode;
    }
}
