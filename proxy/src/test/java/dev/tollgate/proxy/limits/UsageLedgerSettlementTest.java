package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static dev.tollgate.proxy.limits.Ledgers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.openai.ApiError;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations become real usage: released, settled, billed, and refused once spent. */
class UsageLedgerSettlementTest {
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

    private PeriodUsage day(KeyLimits l) {
        return ledger.usage("key_a", l).period(BudgetPeriod.DAY);
    }

    @Test
    void aReleaseGivesEverythingBack() {
        KeyLimits l = limits("{\"requests_per_day\": 1, \"requests_per_minute\": 1, \"tokens_per_minute\": 100}");
        Reservation r = ledger.admit("key_a", "ci", l, 60, 40);
        assertThat(day(l).reservedRequests()).isEqualTo(1);
        refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));

        ledger.release(r);

        PeriodUsage day = day(l);
        assertThat(day.requests()).isZero();
        assertThat(day.reservedRequests()).isZero();
        assertThat(day.reservedTokens()).isZero();
        assertThat(day.reservedCostNanos()).isZero();
        assertThat(r.billedCostNanos()).isZero();
        ledger.settle(ledger.admit("key_a", "ci", l, 60, 40), 60, 40); // the bucket tokens are back too
    }

    @Test
    void aSettleBillsTheRealUsageNotTheEstimate() {
        KeyLimits l = KeyLimits.NONE;
        Reservation r = ledger.admit("key_a", "ci", l, 1000, 4096);
        assertThat(r.estimatedCostNanos()).isEqualTo(1000 * 150 + 4096 * 750);

        ledger.settle(r, 1234, 5678);

        PeriodUsage day = day(l);
        assertThat(day.requests()).isEqualTo(1);
        assertThat(day.promptTokens()).isEqualTo(1234);
        assertThat(day.completionTokens()).isEqualTo(5678);
        assertThat(day.costNanos()).isEqualTo(4_443_600);
        assertThat(day.reservedTokens()).isZero();
        assertThat(day.reservedCostNanos()).isZero();
        assertThat(r.billedCostNanos()).isEqualTo(4_443_600);
        assertThat(ledger.usage("key_a", l).toJson().at("/month/spend_usd").decimalValue())
                .isEqualByComparingTo("0.004444");
    }

    @Test
    void settlingOrReleasingTwiceCountsOnce() {
        Reservation r = ledger.admit("key_a", "ci", KeyLimits.NONE, 10, 10);
        ledger.settle(r, 5, 5);
        ledger.settle(r, 5, 5);
        ledger.release(r);

        assertThat(day(KeyLimits.NONE).requests()).isEqualTo(1);
        assertThat(day(KeyLimits.NONE).tokens()).isEqualTo(10);
        assertThat(day(KeyLimits.NONE).reservedRequests()).isZero();
    }

    @Test
    void aBudgetRefusesOnceSpent() {
        // $0.001 a day; 1000 in + 1000 out = $0.0009 each
        KeyLimits l = limits("{\"budget_usd\": 0.001, \"budget_period\": \"day\"}");
        ledger.settle(ledger.admit("key_a", "ci", l, 1000, 1000), 1000, 1000);

        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1000, 1000));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("insufficient_quota");
        assertThat(e.code()).isEqualTo("insufficient_quota");
        assertThat(e.getMessage())
                .contains(
                        "key 'ci' (key_a)",
                        "$0.001000 budget per day",
                        "used $0.000900",
                        "this request up to $0.000900",
                        "2026-11-25T00:00:00Z",
                        "not Groq's");
        // a smaller request still fits: 500 in + 30 out = 75,000 + 22,500 n$ ≤ 100,000 left
        ledger.settle(ledger.admit("key_a", "ci", l, 500, 30), 500, 30);
        assertThat(day(l).costNanos()).isEqualTo(997_500);
        ledger.settle(ledger.admit("key_a", "ci", l, 16, 0), 16, 0); // 2,400 of the last 2,500 n$
        refusal(() -> ledger.admit("key_a", "ci", l, 1, 0)); // 150 n$ > 100 left
    }

    @Test
    void aRefusedRequestReservesNothing() {
        KeyLimits l = limits("{\"requests_per_day\": 100, \"tokens_per_day\": 1000, \"requests_per_minute\": 10,"
                + " \"tokens_per_minute\": 5000}");
        ledger.admit("key_a", "ci", l, 500, 400);
        KeyUsage before = ledger.usage("key_a", l);

        refusal(() -> ledger.admit("key_a", "ci", l, 100, 100)); // 900 + 200 > 1000 tokens per day

        KeyUsage after = ledger.usage("key_a", l);
        assertThat(after.period(BudgetPeriod.DAY)).isEqualTo(before.period(BudgetPeriod.DAY));
        assertThat(after.requestsPerMinute().remaining()).isEqualTo(9);
        assertThat(after.tokensPerMinute().remaining()).isEqualTo(4100);
    }

    @Test
    void cachedPromptTokensCostHalfAndStayOutOfTheTokensPerMinuteLimitButNotTheTokenQuota() {
        KeyLimits l = limits("{\"tokens_per_minute\": 10000, \"tokens_per_day\": 100000}");
        Reservation r = ledger.admit("key_a", "ci", l, 1000, 4000);
        ledger.settle(r, 1000, 800, 500); // 800 of the 1,000 prompt tokens from Groq's prompt cache
        assertThat(ledger.usage("key_a", l).tokensPerMinute().remaining())
                .as("only 200 + 500 count per minute")
                .isEqualTo(9300);
        PeriodUsage day = day(l);
        assertThat(day.tokens()).as("a token quota counts every token").isEqualTo(1500);
        assertThat(day.costNanos()).isEqualTo(200 * 150 + 800 * 75 + 500 * 750);
    }

    @Test
    void settlementCorrectsTheTokensPerMinuteBucket() {
        KeyLimits l = limits("{\"tokens_per_minute\": 10000}");
        Reservation small = ledger.admit("key_a", "ci", l, 1000, 4000);
        assertThat(ledger.usage("key_a", l).tokensPerMinute().remaining()).isEqualTo(5000);
        ledger.settle(small, 1000, 500); // 3500 unused come back
        assertThat(ledger.usage("key_a", l).tokensPerMinute().remaining()).isEqualTo(8500);

        Reservation big = ledger.admit("key_a", "ci", l, 1000, 1000);
        ledger.settle(big, 1000, 9000); // 8000 more than reserved: taken anyway, into debt
        assertThat(ledger.usage("key_a", l).tokensPerMinute().remaining()).isZero();
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 10, 10));
        assertThat(e.code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.headers()).containsKey("retry-after");

        clock.advance(Duration.ofSeconds(60));
        ledger.admit("key_a", "ci", l, 10, 10); // refilled
    }

    @Test
    void aRequestLargerThanTheMinuteLimitIsRefusedWithoutRetryAfter() {
        KeyLimits l = limits("{\"tokens_per_minute\": 1000}");
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 100, 4096));
        assertThat(e.type()).isEqualTo("tokens");
        assertThat(e.getMessage()).contains("Request too large", "limit 1000, requested 4196");
        assertThat(e.headers()).doesNotContainKey("retry-after").containsEntry("x-tollgate-limit", "key");
    }

    @Test
    void raisingALimitAppliesAtOnce() {
        KeyLimits three = limits("{\"requests_per_minute\": 3}");
        for (int i = 0; i < 3; i++) ledger.admit("key_a", "ci", three, 1, 1);
        refusal(() -> ledger.admit("key_a", "ci", three, 1, 1));

        KeyLimits five = limits("{\"requests_per_minute\": 5}");
        ledger.admit("key_a", "ci", five, 1, 1);
        ledger.admit("key_a", "ci", five, 1, 1);
        refusal(() -> ledger.admit("key_a", "ci", five, 1, 1));
        ledger.admit("key_a", "ci", KeyLimits.NONE, 1, 1); // removed: no limit
    }

    @Test
    void quotaBlockedOnlyByRequestsInFlightSaysSoAndRetriesSoon() {
        KeyLimits l = limits("{\"tokens_per_day\": 5000}");
        Reservation r = ledger.admit("key_a", "ci", l, 100, 4096);
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 100, 1000));
        assertThat(e.getMessage()).contains("in flight finish");
        assertThat(e.headers()).containsEntry("retry-after", "1");

        ledger.settle(r, 100, 200);
        ledger.admit("key_a", "ci", l, 100, 1000);
    }

    @Test
    void theOutputEstimateIsTheRequestsMaxOrTheDefault() {
        assertThat(ledger.outputTokenEstimate(null)).isEqualTo(4096);
        assertThat(ledger.outputTokenEstimate(300L)).isEqualTo(300);
    }
}
