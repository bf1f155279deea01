package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.openai.ApiError;
import java.util.List;

/**
 * A chat-completions request body, checked and rewritten for Groq. Only the fields the proxy needs
 * are looked at; everything else passes through untouched, so new OpenAI and Groq fields keep working.
 *
 * <p>Changes made on the way: the model alias becomes the upstream id; a stream always asks for
 * usage ({@code stream_options.include_usage}); the history is cleaned of what Groq refuses ({@link HistoryCleanup}),
 * and what that changed is kept for the answer's {@code x-tollgate-request-changes} header.
 */
public final class ChatRequest {
    public static final int MAX_OUTPUT_TOKENS = 65_536;

    private final ObjectNode body;
    private final String requestedModel;
    private final String upstreamModel;
    private final boolean stream;
    private final boolean clientAskedForUsage;
    private final List<String> changes;

    private ChatRequest(
            ObjectNode body,
            String requestedModel,
            String upstreamModel,
            boolean stream,
            boolean clientAskedForUsage,
            List<String> changes) {
        this.body = body;
        this.requestedModel = requestedModel;
        this.upstreamModel = upstreamModel;
        this.stream = stream;
        this.clientAskedForUsage = clientAskedForUsage;
        this.changes = List.copyOf(changes);
    }

    /** Checks the body (400/404 {@link ApiError}s before anything is spent upstream) and rewrites it for Groq. */
    public static ChatRequest of(JsonNode parsed, ProxyConfig.Models models, HistoryCleanup cleanup) {
        if (!(parsed instanceof ObjectNode body))
            throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json");
        String model = requiredModel(body, models);
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull())
            throw ApiError.invalidRequest(
                    "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        if (!messages.isArray() || messages.isEmpty())
            throw ApiError.invalidRequest("'messages' must be a non-empty array.", "messages", "invalid_type");
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw ApiError.invalidRequest("Groq serves only n=1; got n=" + n.asText() + ".", "n", "unsupported_value");
        }
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) continue;
            if (!value.canConvertToLong() || value.asLong() < 1 || value.asLong() > MAX_OUTPUT_TOKENS) {
                throw ApiError.invalidRequest(
                        "'" + field + "' must be an integer from 1 to " + MAX_OUTPUT_TOKENS
                                + " (the model's output limit); got " + value + ".",
                        field,
                        "invalid_value");
            }
        }
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
            throw ApiError.invalidRequest("'stream_options' must be an object.", "stream_options", "invalid_type");
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean askedForUsage =
                body.path("stream_options").path("include_usage").asBoolean(false);
        String upstreamModel = models.resolve(model);
        body.put("model", upstreamModel);
        if (stream) body.withObject("stream_options").put("include_usage", true);
        List<String> changes = cleanup.apply(messages);
        return new ChatRequest(body, model, upstreamModel, stream, askedForUsage, changes);
    }

    /** The model a request asks for; 400 when missing, 404 {@code model_not_found} when the proxy does not serve it. */
    static String requiredModel(ObjectNode body, ProxyConfig.Models models) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull())
            throw ApiError.invalidRequest(
                    "Missing required parameter: 'model'.", "model", "missing_required_parameter");
        if (!model.isTextual() || model.asText().isBlank())
            throw ApiError.invalidRequest("'model' must be a non-empty string.", "model", "invalid_type");
        if (models.resolve(model.asText()) == null) {
            throw new ApiError(
                    404,
                    "The model `" + model.asText() + "` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model",
                    "model_not_found");
        }
        return model.asText();
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

    /** What {@link HistoryCleanup} changed in the messages, in order. */
    public List<String> changes() {
        return changes;
    }
}
