package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.RequestAudit;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.keys.Authenticator;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the model names this key may use (aliases
 * included), as Groq-shaped entries with the model card's limits. Answered locally: nothing to spend
 * upstream, but logged like every request.
 */
public final class ModelsRoute {
    private static final long CREATED = 1754408224L; // gpt-oss-120b's entry on Groq
    private static final int CONTEXT_WINDOW = 131_072;

    private final ProxyConfig.Models models;
    private final Authenticator auth;
    private final RequestAudit audit;

    public ModelsRoute(ProxyConfig.Models models, Authenticator auth, RequestAudit audit) {
        this.models = models;
        this.auth = auth;
        this.audit = audit;
    }

    public void list(Context ctx) {
        logged(ctx, null, this::answerList);
    }

    public void retrieve(Context ctx) {
        logged(ctx, ctx.pathParam("id"), this::answerOne);
    }

    private interface Answer {
        void send(Context ctx, RequestTrail trail);
    }

    private void logged(Context ctx, String model, Answer answer) {
        RequestTrail trail = new RequestTrail(ctx, "/v1/models", audit);
        trail.modelRequested = model;
        ctx.header("x-tollgate-request-id", trail.requestId);
        try {
            trail.key = auth.require(ctx);
            answer.send(ctx, trail);
            trail.status = 200;
        } catch (ApiError e) {
            trail.refused(e);
            throw e;
        } finally {
            audit.finished(trail.record(), trail.outcome());
        }
    }

    private void answerList(Context ctx, RequestTrail trail) {
        ClientKey key = trail.key;
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        models.aliases().keySet().stream()
                .sorted()
                .filter(name -> mayUse(key, name))
                .forEach(name -> data.add(entry(name)));
        JsonAnswer.send(ctx, 200, Json.bytes(list));
    }

    private void answerOne(Context ctx, RequestTrail trail) {
        ClientKey key = trail.key;
        String id = trail.modelRequested;
        if (models.resolve(id) == null || !mayUse(key, id)) {
            throw new ApiError(
                    404,
                    "The model `" + id + "` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model",
                    "model_not_found");
        }
        JsonAnswer.send(ctx, 200, Json.bytes(entry(id)));
    }

    private boolean mayUse(ClientKey key, String name) {
        return key.mayUse(name) || key.mayUse(models.resolve(name));
    }

    private static ObjectNode entry(String id) {
        ObjectNode model = Json.MAPPER.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", CREATED);
        model.put("owned_by", "OpenAI");
        model.put("active", true);
        model.put("context_window", CONTEXT_WINDOW);
        model.putNull("public_apps");
        model.put("max_completion_tokens", ChatRequest.MAX_OUTPUT_TOKENS);
        return model;
    }
}
