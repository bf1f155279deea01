package dev.tollgate.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.keys.KeyChanges;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.limits.KeyLimits;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API for client keys under {@code /admin/keys}, guarded by a Bearer admin token.
 * Refusals are thrown as {@link ApiError}; the server's exception handler renders them.
 */
public final class AdminKeyRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminKeyRoutes.class);
    private static final String JSON = "application/json";

    private final KeyStore store;
    private final LimitStore limits;
    private final UsageLedger ledger;
    private final AdminAuth auth;

    public AdminKeyRoutes(KeyStore store, LimitStore limits, UsageLedger ledger, AdminAuth auth) {
        this.store = store;
        this.limits = limits;
        this.ledger = ledger;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post("/admin/keys", guarded(this::create));
        routes.get("/admin/keys", auth.guardedRead(this::list));
        routes.get("/admin/keys/{id}", auth.guardedRead(ctx -> send(ctx, 200, json(found(ctx.pathParam("id"))))));
        routes.get("/admin/keys/{id}/usage", auth.guardedRead(ctx -> {
            ClientKey key = found(ctx.pathParam("id"));
            send(ctx, 200, ledger.usage(key.id(), limits.get(key.id())).toJson());
        }));
        routes.patch("/admin/keys/{id}", guarded(this::update));
        routes.delete("/admin/keys/{id}", guarded(this::revoke));
        routes.post("/admin/keys/{id}/rotate", guarded(this::rotate));
    }

    private void create(Context ctx) {
        AdminKeyRequests.NewKey request = AdminKeyRequests.newKey(ctx.bodyAsBytes());
        KeyLimits keyLimits = request.limits() == null
                ? ledger.config().defaults()
                : ledger.config().defaults().patchedWith(request.limits());
        CreatedKey created = store.create(
                request.name(), request.models(), request.expiresAt(), request.metadata(), request.logBodies());
        limits.set(created.key().id(), keyLimits);
        log.info(
                "client key created id={} name={} prefix={}",
                created.key().id(),
                created.key().name(),
                created.key().prefix());
        sendSecret(ctx, 201, created);
    }

    private void list(Context ctx) {
        Instant now = store.now();
        ObjectNode answer = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        store.list().forEach(key -> data.add(json(key, now)));
        send(ctx, 200, answer);
    }

    private void update(Context ctx) {
        String id = ctx.pathParam("id");
        found(id); // an unknown id is a 404 even when the body is also wrong
        KeyChanges changes = AdminKeyRequests.changes(ctx.bodyAsBytes());
        JsonNode limitsPatch = AdminKeyRequests.limitsPatch(ctx.bodyAsBytes());
        KeyLimits newLimits =
                limitsPatch == null ? null : limits.get(id).patchedWith(limitsPatch); // checked before anything changes
        ClientKey key = store.update(id, changes);
        if (newLimits != null) limits.set(id, newLimits);
        log.info("client key updated id={}", id);
        send(ctx, 200, json(key));
    }

    private void revoke(Context ctx) {
        ClientKey key = store.revoke(ctx.pathParam("id"));
        log.info("client key revoked id={}", key.id());
        send(ctx, 200, json(key));
    }

    private void rotate(Context ctx) {
        String id = ctx.pathParam("id");
        found(id);
        CreatedKey rotated = store.rotate(id, AdminKeyRequests.grace(ctx.bodyAsBytes()));
        log.info(
                "client key rotated id={} prefix={} previous secret valid until {}",
                id,
                rotated.key().prefix(),
                rotated.key().previousExpiresAt());
        sendSecret(ctx, 200, rotated);
    }

    private ClientKey found(String id) {
        return store.require(id);
    }

    /** The key's JSON plus its secret in {@code key}: the one answer that carries it, never cached. */
    private void sendSecret(Context ctx, int status, CreatedKey created) {
        ObjectNode answer = json(created.key());
        answer.put("key", created.secret());
        ctx.header("Cache-Control", "no-store");
        send(ctx, status, answer);
    }

    /** The key as the admin API shows it: its record and its limits. */
    private ObjectNode json(ClientKey key) {
        return json(key, store.now());
    }

    private ObjectNode json(ClientKey key, Instant now) {
        ObjectNode json = key.toJson(now);
        json.set("limits", limits.get(key.id()).toJson());
        return json;
    }

    private static void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(JSON).result(Json.compact(body));
    }

    private Handler guarded(Handler handler) {
        return auth.guarded(handler);
    }
}
