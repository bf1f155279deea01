package dev.tollgate.proxy.limits;

import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.store.ChangeSignal;
import dev.tollgate.proxy.store.ChangeSync;
import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Each key's {@link KeyLimits}, in table {@code key_limits} (no row = no limits).
 *
 * <p>{@link #get} is on every request's path, so answers are cached in memory — "no limits" too. A
 * cached answer is used for at most {@code maxAge} (1 s by default) of the injected clock, then read
 * again, and at once after a change to the database ({@link ChangeSignal}: H2's trigger, PostgreSQL's
 * notifications), whichever process or instance made it.
 */
public final class LimitStore {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private static final String MERGE = "MERGE INTO key_limits t USING (VALUES (CAST(? AS VARCHAR(32)), "
            + "CAST(? AS VARCHAR(4000)), CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s (key_id, limits, updated_at) "
            + "ON t.key_id = s.key_id "
            + "WHEN MATCHED THEN UPDATE SET limits = s.limits, updated_at = s.updated_at "
            + "WHEN NOT MATCHED THEN INSERT (key_id, limits, updated_at) VALUES (s.key_id, s.limits, s.updated_at)";

    /** A key's limits as read at {@code readAtMillis}, after {@code changes} database changes ({@link ChangeSignal}). */
    private record Cached(KeyLimits limits, long readAtMillis, long changes) {}

    private final DataSource db;
    private final Clock clock;
    private final long maxAgeMillis;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService refresher;

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
        if (cached != null
                && now - cached.readAtMillis() < maxAgeMillis
                && now >= cached.readAtMillis()
                && ChangeSignal.fresh(cached.changes())) {
            return cached.limits();
        }
        long changes = ChangeSignal.changes(); // before the read: a change during it makes the entry stale
        KeyLimits limits = read(keyId);
        cache.put(keyId, new Cached(limits, now, changes));
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
        cache.put(keyId, new Cached(limits, now, ChangeSignal.changes()));
        ChangeSync.await(db);
    }

    /**
     * Keeps the cached answers fresh in the background, re-reading the table every {@code period}, so
     * {@link #get} does not read the database on a request's path once a key is known. Stops with {@link #close}.
     */
    public void refreshEvery(Duration period) {
        if (refresher != null) throw new IllegalStateException("already refreshing");
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("key-limits-refresh").factory());
        refresher.scheduleWithFixedDelay(
                this::refreshQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void close() {
        if (refresher != null) refresher.shutdownNow();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(LimitStore.class)
                    .warn(
                            "refreshing key limits failed; requests read them instead: {}",
                            e.getClass().getSimpleName());
        }
    }

    /** Re-reads every cached key's limits in one query; an unchanged answer keeps its instance. */
    void refresh() {
        if (cache.isEmpty()) return;
        long now = clock.millis();
        long changes = ChangeSignal.changes();
        Map<String, String> rows = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT key_id, limits FROM key_limits");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
        } catch (SQLException e) {
            throw new StorageException("cannot read key limits: " + e.getMessage(), e);
        }
        for (String keyId : cache.keySet()) {
            String text = rows.get(keyId);
            KeyLimits fresh;
            try {
                fresh = text == null ? KeyLimits.NONE : KeyLimits.fromJson(Json.parse(text));
            } catch (RuntimeException invalid) {
                cache.remove(keyId); // the next get reads it and fails closed, with the reason
                continue;
            }
            // A set() since this refresh began wins; an equal answer keeps its instance (the ledger compares by
            // identity).
            cache.computeIfPresent(
                    keyId,
                    (k, old) -> old.readAtMillis() > now
                            ? old
                            : new Cached(old.limits().equals(fresh) ? old.limits() : fresh, now, changes));
        }
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
