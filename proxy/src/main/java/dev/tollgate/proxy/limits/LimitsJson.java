package dev.tollgate.proxy.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.proxy.openai.ApiError;
import java.math.BigDecimal;
import java.util.Map;

/** Reads {@link KeyLimits} fields from JSON, refusing anything invalid with a 400 naming the field. */
final class LimitsJson {
    private LimitsJson() {}

    static KeyLimits apply(KeyLimits base, JsonNode patch) {
        if (!patch.isObject()) throw invalid("limits", "limits must be a JSON object");
        Long rpm = base.requestsPerMinute(), tpm = base.tokensPerMinute(), rpd = base.requestsPerDay();
        Long tpd = base.tokensPerDay(), rpMonth = base.requestsPerMonth(), tpMonth = base.tokensPerMonth();
        BigDecimal budget = base.budgetUsd();
        BudgetPeriod period = base.budgetPeriod();
        boolean periodGiven = false;
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "requests_per_minute" -> rpm = count(field.getKey(), value);
                case "tokens_per_minute" -> tpm = count(field.getKey(), value);
                case "requests_per_day" -> rpd = count(field.getKey(), value);
                case "tokens_per_day" -> tpd = count(field.getKey(), value);
                case "requests_per_month" -> rpMonth = count(field.getKey(), value);
                case "tokens_per_month" -> tpMonth = count(field.getKey(), value);
                case "budget_usd" -> budget = budget(value);
                case "budget_period" -> {
                    period = period(value);
                    periodGiven = period != null;
                }
                default ->
                    throw invalid(
                            field.getKey(),
                            "unknown limit '" + field.getKey() + "'; known: requests_per_minute, "
                                    + "tokens_per_minute, requests_per_day, tokens_per_day, requests_per_month, tokens_per_month, "
                                    + "budget_usd, budget_period");
            }
        }
        if (budget == null && periodGiven) throw invalid("budget_period", "budget_period needs a budget_usd");
        return new KeyLimits(rpm, tpm, rpd, tpd, rpMonth, tpMonth, budget, period);
    }

    private static Long count(String name, JsonNode value) {
        if (value.isNull()) return null;
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < 1
                || value.longValue() > KeyLimits.max(name)) {
            throw invalid(
                    name,
                    name + " must be a whole number from 1 to " + KeyLimits.max(name) + " (or null for no limit), was "
                            + value);
        }
        return value.longValue();
    }

    private static BigDecimal budget(JsonNode value) {
        if (value.isNull()) return null;
        if (!value.isNumber())
            throw invalid(
                    "budget_usd", "budget_usd must be a number of US dollars (or null for no budget), was " + value);
        BigDecimal usd = value.decimalValue();
        if (usd.signum() < 0 || usd.compareTo(KeyLimits.MAX_BUDGET_USD) > 0) {
            throw invalid(
                    "budget_usd", "budget_usd must be between 0 and " + KeyLimits.MAX_BUDGET_USD + ", was " + value);
        }
        if (usd.stripTrailingZeros().scale() > 6) {
            throw invalid("budget_usd", "budget_usd may have at most 6 decimals (a micro-dollar), was " + value);
        }
        return usd;
    }

    private static BudgetPeriod period(JsonNode value) {
        if (value.isNull()) return null;
        BudgetPeriod period = value.isTextual() ? BudgetPeriod.parse(value.textValue()) : null;
        if (period == null)
            throw invalid("budget_period", "budget_period must be day, week, month or total, was " + value);
        return period;
    }

    private static ApiError invalid(String field, String message) {
        return ApiError.invalidRequest(message, field.equals("limits") ? "limits" : "limits." + field, null);
    }
}
