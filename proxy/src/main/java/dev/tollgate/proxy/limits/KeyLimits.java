package dev.tollgate.proxy.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import java.math.BigDecimal;

/**
 * One key's limits; a null component is no limit. Per-minute limits are token buckets, day and month
 * quotas and the budget follow the calendar in the configured time zone. {@code budgetPeriod} is
 * {@link BudgetPeriod#MONTH} when a budget is set without one, and null without a budget.
 */
public record KeyLimits(
        Long requestsPerMinute,
        Long tokensPerMinute,
        Long requestsPerDay,
        Long tokensPerDay,
        Long requestsPerMonth,
        Long tokensPerMonth,
        BigDecimal budgetUsd,
        BudgetPeriod budgetPeriod) {

    /** The largest budget accepted: a billion dollars, so the budget in nano-dollars fits a long. */
    public static final BigDecimal MAX_BUDGET_USD = new BigDecimal("1000000000");

    /** Per-minute limits are token buckets, which refill at most one token a nanosecond (Bucket4j). */
    public static final long MAX_PER_MINUTE = 60_000_000_000L;
    /** Any other count: far beyond use, and far from overflowing the sums it takes part in. */
    public static final long MAX_COUNT = 1_000_000_000_000_000L;

    public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null, null, null, null);

    public KeyLimits {
        check("requests_per_minute", requestsPerMinute, MAX_PER_MINUTE);
        check("tokens_per_minute", tokensPerMinute, MAX_PER_MINUTE);
        check("requests_per_day", requestsPerDay, MAX_COUNT);
        check("tokens_per_day", tokensPerDay, MAX_COUNT);
        check("requests_per_month", requestsPerMonth, MAX_COUNT);
        check("tokens_per_month", tokensPerMonth, MAX_COUNT);
        if (budgetUsd != null) {
            if (budgetUsd.signum() < 0 || budgetUsd.compareTo(MAX_BUDGET_USD) > 0) {
                throw new IllegalArgumentException(
                        "budget_usd must be between 0 and " + MAX_BUDGET_USD + ", was " + budgetUsd.toPlainString());
            }
            budgetUsd = budgetUsd.stripTrailingZeros();
            if (budgetUsd.scale() > 6) {
                throw new IllegalArgumentException("budget_usd has more than 6 decimals: " + budgetUsd.toPlainString());
            }
            if (budgetUsd.scale() < 0) budgetUsd = budgetUsd.setScale(0); // 1E+2 → 100, printed plainly
            if (budgetPeriod == null) budgetPeriod = BudgetPeriod.MONTH;
        } else {
            budgetPeriod = null;
        }
    }

    /**
     * Parses limits from JSON: an object with the snake_case fields (absent or null = no limit).
     *
     * @throws ApiError 400 naming the field ({@code limits.<field>}) when invalid
     */
    public static KeyLimits fromJson(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) return NONE;
        return LimitsJson.apply(NONE, json);
    }

    /**
     * These limits with a patch applied: an absent field stays as it is, JSON null removes that
     * limit, a value replaces it. Removing the budget removes its period too.
     *
     * @throws ApiError 400 naming the field when invalid
     */
    public KeyLimits patchedWith(JsonNode patch) {
        if (patch == null || patch.isNull() || patch.isMissingNode()) return this;
        return LimitsJson.apply(this, patch);
    }

    /** Every field, null where there is no limit. */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        putLong(json, "requests_per_minute", requestsPerMinute);
        putLong(json, "tokens_per_minute", tokensPerMinute);
        putLong(json, "requests_per_day", requestsPerDay);
        putLong(json, "tokens_per_day", tokensPerDay);
        putLong(json, "requests_per_month", requestsPerMonth);
        putLong(json, "tokens_per_month", tokensPerMonth);
        if (budgetUsd == null) json.putNull("budget_usd");
        else json.put("budget_usd", budgetUsd);
        if (budgetPeriod == null) json.putNull("budget_period");
        else json.put("budget_period", budgetPeriod.wireName());
        return json;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The budget in nano-dollars; only meaningful when {@link #budgetUsd()} is set. */
    long budgetNanos() {
        return budgetUsd.movePointRight(9).longValueExact();
    }

    private static void putLong(ObjectNode json, String name, Long value) {
        if (value == null) json.putNull(name);
        else json.put(name, value);
    }

    private static void check(String name, Long value, long max) {
        if (value != null && (value < 1 || value > max)) {
            throw new IllegalArgumentException(name + " must be a whole number from 1 to " + max + ", was " + value);
        }
    }

    static long max(String name) {
        return name.endsWith("_per_minute") ? MAX_PER_MINUTE : MAX_COUNT;
    }
}
