package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.BodyCapture;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.time.Instant;

/** What the proxy learns about one request as it goes, turned into its request-log row at the end. */
final class RequestTrail {
    final Instant time = Instant.now();
    final long startedNanos = System.nanoTime();
    final String requestId = RequestIds.next();
    private final String endpoint;
    private final String clientAddress;
    private final String userAgent;
    ClientKey key;
    String modelRequested;
    String modelServed;
    boolean stream;
    String user;
    /** How many built-in tools Groq ran, as its answer reported; null until an answer is relayed. */
    Integer executedTools;

    int status = 500;
    String errorType;
    String errorCode;
    String upstreamRequestId;
    long upstreamStartNanos;
    long upstreamEndNanos;
    long firstTokenNanos;
    private JsonNode usage;
    private String usageSource = "none";
    private Long promptTokens;
    private Long completionTokens;
    private Long costNanos;
    private BodyCapture bodies; // null unless this request's bodies are logged

    /** Starts the trail; {@code audit} counts it as in flight until its record is {@linkplain RequestAudit#finished finished}. */
    RequestTrail(Context ctx, String endpoint, RequestAudit audit) {
        audit.began();
        this.endpoint = endpoint;
        this.clientAddress = ctx.ip();
        this.userAgent = ctx.header("User-Agent");
    }

    /** Logs this request's bodies: {@code sent} now, the answer as it goes out. */
    void captureBodies(BodyCapture capture, byte[] sent) {
        bodies = capture;
        if (bodies != null) bodies.request(sent);
    }

    /** A whole answer as sent to the client. */
    void answered(byte[] body) {
        if (bodies != null) bodies.response(body);
    }

    /** {@code client}, copied into the logged answer when bodies are logged. */
    OutputStream answerStream(OutputStream client) {
        return bodies == null ? client : bodies.tee(client);
    }

    void refused(ApiError e) {
        if (bodies != null) bodies.response(Json.bytes(e.body()));
        status = e.status();
        errorType = e.type();
        errorCode = e.code();
    }

    /**
     * How the request ended, for its row: a failure after the answer began (a cut stream, an in-band
     * error, a client that left) is recorded as the failure it is, not as the 200 that started it.
     * {@code inBandError} is Groq's error event, whose {@code status_code}, type and code the row takes.
     */
    void ended(Ending ending, JsonNode inBandError) {
        if (ending == Ending.COMPLETED) return;
        status = ending.status;
        errorType = ending.errorType;
        errorCode = ending.errorCode;
        if (ending == Ending.STREAM_ERROR && inBandError != null) {
            JsonNode error = inBandError.has("error") ? inBandError.get("error") : inBandError;
            int stated = error.path("status_code").asInt(0);
            if (stated >= 400 && stated <= 599) status = stated;
            errorType = error.path("type").isTextual()
                            && !error.path("type").asText().equals("error")
                    ? error.path("type").asText()
                    : errorType;
            errorCode = error.path("code").isTextual() ? error.path("code").asText() : errorCode;
        }
    }

    /** Groq's error answer: its type and code. */
    void upstreamError(JsonNode answer) {
        errorType = answer.at("/error/type").asText(null);
        errorCode = answer.at("/error/code").asText(null);
    }

    void billed(Spending spending) {
        if (spending.billedPrompt() < 0) return;
        usage = spending.usage();
        usageSource = usage != null ? "groq" : "estimated";
        promptTokens = spending.billedPrompt();
        completionTokens = spending.billedCompletion();
        costNanos = spending.billedCostNanos();
    }

    /** A short word for the log line when the handler has none better: {@code ok}, or the error's code or type. */
    String outcome() {
        if (status < 400) return "ok";
        if (errorCode != null) return errorCode;
        return errorType != null ? errorType : "http_" + status;
    }

    RequestRecord record() {
        long end = System.nanoTime();
        Long upstreamMs = upstreamStartNanos == 0
                ? null
                : ((upstreamEndNanos == 0 ? end : upstreamEndNanos) - upstreamStartNanos) / 1_000_000;
        long upstreamNanos =
                upstreamStartNanos == 0 ? 0 : (upstreamEndNanos == 0 ? end : upstreamEndNanos) - upstreamStartNanos;
        Long reasoning = usage == null ? null : nullableLong(usage.at("/completion_tokens_details/reasoning_tokens"));
        Long cached = usage == null ? null : nullableLong(usage.at("/prompt_tokens_details/cached_tokens"));
        return new RequestRecord(
                null,
                time,
                requestId,
                upstreamRequestId,
                key == null ? null : key.id(),
                key == null ? null : key.name(),
                modelRequested,
                modelServed,
                endpoint,
                stream,
                status,
                errorType,
                errorCode,
                promptTokens,
                completionTokens,
                reasoning,
                cached,
                costNanos,
                usageSource,
                (end - startedNanos) / 1_000_000,
                firstTokenNanos == 0 ? null : (firstTokenNanos - startedNanos) / 1_000_000,
                upstreamMs,
                Math.max(0, (end - startedNanos - upstreamNanos) / 1_000),
                clientAddress,
                userAgent,
                user,
                bodies == null ? null : bodies.requestText(),
                bodies == null ? null : bodies.responseText(),
                executedTools);
    }

    private static Long nullableLong(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.asLong();
    }
}
