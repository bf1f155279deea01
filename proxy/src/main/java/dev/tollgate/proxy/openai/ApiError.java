package dev.tollgate.proxy.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;

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
    private final Map<String, String> headers;

    public ApiError(int status, String message, String type, String param, String code) {
        this(status, message, type, param, code, Map.of());
    }

    public ApiError(int status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** Headers to send with the error answer (lower-case names). */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiError invalidRequest(String message, String param, String code) {
        return new ApiError(400, message, "invalid_request_error", param, code);
    }

    public static ApiError requestTooLarge(long maxBytes) {
        return new ApiError(
                413,
                "The request body is larger than this proxy accepts (" + maxBytes + " bytes).",
                "invalid_request_error",
                null,
                "request_too_large");
    }

    /**
     * A request body that could not be read to its end: shorter than its Content-Length, a chunk size that lies,
     * a client that stalled. The client's mistake, so a 4xx: Jetty's own status when it named one, else 400.
     */
    public static ApiError unreadableBody(Throwable failure) {
        HttpException jetty = jettyRefusal(failure);
        int status = jetty != null && jetty.getCode() >= 400 && jetty.getCode() < 500 ? jetty.getCode() : 400;
        String reason = jetty != null && jetty.getReason() != null
                ? jetty.getReason()
                : failure.getClass().getSimpleName();
        return new ApiError(
                status,
                "The request body could not be read (" + reason + "): it ended before its Content-Length, "
                        + "or its chunked encoding is broken.",
                "invalid_request_error",
                null,
                "unreadable_body");
    }

    /** Jetty's verdict on a request it could not parse, found in {@code failure}'s causes; null when there is none. */
    public static HttpException jettyRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException refusal) return refusal;
        }
        return null;
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
        if (param == null) error.putNull("param");
        else error.put("param", param);
        if (code == null) error.putNull("code");
        else error.put("code", code);
        return root;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected refusal, not a bug: no stack trace to build
    }
}
