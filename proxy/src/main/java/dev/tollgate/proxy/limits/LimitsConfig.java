package dev.tollgate.proxy.limits;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * Per-key limits configuration.
 *
 * @param zone               the calendar days, weeks and months follow (UTC by default)
 * @param prices             what a token costs, for budgets and spend
 * @param defaultOutputTokens the output reservation when a request sets no max_completion_tokens / max_tokens
 * @param defaults           the limits a NEW key gets unless its creation says otherwise
 * @param flushInterval      how often the usage ledger writes its counters to the database
 */
public record LimitsConfig(
        ZoneId zone, Prices prices, long defaultOutputTokens, KeyLimits defaults, Duration flushInterval) {
    public static final LimitsConfig DEFAULTS =
            new LimitsConfig(ZoneId.of("UTC"), Prices.MODEL_CARD, 4096, KeyLimits.NONE, Duration.ofSeconds(1));

    public LimitsConfig {
        if (zone == null || prices == null || defaults == null || flushInterval == null)
            throw new IllegalArgumentException("limits config is incomplete");
        if (defaultOutputTokens < 1) throw new IllegalArgumentException("TOLLGATE_DEFAULT_OUTPUT_TOKENS must be >= 1");
        if (flushInterval.toMillis() < 1) throw new IllegalArgumentException("TOLLGATE_LEDGER_FLUSH_MS must be >= 1");
    }

    public LimitsConfig withZone(ZoneId newZone) {
        return new LimitsConfig(newZone, prices, defaultOutputTokens, defaults, flushInterval);
    }

    /** Reads the {@code TOLLGATE_…} variables (see the README); a bad value is an error naming the variable. */
    public static LimitsConfig fromEnv(Map<String, String> env) {
        ZoneId zone = zone(env, "TOLLGATE_LIMITS_TIME_ZONE");
        BigDecimal input = price(env, "TOLLGATE_PRICE_INPUT_PER_MTOK", "0.15");
        Prices prices = new Prices(
                input,
                price(
                        env,
                        "TOLLGATE_PRICE_CACHED_INPUT_PER_MTOK",
                        Prices.halfOf(input).toPlainString()),
                price(env, "TOLLGATE_PRICE_OUTPUT_PER_MTOK", "0.75"));
        long outputTokens = positive(env, "TOLLGATE_DEFAULT_OUTPUT_TOKENS", 4096L);
        long flushMs = positive(env, "TOLLGATE_LEDGER_FLUSH_MS", 1000L);
        return new LimitsConfig(zone, prices, outputTokens, defaults(env), Duration.ofMillis(flushMs));
    }

    private static KeyLimits defaults(Map<String, String> env) {
        BigDecimal budget = null;
        String budgetText = value(env, "TOLLGATE_DEFAULT_BUDGET_USD");
        if (budgetText != null) {
            try {
                budget = new BigDecimal(budgetText);
            } catch (NumberFormatException e) {
                throw bad("TOLLGATE_DEFAULT_BUDGET_USD", "a number of US dollars", budgetText);
            }
        }
        String periodText = value(env, "TOLLGATE_DEFAULT_BUDGET_PERIOD");
        BudgetPeriod period = BudgetPeriod.parse(periodText);
        if (periodText != null && period == null)
            throw bad("TOLLGATE_DEFAULT_BUDGET_PERIOD", "day, week, month or total", periodText);
        if (period != null && budget == null) {
            throw new IllegalArgumentException("TOLLGATE_DEFAULT_BUDGET_PERIOD needs TOLLGATE_DEFAULT_BUDGET_USD");
        }
        try {
            return new KeyLimits(
                    count(env, "TOLLGATE_DEFAULT_RPM"),
                    count(env, "TOLLGATE_DEFAULT_TPM"),
                    count(env, "TOLLGATE_DEFAULT_RPD"),
                    count(env, "TOLLGATE_DEFAULT_TPD"),
                    count(env, "TOLLGATE_DEFAULT_REQUESTS_PER_MONTH"),
                    count(env, "TOLLGATE_DEFAULT_TOKENS_PER_MONTH"),
                    budget,
                    period);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TOLLGATE_DEFAULT_BUDGET_USD: " + e.getMessage(), e);
        }
    }

    private static Long count(Map<String, String> env, String name) {
        Long n = positive(env, name, null);
        long max = name.endsWith("PM") ? KeyLimits.MAX_PER_MINUTE : KeyLimits.MAX_COUNT;
        if (n != null && n > max) throw bad(name, "a whole number from 1 to " + max, env.get(name));
        return n;
    }

    private static ZoneId zone(Map<String, String> env, String name) {
        String text = value(env, name);
        if (text == null) return ZoneId.of("UTC");
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw bad(name, "a time zone such as UTC or Europe/Paris", text);
        }
    }

    private static BigDecimal price(Map<String, String> env, String name, String fallback) {
        String text = value(env, name);
        try {
            BigDecimal price = new BigDecimal(text == null ? fallback : text);
            if (price.signum() >= 0) return price;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "a price in US dollars per million tokens, >= 0", text);
    }

    private static Long positive(Map<String, String> env, String name, Long fallback) {
        String text = value(env, name);
        if (text == null) return fallback;
        try {
            long n = Long.parseLong(text);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "a positive whole number", text);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static IllegalArgumentException bad(String name, String expected, String was) {
        return new IllegalArgumentException(name + " must be " + expected + ", was '" + was + "'");
    }
}
