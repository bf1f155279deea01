package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.ApiError;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.keys.ClientKey;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * {@code POST /v1/responses}: Groq's Responses API (beta), passed through under the same keys.
 * The model alias is resolved; the answer goes back as Groq sent it (a stream byte for byte, flushed as it arrives).
 */
public final class Responses {
    private final ProxyConfig config;
    private final Upstream upstream;
    private final Authenticator auth;

    public Responses(ProxyConfig config, Upstream upstream, Authenticator auth) {
        this.config = config;
        this.upstream = upstream;
        this.auth = auth;
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
        Upstream.Exchange exchange = upstream.post("/responses", Json.compact(body).getBytes(StandardCharsets.UTF_8), stream);
        try (Response response = exchange.response()) {
            UpstreamHeaders.copy(response, ctx);
            String type = response.header("content-type", "");
            if (!stream || response.code() != 200 || !type.startsWith("text/event-stream")) {
                ChatCompletions.json(ctx, response);
                return;
            }
            BufferedSource source = response.body().source();
            source.timeout().timeout(config.upstream().streamIdleTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ctx.res().setStatus(200);
            ctx.res().setContentType("text/event-stream");
            ctx.res().setHeader("cache-control", "no-cache");
            copyAsItArrives(source, ctx.res().getOutputStream(), exchange);
        } catch (IOException e) {
            exchange.call().cancel();
        }
    }

    private static void copyAsItArrives(BufferedSource source, OutputStream client, Upstream.Exchange exchange) throws IOException {
        Buffer buffer = new Buffer();
        while (source.read(buffer, 8192) != -1) {
            try {
                client.write(buffer.readByteArray());
                client.flush();
            } catch (IOException clientGone) {
                exchange.call().cancel();
                return;
            }
        }
    }
}
