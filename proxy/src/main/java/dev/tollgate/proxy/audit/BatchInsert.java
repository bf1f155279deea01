package dev.tollgate.proxy.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Inserts a batch of records and their daily roll-up in one transaction, retrying with backoff when the database fails. */
final class BatchInsert {
    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
    private static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final DataSource dataSource;
    private final DailyRollup rollup;

    BatchInsert(DataSource dataSource, DailyRollup rollup) {
        this.dataSource = dataSource;
        this.rollup = rollup;
    }

    /** Writes {@code batch}; false when every attempt failed (logged at ERROR with the count). */
    boolean write(List<RequestRecord> batch) {
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                insert(batch);
                return true;
            } catch (SQLException | RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    log.error(
                            "request log: could not write {} rows after {} attempts ({}); they are lost",
                            batch.size(),
                            ATTEMPTS,
                            reason(e));
                    return false;
                }
                log.warn(
                        "request log: writing {} rows failed ({}), retry {} of {} in {} ms",
                        batch.size(),
                        reason(e),
                        attempt,
                        ATTEMPTS - 1,
                        backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void insert(List<RequestRecord> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(RequestRows.INSERT)) {
                for (RequestRecord r : batch) {
                    RequestRows.bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
                rollup.add(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** The kind of failure without its message: a driver's message may quote the values of a row. */
    private static String reason(Exception e) {
        if (e instanceof SQLException sql) {
            return e.getClass().getSimpleName() + ", SQL state " + sql.getSQLState() + ", code " + sql.getErrorCode();
        }
        return e.getClass().getSimpleName();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // not interrupted on purpose; the retry simply comes sooner
        }
    }
}
