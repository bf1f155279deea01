package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;

/** What a relayed stream has shown so far: Groq's usage, the output relayed, and whether and how Groq ended it. */
final class StreamTally {
    /** Groq's usage, once stated (counted once, whichever event carried it). */
    JsonNode usage;
    /** Output tokens relayed, counted with the model's tokenizer. */
    long outputTokens;
    /** Groq's in-band error ({@code {"error":{…}}} or a Responses error event), when it ended the stream with one. */
    JsonNode error;
    /** A terminal event arrived. */
    boolean ended;
    /** When the first event reached the client (System.nanoTime), or 0. */
    long firstEventNanos;

    void failed(JsonNode error) {
        this.error = error;
        this.ended = true;
    }
}
