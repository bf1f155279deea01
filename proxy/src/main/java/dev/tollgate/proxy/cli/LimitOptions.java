package dev.tollgate.proxy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.limits.KeyLimits;
import java.math.BigDecimal;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The limit options of {@code keys create} and {@code keys update}: each sets one limit, and the
 * word {@code none} removes it. They become the same JSON patch the admin API takes.
 */
final class LimitOptions {
    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute (or none)")
    String requestsPerMinute;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute (or none)")
    String tokensPerMinute;

    @Option(names = "--rpd", paramLabel = "N", description = "Requests per day (or none)")
    String requestsPerDay;

    @Option(names = "--tpd", paramLabel = "N", description = "Tokens per day (or none)")
    String tokensPerDay;

    @Option(names = "--requests-per-month", paramLabel = "N", description = "Requests per calendar month (or none)")
    String requestsPerMonth;

    @Option(names = "--tokens-per-month", paramLabel = "N", description = "Tokens per calendar month (or none)")
    String tokensPerMonth;

    @Option(
            names = "--budget-usd",
            paramLabel = "USD",
            description = "Spend allowed per budget period, e.g. 25.50 (or none)")
    String budgetUsd;

    @Option(names = "--budget-period", paramLabel = "PERIOD", description = "day, week, month (default) or total")
    String budgetPeriod;

    /** {@code base} with the options given applied. */
    KeyLimits applyTo(KeyLimits base) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        put(patch, "requests_per_minute", requestsPerMinute);
        put(patch, "tokens_per_minute", tokensPerMinute);
        put(patch, "requests_per_day", requestsPerDay);
        put(patch, "tokens_per_day", tokensPerDay);
        put(patch, "requests_per_month", requestsPerMonth);
        put(patch, "tokens_per_month", tokensPerMonth);
        put(patch, "budget_usd", budgetUsd);
        if (budgetPeriod != null) patch.put("budget_period", budgetPeriod);
        return patch.isEmpty() ? base : base.patchedWith(patch);
    }

    private static void put(ObjectNode patch, String field, String value) {
        if (value == null) return;
        if (value.equalsIgnoreCase("none")) patch.putNull(field);
        else {
            try {
                String number = value.trim();
                if (number.matches("-?\\d+")) patch.put(field, Long.parseLong(number));
                else patch.put(field, new BigDecimal(number));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a number (or none) for --" + field);
            }
        }
    }
}
