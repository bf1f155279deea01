package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;

/**
 * A refusal in OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}, all four
 * keys present, with any headers the answer needs (e.g. {@code retry-after} on a 429). Thrown
 * anywhere on the request path; the server turns it into the answer.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final java.util.Map<String, String> headers;

    public ApiError(int status, String message, String type, String param, String code) {
        this(status, message, type, param, code, java.util.Map.of());
    }

    public ApiError(int status, String message, String type, String param, String code, java.util.Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = java.util.Map.copyOf(headers);
    }

    /** Headers to send with the error answer (lower-case names). */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    public static ApiError invalidRequest(String message, String param, String code) {
        return new ApiError(400, message, "invalid_request_error", param, code);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    public ObjectNode body() {
        return body(getMessage(), type, param, code);
    }

    public static ObjectNode body(String message, String type, String param, String code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) error.putNull("param"); else error.put("param", param);
        if (code == null) error.putNull("code"); else error.put("code", code);
        return root;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected refusal, not a bug: no stack trace to build
    }
}
