package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes raw request-log rows older than the retention period, in small batches with a pause
 * between them, so neither the log writer nor queries wait long on the table. The daily roll-ups
 * are kept: usage reports still cover deleted days.
 */
public final class Retention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final int BATCH = 5_000;
    private static final String DELETE = "DELETE FROM request_log WHERE id IN"
            + " (SELECT id FROM request_log WHERE ts < ? ORDER BY id LIMIT " + BATCH + ")";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration keep;
    private final ScheduledExecutorService schedule;

    /** Runs {@link #purge()} a minute after start, then every hour; {@code days} 0 keeps everything. */
    public static Retention start(DataSource dataSource, Clock clock, int days) {
        return new Retention(dataSource, clock, days, true);
    }

    Retention(DataSource dataSource, Clock clock, int days, boolean scheduled) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.keep = Duration.ofDays(days);
        this.schedule = scheduled && days > 0
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                        .daemon()
                        .name("request-log-retention")
                        .factory())
                : null;
        if (schedule != null) schedule.scheduleWithFixedDelay(this::purgeQuietly, 1, 60, TimeUnit.MINUTES);
    }

    /** Deletes every row older than the retention period; returns how many. */
    public long purge() {
        if (keep.isZero()) return 0;
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(keep), ZoneOffset.UTC);
        long deleted = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE)) {
            while (true) {
                ps.setObject(1, cutoff);
                int n = ps.executeUpdate();
                deleted += n;
                if (n < BATCH || Thread.currentThread().isInterrupted()) break;
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot delete old request-log rows: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deleted > 0) log.info("request log retention: deleted {} rows older than {} days", deleted, keep.toDays());
        return deleted;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn(
                    "request log retention failed; will try again in an hour: {}",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        if (schedule != null) schedule.shutdownNow();
    }
}
