package dev.tollgate.proxy;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.relay.RequestIds;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's graceful stop, with the proxy's manners: while the server stops, requests in flight finish,
 * and a new one is refused with a 503 in OpenAI's error shape, with {@code retry-after}, and, on an
 * API route, its own request-log row — so even a request turned away at shutdown is logged.
 */
final class ShutdownGate extends GracefulHandler {
    private static final byte[] BODY = Json.bytes(
            ApiError.body("The proxy is shutting down; retry shortly.", "server_error", null, "shutting_down"));

    private final RequestAudit audit;

    ShutdownGate(RequestAudit audit) {
        this.audit = audit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isShutdown()) return super.handle(request, response, callback);
        refuse(request, response, callback);
        return true;
    }

    private void refuse(Request request, Response response, Callback callback) {
        String requestId = RequestIds.next();
        boolean logged = audit.refusedUnrouted(
                requestId,
                Request.getPathInContext(request),
                503,
                "server_error",
                "shutting_down",
                Request.getRemoteAddr(request),
                request.getHeaders().get(HttpHeader.USER_AGENT));
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        if (logged) response.getHeaders().put("x-tollgate-request-id", requestId);
        response.write(true, ByteBuffer.wrap(BODY), callback);
    }
}
