package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes raw request-log rows older than the retention period; the daily roll-ups are kept: usage
 * reports still cover removed days.
 * <ul>
 *   <li>H2: deletes the rows, in small batches with a pause between them, so neither the log writer nor
 *       queries wait long on the table.
 *   <li>PostgreSQL: drops the day partitions whose rows are all older than the retention period (never row
 *       deletes, which would leave the table to vacuum), so a row may outlive the period by up to a day.
 * </ul>
 */
public final class Retention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final int BATCH = 5_000;
    private static final String DELETE = "DELETE FROM request_log WHERE id IN"
            + " (SELECT id FROM request_log WHERE ts < ? ORDER BY id LIMIT " + BATCH + ")";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration keep;
    private final RequestLogPartitions partitions;
    private final ScheduledExecutorService schedule;

    /** What a purge removed: rows (H2) or whole day partitions (PostgreSQL). */
    public record Purged(long rows, List<String> partitions) {
        static final Purged NOTHING = new Purged(0, List.of());
    }

    /**
     * Runs {@link #purge()} a minute after start, then every hour; {@code days} 0 keeps everything.
     *
     * @param partitions the log's day partitions on PostgreSQL, dropped instead of deleting rows; null on H2
     */
    public static Retention start(DataSource dataSource, Clock clock, int days, RequestLogPartitions partitions) {
        return new Retention(dataSource, clock, days, partitions, true);
    }

    Retention(DataSource dataSource, Clock clock, int days, RequestLogPartitions partitions, boolean scheduled) {
        this.dataSource = dataSource;
        this.partitions = partitions;
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

    /** Removes the rows older than the retention period (H2), or the partitions that hold only such rows (PostgreSQL). */
    public Purged purge() {
        if (keep.isZero()) return Purged.NOTHING;
        Instant cutoff = clock.instant().minus(keep);
        if (partitions == null)
            return new Purged(deleteRows(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)), List.of());
        List<String> dropped = partitions.dropOlderThan(cutoff);
        if (!dropped.isEmpty())
            log.info("request log retention: dropped the partitions {}, older than {} days", dropped, keep.toDays());
        return new Purged(0, dropped);
    }

    private long deleteRows(OffsetDateTime cutoff) {
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
