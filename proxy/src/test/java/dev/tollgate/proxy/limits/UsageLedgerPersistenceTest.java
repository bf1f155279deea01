package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static dev.tollgate.proxy.limits.Ledgers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.openai.ApiError;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters survive a restart: the database file is reopened by a new pool and a new ledger. */
class UsageLedgerPersistenceTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T12:00:00Z");

    @Test
    void aKeyThatSpentItsMonthIsStillRefusedAfterARestart() {
        KeyLimits l = limits("{\"requests_per_month\": 3, \"budget_usd\": 1}");
        try (HikariDataSource db = Ledgers.database(dir);
                UsageLedger ledger = new UsageLedger(db, clock, LimitsConfig.DEFAULTS)) {
            for (int i = 0; i < 3; i++) ledger.settle(ledger.admit("key_a", "ci", l, 1234, 5678), 1234, 5678);
            refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));
        }

        try (HikariDataSource db = Ledgers.database(dir);
                UsageLedger ledger = new UsageLedger(db, clock, LimitsConfig.DEFAULTS)) {
            ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));
            assertThat(e.code()).isEqualTo("insufficient_quota");
            assertThat(e.getMessage()).contains("3 requests per month", "used 3", "in flight 0");
            PeriodUsage month = ledger.usage("key_a", l).period(BudgetPeriod.MONTH);
            assertThat(month.requests()).isEqualTo(3);
            assertThat(month.promptTokens()).isEqualTo(3 * 1234);
            assertThat(month.completionTokens()).isEqualTo(3 * 5678);
            assertThat(month.costNanos()).isEqualTo(3 * 4_443_600);
            assertThat(ledger.usage("key_a", l).period(BudgetPeriod.TOTAL).requests())
                    .isEqualTo(3);
            ledger.admit("key_b", "other", l, 1, 1); // another key is not affected

            clock.set("2026-12-01T00:00:00Z"); // a new month, still after the restart
            ledger.admit("key_a", "ci", l, 1, 1);
        }
    }

    @Test
    void aSpentBudgetIsStillSpentAfterARestart() {
        KeyLimits l = limits("{\"budget_usd\": 0.0009, \"budget_period\": \"total\"}");
        try (HikariDataSource db = Ledgers.database(dir);
                UsageLedger ledger = new UsageLedger(db, clock, LimitsConfig.DEFAULTS)) {
            ledger.settle(ledger.admit("key_a", "ci", l, 1000, 1000), 1000, 1000);
        }
        clock.set("2027-06-01T00:00:00Z");
        try (HikariDataSource db = Ledgers.database(dir);
                UsageLedger ledger = new UsageLedger(db, clock, LimitsConfig.DEFAULTS)) {
            ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 0));
            assertThat(e.getMessage()).contains("budget in total", "does not reset");
            assertThat(e.headers()).doesNotContainKey("retry-after");
        }
    }

    @Test
    void theBackgroundWriterFlushesWithoutAClose() throws Exception {
        LimitsConfig fast = new LimitsConfig(
                LimitsConfig.DEFAULTS.zone(), Prices.MODEL_CARD, 4096, KeyLimits.NONE, Duration.ofMillis(20));
        try (HikariDataSource db = Ledgers.database(dir);
                UsageLedger ledger = new UsageLedger(db, clock, fast)) {
            ledger.settle(ledger.admit("key_a", "ci", KeyLimits.NONE, 10, 20), 10, 20);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long rows = 0;
            while (rows < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                rows = count(
                        db,
                        "SELECT COUNT(*) FROM usage_counters WHERE key_id = 'key_a' AND requests = 1"
                                + " AND prompt_tokens = 10 AND completion_tokens = 20 AND cost_nanos = 16500");
            }
            assertThat(rows).as("day, week, month and total rows").isEqualTo(4);
        }
    }

    private static long count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
