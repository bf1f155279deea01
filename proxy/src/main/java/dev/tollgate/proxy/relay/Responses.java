package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.openai.ApiError;
import java.util.List;

/**
 * {@code POST /v1/responses}: Groq's Responses API (beta), passed through under the same keys and
 * limits. The model alias is resolved; the answer goes back as Groq sent it, a stream event by event.
 */
public final class Responses implements ApiRoute {
    @Override
    public String endpoint() {
        return "/v1/responses";
    }

    @Override
    public String upstreamPath() {
        return "/responses";
    }

    @Override
    public ForwardedRequest prepare(JsonNode parsed, ProxyConfig.Models models) {
        if (!(parsed instanceof ObjectNode body))
            throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json");
        String requested = ChatRequest.requiredModel(body, models);
        String served = models.resolve(requested);
        body.put("model", served);
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiError.invalidRequest("'stream' must be a boolean; got " + stream + ".", "stream", "invalid_type");
        }
        return new ForwardedRequest(
                body, requested, served, stream != null && stream.asBoolean(false), true, List.of());
    }

    @Override
    public boolean acceptAnswer(ObjectNode answer) {
        return "response".equals(answer.path("object").asText());
    }

    @Override
    public long outputTokens(JsonNode answer, TokenCounter tokens) {
        long count = 0;
        for (JsonNode item : answer.path("output")) {
            count += tokens.text(item.path("arguments").asText(""));
            for (JsonNode part : item.path("content"))
                count += tokens.text(part.path("text").asText(""));
        }
        return count;
    }

    @Override
    public StreamDialect stream(ForwardedRequest request, TokenCounter tokens, SecretMask mask) {
        return new ResponsesStream(tokens, mask);
    }
}
