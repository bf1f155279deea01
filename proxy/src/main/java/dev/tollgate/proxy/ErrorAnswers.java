package dev.tollgate.proxy;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.relay.JsonAnswer;
import dev.tollgate.proxy.relay.RequestIds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error answers the routes do not write themselves: refusals thrown as {@link ApiError}, Javalin's own
 * (no such route, a method the URL does not serve, a body over Javalin's limit), HEAD, and failures — all in
 * OpenAI's error shape, each sent after the rest of the request body is read ({@link LeftoverBody}).
 */
final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final RequestAudit audit;
    private final long maxBodyBytes;

    ErrorAnswers(RequestAudit audit, long maxBodyBytes) {
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.before(ErrorAnswers::refuseHead);
        routes.exception(ApiError.class, (e, ctx) -> send(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, unrouted(ctx, e)));
        routes.exception(Exception.class, this::failed);
    }

    /** Javalin answers HEAD with an empty 200 for any GET route, without running it or checking the key; OpenAI says 405. */
    private static void refuseHead(Context ctx) {
        if (ctx.method() == HandlerType.HEAD && !ctx.path().equals("/health")) throw new MethodNotAllowedResponse();
    }

    /** A request no route took, as OpenAI answers it (404 for an unknown URL, 405 for a method the URL does not serve); logged on an API path. */
    private ApiError unrouted(Context ctx, HttpResponseException e) {
        String request = ctx.method() + " " + ctx.path();
        ApiError error = switch (e.getStatus()) {
            case 404 ->
                new ApiError(
                        404, "Unknown request URL: " + request + ".", "invalid_request_error", null, "unknown_url");
            case 405 ->
                new ApiError(
                        405,
                        "Invalid method for URL (" + request + ").",
                        "invalid_request_error",
                        null,
                        "method_not_allowed",
                        e.getDetails().containsKey("availableMethods")
                                ? Map.of("allow", e.getDetails().get("availableMethods"))
                                : Map.of());
            case 413 -> ApiError.requestTooLarge(maxBodyBytes);
            default ->
                new ApiError(
                        e.getStatus(),
                        e.getMessage(),
                        e.getStatus() < 500 ? "invalid_request_error" : "server_error",
                        null,
                        null);
        };
        String requestId = RequestIds.next();
        if (audit.refusedUnrouted(
                requestId, ctx.path(), error.status(), error.type(), error.code(), ctx.ip(), ctx.userAgent())) {
            ctx.header("x-tollgate-request-id", requestId);
        }
        return error;
    }

    private void failed(Exception e, Context ctx) {
        if (ApiError.jettyRefusal(e) != null) { // a body Jetty could not read, on a route that reads it through Javalin
            send(ctx, ApiError.unreadableBody(e));
            return;
        }
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        send(ctx, new ApiError(500, "The proxy failed to handle the request.", "server_error", null, "internal_error"));
    }

    private void send(Context ctx, ApiError error) {
        error.headers().forEach(ctx::header);
        LeftoverBody.discard(ctx, maxBodyBytes);
        JsonAnswer.send(ctx, error.status(), Json.bytes(error.body()));
    }
}
