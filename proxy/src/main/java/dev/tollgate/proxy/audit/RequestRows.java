package dev.tollgate.proxy.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Maps {@link RequestRecord} to and from the {@code request_log} table (migrations V4, V6, V8). */
final class RequestRows {
    static final String COLUMNS = "ts, request_id, upstream_request_id, key_id, key_name, model_requested,"
            + " model_served, endpoint, stream, status, error_type, error_code, prompt_tokens,"
            + " completion_tokens, reasoning_tokens, cached_tokens, cost_nanos, usage_source, latency_ms,"
            + " first_token_ms, upstream_ms, overhead_us, client_address, user_agent, end_user, request_body, response_body,"
            + " executed_tools";

    static final String INSERT = "INSERT INTO request_log (" + COLUMNS + ") VALUES ("
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private RequestRows() {}

    /** Binds {@code r} to {@link #INSERT}; text is cut to its column's width so one odd value cannot fail a batch. */
    static void bind(PreparedStatement ps, RequestRecord r) throws SQLException {
        int i = 1;
        ps.setObject(i++, OffsetDateTime.ofInstant(r.time(), ZoneOffset.UTC));
        ps.setString(i++, cut(r.requestId(), 64));
        ps.setString(i++, cut(r.upstreamRequestId(), 128));
        ps.setString(i++, cut(r.keyId(), 32));
        ps.setString(i++, cut(r.keyName(), 200));
        ps.setString(i++, cut(r.modelRequested(), 200));
        ps.setString(i++, cut(r.modelServed(), 200));
        ps.setString(i++, cut(r.endpoint(), 200));
        ps.setBoolean(i++, r.stream());
        ps.setInt(i++, r.status());
        ps.setString(i++, cut(r.errorType(), 100));
        ps.setString(i++, cut(r.errorCode(), 100));
        setLong(ps, i++, r.promptTokens());
        setLong(ps, i++, r.completionTokens());
        setLong(ps, i++, r.reasoningTokens());
        setLong(ps, i++, r.cachedTokens());
        setLong(ps, i++, r.costNanos());
        ps.setString(i++, r.usageSource());
        ps.setLong(i++, r.latencyMs());
        setLong(ps, i++, r.firstTokenMs());
        setLong(ps, i++, r.upstreamMs());
        setLong(ps, i++, r.overheadMicros());
        ps.setString(i++, cut(r.clientAddress(), 64));
        ps.setString(i++, cut(r.userAgent(), 500));
        ps.setString(i++, cut(r.user(), 500));
        ps.setString(i++, r.requestBody()); // capped when captured
        ps.setString(i++, r.responseBody());
        if (r.executedTools() == null) ps.setNull(i, Types.INTEGER);
        else ps.setInt(i, r.executedTools());
    }

    /** Reads the row under the cursor of a {@code SELECT id, COLUMNS}. */
    static RequestRecord read(ResultSet rs) throws SQLException {
        return new RequestRecord(
                rs.getLong("id"),
                rs.getObject("ts", OffsetDateTime.class).toInstant(),
                rs.getString("request_id"),
                rs.getString("upstream_request_id"),
                rs.getString("key_id"),
                rs.getString("key_name"),
                rs.getString("model_requested"),
                rs.getString("model_served"),
                rs.getString("endpoint"),
                rs.getBoolean("stream"),
                rs.getInt("status"),
                rs.getString("error_type"),
                rs.getString("error_code"),
                getLong(rs, "prompt_tokens"),
                getLong(rs, "completion_tokens"),
                getLong(rs, "reasoning_tokens"),
                getLong(rs, "cached_tokens"),
                getLong(rs, "cost_nanos"),
                rs.getString("usage_source"),
                rs.getLong("latency_ms"),
                getLong(rs, "first_token_ms"),
                getLong(rs, "upstream_ms"),
                getLong(rs, "overhead_us"),
                rs.getString("client_address"),
                rs.getString("user_agent"),
                rs.getString("end_user"),
                rs.getString("request_body"),
                rs.getString("response_body"),
                rs.getObject("executed_tools", Integer.class));
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
