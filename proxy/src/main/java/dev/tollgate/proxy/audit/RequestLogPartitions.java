package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code request_log} is partitioned by day (migration V4): this keeps a partition
 * {@code request_log_YYYYMMDD} for today and the next {@link #DAYS_AHEAD} days, so rows never land in the
 * default partition, and moves into day partitions whatever did land there (a day no instance prepared), so
 * retention can drop it. Days are UTC days: a partition is always 24 hours, whatever the time zone of the
 * roll-ups. Every instance runs this (at start, then hourly); a transaction-scoped advisory lock makes them
 * take turns, and a lock timeout keeps a change of partitions from queueing the log's writers behind a long
 * query.
 */
public final class RequestLogPartitions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestLogPartitions.class);
    /** Days prepared beyond today: an instance down for that long still finds its partitions. */
    static final int DAYS_AHEAD = 3;
    /** The advisory lock that serializes partition changes across instances ("tollgate" in ASCII). */
    private static final long LOCK = 0x746f6c6c67617465L;

    private static final String PREFIX = "request_log_";
    private static final Pattern DAY_PARTITION = Pattern.compile(PREFIX + "\\d{8}");
    private static final DateTimeFormatter NAME = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String ALL_COLUMNS = "id, " + RequestRows.COLUMNS;

    private final DataSource dataSource;
    private final Clock clock;
    private final ScheduledExecutorService schedule;

    /** Prepares the partitions now (a failure is logged: rows then wait in the default partition), then every hour. */
    public static RequestLogPartitions start(DataSource dataSource, Clock clock) {
        RequestLogPartitions partitions = new RequestLogPartitions(dataSource, clock, true);
        partitions.maintainQuietly();
        return partitions;
    }

    public RequestLogPartitions(DataSource dataSource, Clock clock) {
        this(dataSource, clock, false);
    }

    private RequestLogPartitions(DataSource dataSource, Clock clock, boolean scheduled) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.schedule = scheduled
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                        .daemon()
                        .name("request-log-partitions")
                        .factory())
                : null;
        if (schedule != null) schedule.scheduleWithFixedDelay(this::maintainQuietly, 60, 60, TimeUnit.MINUTES);
    }

    /**
     * Creates the partitions of today and the next {@link #DAYS_AHEAD} days that are missing, and moves the
     * rows of the default partition into partitions of their days. Returns the partitions it made.
     */
    public List<String> maintain() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return locked(c -> {
            List<String> made = new ArrayList<>();
            for (LocalDate day : strayDays(c)) made.addAll(create(c, day));
            for (int i = 0; i <= DAYS_AHEAD; i++) made.addAll(create(c, today.plusDays(i)));
            return made;
        });
    }

    /** Creates the partitions of every day from {@code first} to {@code last} (inclusive) that are missing. */
    public List<String> create(LocalDate first, LocalDate last) {
        return locked(c -> {
            List<String> made = new ArrayList<>();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) made.addAll(create(c, day));
            return made;
        });
    }

    /** Drops the day partitions whose every row is older than {@code cutoff}; returns their names. */
    List<String> dropOlderThan(Instant cutoff) {
        return locked(c -> {
            List<String> dropped = new ArrayList<>();
            for (String name : dayPartitions(c)) {
                LocalDate day = LocalDate.parse(name.substring(PREFIX.length()), NAME);
                if (start(day.plusDays(1)).toInstant().isAfter(cutoff)) continue;
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE " + name);
                }
                dropped.add(name);
            }
            return dropped;
        });
    }

    /** The names of the day partitions, oldest first. */
    public List<String> dayPartitions() {
        return locked(RequestLogPartitions::dayPartitions);
    }

    @Override
    public void close() {
        if (schedule != null) schedule.shutdownNow();
    }

    private void maintainQuietly() {
        try {
            List<String> made = maintain();
            if (!made.isEmpty()) log.info("request log: made the partitions {}", made);
        } catch (RuntimeException e) {
            log.warn(
                    "request log: could not prepare the day partitions ({}); rows go to the default partition"
                            + " until the next attempt, in an hour",
                    e.getMessage());
        }
    }

    /** The partition of {@code day}, made when missing: empty, or from the default partition's rows of that day. */
    private static List<String> create(Connection c, LocalDate day) throws SQLException {
        String name = PREFIX + NAME.format(day);
        if (exists(c, name)) return List.of();
        String bounds = "FOR VALUES FROM ('" + start(day) + "') TO ('" + start(day.plusDays(1)) + "')";
        try (Statement st = c.createStatement()) {
            if (!hasDefaultRows(c, day)) {
                st.execute("CREATE TABLE " + name + " PARTITION OF request_log " + bounds);
            } else {
                // A partition cannot be made over rows the default partition holds: move them into a table of
                // their own, then attach it (which builds its indexes).
                st.execute("CREATE TABLE " + name + " (LIKE request_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                try (PreparedStatement move = c.prepareStatement("WITH moved AS (DELETE FROM request_log_default"
                        + " WHERE ts >= ? AND ts < ? RETURNING " + ALL_COLUMNS + ") INSERT INTO " + name + " ("
                        + ALL_COLUMNS + ") SELECT " + ALL_COLUMNS + " FROM moved")) {
                    move.setObject(1, start(day));
                    move.setObject(2, start(day.plusDays(1)));
                    int rows = move.executeUpdate();
                    log.info("request log: moving {} rows of {} out of the default partition", rows, day);
                }
                st.execute("ALTER TABLE request_log ATTACH PARTITION " + name + " " + bounds);
            }
        }
        return List.of(name);
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static boolean hasDefaultRows(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT EXISTS (SELECT 1 FROM request_log_default WHERE ts >= ? AND ts < ?)")) {
            ps.setObject(1, start(day));
            ps.setObject(2, start(day.plusDays(1)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The UTC days of the rows in the default partition (none, unless a day had no partition in time). */
    private static List<LocalDate> strayDays(Connection c) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(ts AT TIME ZONE 'UTC' AS DATE) AS day"
                        + " FROM request_log_default ORDER BY day")) {
            while (rs.next()) days.add(rs.getObject(1, LocalDate.class));
        }
        return days;
    }

    private static List<String> dayPartitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                                + " WHERE i.inhparent = 'request_log'::regclass ORDER BY p.relname")) {
            while (rs.next()) {
                if (DAY_PARTITION.matcher(rs.getString(1)).matches()) names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction holding the partitions' advisory lock (other instances wait their turn). */
    private <T> T locked(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // A partition change waits for the table's lock, and while it waits every insert queues behind it.
                st.execute("SET LOCAL lock_timeout = '5s'");
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot change the request log's partitions: " + e.getMessage(), e);
        }
    }
}
