package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.PostgresServer;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request log at scale: on a real PostgreSQL, day partitions made ahead, stray rows moved out of the default
 * partition, retention by dropping partitions; and on both dialects, the daily roll-up exact with two writers at once
 * (as two instances' log writers on one database).
 */
class RequestLogPostgresIT {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void twoWritersOnPostgresKeepTheRollupExact() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        twoWritersKeepTheRollupExact(() -> Database.open(login.url(), login.user(), login.password(), 4));
    }

    @Test
    void twoWritersOnH2KeepTheRollupExact() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("tollgate");
        twoWritersKeepTheRollupExact(() -> Database.open(url, 4));
    }

    /** Each writer has its own pool, as two instances do; both write the same groups at the same time, in small batches. */
    private static void twoWritersKeepTheRollupExact(Supplier<HikariDataSource> instance) throws Exception {
        List<RequestRecord> records = randomRecords(4_000, 11);
        try (HikariDataSource a = instance.get();
                HikariDataSource b = instance.get()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (HikariDataSource pool : List.of(a, b)) {
                writers.add(Thread.ofPlatform().start(() -> {
                    try (RequestLog log = new RequestLog(pool, PARIS, Duration.ofMillis(1), 10_000, 25)) {
                        go.await();
                        records.forEach(log::append);
                        assertThat(log.failed()).isZero();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : writers) t.join();

            Map<String, Expected> expected = new HashMap<>();
            for (int copy = 0; copy < 2; copy++) {
                for (RequestRecord r : records) {
                    String group = LocalDate.ofInstant(r.time(), PARIS) + "/" + r.keyId() + "/" + DailyRollup.model(r);
                    expected.computeIfAbsent(group, g -> new Expected()).add(r);
                }
            }
            Map<String, String> stored = rollup(a);
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, Expected> e : expected.entrySet())
                assertThat(stored.get(e.getKey()))
                        .as(e.getKey())
                        .isEqualTo(e.getValue().toString());
            assertThat(rowsIn(a, "request_log")).isEqualTo(2L * records.size());
        }
    }

    @Test
    void daysGetTheirPartitionAheadAndStrayRowsLeaveTheDefaultPartition() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 4)) {
            RequestLogPartitions partitions = new RequestLogPartitions(pg, Clock.fixed(NOW, ZoneOffset.UTC));
            // Rows of days no partition was made for (the log of an earlier version, say) wait in the default one.
            write(pg, NOW.minus(Duration.ofDays(40)), 7);
            write(pg, NOW.minus(Duration.ofDays(2)), 5);
            assertThat(rowsIn(pg, "request_log_default")).isEqualTo(12);

            assertThat(partitions.maintain())
                    .containsExactly(
                            "request_log_20261015",
                            "request_log_20261122",
                            "request_log_20261124",
                            "request_log_20261125",
                            "request_log_20261126",
                            "request_log_20261127");
            assertThat(rowsIn(pg, "request_log_default")).isZero();
            assertThat(rowsIn(pg, "request_log_20261015")).isEqualTo(7);
            assertThat(rowsIn(pg, "request_log")).isEqualTo(12);
            assertThat(partitions.maintain()).as("nothing left to make").isEmpty();

            write(pg, NOW, 3);
            write(pg, NOW.plus(Duration.ofDays(3)), 2);
            assertThat(rowsIn(pg, "request_log_20261124")).isEqualTo(3);
            assertThat(rowsIn(pg, "request_log_20261127")).isEqualTo(2);
            assertThat(rowsIn(pg, "request_log_default")).isZero();
            assertThat(new RequestLogQuery(pg).find(RequestLogQuery.Filter.ALL, 100, 0))
                    .as("the audit API reads every partition")
                    .hasSize(17);
        }
    }

    @Test
    void instancesStartingTogetherMakeEachPartitionOnce() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        Database.open(login.url(), login.user(), login.password(), 2).close(); // migrated once, as by a first instance
        List<HikariDataSource> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) instances.add(Database.open(login.url(), login.user(), login.password(), 2));
            CountDownLatch go = new CountDownLatch(1);
            List<List<String>> made = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (HikariDataSource pool : instances) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    List<String> mine = new RequestLogPartitions(pool, Clock.fixed(NOW, ZoneOffset.UTC)).maintain();
                    synchronized (made) {
                        made.add(mine);
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) t.join();
            assertThat(made).as("every instance finished without an error").hasSize(4);
            assertThat(made.stream().flatMap(List::stream))
                    .containsExactlyInAnyOrder(
                            "request_log_20261124",
                            "request_log_20261125",
                            "request_log_20261126",
                            "request_log_20261127");
        } finally {
            instances.forEach(HikariDataSource::close);
        }
    }

    @Test
    void retentionDropsThePartitionsWhollyOlderThanThePeriod() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 4)) {
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            RequestLogPartitions partitions = new RequestLogPartitions(pg, clock);
            partitions.create(LocalDate.parse("2026-10-10"), LocalDate.parse("2026-11-24"));
            write(pg, NOW.minus(Duration.ofDays(40)), 4); // 2026-10-15: all older than 30 days
            write(
                    pg,
                    NOW.minus(Duration.ofDays(30)).minus(Duration.ofHours(6)),
                    3); // 10-25 06:00: old, but its day is not
            write(pg, NOW.minus(Duration.ofDays(1)), 2);

            Retention.Purged purged = new Retention(pg, clock, 30, partitions, false).purge();
            assertThat(purged.rows()).as("no row deletes").isZero();
            assertThat(purged.partitions()).hasSize(15).contains("request_log_20261010", "request_log_20261024");
            assertThat(partitions.dayPartitions())
                    .first()
                    .as("2026-10-25 ends after the cut-off: kept whole")
                    .isEqualTo("request_log_20261025");
            assertThat(rowsIn(pg, "request_log")).isEqualTo(5);
            assertThat(new UsageQuery(pg).report(new UsageQuery.Filter(null, null, null, null), Set.of()))
                    .extracting(UsageQuery.Line::requests)
                    .as("the roll-ups outlive the rows")
                    .containsExactly(9L);
            assertThat(new Retention(pg, clock, 30, partitions, false).purge().partitions())
                    .isEmpty();
        }
    }

    private static void write(DataSource pool, Instant time, int rows) {
        try (RequestLog log = new RequestLog(pool, ZoneOffset.UTC, Duration.ofMillis(5), 100, 50)) {
            for (int i = 0; i < rows; i++) log.append(Records.record(i, "key_a", "m", 200, time.plusSeconds(i)));
        }
    }

    private static long rowsIn(DataSource pool, String table) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each roll-up row as "day/key/model" → its counters and histogram, as {@link Expected#toString()} writes them. */
    private static Map<String, String> rollup(DataSource pool) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = pool.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT usage_day, key_id, model, requests, errors, prompt_tokens,"
                        + " cost_nanos, latency_ms_sum, latency_histogram FROM usage_daily")) {
            while (rs.next()) {
                String key = rs.getObject(1, LocalDate.class) + "/"
                        + (rs.getString(2).isEmpty() ? null : rs.getString(2)) + "/" + rs.getString(3);
                rows.put(
                        key,
                        rs.getLong(4) + " " + rs.getLong(5) + " " + rs.getLong(6) + " " + rs.getLong(7) + " "
                                + rs.getLong(8) + " " + rs.getString(9));
            }
        }
        return rows;
    }

    private static final class Expected {
        long requests, errors, prompt, cost, latency;
        final LatencyHistogram histogram = new LatencyHistogram();

        void add(RequestRecord r) {
            requests++;
            if (r.status() >= 400) errors++;
            prompt += r.promptTokens() == null ? 0 : r.promptTokens();
            cost += r.costNanos() == null ? 0 : r.costNanos();
            latency += r.latencyMs();
            histogram.add(r.latencyMs());
        }

        @Override
        public String toString() {
            return requests + " " + errors + " " + prompt + " " + cost + " " + latency + " " + histogram.encode();
        }
    }

    private static List<RequestRecord> randomRecords(int n, long seed) {
        Random random = new Random(seed);
        String[] keys = {"key_a", "key_b", null};
        int[] statuses = {200, 200, 429, 500};
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RequestRecord r = Records.record(
                    i,
                    keys[random.nextInt(keys.length)],
                    random.nextBoolean() ? "openai/gpt-oss-120b" : "gpt-4o",
                    statuses[random.nextInt(statuses.length)],
                    Instant.parse("2026-11-20T00:00:00Z").plusSeconds(random.nextInt(2 * 86_400)));
            records.add(DailyRollupTest.withLatency(r, random.nextInt(3_000)));
        }
        return records;
    }
}
