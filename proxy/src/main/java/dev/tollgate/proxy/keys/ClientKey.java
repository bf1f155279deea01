package dev.tollgate.proxy.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.time.Instant;
import java.util.List;

/**
 * A client key as the operator sees it. Holds no secret and no hash, so it can be shown anywhere.
 *
 * @param models            the models this key may call; empty means every model
 * @param expiresAt         when the key stops working, or null for never
 * @param revokedAt         when it was revoked, or null
 * @param previousExpiresAt after a rotation, when the old secret stops working; null if never rotated
 * @param logBodies         whether the request log keeps this key's prompt and answer bodies
 */
public record ClientKey(
        String id,
        String name,
        String prefix,
        List<String> models,
        Instant expiresAt,
        ObjectNode metadata,
        Instant createdAt,
        Instant updatedAt,
        Instant revokedAt,
        Instant previousExpiresAt,
        boolean logBodies) {

    public ClientKey {
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Json.MAPPER.createObjectNode() : metadata.deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy(); // the record stays immutable
    }

    public boolean mayUse(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean isActive(Instant now) {
        return revokedAt == null && !isExpired(now);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** {@code active}, {@code revoked} or {@code expired}. */
    public String status(Instant now) {
        if (revokedAt != null) return "revoked";
        return isExpired(now) ? "expired" : "active";
    }

    /** The admin API's view of the key (status depends on the time, hence {@code now}). */
    public ObjectNode toJson(Instant now) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", id);
        json.put("object", "client_key");
        json.put("name", name);
        json.put("prefix", prefix);
        models.forEach(json.putArray("models")::add);
        putTime(json, "expires_at", expiresAt);
        json.set("metadata", metadata.deepCopy());
        json.put("log_bodies", logBodies);
        putTime(json, "created_at", createdAt);
        putTime(json, "updated_at", updatedAt);
        putTime(json, "revoked_at", revokedAt);
        putTime(json, "previous_key_expires_at", previousExpiresAt);
        json.put("status", status(now));
        return json;
    }

    private static void putTime(ObjectNode json, String field, Instant value) {
        if (value == null) json.putNull(field);
        else json.put(field, value.toString());
    }
}
