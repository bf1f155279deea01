package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a relayed stream ended, and the usage Groq reported in it (counted once).
 *
 * @param usage          the stream's usage, or null when the stream ended before Groq stated it
 * @param events         events sent to the client
 * @param clientGone     the client disconnected; the upstream call was cancelled
 * @param upstreamFailed the upstream stream broke or fell silent; the client got an error event
 * @param inBandError    Groq ended the stream with an {@code event: error}
 * @param firstEventNanos when the first event reached the client (System.nanoTime), or 0
 * @param tokensSeen      output tokens counted from the deltas relayed (about one per content or reasoning
 *                        chunk), what a stream cut short before its usage is billed for
 */
public record StreamOutcome(JsonNode usage, int events, boolean clientGone, boolean upstreamFailed, boolean inBandError,
                            long firstEventNanos, long tokensSeen) {}
