package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.keys.ClientKey;
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

    public Responses(ProxyConfig config, Upstream upstream, Authenticator auth, UsageLedger ledger, LimitStore limits) {
        this.config = config;
        this.upstream = upstream;
        this.auth = auth;
        this.ledger = ledger;
        this.limits = limits;
    }

    public void handle(Context ctx) {
        ClientKey key = auth.require(ctx);
        JsonNode parsed = RequestBodies.json(ctx, config.server().maxBodyBytes());
        if (!(parsed instanceof ObjectNode body)) throw ApiError.invalidRequest("The request body must be a JSON object.", null, "invalid_json");
        String model = ChatRequest.requiredModel(body, config.models());
        if (!key.mayUse(model) && !key.mayUse(config.models().resolve(model))) {
            throw new ApiError(403, "This key may not use the model `" + model + "`.", "invalid_request_error", "model", "model_not_allowed");
        }
        body.put("model", config.models().resolve(model));
        boolean stream = body.path("stream").asBoolean(false);
        byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
        TokenEstimate estimate = TokenEstimate.of(bytes, body, config.limits().defaultOutputTokens());
        try (Spending spending = Spending.reserve(ledger, limits, key, estimate, ctx)) {
            Upstream.Exchange exchange = upstream.post("/responses", bytes, stream, estimate.total());
            try (exchange) {
                Response response = exchange.response();
                UpstreamHeaders.copy(response, ctx);
                String type = response.header("content-type", "");
                if (!stream || response.code() != 200 || !type.startsWith("text/event-stream")) {
                    JsonNode answer = ChatCompletions.json(ctx, response);
                    if (response.code() == 200 && answer.hasNonNull("usage")) spending.bill(answer.get("usage"));
                    return;
                }
                BufferedSource source = response.body().source();
                ctx.res().setStatus(200);
                ctx.res().setContentType("text/event-stream");
                ctx.res().setHeader("cache-control", "no-cache");
                JsonNode usage = copyEvents(source, ctx.res().getOutputStream(), exchange);
                if (usage != null) spending.bill(usage);
                else spending.billEstimated(0);
            } catch (IOException e) {
                exchange.call().cancel();
                spending.billEstimated(0);
            }
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
