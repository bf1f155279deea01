package dev.tollgate.proxy.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;

/** Sample records and row counts for the request log tests. */
final class Records {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00.123456Z");

    private Records() {}

    /** A successful chat completion, numbered {@code n}. */
    static RequestRecord sample(long n) {
        return record(n, "key_" + (n % 4), "llama-3.1-8b-instant", 200, T0.plusSeconds(n));
    }

    static RequestRecord record(long n, String keyId, String model, int status, Instant time) {
        boolean ok = status == 200;
        return new RequestRecord(
                null,
                time,
                "req_" + n,
                ok ? "groq_" + n : null,
                keyId,
                "name of " + keyId,
                model,
                ok ? model : null,
                "/v1/chat/completions",
                n % 2 == 0,
                status,
                ok ? null : "rate_limit_exceeded",
                ok ? null : "rate_limited",
                ok ? 12L : null,
                ok ? 34L : null,
                ok ? 0L : null,
                ok ? 5L : null,
                ok ? 1_234L : null,
                ok ? "groq" : "none",
                250,
                ok ? 80L : null,
                ok ? 230L : null,
                900L,
                "127.0.0.1",
                "openai-java/1.0",
                "user-" + (n % 3),
                null,
                null,
                null);
    }

    static long count(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM request_log")) {
            rs.next();
            if (rs.getLong(1) != rs.getLong(2)) throw new AssertionError("duplicate rows: " + rs.getLong(1));
            return rs.getLong(1);
        }
    }
}
