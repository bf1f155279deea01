package dev.tollgate.proxy;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.relay.RequestIds;
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
 * headers too large (414, 431), an unknown HTTP version (505), HTTP/2's preface on this HTTP/1.1 port (426) —
 * in OpenAI's error shape instead of Jetty's HTML page, plain text or empty body; on an API path, logged.
 */
final class OpenAiErrorPage extends ErrorHandler {
    private final RequestAudit audit;

    OpenAiErrorPage(RequestAudit audit) {
        this.audit = audit;
    }

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
        String requestId = RequestIds.next();
        boolean logged = audit.refusedUnrouted(
                requestId,
                request.getHttpURI().getPath() == null
                        ? ""
                        : request.getHttpURI().getPath(),
                status,
                type,
                code,
                Request.getRemoteAddr(request),
                request.getHeaders().get(HttpHeader.USER_AGENT));
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes a connection whose request it could not read; saying so keeps a pooled client from reusing it.
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        if (logged) response.getHeaders().put("x-tollgate-request-id", requestId);
        response.write(true, ByteBuffer.wrap(Json.bytes(ApiError.body(message, type, null, code))), callback);
        return true;
    }
}
