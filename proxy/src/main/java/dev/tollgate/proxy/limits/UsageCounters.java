package dev.tollgate.proxy.limits;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/** Table {@code usage_counters}: loads a key's current windows, writes counter snapshots. */
final class UsageCounters {
    // Standard SQL MERGE (H2 2.x, PostgreSQL 15+); the values are absolute, so a retried write is harmless.
    private static final String MERGE = "MERGE INTO usage_counters t USING (VALUES (CAST(? AS VARCHAR(32)), "
            + "CAST(? AS VARCHAR(8)), CAST(? AS DATE), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
            + "CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE))) "
            + "AS s (key_id, period, period_start, requests, prompt_tokens, completion_tokens, cost_nanos, updated_at) "
            + "ON t.key_id = s.key_id AND t.period = s.period AND t.period_start = s.period_start "
            + "WHEN MATCHED THEN UPDATE SET requests = s.requests, prompt_tokens = s.prompt_tokens, "
            + "completion_tokens = s.completion_tokens, cost_nanos = s.cost_nanos, updated_at = s.updated_at "
            + "WHEN NOT MATCHED THEN INSERT (key_id, period, period_start, requests, prompt_tokens, completion_tokens, "
            + "cost_nanos, updated_at) VALUES (s.key_id, s.period, s.period_start, s.requests, s.prompt_tokens, "
            + "s.completion_tokens, s.cost_nanos, s.updated_at)";

    private final DataSource db;
    private final boolean shared;

    /** {@code shared}: the accounts it loads are for shared mode (see {@link SharedLedger}). */
    UsageCounters(DataSource db, boolean shared) {
        this.db = db;
        this.shared = shared;
    }

    /** A new account for the key, with what the table holds for the windows {@code w}. */
    KeyAccount load(String keyId, Windows w) {
        KeyAccount account = new KeyAccount(keyId, w, shared);
        try (Connection c = db.getConnection()) {
            Leases.used(c, keyId, w).forEach((window, used) -> {
                PeriodCounter counter = account.counter(window.period());
                if (window.start() != counter.start) return;
                counter.requests = used[0];
                counter.promptTokens = used[1];
                counter.completionTokens = used[2];
                counter.costNanos = used[3];
            });
        } catch (SQLException e) {
            throw new StorageException("cannot read the usage of key " + keyId + ": " + e.getMessage(), e);
        }
        return account;
    }

    void write(List<CounterRow> rows, Instant now) {
        if (rows.isEmpty()) return;
        try (Connection c = db.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(MERGE)) {
                OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                for (CounterRow row : rows) {
                    ps.setString(1, row.keyId());
                    ps.setString(2, row.period().wireName());
                    ps.setObject(3, LocalDate.ofEpochDay(row.start()));
                    ps.setLong(4, row.requests());
                    ps.setLong(5, row.promptTokens());
                    ps.setLong(6, row.completionTokens());
                    ps.setLong(7, row.costNanos());
                    ps.setObject(8, at);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot write usage counters: " + e.getMessage(), e);
        }
    }
}
