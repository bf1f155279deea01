package dev.tollgate.proxy.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Maps {@code client_keys} rows to {@link ClientKey} and back. */
final class KeyRows {
    /** Every column a {@link ClientKey} is read from, in {@link #read} order. */
    static final String COLUMNS = "id, name, prefix, models, expires_at, metadata, created_at, updated_at, "
            + "revoked_at, previous_expires_at, log_bodies";

    private KeyRows() {}

    static ClientKey read(ResultSet rs) throws SQLException {
        return new ClientKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("prefix"),
                models(rs.getString("models")),
                instant(rs, "expires_at"),
                (ObjectNode) Json.parse(rs.getString("metadata")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "revoked_at"),
                instant(rs, "previous_expires_at"),
                rs.getBoolean("log_bodies"));
    }

    static List<ClientKey> readAll(ResultSet rs) throws SQLException {
        List<ClientKey> keys = new ArrayList<>();
        while (rs.next()) keys.add(read(rs));
        return keys;
    }

    static int insert(Connection c, ClientKey key, String secretHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO client_keys (id, name, secret_hash, prefix, "
                        + "models, expires_at, metadata, created_at, updated_at, log_bodies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.id());
            ps.setString(2, key.name());
            ps.setString(3, secretHash);
            ps.setString(4, key.prefix());
            ps.setString(5, modelsText(key.models()));
            setInstant(ps, 6, key.expiresAt());
            ps.setString(7, Json.compact(key.metadata()));
            setInstant(ps, 8, key.createdAt());
            setInstant(ps, 9, key.updatedAt());
            ps.setBoolean(10, key.logBodies());
            return ps.executeUpdate();
        }
    }

    /** Writes the fields an update may change. */
    static int update(Connection c, ClientKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE client_keys SET name = ?, models = ?, "
                + "expires_at = ?, metadata = ?, updated_at = ?, log_bodies = ? WHERE id = ?")) {
            ps.setString(1, key.name());
            ps.setString(2, modelsText(key.models()));
            setInstant(ps, 3, key.expiresAt());
            ps.setString(4, Json.compact(key.metadata()));
            setInstant(ps, 5, key.updatedAt());
            ps.setBoolean(6, key.logBodies());
            ps.setString(7, key.id());
            return ps.executeUpdate();
        }
    }

    static int revoke(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE client_keys SET revoked_at = ?, updated_at = ? WHERE id = ?")) {
            setInstant(ps, 1, now);
            setInstant(ps, 2, now);
            ps.setString(3, id);
            return ps.executeUpdate();
        }
    }

    /** The current secret becomes the previous one, valid until {@code previousExpiresAt}. */
    static int rotate(Connection c, String id, String secretHash, String prefix, Instant previousExpiresAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE client_keys SET previous_secret_hash = secret_hash, "
                + "previous_expires_at = ?, secret_hash = ?, prefix = ?, updated_at = ? WHERE id = ?")) {
            setInstant(ps, 1, previousExpiresAt);
            ps.setString(2, secretHash);
            ps.setString(3, prefix);
            setInstant(ps, 4, now);
            ps.setString(5, id);
            return ps.executeUpdate();
        }
    }

    /** Null for "every model", so the column says it plainly. */
    static String modelsText(List<String> models) {
        if (models.isEmpty()) return null;
        ArrayNode array = Json.MAPPER.createArrayNode();
        models.forEach(array::add);
        return Json.compact(array);
    }

    private static List<String> models(String text) {
        if (text == null) return List.of();
        List<String> models = new ArrayList<>();
        for (JsonNode model : Json.parse(text)) models.add(model.asText());
        return models;
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
