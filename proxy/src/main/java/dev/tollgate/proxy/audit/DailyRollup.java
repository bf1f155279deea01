package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a batch of request-log rows to {@code usage_daily} (migration V5), inside the batch's own
 * transaction, so the roll-up always equals the rows written, also with several writers at once (log
 * writers of several instances on one PostgreSQL, or of one JVM). Groups are written in one order, so
 * two writers lock the same rows in the same order and never deadlock.
 * <ul>
 *   <li>PostgreSQL: one {@code INSERT … ON CONFLICT DO UPDATE} per group adding every counter, the
 *       latency histogram included (bucket by bucket in SQL), to what the row holds when the statement
 *       runs. (Its MERGE is not safe here: two transactions inserting one new key make one of them fail.)
 *   <li>H2: the row is read {@code FOR UPDATE} (locked until commit), merged, written; two writers inserting
 *       one new row make one batch fail on the primary key, and the log writer retries it.
 * </ul>
 */
final class DailyRollup {
    private static final String SELECT = "SELECT latency_histogram FROM usage_daily WHERE usage_day = ? AND key_id = ?"
            + " AND model = ? FOR UPDATE";
    private static final String UPDATE =
            "UPDATE usage_daily SET key_name = COALESCE(?, key_name), requests = requests + ?,"
                    + " errors = errors + ?, estimated = estimated + ?, prompt_tokens = prompt_tokens + ?,"
                    + " completion_tokens = completion_tokens + ?, reasoning_tokens = reasoning_tokens + ?,"
                    + " cached_tokens = cached_tokens + ?, cost_nanos = cost_nanos + ?, latency_ms_sum = latency_ms_sum + ?,"
                    + " latency_histogram = ? WHERE usage_day = ? AND key_id = ? AND model = ?";
    private static final String INSERT =
            "INSERT INTO usage_daily (key_name, requests, errors, estimated, prompt_tokens,"
                    + " completion_tokens, reasoning_tokens, cached_tokens, cost_nanos, latency_ms_sum, latency_histogram, usage_day,"
                    + " key_id, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String UPSERT = "INSERT INTO usage_daily AS d (key_name, requests, errors, estimated,"
            + " prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost_nanos, latency_ms_sum,"
            + " latency_histogram, usage_day, key_id, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (usage_day, key_id, model) DO UPDATE SET key_name = COALESCE(EXCLUDED.key_name, d.key_name),"
            + " requests = d.requests + EXCLUDED.requests, errors = d.errors + EXCLUDED.errors,"
            + " estimated = d.estimated + EXCLUDED.estimated, prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,"
            + " completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens,"
            + " reasoning_tokens = d.reasoning_tokens + EXCLUDED.reasoning_tokens,"
            + " cached_tokens = d.cached_tokens + EXCLUDED.cached_tokens, cost_nanos = d.cost_nanos + EXCLUDED.cost_nanos,"
            + " latency_ms_sum = d.latency_ms_sum + EXCLUDED.latency_ms_sum,"
            // Bucket by bucket; a shorter list (an older bucket set) counts as zeros where it ends.
            + " latency_histogram = (SELECT string_agg((COALESCE(a, 0) + COALESCE(b, 0))::text, ',' ORDER BY n)"
            + " FROM unnest(string_to_array(d.latency_histogram, ',')::bigint[],"
            + " string_to_array(EXCLUDED.latency_histogram, ',')::bigint[]) WITH ORDINALITY AS h(a, b, n))";
    private static final Comparator<Group> ORDER =
            Comparator.comparing(Group::day).thenComparing(Group::keyId).thenComparing(Group::model);

    private final ZoneId zone;
    private Dialect dialect; // of the first connection: the pool's database

    DailyRollup(ZoneId zone) {
        this.zone = zone;
    }

    /** The roll-up's model for a row: the model that answered, else the one asked for, else ''. */
    static String model(RequestRecord r) {
        if (r.modelServed() != null) return r.modelServed();
        return r.modelRequested() == null ? "" : r.modelRequested();
    }

    void add(Connection c, List<RequestRecord> batch) throws SQLException {
        Map<Group, Sums> groups = new TreeMap<>(ORDER);
        for (RequestRecord r : batch) {
            Group g = new Group(LocalDate.ofInstant(r.time(), zone), r.keyId() == null ? "" : r.keyId(), cut(model(r)));
            groups.computeIfAbsent(g, k -> new Sums()).add(r);
        }
        if (dialect == null) dialect = Dialect.of(c.getMetaData().getURL());
        if (dialect == Dialect.POSTGRESQL) upsert(c, groups);
        else mergeLocked(c, groups);
    }

    private static void upsert(Connection c, Map<Group, Sums> groups) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            for (Map.Entry<Group, Sums> e : groups.entrySet()) {
                Sums sums = e.getValue();
                bindKey(upsert, sums.bind(upsert, sums.latency), e.getKey());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void mergeLocked(Connection c, Map<Group, Sums> groups) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT);
                PreparedStatement update = c.prepareStatement(UPDATE);
                PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Map.Entry<Group, Sums> e : groups.entrySet()) {
                Group g = e.getKey();
                Sums sums = e.getValue();
                bindKey(select, 1, g);
                String stored = null;
                boolean exists;
                try (ResultSet rs = select.executeQuery()) {
                    exists = rs.next();
                    if (exists) stored = rs.getString(1);
                }
                LatencyHistogram histogram = LatencyHistogram.decode(stored);
                histogram.addAll(sums.latency);
                PreparedStatement write = exists ? update : insert;
                int i = sums.bind(write, histogram);
                bindKey(write, i, g);
                write.executeUpdate();
            }
        }
    }

    private static void bindKey(PreparedStatement ps, int from, Group g) throws SQLException {
        ps.setObject(from, g.day());
        ps.setString(from + 1, g.keyId());
        ps.setString(from + 2, g.model());
    }

    /** The model as its column holds it (200 characters at most), so that two rows for one column value are one group. */
    private static String cut(String model) {
        return model.length() > 200 ? model.substring(0, 200) : model;
    }

    private record Group(LocalDate day, String keyId, String model) {}

    private static final class Sums {
        String keyName;
        long requests, errors, estimated, prompt, completion, reasoning, cached, costNanos, latencySum;
        final LatencyHistogram latency = new LatencyHistogram();

        void add(RequestRecord r) {
            if (r.keyName() != null) keyName = r.keyName();
            requests++;
            if (r.status() >= 400) errors++;
            if ("estimated".equals(r.usageSource())) estimated++;
            prompt += orZero(r.promptTokens());
            completion += orZero(r.completionTokens());
            reasoning += orZero(r.reasoningTokens());
            cached += orZero(r.cachedTokens());
            costNanos += orZero(r.costNanos());
            latencySum += r.latencyMs();
            latency.add(r.latencyMs());
        }

        /** Binds the sums from parameter 1; returns the next parameter index. */
        int bind(PreparedStatement ps, LatencyHistogram merged) throws SQLException {
            int i = 1;
            ps.setString(i++, keyName == null || keyName.length() <= 200 ? keyName : keyName.substring(0, 200));
            for (long v : new long[] {
                requests, errors, estimated, prompt, completion, reasoning, cached, costNanos, latencySum
            }) {
                ps.setLong(i++, v);
            }
            ps.setString(i++, merged.encode());
            return i;
        }

        private static long orZero(Long v) {
            return v == null ? 0 : v;
        }
    }
}
