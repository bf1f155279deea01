package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.openai.OpenAiShape;
import dev.tollgate.proxy.upstream.Upstream;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;

/**
 * The one path every request forwarded to Groq takes, whatever its {@link ApiRoute}: authenticate,
 * check and rewrite, reserve, forward, relay the answer (whole or event by event), settle by the
 * billing policy ({@link Ending}, {@link Spending#settle}), and log one row that says how it ended.
 */
public final class Forwarding {
    private final RequestPath path;

    public Forwarding(RequestPath path) {
        this.path = path;
    }

    /** The handler for {@code route}. */
    public Handler handler(ApiRoute route) {
        return ctx -> handle(ctx, route);
    }

    void handle(Context ctx, ApiRoute route) {
        RequestTrail trail = new RequestTrail(ctx, route.endpoint(), path.audit());
        ctx.header("x-tollgate-request-id", trail.requestId);
        try {
            trail.key = path.auth().require(ctx);
            ForwardedRequest request = route.prepare(
                    RequestBodies.json(ctx, path.config().server().maxBodyBytes()),
                    path.config().models());
            if (!request.changes().isEmpty())
                ctx.header("x-tollgate-request-changes", HistoryCleanup.header(request.changes()));
            trail.modelRequested = request.requestedModel();
            trail.modelServed = request.upstreamModel();
            trail.stream = request.stream();
            trail.user = request.body().path("user").asText(null);
            if (!trail.key.mayUse(request.requestedModel()) && !trail.key.mayUse(request.upstreamModel())) {
                throw new ApiError(
                        403,
                        "This key may not use the model `" + request.requestedModel() + "`.",
                        "invalid_request_error",
                        "model",
                        "model_not_allowed");
            }
            byte[] body = Json.bytes(request.body());
            trail.captureBodies(path.bodyCapture(trail.key), body);
            TokenEstimate estimate = TokenEstimate.of(
                    body, request.body(), path.config().limits().defaultOutputTokens());
            Spending spending = Spending.reserve(path.ledger(), path.limits(), trail.key, estimate, ctx);
            try (spending) {
                forward(ctx, route, request, body, estimate, spending, trail);
            } finally {
                trail.billed(spending);
            }
        } catch (ApiError e) {
            trail.refused(e);
            throw e;
        } finally {
            path.audit().finished(trail.record(), trail.outcome());
        }
    }

    private void forward(
            Context ctx,
            ApiRoute route,
            ForwardedRequest request,
            byte[] body,
            TokenEstimate estimate,
            Spending spending,
            RequestTrail trail) {
        trail.upstreamStartNanos = System.nanoTime();
        Upstream.Exchange answered;
        try (ClientWatches.Watch client = path.clientWatches().watch(ctx)) {
            answered = path.upstream().post(route.upstreamPath(), body, request.stream(), estimate.total(), client);
        } catch (Upstream.ClientLeft e) {
            trail.upstreamEndNanos = System.nanoTime();
            trail.ended(Ending.CLIENT_LEFT, null);
            spending.settle(Ending.CLIENT_LEFT, null, 0, () -> path.tokens().prompt(request.body()));
            return;
        }
        try (Upstream.Exchange exchange = answered) {
            Response response = exchange.response();
            trail.status = response.code();
            trail.upstreamRequestId = response.header("x-request-id");
            UpstreamHeaders.copy(response, ctx);
            String type = response.header("content-type", "");
            Ending ending;
            StreamTally tally = new StreamTally();
            if (request.stream() && response.code() == 200 && type.startsWith("text/event-stream")) {
                ending = stream(ctx, route.stream(request, path.tokens(), path.mask()), exchange, tally, trail);
                trail.firstTokenNanos = tally.firstEventNanos;
            } else {
                ending = whole(ctx, route, response, tally, trail);
            }
            trail.ended(ending, tally.error);
            trail.executedTools = tally.executedTools();
            spending.settle(
                    ending, tally.usage, tally.outputTokens, () -> path.tokens().prompt(request.body()));
        } finally {
            trail.upstreamEndNanos = System.nanoTime();
        }
    }

    private static Ending stream(
            Context ctx, StreamDialect dialect, Upstream.Exchange exchange, StreamTally tally, RequestTrail trail) {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setHeader("cache-control", "no-cache");
        try {
            return StreamRelay.relay(
                    exchange.response().body().source(),
                    trail.answerStream(res.getOutputStream()),
                    dialect,
                    exchange,
                    tally);
        } catch (IOException e) {
            exchange.call().cancel();
            return Ending.CLIENT_LEFT;
        }
    }

    /**
     * A whole JSON answer: Groq's error made OpenAI-shaped, or its answer made OpenAI-valid, sent on with
     * Groq's status; a 200 that is not this API's answer becomes a 502 {@code upstream_malformed}.
     */
    private Ending whole(Context ctx, ApiRoute route, Response response, StreamTally tally, RequestTrail trail) {
        byte[] bytes;
        try {
            bytes = response.body().bytes();
        } catch (IOException e) {
            throw new ApiError(502, "Groq's answer could not be read.", "upstream_error", null, "upstream_unreadable");
        }
        JsonNode parsed = ChatStream.parsedOrNull(new String(bytes, StandardCharsets.UTF_8).strip());
        int status = response.code();
        JsonNode answer;
        Ending ending = Ending.COMPLETED;
        if (status >= 400 || (status >= 300 && !(parsed instanceof ObjectNode))) {
            answer = OpenAiShape.error(parsed, status);
            trail.upstreamError(answer);
        } else if (parsed instanceof ObjectNode object && route.acceptAnswer(object)) {
            answer = object;
            tally.usage = object.get("usage");
            tally.sawExecutedTools(object);
            if (tally.usage == null || !tally.usage.isObject())
                tally.outputTokens = route.outputTokens(object, path.tokens());
        } else {
            ending = Ending.ANSWER_MALFORMED;
            status = 502;
            answer = ApiError.body(
                    "Groq answered " + response.code() + " with a body that is not a " + route.endpoint() + " answer.",
                    "upstream_error",
                    null,
                    "upstream_malformed");
        }
        byte[] sent = Json.bytes(answer);
        trail.answered(sent);
        try {
            JsonAnswer.send(ctx, status, sent);
        } catch (UncheckedIOException clientLeft) {
            return Ending.CLIENT_LEFT; // Groq's usage is still billed
        }
        return ending;
    }
}
