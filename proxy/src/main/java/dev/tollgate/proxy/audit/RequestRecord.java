package dev.tollgate.proxy.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One row of the request log: a request as the proxy finished with it, refused ones (bad key, rate,
 * quota, validation) and client disconnects included. Boxed fields are {@code null} when unknown.
 *
 * @param id                 the row id once stored; {@code null} for a record not yet written
 * @param time               when the request arrived
 * @param requestId          our request id
 * @param upstreamRequestId  Groq's {@code x-request-id}
 * @param modelRequested     the model the client asked for
 * @param modelServed        the model that answered
 * @param endpoint           the path, e.g. {@code /v1/chat/completions}
 * @param status             the HTTP status sent (or that would have been, for a client disconnect)
 * @param errorType          the OpenAI-style error type, {@code null} on success
 * @param costNanos          cost in nano-dollars (10^-9 USD)
 * @param usageSource        {@code groq} (reported), {@code estimated} (counted by us) or {@code none}
 * @param latencyMs          total latency
 * @param firstTokenMs       time to first token (streams)
 * @param upstreamMs         time spent waiting on Groq
 * @param overheadMicros     our own overhead
 * @param user               the request body's {@code user} field
 * @param requestBody        the request body as sent to Groq, capped and with secrets masked; only when bodies are logged
 * @param responseBody       the answer as sent to the client (a stream's events), likewise
 * @param executedTools      how many of Groq's built-in tools ran ({@code message.executed_tools}); {@code null} when no answer was relayed
 */
public record RequestRecord(
        Long id,
        Instant time,
        String requestId,
        String upstreamRequestId,
        String keyId,
        String keyName,
        String modelRequested,
        String modelServed,
        String endpoint,
        boolean stream,
        int status,
        String errorType,
        String errorCode,
        Long promptTokens,
        Long completionTokens,
        Long reasoningTokens,
        Long cachedTokens,
        Long costNanos,
        String usageSource,
        long latencyMs,
        Long firstTokenMs,
        Long upstreamMs,
        Long overheadMicros,
        String clientAddress,
        String userAgent,
        String user,
        String requestBody,
        String responseBody,
        Integer executedTools) {

    public static final Set<String> USAGE_SOURCES = Set.of("groq", "estimated", "none");

    public RequestRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(endpoint, "endpoint");
        if (!USAGE_SOURCES.contains(usageSource)) {
            throw new IllegalArgumentException("usageSource must be groq, estimated or none: " + usageSource);
        }
    }
}
