package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static dev.tollgate.proxy.limits.Ledgers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.openai.ApiError;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Days, weeks and months follow the calendar of the configured zone (here New York), by the injected clock. */
class UsageLedgerWindowsTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T18:00:00-05:00"); // a Tuesday
    private HikariDataSource db;
    private UsageLedger ledger;

    @BeforeEach
    void open() {
        db = Ledgers.database(dir);
        ledger = new UsageLedger(db, clock, Ledgers.config("America/New_York"));
    }

    @AfterEach
    void close() {
        ledger.close();
        db.close();
    }

    private void spend(KeyLimits l, long prompt, long completion) {
        ledger.settle(ledger.admit("key_a", "ci", l, prompt, completion), prompt, completion);
    }

    @Test
    void aDayEndsAtLocalMidnightNotUtcMidnight() {
        KeyLimits l = limits("{\"requests_per_day\": 2}");
        spend(l, 1, 1);
        spend(l, 1, 1);
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));
        assertThat(e.getMessage()).contains("2 requests per day", "2026-11-25T00:00:00-05:00", "(in 6h0m0s)");
        assertThat(e.headers())
                .containsEntry("retry-after", "21600")
                .containsEntry("x-ratelimit-reset-requests", "6h0m0s");

        clock.set("2026-11-24T19:30:00-05:00"); // 00:30 UTC on the 25th: still the 24th in New York
        refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));

        clock.set("2026-11-25T00:00:00-05:00");
        spend(l, 1, 1);
        KeyUsage usage = ledger.usage("key_a", l);
        assertThat(usage.period(BudgetPeriod.DAY).start()).isEqualTo(LocalDate.parse("2026-11-25"));
        assertThat(usage.period(BudgetPeriod.DAY).requests()).isEqualTo(1);
        assertThat(usage.period(BudgetPeriod.MONTH).requests()).isEqualTo(3);
        assertThat(usage.period(BudgetPeriod.WEEK).requests()).isEqualTo(3);
    }

    @Test
    void aWeeklyBudgetRenewsOnMondayAtLocalMidnight() {
        clock.set("2026-11-29T23:59:59-05:00"); // Sunday
        KeyLimits l = limits("{\"budget_usd\": 0.0009, \"budget_period\": \"week\"}");
        spend(l, 1000, 1000); // $0.0009
        assertThat(ledger.usage("key_a", l).period(BudgetPeriod.WEEK).start()).isEqualTo(LocalDate.parse("2026-11-23"));
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 0));
        assertThat(e.getMessage()).contains("budget per week", "2026-11-30T00:00:00-05:00");
        assertThat(e.headers()).containsEntry("retry-after", "1");

        clock.advance(Duration.ofSeconds(1)); // Monday 00:00
        spend(l, 1000, 1000);
        PeriodUsage week = ledger.usage("key_a", l).period(BudgetPeriod.WEEK);
        assertThat(week.start()).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(week.costNanos()).isEqualTo(900_000);
    }

    @Test
    void aMonthlyQuotaRenewsOnTheFirstAtLocalMidnight() {
        clock.set("2026-11-30T23:00:00-05:00");
        KeyLimits l = limits("{\"tokens_per_month\": 1000}");
        spend(l, 400, 600);
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));
        assertThat(e.getMessage()).contains("1000 tokens per month", "used 1000");
        assertThat(e.headers()).containsEntry("retry-after", "3600");

        clock.set("2026-12-01T04:59:59Z"); // 23:59:59 in New York
        refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));
        clock.set("2026-12-01T05:00:00Z");
        spend(l, 400, 600);
        assertThat(ledger.usage("key_a", l).period(BudgetPeriod.MONTH).start())
                .isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(ledger.usage("key_a", l).period(BudgetPeriod.TOTAL).tokens()).isEqualTo(2000);
    }

    @Test
    void aRequestInFlightAtMidnightIsBilledToTheDayItWasAdmitted() throws Exception {
        clock.set("2026-11-24T23:59:50-05:00");
        KeyLimits l = limits("{\"requests_per_day\": 10}");
        Reservation r = ledger.admit("key_a", "ci", l, 100, 1000);
        clock.advance(Duration.ofSeconds(20));
        assertThat(ledger.usage("key_a", l).period(BudgetPeriod.DAY).reservedRequests())
                .isZero(); // a new day

        ledger.settle(r, 100, 200);

        PeriodUsage today = ledger.usage("key_a", l).period(BudgetPeriod.DAY);
        assertThat(today.requests()).isZero();
        assertThat(today.reservedRequests()).isZero();
        ledger.flush();
        assertThat(storedRequests("day", "2026-11-24")).isEqualTo(1);
        assertThat(storedRequests("month", "2026-11-01")).isEqualTo(1);
    }

    @Test
    void windowsFollowDaylightSavingTime() {
        ZoneId ny = ZoneId.of("America/New_York");
        Windows w = Windows.at(Instant.parse("2026-11-01T17:00:00Z").toEpochMilli(), ny); // the 25-hour day
        assertThat(w.dayEndMillis() - w.dayStartMillis())
                .isEqualTo(Duration.ofHours(25).toMillis());
        assertThat(Instant.ofEpochMilli(w.dayEndMillis())).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
        assertThat(LocalDate.ofEpochDay(w.weekStart())).isEqualTo(LocalDate.parse("2026-10-26"));
        assertThat(LocalDate.ofEpochDay(w.monthStart())).isEqualTo(LocalDate.parse("2026-11-01"));
        assertThat(Instant.ofEpochMilli(w.monthEndMillis())).isEqualTo(Instant.parse("2026-12-01T05:00:00Z"));
    }

    private long storedRequests(String period, String start) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT requests FROM usage_counters WHERE key_id = 'key_a' AND period = ? AND period_start = ?")) {
            ps.setString(1, period);
            ps.setObject(2, LocalDate.parse(start));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
