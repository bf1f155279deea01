package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hundreds of requests at once from many threads: exactly the limit gets through, never more. */
class UsageLedgerConcurrencyTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T12:00:00Z");
    private HikariDataSource db;
    private UsageLedger ledger;

    @BeforeEach
    void open() {
        db = Ledgers.database(dir);
        ledger = new UsageLedger(db, clock, LimitsConfig.DEFAULTS);
    }

    @AfterEach
    void close() {
        ledger.close();
        db.close();
    }

    @Test
    void aQuotaOf50RequestsAdmitsExactly50Of500() throws Exception {
        KeyLimits quota = limits("{\"requests_per_month\": 50}");
        var outcome = Together.run(500, i -> ledger.admit("key_a", "ci", quota, 10, 10));

        assertThat(outcome.admitted()).hasSize(50);
        assertThat(outcome.refused()).hasSize(450).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("insufficient_quota");
        });
        assertThat(ledger.usage("key_a", quota).period(BudgetPeriod.MONTH).reservedRequests())
                .isEqualTo(50);
    }

    @Test
    void aDailyQuotaHoldsWhileRequestsSettleConcurrently() throws Exception {
        KeyLimits quota = limits("{\"requests_per_day\": 50}");
        var outcome = Together.run(500, i -> {
            Reservation r = ledger.admit("key_a", "ci", quota, 10, 10);
            ledger.settle(r, 7, 3);
            return r;
        });

        assertThat(outcome.admitted()).hasSize(50);
        PeriodUsage day = ledger.usage("key_a", quota).period(BudgetPeriod.DAY);
        assertThat(day.requests()).isEqualTo(50);
        assertThat(day.tokens()).isEqualTo(500);
        assertThat(day.reservedRequests()).isZero();
        assertThat(day.reservedTokens()).isZero();
    }

    @Test
    void aTokenQuotaAdmitsExactlyWhatFits() throws Exception {
        KeyLimits quota = limits("{\"tokens_per_month\": 5000}");
        var outcome = Together.run(500, i -> ledger.admit("key_a", "ci", quota, 60, 40)); // 100 tokens each

        assertThat(outcome.admitted()).hasSize(50);
        assertThat(outcome.refused()).allSatisfy(e -> assertThat(e.code()).isEqualTo("insufficient_quota"));
        assertThat(ledger.usage("key_a", quota).period(BudgetPeriod.MONTH).reservedTokens())
                .isEqualTo(5000);
    }

    @Test
    void aBudgetAdmitsExactlyWhatItCanPayFor() throws Exception {
        // 1000 in + 1000 out = 150,000 + 750,000 n$ = $0.0009 a request; $0.045 pays for exactly 50
        KeyLimits budget = limits("{\"budget_usd\": 0.045, \"budget_period\": \"day\"}");
        var outcome = Together.run(500, i -> ledger.admit("key_a", "ci", budget, 1000, 1000));

        assertThat(outcome.admitted()).hasSize(50);
        assertThat(outcome.refused()).allSatisfy(e -> assertThat(e.getMessage()).contains("Budget exhausted"));
        assertThat(ledger.usage("key_a", budget).period(BudgetPeriod.DAY).reservedCostNanos())
                .isEqualTo(45_000_000);
    }

    @Test
    void aRequestsPerMinuteBucketOf30Admits30Of200() throws Exception {
        KeyLimits rpm = limits("{\"requests_per_minute\": 30}");
        var outcome = Together.run(200, i -> ledger.admit("key_a", "ci", rpm, 10, 10));

        assertThat(outcome.admitted()).hasSize(30);
        assertThat(outcome.refused()).hasSize(170).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo("rate_limit_exceeded");
            assertThat(e.type()).isEqualTo("requests");
        });
    }

    @Test
    void aTokensPerMinuteBucketAdmitsExactlyWhatFitsAndRefusalsTakeNothing() throws Exception {
        KeyLimits tpm = limits("{\"tokens_per_minute\": 3000, \"requests_per_minute\": 1000}");
        var outcome = Together.run(200, i -> ledger.admit("key_a", "ci", tpm, 50, 50));

        assertThat(outcome.admitted()).hasSize(30);
        assertThat(outcome.refused()).allSatisfy(e -> assertThat(e.type()).isEqualTo("tokens"));
        // the 170 refused took nothing from the requests bucket: 1000 - 30 remain
        assertThat(ledger.usage("key_a", tpm).requestsPerMinute().remaining()).isEqualTo(970);
    }

    @Test
    void manyKeysAtOnceDoNotShareLimits() throws Exception {
        KeyLimits quota = limits("{\"requests_per_day\": 5}");
        var outcome = Together.run(400, i -> ledger.admit("key_" + (i % 8), null, quota, 1, 1));

        assertThat(outcome.admitted()).hasSize(40);
        for (int k = 0; k < 8; k++) {
            assertThat(ledger.usage("key_" + k, quota).period(BudgetPeriod.DAY).reservedRequests())
                    .isEqualTo(5);
        }
    }
}
