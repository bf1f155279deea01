package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.mock.synthetic.SyntheticAnswers;
import dev.tollgate.mock.synthetic.SyntheticResponses;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Synthetic mode's front door: refuses what Groq refuses for gpt-oss (unknown model, no messages,
 * {@code n} above 1, more output tokens than the model allows) with Groq's error bodies, and
 * answers the rest with a generated answer and Groq's headers.
 */
final class SyntheticRequests {
    private static final int MAX_OUTPUT_TOKENS = 65_536;

    private SyntheticRequests() {}

    static FixtureResponse answer(SyntheticAnswers synthetic, ModelCatalog catalog, JsonNode body) {
        String model = body.path("model").asText("");
        if (model.isEmpty()) return invalid("'model' : property 'model' is missing", "model");
        if (catalog.find(model) == null) {
            return error(
                    404,
                    "The model `" + model + "` does not exist or you do not have access to it.",
                    null,
                    "model_not_found");
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            return invalid("'messages' : minimum number of items is 1", "messages");
        }
        if (body.path("n").asInt(1) > 1) return invalid("'n' : number must be at most 1", "n");
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            if (body.path(field).asLong(0) > MAX_OUTPUT_TOKENS) {
                return invalid(
                        "`" + field + "` must be less than or equal to `" + MAX_OUTPUT_TOKENS
                                + "`, the maximum value for `" + field
                                + "` is less than the `context_window` for this model",
                        field);
            }
        }
        if (body.path("response_format").path("type").asText("text").matches("json_schema|json_object")
                && hasBrowserSearch(body)) {
            // console.groq.com/docs/browser-search: "Browser search is not compatible with structured outputs."
            // No recording shows Groq's wording for this refusal; the message is the mock's own.
            return invalid(
                    "`browser_search` is not supported with `response_format` `"
                            + body.path("response_format").path("type").asText() + "`",
                    "response_format");
        }
        return ok(synthetic.answer(body));
    }

    private static boolean hasBrowserSearch(JsonNode body) {
        for (JsonNode tool : body.path("tools"))
            if (tool.path("type").asText("").equals("browser_search")) return true;
        return false;
    }

    /**
     * A Responses API request. Refused as Groq's beta lacks them (console.groq.com/docs/responses-api,
     * "Unsupported Features"; "doesn't support stateful conversations yet"): {@code previous_response_id}
     * and {@code store: true} — nothing is stored, so a later request could not refer to it. No recording
     * shows Groq's wording for these refusals, so the messages are the mock's own, in Groq's error shape.
     * The other listed features ({@code truncation}, {@code include}, …) are accepted: nothing shows Groq
     * refuses them rather than ignoring them.
     */
    static FixtureResponse answerResponse(SyntheticResponses synthetic, ModelCatalog catalog, JsonNode body) {
        String model = body.path("model").asText("");
        if (model.isEmpty()) return invalid("'model' : property 'model' is missing", "model");
        if (catalog.find(model) == null) {
            return error(
                    404,
                    "The model `" + model + "` does not exist or you do not have access to it.",
                    null,
                    "model_not_found");
        }
        JsonNode input = body.path("input");
        if (!(input.isTextual() || input.isArray() && !input.isEmpty())) {
            return invalid("'input' : property 'input' is missing or empty", "input");
        }
        if (!body.path("previous_response_id").isMissingNode()
                && !body.path("previous_response_id").isNull()) {
            return invalid(
                    "`previous_response_id` is not supported: the Responses API does not support stateful conversations yet;"
                            + " send the conversation history in `input`",
                    "previous_response_id");
        }
        if (body.path("store").asBoolean(false)) {
            return invalid(
                    "`store` is not supported: responses are not stored; set `store` to false or leave it out",
                    "store");
        }
        if (body.path("max_output_tokens").asLong(0) > MAX_OUTPUT_TOKENS) {
            return invalid(
                    "`max_output_tokens` must be less than or equal to `" + MAX_OUTPUT_TOKENS + "`",
                    "max_output_tokens");
        }
        return ok(synthetic.answer(body));
    }

    private static FixtureResponse ok(ObjectNode answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("cache-control", "private, max-age=0, no-store, no-cache, must-revalidate");
        headers.put("x-groq-region", "mock");
        headers.put("x-ratelimit-limit-requests", "1000");
        headers.put("x-ratelimit-remaining-requests", "999");
        headers.put("x-ratelimit-reset-requests", "1m26.4s");
        headers.put("x-ratelimit-limit-tokens", "8000");
        headers.put("x-ratelimit-remaining-tokens", "8000");
        headers.put("x-ratelimit-reset-tokens", "0s");
        return FixtureResponse.json(200, headers, answer);
    }

    private static FixtureResponse invalid(String message, String param) {
        return error(400, message, param, null);
    }

    private static FixtureResponse error(int status, String message, String param, String code) {
        return FixtureResponse.json(
                status,
                Map.of("content-type", "application/json"),
                GroqErrors.groq(message, "invalid_request_error", param, code));
    }
}
