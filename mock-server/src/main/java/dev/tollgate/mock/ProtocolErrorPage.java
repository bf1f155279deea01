package dev.tollgate.mock;

import dev.tollgate.fixture.Json;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to a request it refuses before any route sees it — a malformed request line (400), a URI or
 * headers too large (414, 431), an unknown HTTP version (505) — in OpenAI's error shape instead of Jetty's HTML
 * page (the proxy's {@code OpenAiErrorPage} does the same, and logs; the mock keeps no log of these).
 */
final class ProtocolErrorPage extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException refusal) {
            status = refusal.getCode();
            if (reason == null) reason = refusal.getReason();
        }
        String name = HttpStatus.getMessage(status);
        String code =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"); // 431 → request_header_fields_too_large
        // 505: the client speaks an HTTP version this server does not; its mistake, whatever the status class says.
        String type = status < 500 || status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505
                ? "invalid_request_error"
                : "server_error";
        String message = "The HTTP request was refused: "
                + (reason == null || reason.equals(name) ? name : name + " (" + reason + ")") + ".";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes a connection whose request it could not read; saying so keeps a pooled client from reusing it.
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(
                true,
                ByteBuffer.wrap(Json.compact(GroqErrors.openAi(message, type, null, code))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                callback);
        return true;
    }

    /** Jetty's verdict on a request body it could not read, found in {@code failure}'s causes; null when there is none. */
    static HttpException jettyRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException refusal) return refusal;
        }
        return null;
    }
}
