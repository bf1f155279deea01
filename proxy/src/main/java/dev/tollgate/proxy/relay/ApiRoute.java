package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.openai.ApiError;

/** What differs between the APIs the proxy forwards to Groq; {@link Forwarding} does the rest, the same for each. */
interface ApiRoute {
    /** The route as logged, e.g. {@code /v1/chat/completions}. */
    String endpoint();

    /** The path under Groq's base URL, e.g. {@code /chat/completions}. */
    String upstreamPath();

    /** Checks the body (an {@link ApiError} 4xx before anything is spent) and rewrites it for Groq. */
    ForwardedRequest prepare(JsonNode body, ProxyConfig.Models models);

    /** Whether a 200 JSON answer is this API's answer (a completion, a response); if so, makes it OpenAI-valid in place. */
    boolean acceptAnswer(ObjectNode answer);

    /** The output tokens in a whole answer, for one that came without usage. */
    long outputTokens(JsonNode answer, TokenCounter tokens);

    /** How this request's event stream is read. */
    StreamDialect stream(ForwardedRequest request, TokenCounter tokens, SecretMask mask);
}
