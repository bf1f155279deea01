package dev.tollgate.proxy.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** What a key's fields may hold. Every refusal is a 400 naming the offending parameter. */
final class KeyRules {
    static final int MAX_NAME = 200;
    static final int MAX_MODELS = 100;
    static final int MAX_METADATA_CHARS = 16_000;
    static final Duration MAX_GRACE = Duration.ofDays(365);
    /** Four-digit years: what every database the proxy may use stores (Instant.parse takes years up to a billion). */
    static final Instant LATEST_EXPIRY = Instant.parse("+10000-01-01T00:00:00Z");

    private KeyRules() {}

    static String name(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) throw invalid("name must not be blank", "name");
        if (stripped.length() > MAX_NAME) throw invalid("name must be at most " + MAX_NAME + " characters", "name");
        return stripped;
    }

    /** Stripped, without duplicates, in the given order; empty means every model. */
    static List<String> models(List<String> models) {
        if (models == null) return List.of();
        LinkedHashSet<String> clean = new LinkedHashSet<>();
        for (String model : models) {
            String stripped = model == null ? "" : model.strip();
            if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
                throw invalid("each model must be a non-blank string of at most " + MAX_NAME + " characters", "models");
            }
            clean.add(stripped);
        }
        if (clean.size() > MAX_MODELS) throw invalid("at most " + MAX_MODELS + " models", "models");
        return new ArrayList<>(clean);
    }

    static Instant expiry(Instant expiresAt, Instant now) {
        if (expiresAt == null) return null;
        Instant expiry = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        if (!expiry.isAfter(now)) throw invalid("expires_at must be in the future", "expires_at");
        if (!expiry.isBefore(LATEST_EXPIRY)) throw invalid("expires_at must be before the year 10000", "expires_at");
        return expiry;
    }

    static ObjectNode metadata(ObjectNode metadata) {
        ObjectNode clean = metadata == null ? Json.MAPPER.createObjectNode() : metadata.deepCopy();
        if (Json.compact(clean).length() > MAX_METADATA_CHARS) {
            throw invalid("metadata must be at most " + MAX_METADATA_CHARS + " characters of JSON", "metadata");
        }
        return clean;
    }

    static Duration grace(Duration grace) {
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw invalid("the grace period must be between 0 seconds and 365 days", "grace_seconds");
        }
        return grace;
    }

    /** JSON merge patch (RFC 7386): a null value removes the entry, objects merge, anything else replaces. */
    static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        ObjectNode merged = target.deepCopy();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            JsonNode value = entry.getValue();
            JsonNode current = merged.get(entry.getKey());
            if (value.isNull()) {
                merged.remove(entry.getKey());
            } else if (value.isObject() && current != null && current.isObject()) {
                merged.set(entry.getKey(), merge((ObjectNode) current, (ObjectNode) value));
            } else {
                merged.set(entry.getKey(), value.deepCopy());
            }
        }
        return merged;
    }

    static ApiError invalid(String message, String param) {
        return ApiError.invalidRequest(message, param, null);
    }

    static ApiError notFound(String id) {
        return new ApiError(
                404, "No client key with id '" + shown(id) + "'", "invalid_request_error", "id", "key_not_found");
    }

    static ApiError revoked(String id) {
        return ApiError.invalidRequest("Client key '" + id + "' is revoked and cannot be changed", "id", "key_revoked");
    }

    /** An id as given, unless it could be a secret pasted in the wrong place: then only its mask. */
    static String shown(String id) {
        boolean plain = id != null && id.matches("[A-Za-z0-9_-]{1,40}") && !id.startsWith("sk-");
        return plain ? id : KeySecrets.mask(id);
    }
}
