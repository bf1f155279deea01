package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.config.ProxyConfig;

/**
 * A chat-completions request body, checked and rewritten for Groq. Only the fields the proxy needs
 * are looked at; everything else passes through untouched, so new OpenAI and Groq fields keep working.
 *
 * <p>Changes made on the way: the model alias becomes the upstream id; a stream always asks for
 * usage ({@code stream_options.include_usage}); assistant messages lose {@code reasoning_content} and
 * {@code reasoning_details}, which Groq rejects (the text moves to {@code reasoning}, which Groq accepts).
 */
public final class ChatRequest {
    public static final int MAX_OUTPUT_TOKENS = 65_536;

    private final ObjectNode body;
    private final String requestedModel;
    private final String upstreamModel;
    private final boolean stream;
    private final boolean clientAskedForUsage;

    private ChatRequest(ObjectNode body, String requestedModel, String upstreamModel, boolean stream, boolean clientAskedForUsage) {
        this.body = body;
        this.requestedModel = requestedModel;
        this.upstreamModel = upstreamModel;
        this.stream = stream;
        this.clientAskedForUsage = clientAskedForUsage;
    }

    /** Checks the body (400/404 {@link ApiError}s before anything is spent upstream) and rewrites it for Groq. */
    public static ChatRequest of(JsonNode parsed, ProxyConfig.Models models) {
        if (!(parsed instanceof ObjectNode body)) throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json");
        String model = requiredModel(body, models);
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) throw ApiError.invalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        if (!messages.isArray() || messages.isEmpty()) throw ApiError.invalidRequest("'messages' must be a non-empty array.", "messages", "invalid_type");
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw ApiError.invalidRequest("Groq serves only n=1; got n=" + n.asText() + ".", "n", "unsupported_value");
        }
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) continue;
            if (!value.canConvertToLong() || value.asLong() < 1 || value.asLong() > MAX_OUTPUT_TOKENS) {
                throw ApiError.invalidRequest("'" + field + "' must be an integer from 1 to " + MAX_OUTPUT_TOKENS + " (the model's output limit); got "
                        + value + ".", field, "invalid_value");
            }
        }
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
            throw ApiError.invalidRequest("'stream_options' must be an object.", "stream_options", "invalid_type");
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean askedForUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        String upstreamModel = models.resolve(model);
        body.put("model", upstreamModel);
        if (stream) body.withObject("stream_options").put("include_usage", true);
        for (JsonNode message : messages) if (message instanceof ObjectNode m) dropReasoningHistory(m);
        return new ChatRequest(body, model, upstreamModel, stream, askedForUsage);
    }

    /** The model a request asks for; 400 when missing, 404 {@code model_not_found} when the proxy does not serve it. */
    static String requiredModel(ObjectNode body, ProxyConfig.Models models) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) throw ApiError.invalidRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        if (!model.isTextual() || model.asText().isBlank()) throw ApiError.invalidRequest("'model' must be a non-empty string.", "model", "invalid_type");
        if (models.resolve(model.asText()) == null) {
            throw new ApiError(404, "The model `" + model.asText() + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model", "model_not_found");
        }
        return model.asText();
    }

    private static void dropReasoningHistory(ObjectNode message) {
        if (!"assistant".equals(message.path("role").asText())) return;
        JsonNode reasoningContent = message.remove("reasoning_content");
        message.remove("reasoning_details");
        if (reasoningContent != null && reasoningContent.isTextual() && !message.hasNonNull("reasoning")) {
            message.set("reasoning", reasoningContent);
        }
    }

    public ObjectNode body() {
        return body;
    }

    public String requestedModel() {
        return requestedModel;
    }

    public String upstreamModel() {
        return upstreamModel;
    }

    public boolean stream() {
        return stream;
    }

    public boolean clientAskedForUsage() {
        return clientAskedForUsage;
    }
}
