package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/** Usage totals from the daily roll-up ({@code usage_daily}), grouped by any of key, model and day. */
public final class UsageQuery {
    /** What usage can be grouped by. */
    public enum GroupBy {
        KEY,
        MODEL,
        DAY;

        /** Parses {@code key,model,day} (any subset, any order); empty means one grand total. */
        public static Set<GroupBy> parse(String text) {
            Set<GroupBy> groups = EnumSet.noneOf(GroupBy.class);
            if (text == null || text.isBlank()) return groups;
            for (String part : text.split(",")) {
                String name = part.strip().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) continue;
                try {
                    groups.add(GroupBy.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "group_by takes key, model and day, comma-separated; got '" + part.strip() + "'");
                }
            }
            return groups;
        }
    }

    /**
     * Which roll-up rows to add up; {@code null} fields match everything.
     *
     * @param from first day, inclusive
     * @param to   last day, inclusive
     */
    public record Filter(String keyId, String model, LocalDate from, LocalDate to) {}

    /**
     * One line of a usage report; the grouped-by fields are set, the others {@code null}.
     * Latency percentiles come from the roll-up's histograms (see {@link LatencyHistogram}).
     */
    public record Line(
            String keyId,
            String keyName,
            String model,
            LocalDate day,
            long requests,
            long errors,
            long estimated,
            long promptTokens,
            long completionTokens,
            long reasoningTokens,
            long cachedTokens,
            long costNanos,
            Long latencyP50Ms,
            Long latencyP95Ms,
            long latencyMsSum) {

        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    private final DataSource dataSource;

    public UsageQuery(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The lines, ordered by day, then key, then model (whichever are grouped by). */
    public List<Line> report(Filter filter, Set<GroupBy> groupBy) {
        StringBuilder sql = new StringBuilder("SELECT usage_day, key_id, key_name, model, requests, errors, estimated,"
                + " prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost_nanos, latency_ms_sum,"
                + " latency_histogram FROM usage_daily WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.keyId() != null) {
            sql.append(" AND key_id = ?");
            params.add(filter.keyId());
        }
        if (filter.model() != null) {
            sql.append(" AND model = ?");
            params.add(filter.model());
        }
        if (filter.from() != null) {
            sql.append(" AND usage_day >= ?");
            params.add(filter.from());
        }
        if (filter.to() != null) {
            sql.append(" AND usage_day <= ?");
            params.add(filter.to());
        }
        sql.append(" ORDER BY usage_day, key_id, model");
        Map<List<Object>, Total> totals = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject("usage_day", LocalDate.class);
                    String key = rs.getString("key_id");
                    String model = rs.getString("model");
                    List<Object> group = new ArrayList<>(3);
                    group.add(groupBy.contains(GroupBy.DAY) ? day : null);
                    group.add(groupBy.contains(GroupBy.KEY) ? key : null);
                    group.add(groupBy.contains(GroupBy.MODEL) ? model : null);
                    totals.computeIfAbsent(group, g -> new Total(day, key, model, groupBy))
                            .add(rs);
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read usage: " + e.getMessage(), e);
        }
        List<Line> lines = new ArrayList<>(totals.size());
        totals.values().forEach(t -> lines.add(t.line()));
        lines.sort(Comparator.comparing((Line l) -> l.day() == null ? LocalDate.MIN : l.day())
                .thenComparing(l -> l.keyId() == null ? "" : l.keyId())
                .thenComparing(l -> l.model() == null ? "" : l.model()));
        return lines;
    }

    private static final class Total {
        final LocalDate day;
        final String keyId;
        final String model;
        String keyName;
        long requests, errors, estimated, prompt, completion, reasoning, cached, costNanos, latencySum;
        final LatencyHistogram latency = new LatencyHistogram();

        Total(LocalDate day, String keyId, String model, Set<GroupBy> groupBy) {
            this.day = groupBy.contains(GroupBy.DAY) ? day : null;
            this.keyId = groupBy.contains(GroupBy.KEY) ? keyId : null;
            this.model = groupBy.contains(GroupBy.MODEL) ? model : null;
        }

        void add(ResultSet rs) throws SQLException {
            if (keyId != null && rs.getString("key_name") != null) keyName = rs.getString("key_name");
            requests += rs.getLong("requests");
            errors += rs.getLong("errors");
            estimated += rs.getLong("estimated");
            prompt += rs.getLong("prompt_tokens");
            completion += rs.getLong("completion_tokens");
            reasoning += rs.getLong("reasoning_tokens");
            cached += rs.getLong("cached_tokens");
            costNanos += rs.getLong("cost_nanos");
            latencySum += rs.getLong("latency_ms_sum");
            latency.addAll(LatencyHistogram.decode(rs.getString("latency_histogram")));
        }

        Line line() {
            return new Line(
                    keyId,
                    keyName,
                    model,
                    day,
                    requests,
                    errors,
                    estimated,
                    prompt,
                    completion,
                    reasoning,
                    cached,
                    costNanos,
                    latency.percentile(0.50),
                    latency.percentile(0.95),
                    latencySum);
        }
    }
}
