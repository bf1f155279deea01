package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.proxy.config.SecretMask;

/**
 * A Responses API stream: typed events ({@code response.created}, {@code response.output_text.delta}, …)
 * passed on as Groq sent them, ending with {@code response.completed} or {@code response.incomplete}
 * (which carry the usage), {@code response.failed}, or an {@code error} event.
 */
final class ResponsesStream implements StreamDialect {
    private final TokenCounter tokens;
    private final SecretMask mask;

    ResponsesStream(TokenCounter tokens, SecretMask mask) {
        this.tokens = tokens;
        this.mask = mask;
    }

    @Override
    public SseEvent onEvent(SseEvent event, StreamTally tally) {
        if (event.isDone()) {
            tally.ended = true;
            return event;
        }
        if (!(ChatStream.parsedOrNull(event.data()) instanceof ObjectNode data))
            throw new MalformedEvent("a stream event that is not a JSON object");
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "response.completed", "response.incomplete" -> {
                tally.usage = data.path("response").get("usage");
                tally.ended = true;
            }
            case "response.failed" -> {
                tally.usage = data.path("response").get("usage");
                JsonNode error = data.path("response").path("error");
                tally.failed(error.isObject() ? error : data);
            }
            case "error" -> tally.failed(data);
            default -> {
                if (type.endsWith(".delta"))
                    tally.outputTokens += tokens.text(data.path("delta").asText(""));
            }
        }
        boolean error = "error".equals(type) || "response.failed".equals(type) || event.isError();
        return new SseEvent(0, event.event(), error ? mask.secretsAndKeys(event.data()) : mask.secrets(event.data()));
    }

    @Override
    public SseEvent failure(String message, String code) {
        ObjectNode error = Json.MAPPER
                .createObjectNode()
                .put("type", "error")
                .put("code", code)
                .put("message", message)
                .putNull("param");
        return new SseEvent(0, "error", Json.compact(error));
    }
}
