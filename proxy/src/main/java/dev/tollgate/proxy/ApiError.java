package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;

/**
 * A refusal in OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}, all four
 * keys present. Thrown anywhere on the request path; the server turns it into the answer.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiError(int status, String message, String type, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
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
