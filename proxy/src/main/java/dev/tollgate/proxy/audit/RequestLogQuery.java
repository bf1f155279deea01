package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** Reads the request log back, filtered and paged by row id. */
public final class RequestLogQuery {
    /** The most rows one call returns. */
    public static final int MAX_LIMIT = 1_000;

    private final DataSource dataSource;

    public RequestLogQuery(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * What to select; every {@code null} field matches everything.
     *
     * @param model  matches the model asked for or the model served
     * @param from   inclusive
     * @param to     exclusive
     */
    public record Filter(String keyId, String model, Integer status, Instant from, Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /**
     * Up to {@code limit} (at most {@link #MAX_LIMIT}) rows matching {@code filter} with an id above
     * {@code afterId}, oldest first. The next page starts after the last row's id.
     */
    public List<RequestRecord> find(Filter filter, int limit, long afterId) {
        return find(filter, limit, afterId, false);
    }

    /**
     * Up to {@code limit} rows matching {@code filter} with an id below {@code beforeId} (all when
     * {@code beforeId} is {@link Long#MAX_VALUE}), newest first. The next page starts before the last row's id.
     */
    public List<RequestRecord> latest(Filter filter, int limit, long beforeId) {
        return find(filter, limit, beforeId, true);
    }

    private List<RequestRecord> find(Filter filter, int limit, long cursor, boolean newestFirst) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, ")
                .append(RequestRows.COLUMNS)
                .append(" FROM request_log WHERE id ")
                .append(newestFirst ? "<" : ">")
                .append(" ?");
        params.add(cursor);
        if (filter.keyId() != null) {
            sql.append(" AND key_id = ?");
            params.add(filter.keyId());
        }
        if (filter.model() != null) {
            sql.append(" AND (model_requested = ? OR model_served = ?)");
            params.add(filter.model());
            params.add(filter.model());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.from() != null) {
            sql.append(" AND ts >= ?");
            params.add(OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" AND ts < ?");
            params.add(OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        sql.append(newestFirst ? " ORDER BY id DESC LIMIT " : " ORDER BY id LIMIT ")
                .append(Math.min(limit, MAX_LIMIT));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<RequestRecord> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(RequestRows.read(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new StorageException("cannot read the request log: " + e.getMessage(), e);
        }
    }
}
