package dev.tollgate.proxy.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a batch of request-log rows to {@code usage_daily} (migration V5), inside the batch's own
 * transaction, so the roll-up always equals the rows written. Only the log writer thread calls it,
 * which is why read-then-write per group needs no lock.
 */
final class DailyRollup {
    private static final String SELECT =
            "SELECT latency_histogram FROM usage_daily WHERE usage_day = ? AND key_id = ? AND model = ?";
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

    private final ZoneId zone;

    DailyRollup(ZoneId zone) {
        this.zone = zone;
    }

    /** The roll-up's model for a row: the model that answered, else the one asked for, else ''. */
    static String model(RequestRecord r) {
        if (r.modelServed() != null) return r.modelServed();
        return r.modelRequested() == null ? "" : r.modelRequested();
    }

    void add(Connection c, List<RequestRecord> batch) throws SQLException {
        Map<Group, Sums> groups = new LinkedHashMap<>();
        for (RequestRecord r : batch) {
            Group g = new Group(LocalDate.ofInstant(r.time(), zone), r.keyId() == null ? "" : r.keyId(), model(r));
            groups.computeIfAbsent(g, k -> new Sums()).add(r);
        }
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
        ps.setString(from + 2, g.model().length() > 200 ? g.model().substring(0, 200) : g.model());
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
