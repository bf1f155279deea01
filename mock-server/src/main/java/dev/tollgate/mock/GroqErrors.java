package dev.tollgate.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error answers in Groq's shape ({@code {"error":{"message","type","code"}}}): the ones injected as
 * faults and the mock's own (which also carry {@code param}, so all four OpenAI keys are present).
 * The 429 follows the bodies and headers quoted in groq-api.md; the 5xx and 498 wordings are
 * Groq's documented meanings, as no recording of them exists.
 */
public final class GroqErrors {
    private GroqErrors() {}

    public static FixtureResponse forStatus(int status, String model, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-request-id", requestId);
        headers.put("x-groq-region", "mock");
        ObjectNode body = switch (status) {
            case 429 -> {
                headers.put("retry-after", "2");
                headers.put("x-ratelimit-limit-requests", "1000");
                headers.put("x-ratelimit-remaining-requests", "0");
                headers.put("x-ratelimit-reset-requests", "1.72s");
                headers.put("x-ratelimit-limit-tokens", "8000");
                headers.put("x-ratelimit-remaining-tokens", "7231");
                headers.put("x-ratelimit-reset-tokens", "5.769s");
                yield error(
                        "Rate limit reached for model `" + model
                                + "` in organization `org_mock` service tier `on_demand`"
                                + " on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 1.72s."
                                + " Visit https://console.groq.com/docs/rate-limits for more information.",
                        "requests",
                        "rate_limit_exceeded");
            }
            case 498 ->
                error(
                        "`flex` tier capacity exceeded. Please try again later or use the `on_demand` service tier.",
                        "invalid_request_error",
                        "capacity_exceeded");
            case 400 -> error("Bad request (injected by the mock server).", "invalid_request_error", null);
            case 401 -> error("Invalid API Key", "invalid_request_error", "invalid_api_key");
            case 403 -> error("Forbidden", "invalid_request_error", "permission_denied");
            case 404 ->
                error(
                        "The model `" + model + "` does not exist or you do not have access to it.",
                        "invalid_request_error",
                        "model_not_found");
            case 413 -> error("Request Entity Too Large", "invalid_request_error", "request_too_large");
            case 500 -> error("Internal Server Error", "internal_server_error", null);
            case 502 -> error("Bad Gateway", "internal_server_error", null);
            case 503 -> error("Service Unavailable", "internal_server_error", "service_unavailable");
            default ->
                error(
                        "Injected HTTP " + status + " by the mock server.",
                        status >= 500 ? "internal_server_error" : "invalid_request_error",
                        null);
        };
        return FixtureResponse.json(status, headers, body);
    }

    private static ObjectNode error(String message, String type, String code) {
        return groq(message, type, null, code);
    }

    /** Groq's own error shape: {@code param} and {@code code} only when it has them. */
    static ObjectNode groq(String message, String type, String param, String code) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param != null) error.put("param", param);
        if (code != null) error.put("code", code);
        return body;
    }

    /** The mock's own errors: OpenAI's full shape, all four keys. */
    public static ObjectNode openAi(String message, String type, String param, String code) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) error.putNull("param");
        else error.put("param", param);
        if (code == null) error.putNull("code");
        else error.put("code", code);
        return body;
    }
}
