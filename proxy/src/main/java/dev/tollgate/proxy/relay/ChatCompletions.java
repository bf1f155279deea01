package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.openai.OpenAiShape;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** {@code POST /v1/chat/completions}: authenticate, check, reserve, rewrite, forward to Groq, relay the answer, settle, log. */
public final class ChatCompletions {
    private final ProxyConfig config;
    private final Upstream upstream;
    private final Authenticator auth;
    private final UsageLedger ledger;
    private final LimitStore limits;
    private final RequestAudit audit;
    private final RequestPath path;

    public ChatCompletions(RequestPath path) {
        this.config = path.config();
        this.upstream = path.upstream();
        this.auth = path.auth();
        this.ledger = path.ledger();
        this.limits = path.limits();
        this.audit = path.audit();
        this.path = path;
    }

    public void handle(Context ctx) {
        RequestTrail trail = new RequestTrail(ctx, "/v1/chat/completions", audit);
        ctx.header("x-tollgate-request-id", trail.requestId);
        String outcome = "error";
        try {
            trail.key = auth.require(ctx);
            ChatRequest request = ChatRequest.of(RequestBodies.json(ctx, config.server().maxBodyBytes()), config.models());
            trail.modelRequested = request.requestedModel();
            trail.modelServed = request.upstreamModel();
            trail.stream = request.stream();
            trail.user = request.body().path("user").asText(null);
            if (!trail.key.mayUse(request.requestedModel()) && !trail.key.mayUse(request.upstreamModel())) {
                throw new ApiError(403, "This key may not use the model `" + request.requestedModel() + "`.",
                        "invalid_request_error", "model", "model_not_allowed");
            }
            byte[] body = Json.bytes(request.body());
            trail.captureBodies(path.bodyCapture(trail.key), body);
            TokenEstimate estimate = TokenEstimate.of(body, request.body(), config.limits().defaultOutputTokens());
            Spending spending = Spending.reserve(ledger, limits, trail.key, estimate, ctx);
            try (spending) {
                trail.upstreamStartNanos = System.nanoTime();
                try (Upstream.Exchange exchange = upstream.post("/chat/completions", body, request.stream(), estimate.total())) {
                    Response response = exchange.response();
                    trail.status = response.code();
                    trail.upstreamRequestId = response.header("x-request-id");
                    UpstreamHeaders.copy(response, ctx);
                    if (request.stream() && trail.status == 200 && isEventStream(response)) {
                        outcome = stream(ctx, exchange, request, spending, trail);
                    } else {
                        JsonNode answer = json(ctx, response, trail);
                        if (trail.status == 200 && answer.hasNonNull("usage")) spending.bill(answer.get("usage"));
                        if (trail.status >= 400) trail.upstreamError(answer);
                        outcome = trail.status == 200 ? "ok" : "upstream_error";
                    }
                } finally {
                    trail.upstreamEndNanos = System.nanoTime();
                }
            } finally {
                trail.billed(spending);
            }
        } catch (ApiError e) {
            trail.refused(e);
            outcome = e.code() == null ? e.type() : e.code();
            throw e;
        } finally {
            audit.finished(trail.record(), outcome);
        }
    }

    private String stream(Context ctx, Upstream.Exchange exchange, ChatRequest request, Spending spending, RequestTrail trail) {
        ResponseBody body = exchange.response().body();
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setHeader("cache-control", "no-cache");
        StreamOutcome streamed;
        try {
            streamed = SseRelay.relay(body.source(), trail.answerStream(res.getOutputStream()), request.clientAskedForUsage(), exchange::progressed,
                    exchange.call()::cancel);
        } catch (IOException e) {
            exchange.call().cancel();
            streamed = new StreamOutcome(null, 0, true, false, false, 0, 0);
        }
        trail.firstTokenNanos = streamed.firstEventNanos();
        if (streamed.clientGone()) {
            trail.status = 499; // nginx's "client closed request": what the log records for a disconnect
            trail.errorType = "client_disconnected";
        }
        if (streamed.usage() != null) spending.bill(streamed.usage());
        else if (streamed.tokensSeen() > 0 || streamed.clientGone()) spending.billEstimated(streamed.tokensSeen());
        return streamed.clientGone() ? "client_disconnected" : streamed.upstreamFailed() ? "upstream_stream_failed"
                : streamed.inBandError() ? "stream_error" : "ok";
    }

    /** A whole JSON answer: made OpenAI-valid (answers and errors alike), sent on with Groq's status, and returned. */
    static JsonNode json(Context ctx, Response response, RequestTrail trail) {
        byte[] bytes;
        try {
            bytes = response.body().bytes();
        } catch (IOException e) {
            throw new ApiError(502, "Groq's answer could not be read.", "upstream_error", null, "upstream_unreadable");
        }
        JsonNode parsed = null;
        try {
            parsed = Json.parse(bytes);
        } catch (IllegalArgumentException notJson) {
            // an error page from a load balancer, say: becomes an OpenAI-shaped error below
        }
        JsonNode answer;
        if (response.code() >= 400 || parsed == null || !parsed.isObject()) answer = OpenAiShape.error(parsed, response.code());
        else {
            if ("chat.completion".equals(parsed.path("object").asText())) OpenAiShape.completion((ObjectNode) parsed);
            answer = parsed;
        }
        byte[] sent = Json.bytes(answer);
        trail.answered(sent);
        JsonAnswer.send(ctx, response.code(), sent);
        return answer;
    }

    private static boolean isEventStream(Response response) {
        String type = response.header("content-type");
        return type != null && type.startsWith("text/event-stream");
    }
}
