package dev.tollgate.proxy.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of shared mode (PostgreSQL): instances and their heartbeats ({@code proxy_instances}), leases
 * of a key's remaining allowance ({@code allowance_leases}), per-minute bucket rows ({@code rate_buckets})
 * and usage added by deltas ({@code usage_counters}). Every method runs on the caller's connection, inside
 * its transaction; writes to one key's rows happen only under {@link #lockKey}.
 */
final class Leases {
    /** One window of one key: a row of usage_counters and of allowance_leases. */
    record Window(BudgetPeriod period, long start) {}

    /** Requests, tokens and nano-dollars: a usage or a lease in one window. */
    record Amounts(long requests, long tokens, long costNanos) {
        static final Amounts ZERO = new Amounts(0, 0, 0);

        Amounts plus(Amounts o) {
            return new Amounts(requests + o.requests, tokens + o.tokens, costNanos + o.costNanos);
        }

        boolean isZero() {
            return requests == 0 && tokens == 0 && costNanos == 0;
        }
    }

    /** A bucket row: what it held at refilledAt (epoch millis). */
    record BucketRow(long tokens, long refilledAt) {}

    /** The leases on a key's windows: this instance's and the sum of every other live instance's. */
    record KeyLeases(Map<Window, Amounts> mine, Map<Window, Amounts> others) {}

    /** Which advisory locks are ours: pg_advisory_xact_lock(TOLLGATE, hash of the key id). */
    private static final int TOLLGATE = 0x7011_6A7E;

    private final long timeoutMillis;

    /** @param timeoutMillis a heartbeat older than this is a dead instance's */
    Leases(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    void register(Connection c, String instanceId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO proxy_instances (instance_id, started_at, heartbeat_at) "
                        + "VALUES (?, now(), now()) ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()")) {
            ps.setString(1, instanceId);
            ps.executeUpdate();
        }
    }

    /**
     * Refreshes this instance's heartbeat and, inside a transaction, locks its row until the commit, so
     * no other instance can declare it dead meanwhile.
     *
     * @return the database's time (epoch millis), negated when the instance had been declared dead (its
     *     leases deleted; it is registered again)
     */
    long heartbeat(Connection c, String instanceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE proxy_instances SET heartbeat_at = now() "
                + "WHERE instance_id = ? RETURNING CAST(extract(epoch FROM heartbeat_at) * 1000 AS BIGINT)")) {
            ps.setString(1, instanceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return rs.getLong(1);
            }
        }
        register(c, instanceId);
        return -now(c);
    }

    void lockKey(Connection c, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, TOLLGATE);
            ps.setInt(2, keyId.hashCode()); // a collision only makes two keys wait for each other
            ps.executeQuery().close();
        }
    }

    /**
     * Deletes instances whose heartbeat is older than the timeout, and their leases. An instance in a
     * transaction holds its row locked, so it is skipped: it is alive.
     */
    void reapDead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH dead AS (DELETE FROM proxy_instances WHERE instance_id IN "
                + "(SELECT instance_id FROM proxy_instances WHERE heartbeat_at < now() - CAST(? AS BIGINT) * INTERVAL '1 millisecond' "
                + "FOR UPDATE SKIP LOCKED) RETURNING instance_id) "
                + "DELETE FROM allowance_leases WHERE instance_id IN (SELECT instance_id FROM dead)")) {
            ps.setLong(1, timeoutMillis);
            ps.executeUpdate();
        }
    }

    int liveInstances(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM proxy_instances "
                + "WHERE heartbeat_at >= now() - CAST(? AS BIGINT) * INTERVAL '1 millisecond'")) {
            ps.setLong(1, timeoutMillis);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getInt(1));
            }
        }
    }

    /** What usage_counters holds for the key in these windows: requests, prompt + completion tokens, cost. */
    static Map<Window, long[]> used(Connection c, String keyId, Windows w) throws SQLException {
        Map<Window, long[]> used = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT period, period_start, requests, prompt_tokens, completion_tokens, cost_nanos "
                        + "FROM usage_counters WHERE key_id = ? AND period_start IN (?, ?, ?, ?)")) {
            ps.setString(1, keyId);
            int i = 2;
            for (BudgetPeriod p : BudgetPeriod.values()) ps.setObject(i++, LocalDate.ofEpochDay(w.start(p)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BudgetPeriod period = BudgetPeriod.parse(rs.getString(1));
                    if (period == null) continue;
                    used.put(
                            new Window(period, rs.getObject(2, LocalDate.class).toEpochDay()),
                            new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
                }
            }
        }
        return used;
    }

    KeyLeases leases(Connection c, String keyId, String instanceId) throws SQLException {
        Map<Window, Amounts> mine = new HashMap<>(), others = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, period, period_start, requests, tokens, "
                + "cost_nanos FROM allowance_leases WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BudgetPeriod period = BudgetPeriod.parse(rs.getString(2));
                    if (period == null) continue;
                    Window w =
                            new Window(period, rs.getObject(3, LocalDate.class).toEpochDay());
                    Amounts a = new Amounts(rs.getLong(4), rs.getLong(5), rs.getLong(6));
                    (instanceId.equals(rs.getString(1)) ? mine : others).merge(w, a, Amounts::plus);
                }
            }
        }
        return new KeyLeases(mine, others);
    }

    /** Replaces this instance's leases on the key by {@code leases} (zero ones are not stored). */
    void writeLeases(Connection c, String instanceId, String keyId, Map<Window, Amounts> leases) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM allowance_leases WHERE instance_id = ? AND key_id = ?")) {
            ps.setString(1, instanceId);
            ps.setString(2, keyId);
            ps.executeUpdate();
        }
        List<Map.Entry<Window, Amounts>> kept = new ArrayList<>();
        for (var e : leases.entrySet()) if (!e.getValue().isZero()) kept.add(e);
        if (kept.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO allowance_leases (instance_id, key_id, period, "
                + "period_start, requests, tokens, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (var e : kept) {
                ps.setString(1, instanceId);
                ps.setString(2, keyId);
                ps.setString(3, e.getKey().period().wireName());
                ps.setObject(4, LocalDate.ofEpochDay(e.getKey().start()));
                ps.setLong(5, e.getValue().requests());
                ps.setLong(6, e.getValue().tokens());
                ps.setLong(7, e.getValue().costNanos());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Adds a delta to a counter row (never an absolute value: other instances add theirs concurrently).
     *
     * @return the row after the addition: requests, prompt tokens, completion tokens, cost
     */
    long[] addUsage(Connection c, String keyId, Window w, long requests, long prompt, long completion, long cost)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_counters (key_id, period, period_start, "
                + "requests, prompt_tokens, completion_tokens, cost_nanos, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, now()) "
                + "ON CONFLICT (key_id, period, period_start) DO UPDATE SET "
                + "requests = usage_counters.requests + EXCLUDED.requests, "
                + "prompt_tokens = usage_counters.prompt_tokens + EXCLUDED.prompt_tokens, "
                + "completion_tokens = usage_counters.completion_tokens + EXCLUDED.completion_tokens, "
                + "cost_nanos = usage_counters.cost_nanos + EXCLUDED.cost_nanos, updated_at = now() "
                + "RETURNING requests, prompt_tokens, completion_tokens, cost_nanos")) {
            ps.setString(1, keyId);
            ps.setString(2, w.period().wireName());
            ps.setObject(3, LocalDate.ofEpochDay(w.start()));
            ps.setLong(4, requests);
            ps.setLong(5, prompt);
            ps.setLong(6, completion);
            ps.setLong(7, cost);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    /** The key's bucket of this kind ("requests" or "tokens"), or null when it has none yet (it starts full). */
    BucketRow bucket(Connection c, String keyId, String kind) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT tokens, refilled_at FROM rate_buckets WHERE key_id = ? AND kind = ?")) {
            ps.setString(1, keyId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BucketRow(rs.getLong(1), rs.getLong(2)) : null;
            }
        }
    }

    void writeBucket(Connection c, String keyId, String kind, BucketRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rate_buckets (key_id, kind, tokens, refilled_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (key_id, kind) DO UPDATE SET tokens = EXCLUDED.tokens, "
                + "refilled_at = EXCLUDED.refilled_at")) {
            ps.setString(1, keyId);
            ps.setString(2, kind);
            ps.setLong(3, row.tokens());
            ps.setLong(4, row.refilledAt());
            ps.executeUpdate();
        }
    }

    /** Deletes this instance and its leases (a graceful stop, after its last flush). */
    void unregister(Connection c, String instanceId) throws SQLException {
        for (String sql : List.of(
                "DELETE FROM allowance_leases WHERE instance_id = ?",
                "DELETE FROM proxy_instances WHERE instance_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, instanceId);
                ps.executeUpdate();
            }
        }
    }

    /** A bucket row refilled to {@code now}: capacity per minute, never beyond capacity; the fraction of a token not yet refilled is kept. */
    static BucketRow refill(BucketRow row, long capacity, long now) {
        if (row == null) return new BucketRow(capacity, now);
        long elapsed = Math.min(Math.max(0, now - row.refilledAt()), 1_001L * 60_000); // a debt is at most 1000 minutes
        long added = elapsed / 60_000 * capacity + elapsed % 60_000 * capacity / 60_000;
        long tokens = row.tokens() + added;
        if (tokens >= capacity) return new BucketRow(capacity, now);
        return new BucketRow(tokens, row.refilledAt() + added * 60_000 / capacity);
    }

    private static long now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(extract(epoch FROM now()) * 1000 AS BIGINT)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
