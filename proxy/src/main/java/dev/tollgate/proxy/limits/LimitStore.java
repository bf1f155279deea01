package dev.tollgate.proxy.limits;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.keys.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Each key's {@link KeyLimits}, in table {@code key_limits} (no row = no limits).
 *
 * <p>{@link #get} is on every request's path, so answers are cached in memory — "no limits" too. A
 * cached answer is used for at most {@code maxAge} (1 s by default) of the injected clock, then read
 * again: a change this store makes applies at once, a change made by another process on the same
 * database (the {@code keys} CLI) within {@code maxAge}.
 */
public final class LimitStore {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private static final String MERGE = "MERGE INTO key_limits t USING (VALUES (CAST(? AS VARCHAR(32)), "
            + "CAST(? AS VARCHAR(4000)), CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s (key_id, limits, updated_at) "
            + "ON t.key_id = s.key_id "
            + "WHEN MATCHED THEN UPDATE SET limits = s.limits, updated_at = s.updated_at "
            + "WHEN NOT MATCHED THEN INSERT (key_id, limits, updated_at) VALUES (s.key_id, s.limits, s.updated_at)";

    private record Cached(KeyLimits limits, long readAtMillis) {}

    private final DataSource db;
    private final Clock clock;
    private final long maxAgeMillis;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public LimitStore(DataSource db, Clock clock) {
        this(db, clock, DEFAULT_MAX_AGE);
    }

    public LimitStore(DataSource db, Clock clock, Duration maxAge) {
        this.db = db;
        this.clock = clock;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** The key's limits, {@link KeyLimits#NONE} when it has none. */
    public KeyLimits get(String keyId) {
        long now = clock.millis();
        Cached cached = cache.get(keyId);
        if (cached != null && now - cached.readAtMillis() < maxAgeMillis && now >= cached.readAtMillis()) {
            return cached.limits();
        }
        KeyLimits limits = read(keyId);
        cache.put(keyId, new Cached(limits, now));
        return limits;
    }

    /** Replaces the key's limits; {@link KeyLimits#NONE} deletes its row. */
    public void set(String keyId, KeyLimits limits) {
        long now = clock.millis();
        try (Connection c = db.getConnection()) {
            if (limits.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM key_limits WHERE key_id = ?")) {
                    ps.setString(1, keyId);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(MERGE)) {
                    ps.setString(1, keyId);
                    ps.setString(2, Json.compact(limits.toJson()));
                    ps.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot save the limits of key " + keyId + ": " + e.getMessage(), e);
        }
        cache.put(keyId, new Cached(limits, now));
    }

    /** Forgets every cached answer (the next {@link #get} of each key reads the table). */
    public void invalidate() {
        cache.clear();
    }

    private KeyLimits read(String keyId) {
        String text;
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT limits FROM key_limits WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                text = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the limits of key " + keyId + ": " + e.getMessage(), e);
        }
        if (text == null) return KeyLimits.NONE;
        try {
            return KeyLimits.fromJson(Json.parse(text));
        } catch (RuntimeException e) { // a hand-edited row: fail closed rather than run without limits
            throw new StorageException("the limits stored for key " + keyId + " are invalid: " + e.getMessage(), e);
        }
    }
}
