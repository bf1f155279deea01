package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * {@code POST /v1/responses}: Groq's Responses API (beta), passed through under the same keys and
 * limits. The model alias is resolved; the answer goes back as Groq sent it, a stream line by line,
 * each event flushed as it arrives; usage is read from the answer or the stream's {@code response.completed}.
 */
public final class Responses {
    private final ProxyConfig config;
    private final Upstream upstream;
    private final Authenticator auth;
    private final UsageLedger ledger;
    private final LimitStore limits;
    private final RequestAudit audit;
    private final RequestPath path;

    public Responses(RequestPath path) {
        this.config = path.config();
        this.upstream = path.upstream();
        this.auth = path.auth();
        this.ledger = path.ledger();
        this.limits = path.limits();
        this.audit = path.audit();
        this.path = path;
    }

    public void handle(Context ctx) {
        RequestTrail trail = new RequestTrail(ctx, "/v1/responses", audit);
        ctx.header("x-tollgate-request-id", trail.requestId);
        try {
            trail.key = auth.require(ctx);
            JsonNode parsed = RequestBodies.json(ctx, config.server().maxBodyBytes());
            if (!(parsed instanceof ObjectNode body)) throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json");
            trail.modelRequested = ChatRequest.requiredModel(body, config.models());
            trail.modelServed = config.models().resolve(trail.modelRequested);
            trail.user = body.path("user").asText(null);
            if (!trail.key.mayUse(trail.modelRequested) && !trail.key.mayUse(trail.modelServed)) {
                throw new ApiError(403, "This key may not use the model `" + trail.modelRequested + "`.", "invalid_request_error", "model", "model_not_allowed");
            }
            body.put("model", trail.modelServed);
            trail.stream = body.path("stream").asBoolean(false);
            byte[] bytes = Json.bytes(body);
            trail.captureBodies(path.bodyCapture(trail.key), bytes);
            relay(ctx, body, bytes, trail);
        } catch (ApiError e) {
            trail.refused(e);
            throw e;
        } finally {
            audit.finished(trail.record(), trail.outcome());
        }
    }

    private void relay(Context ctx, ObjectNode body, byte[] bytes, RequestTrail trail) {
        TokenEstimate estimate = TokenEstimate.of(bytes, body, config.limits().defaultOutputTokens());
        Spending spending = Spending.reserve(ledger, limits, trail.key, estimate, ctx);
        try (spending) {
            trail.upstreamStartNanos = System.nanoTime();
            Upstream.Exchange exchange = upstream.post("/responses", bytes, trail.stream, estimate.total());
            try (exchange) {
                Response response = exchange.response();
                trail.status = response.code();
                trail.upstreamRequestId = response.header("x-request-id");
                UpstreamHeaders.copy(response, ctx);
                String type = response.header("content-type", "");
                if (!trail.stream || response.code() != 200 || !type.startsWith("text/event-stream")) {
                    JsonNode answer = ChatCompletions.json(ctx, response, trail);
                    if (response.code() == 200 && answer.hasNonNull("usage")) spending.bill(answer.get("usage"));
                    if (response.code() >= 400) trail.upstreamError(answer);
                    return;
                }
                BufferedSource source = response.body().source();
                ctx.res().setStatus(200);
                ctx.res().setContentType("text/event-stream");
                ctx.res().setHeader("cache-control", "no-cache");
                JsonNode usage = copyEvents(source, trail.answerStream(ctx.res().getOutputStream()), exchange);
                if (usage != null) spending.bill(usage);
                else spending.billEstimated(0);
            } catch (IOException e) {
                exchange.call().cancel();
                spending.billEstimated(0);
            } finally {
                trail.upstreamEndNanos = System.nanoTime();
            }
        } finally {
            trail.billed(spending);
        }
    }

    /** Copies the stream line by line, flushing at each event's end; returns the usage of {@code response.completed}, if seen. */
    private static JsonNode copyEvents(BufferedSource source, OutputStream client, Upstream.Exchange exchange) throws IOException {
        JsonNode usage = null;
        String line;
        while ((line = source.readUtf8Line()) != null) {
            exchange.progressed();
            if (line.startsWith("data:") && line.contains("\"response.completed\"")) {
                try {
                    usage = Json.parse(line.substring(5)).path("response").get("usage");
                } catch (IllegalArgumentException notJson) {
                    // passed on as it is; usage stays unknown
                }
            }
            try {
                client.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (line.isEmpty()) client.flush();
            } catch (IOException clientGone) {
                exchange.call().cancel();
                return usage;
            }
        }
        client.flush();
        return usage;
    }
}
