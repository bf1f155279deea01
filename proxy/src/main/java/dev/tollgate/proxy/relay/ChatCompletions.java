package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.SecretMask;
import dev.tollgate.proxy.openai.OpenAiShape;

/** {@code POST /v1/chat/completions}: checked and rewritten by {@link ChatRequest}, answered by a completion or a chunk stream. */
public final class ChatCompletions implements ApiRoute {
    private final HistoryCleanup cleanup;

    public ChatCompletions(HistoryCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Override
    public String endpoint() {
        return "/v1/chat/completions";
    }

    @Override
    public String upstreamPath() {
        return "/chat/completions";
    }

    @Override
    public ForwardedRequest prepare(JsonNode body, ProxyConfig.Models models) {
        ChatRequest request = ChatRequest.of(body, models, cleanup);
        return new ForwardedRequest(
                request.body(),
                request.requestedModel(),
                request.upstreamModel(),
                request.stream(),
                request.clientAskedForUsage(),
                request.changes());
    }

    @Override
    public boolean acceptAnswer(ObjectNode answer) {
        if (!"chat.completion".equals(answer.path("object").asText())
                || !answer.path("choices").isArray()) return false;
        OpenAiShape.completion(answer);
        return true;
    }

    @Override
    public long outputTokens(JsonNode answer, TokenCounter tokens) {
        long count = 0;
        for (JsonNode choice : answer.path("choices")) {
            JsonNode message = choice.path("message");
            count += tokens.text(message.path("content").asText(""))
                    + tokens.text(message.path("reasoning").asText(""));
            for (JsonNode call : message.path("tool_calls"))
                count += tokens.text(call.path("function").path("arguments").asText(""));
        }
        return count;
    }

    @Override
    public StreamDialect stream(ForwardedRequest request, TokenCounter tokens, SecretMask mask) {
        return new ChatStream(request.clientAskedForUsage(), tokens, mask);
    }
}
