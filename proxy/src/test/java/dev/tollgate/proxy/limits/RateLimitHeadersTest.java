package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static dev.tollgate.proxy.limits.Ledgers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.openai.ApiError;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** x-ratelimit-* in OpenAI's names and formats, from the most constraining limit of each kind. */
class RateLimitHeadersTest {
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
    void groqsDurationsParse() {
        assertThat(GoDuration.parse("2m59.56s")).isEqualTo(java.time.Duration.ofMillis(179_560));
        assertThat(GoDuration.parse("26ms")).isEqualTo(java.time.Duration.ofMillis(26));
        assertThat(GoDuration.parse("25m55.199999999s").toMillis()).isEqualTo(1_555_199);
        assertThat(GoDuration.parse("1h0m0s")).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(GoDuration.parse("7s soon")).isNull();
        assertThat(GoDuration.parse("")).isNull();
    }

    @Test
    void durationsUseGosFormat() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(12)).isEqualTo("12ms");
        assertThat(GoDuration.format(1000)).isEqualTo("1s");
        assertThat(GoDuration.format(1500)).isEqualTo("1.5s");
        assertThat(GoDuration.format(7660)).isEqualTo("7.66s");
        assertThat(GoDuration.format(32_317)).isEqualTo("32.317s");
        assertThat(GoDuration.format(360_000)).isEqualTo("6m0s");
        assertThat(GoDuration.format(3_723_000)).isEqualTo("1h2m3s");
        assertThat(GoDuration.format(3_600_000)).isEqualTo("1h0m0s");
    }

    @Test
    void perMinuteBucketsGiveLimitRemainingAndTimeToRefill() {
        KeyLimits l = limits("{\"requests_per_minute\": 30, \"tokens_per_minute\": 10000, \"requests_per_day\": 1000}");
        Reservation r = ledger.admit("key_a", "ci", l, 600, 400);

        assertThat(ledger.headers(r).asMap())
                .containsExactly(
                        java.util.Map.entry("x-ratelimit-limit-requests", "30"),
                        java.util.Map.entry("x-ratelimit-remaining-requests", "29"),
                        java.util.Map.entry("x-ratelimit-reset-requests", "2s"), // 1 of 30 a minute
                        java.util.Map.entry("x-ratelimit-limit-tokens", "10000"),
                        java.util.Map.entry("x-ratelimit-remaining-tokens", "9000"),
                        java.util.Map.entry("x-ratelimit-reset-tokens", "6s")); // 1000 of 10000 a minute
    }

    @Test
    void theLimitWithTheLeastRemainingWins() {
        KeyLimits l = limits("{\"requests_per_minute\": 30, \"requests_per_month\": 5, \"tokens_per_day\": 100000}");
        Reservation r = ledger.admit("key_a", "ci", l, 600, 400);

        assertThat(r.headers().asMap())
                .containsEntry("x-ratelimit-limit-requests", "5")
                .containsEntry("x-ratelimit-remaining-requests", "4")
                .containsEntry("x-ratelimit-reset-requests", "156h0m0s") // to 2026-12-01T00:00Z
                .containsEntry("x-ratelimit-limit-tokens", "100000")
                .containsEntry("x-ratelimit-remaining-tokens", "99000")
                .containsEntry("x-ratelimit-reset-tokens", "12h0m0s");
    }

    @Test
    void aKeyWithoutLimitsOfAKindSendsNoHeadersOfThatKind() {
        assertThat(ledger.admit("key_a", "ci", KeyLimits.NONE, 1, 1).headers().asMap())
                .isEmpty();
        assertThat(ledger.admit("key_b", "ci", limits("{\"tokens_per_minute\": 100}"), 1, 1)
                        .headers()
                        .asMap())
                .containsOnlyKeys(
                        "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
    }

    @Test
    void aRefusalCarriesRetryAfterTheCurrentHeadersAndWhoseLimitItWas() {
        KeyLimits l = limits("{\"requests_per_minute\": 2}");
        ledger.admit("key_a", "ci", l, 1, 1);
        ledger.admit("key_a", "ci", l, 1, 1);
        ApiError e = refusal(() -> ledger.admit("key_a", "ci", l, 1, 1));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("requests");
        assertThat(e.code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.param()).isNull();
        assertThat(e.getMessage())
                .contains(
                        "key 'ci' (key_a)",
                        "requests per minute",
                        "limit 2, used 2",
                        "try again in 30s",
                        "per-key limit of this proxy",
                        "not Groq's");
        assertThat(e.headers())
                .containsEntry("retry-after", "30")
                .containsEntry("x-ratelimit-limit-requests", "2")
                .containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("x-ratelimit-reset-requests", "1m0s")
                .containsEntry("x-tollgate-limit", "key");
        assertThat(e.body().toString())
                .isEqualTo("{\"error\":{\"message\":" + dev.tollgate.fixture.Json.MAPPER.valueToTree(e.getMessage())
                        + ",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
    }
}
