package dev.tollgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {
    @Test
    void defaults() {
        LimitsConfig c = LimitsConfig.fromEnv(Map.of());
        assertThat(c).isEqualTo(LimitsConfig.DEFAULTS);
        assertThat(c.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.prices().costNanos(1_000_000, 1_000_000)).isEqualTo(900_000_000);
        assertThat(c.defaultOutputTokens()).isEqualTo(4096);
        assertThat(c.defaults()).isEqualTo(KeyLimits.NONE);
        assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyVariable() {
        LimitsConfig c = LimitsConfig.fromEnv(Map.ofEntries(
                Map.entry("TOLLGATE_LIMITS_TIME_ZONE", "Europe/Paris"),
                Map.entry("TOLLGATE_PRICE_INPUT_PER_MTOK", "0.2"),
                Map.entry("TOLLGATE_PRICE_OUTPUT_PER_MTOK", "1.1"),
                Map.entry("TOLLGATE_DEFAULT_OUTPUT_TOKENS", "1024"),
                Map.entry("TOLLGATE_DEFAULT_RPM", "30"),
                Map.entry("TOLLGATE_DEFAULT_TPM", "60000"),
                Map.entry("TOLLGATE_DEFAULT_RPD", "1000"),
                Map.entry("TOLLGATE_DEFAULT_TPD", "500000"),
                Map.entry("TOLLGATE_DEFAULT_REQUESTS_PER_MONTH", "9000"),
                Map.entry("TOLLGATE_DEFAULT_TOKENS_PER_MONTH", "9000000"),
                Map.entry("TOLLGATE_DEFAULT_BUDGET_USD", "25.5"),
                Map.entry("TOLLGATE_DEFAULT_BUDGET_PERIOD", "week"),
                Map.entry("TOLLGATE_LEDGER_FLUSH_MS", "250")));
        assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(c.prices()).isEqualTo(new Prices(new BigDecimal("0.2"), new BigDecimal("1.1")));
        assertThat(c.defaultOutputTokens()).isEqualTo(1024);
        assertThat(c.defaults())
                .isEqualTo(new KeyLimits(
                        30L, 60000L, 1000L, 500000L, 9000L, 9_000_000L, new BigDecimal("25.5"), BudgetPeriod.WEEK));
        assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badValuesNameTheVariable() {
        for (Map.Entry<String, String> bad : Map.of(
                        "TOLLGATE_LIMITS_TIME_ZONE", "Mars/Olympus",
                        "TOLLGATE_PRICE_INPUT_PER_MTOK", "cheap",
                        "TOLLGATE_PRICE_OUTPUT_PER_MTOK", "-1",
                        "TOLLGATE_DEFAULT_OUTPUT_TOKENS", "0",
                        "TOLLGATE_DEFAULT_RPM", "many",
                        "TOLLGATE_DEFAULT_BUDGET_USD", "0.0000001",
                        "TOLLGATE_DEFAULT_BUDGET_PERIOD", "year",
                        "TOLLGATE_LEDGER_FLUSH_MS", "-5")
                .entrySet()) {
            Map<String, String> env = bad.getKey().equals("TOLLGATE_DEFAULT_BUDGET_PERIOD")
                    ? Map.of(bad.getKey(), bad.getValue(), "TOLLGATE_DEFAULT_BUDGET_USD", "5")
                    : Map.of(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> LimitsConfig.fromEnv(env))
                    .as(bad.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getKey());
        }
        assertThatThrownBy(() -> LimitsConfig.fromEnv(Map.of("TOLLGATE_DEFAULT_BUDGET_PERIOD", "day")))
                .hasMessageContaining("TOLLGATE_DEFAULT_BUDGET_USD");
    }
}
