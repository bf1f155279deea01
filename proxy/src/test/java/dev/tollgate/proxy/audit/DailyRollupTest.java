package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily roll-up equals the rows it summarises, in the configured time zone, and outlives retention. */
class DailyRollupTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @TempDir
    Path dir;

    HikariDataSource pool;

    @BeforeEach
    void open() {
        pool = Database.open("jdbc:h2:file:" + dir.resolve("tollgate"));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void usageGroupedAnyWayEqualsTheSumOfTheRows() {
        List<RequestRecord> records = randomRecords(3_000, 7);
        try (RequestLog log = new RequestLog(pool, PARIS, Duration.ofMillis(5), 1_000, 97)) {
            records.forEach(log::append);
        }
        UsageQuery usage = new UsageQuery(pool);
        for (Set<UsageQuery.GroupBy> groupBy : List.of(
                EnumSet.noneOf(UsageQuery.GroupBy.class),
                EnumSet.of(UsageQuery.GroupBy.DAY),
                EnumSet.of(UsageQuery.GroupBy.KEY, UsageQuery.GroupBy.MODEL),
                EnumSet.allOf(UsageQuery.GroupBy.class))) {
            Map<List<Object>, long[]> expected = new HashMap<>();
            for (RequestRecord r : records) {
                long[] sums = expected.computeIfAbsent(group(r, groupBy), g -> new long[5]);
                sums[0]++;
                if (r.status() >= 400) sums[1]++;
                sums[2] += r.promptTokens() == null ? 0 : r.promptTokens();
                sums[3] += r.completionTokens() == null ? 0 : r.completionTokens();
                sums[4] += r.costNanos() == null ? 0 : r.costNanos();
            }
            List<UsageQuery.Line> lines = usage.report(new UsageQuery.Filter(null, null, null, null), groupBy);
            assertThat(lines).as("lines for %s", groupBy).hasSize(expected.size());
            for (UsageQuery.Line line : lines) {
                List<Object> key = new ArrayList<>();
                key.add(line.day());
                key.add(line.keyId());
                key.add(line.model());
                long[] sums = expected.get(key);
                assertThat(sums).as("group %s", key).isNotNull();
                assertThat(new long[] {
                            line.requests(),
                            line.errors(),
                            line.promptTokens(),
                            line.completionTokens(),
                            line.costNanos()
                        })
                        .as("group %s", key)
                        .containsExactly(sums);
            }
        }
    }

    @Test
    void daysFollowTheConfiguredTimeZone() {
        // 23:30 UTC on the 24th is already the 25th in Paris.
        Instant lateEvening = Instant.parse("2026-11-24T23:30:00Z");
        try (RequestLog log = new RequestLog(pool, PARIS, Duration.ofMillis(5), 100, 10)) {
            log.append(Records.record(1, "key_a", "m", 200, lateEvening));
            log.append(Records.record(2, "key_a", "m", 200, lateEvening.minusSeconds(3_600)));
        }
        List<UsageQuery.Line> days = new UsageQuery(pool)
                .report(new UsageQuery.Filter(null, null, null, null), EnumSet.of(UsageQuery.GroupBy.DAY));
        assertThat(days)
                .extracting(UsageQuery.Line::day)
                .containsExactly(LocalDate.parse("2026-11-24"), LocalDate.parse("2026-11-25"));
    }

    @Test
    void percentilesComeFromTheHistogramWithinItsBucket() {
        try (RequestLog log = new RequestLog(pool, ZoneOffset.UTC, Duration.ofMillis(5), 2_000, 500)) {
            for (int i = 1; i <= 1_000; i++)
                log.append(withLatency(Records.record(i, "key_a", "m", 200, Records.T0), i));
        }
        UsageQuery.Line total = new UsageQuery(pool)
                .report(new UsageQuery.Filter(null, null, null, null), Set.of())
                .get(0);
        // Exact: p50 = 500 ms, p95 = 950 ms; the buckets around them are 300-500 and 700-1000 ms.
        assertThat(total.latencyP50Ms()).isBetween(300L, 500L);
        assertThat(total.latencyP95Ms()).isBetween(700L, 1_000L);
        assertThat(total.latencyMsSum()).isEqualTo(500_500);
    }

    @Test
    void retentionDeletesOldRowsInBatchesAndKeepsTheRollup() {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        int old = Retention.BATCH * 2 + 17;
        try (RequestLog log = new RequestLog(pool, ZoneOffset.UTC, Duration.ofMillis(5), 20_000, 1_000)) {
            for (int i = 0; i < old; i++)
                log.append(Records.record(i, "key_a", "m", 200, now.minus(Duration.ofDays(40))));
            for (int i = 0; i < 5; i++)
                log.append(Records.record(old + i, "key_a", "m", 200, now.minus(Duration.ofDays(2))));
        }
        Retention retention = new Retention(pool, Clock.fixed(now, ZoneOffset.UTC), 30, null, false);
        assertThat(retention.purge().rows()).isEqualTo(old);
        assertThat(retention.purge().rows()).isZero();
        assertThat(new RequestLogQuery(pool).find(RequestLogQuery.Filter.ALL, 100, 0))
                .hasSize(5);
        List<UsageQuery.Line> days = new UsageQuery(pool)
                .report(new UsageQuery.Filter(null, null, null, null), EnumSet.of(UsageQuery.GroupBy.DAY));
        assertThat(days).extracting(UsageQuery.Line::requests).containsExactly((long) old, 5L);
        assertThat(new Retention(pool, Clock.fixed(now, ZoneOffset.UTC), 0, null, false)
                        .purge()
                        .rows())
                .as("0 keeps everything")
                .isZero();
    }

    private static List<Object> group(RequestRecord r, Set<UsageQuery.GroupBy> groupBy) {
        List<Object> key = new ArrayList<>();
        key.add(groupBy.contains(UsageQuery.GroupBy.DAY) ? LocalDate.ofInstant(r.time(), PARIS) : null);
        key.add(groupBy.contains(UsageQuery.GroupBy.KEY) ? (r.keyId() == null ? "" : r.keyId()) : null);
        key.add(groupBy.contains(UsageQuery.GroupBy.MODEL) ? DailyRollup.model(r) : null);
        return key;
    }

    private static List<RequestRecord> randomRecords(int n, long seed) {
        Random random = new Random(seed);
        List<RequestRecord> records = new ArrayList<>();
        String[] keys = {"key_a", "key_b", "key_c", null};
        String[] models = {"openai/gpt-oss-120b", "gpt-4o"};
        int[] statuses = {200, 200, 200, 429, 401, 499, 500};
        for (int i = 0; i < n; i++) {
            Instant time = Instant.parse("2026-11-20T00:00:00Z").plusSeconds(random.nextInt(4 * 86_400));
            records.add(withLatency(
                    Records.record(
                            i,
                            keys[random.nextInt(keys.length)],
                            models[random.nextInt(models.length)],
                            statuses[random.nextInt(statuses.length)],
                            time),
                    random.nextInt(5_000)));
        }
        return records;
    }

    /** {@code r} with another latency (the roll-up tests' spread of latencies). */
    static RequestRecord withLatency(RequestRecord r, long ms) {
        return new RequestRecord(
                r.id(),
                r.time(),
                r.requestId(),
                r.upstreamRequestId(),
                r.keyId(),
                r.keyName(),
                r.modelRequested(),
                r.modelServed(),
                r.endpoint(),
                r.stream(),
                r.status(),
                r.errorType(),
                r.errorCode(),
                r.promptTokens(),
                r.completionTokens(),
                r.reasoningTokens(),
                r.cachedTokens(),
                r.costNanos(),
                r.usageSource(),
                ms,
                r.firstTokenMs(),
                r.upstreamMs(),
                r.overheadMicros(),
                r.clientAddress(),
                r.userAgent(),
                r.user(),
                r.requestBody(),
                r.responseBody(),
                r.executedTools());
    }
}
