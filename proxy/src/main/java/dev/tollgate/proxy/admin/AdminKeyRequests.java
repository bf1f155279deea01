package dev.tollgate.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.keys.KeyChanges;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.openai.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Reads the admin API's JSON bodies into {@link KeyStore} arguments; anything malformed is a 400. */
final class AdminKeyRequests {
    private static final Set<String> KEY_FIELDS =
            Set.of("name", "models", "expires_at", "metadata", "limits", "log_bodies");
    private static final Set<String> ROTATE_FIELDS = Set.of("grace_seconds");

    /** The fields of {@code POST /admin/keys}; {@code limits} is the raw JSON (or null), read by the limits package. */
    record NewKey(
            String name,
            List<String> models,
            Instant expiresAt,
            ObjectNode metadata,
            JsonNode limits,
            boolean logBodies) {}

    private AdminKeyRequests() {}

    static NewKey newKey(byte[] body) {
        ObjectNode json = object(body, KEY_FIELDS);
        JsonNode metadata = json.get("metadata");
        return new NewKey(
                text(json, "name"),
                models(json.get("models")),
                expiry(json.get("expires_at")),
                metadata == null || metadata.isNull() ? null : metadata(metadata),
                json.get("limits"),
                Boolean.TRUE.equals(bool(json, "log_bodies")));
    }

    /** The {@code limits} of a {@code PATCH} body, or null when it does not change them. */
    static JsonNode limitsPatch(byte[] body) {
        return object(body, KEY_FIELDS).get("limits");
    }

    /** {@code PATCH}: an absent field stays as it is; {@code "expires_at": null} removes the expiry. */
    static KeyChanges changes(byte[] body) {
        ObjectNode json = object(body, KEY_FIELDS);
        JsonNode expires = json.get("expires_at");
        return new KeyChanges(
                json.has("name") ? Objects.requireNonNullElse(text(json, "name"), "") : null,
                json.has("models") ? models(json.get("models")) : null,
                expiry(expires),
                expires != null && expires.isNull(),
                json.has("metadata") ? metadata(json.get("metadata")) : null,
                bool(json, "log_bodies"));
    }

    static Duration grace(byte[] body) {
        JsonNode seconds = object(body, ROTATE_FIELDS).get("grace_seconds");
        if (seconds == null || seconds.isNull()) return KeyStore.DEFAULT_GRACE;
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
            throw invalid("grace_seconds must be a whole number of seconds", "grace_seconds");
        }
        return Duration.ofSeconds(seconds.asLong());
    }

    private static ObjectNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) return Json.MAPPER.createObjectNode();
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("The request body is not valid JSON", null, "invalid_json");
        }
        if (json == null || json.isMissingNode()) return Json.MAPPER.createObjectNode();
        if (!json.isObject())
            throw ApiError.invalidRequest("The request body must be a JSON object", null, "invalid_json");
        for (String field : (Iterable<String>) json::fieldNames) {
            if (!allowed.contains(field)) {
                throw ApiError.invalidRequest(
                        "Unrecognized request argument supplied: " + field, field, "unknown_parameter");
            }
        }
        return (ObjectNode) json;
    }

    private static Boolean bool(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isBoolean()) throw invalid(field + " must be true or false", field);
        return value.asBoolean();
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) return null; // the store says what a missing value means
        if (!value.isTextual()) throw invalid(field + " must be a string", field);
        return value.asText();
    }

    private static List<String> models(JsonNode value) {
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) throw invalid("models must be an array of model ids", "models");
        List<String> models = new ArrayList<>();
        for (JsonNode model : value) {
            if (!model.isTextual()) throw invalid("models must be an array of model ids", "models");
            models.add(model.asText());
        }
        return models;
    }

    private static Instant expiry(JsonNode value) {
        if (value == null || value.isNull()) return null;
        try {
            if (value.isTextual()) return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw invalid("expires_at must be an ISO-8601 time such as 2027-01-01T00:00:00Z, or null", "expires_at");
    }

    private static ObjectNode metadata(JsonNode value) {
        if (!(value instanceof ObjectNode object)) throw invalid("metadata must be a JSON object", "metadata");
        return object;
    }

    private static ApiError invalid(String message, String param) {
        return ApiError.invalidRequest(message, param, null);
    }
}
