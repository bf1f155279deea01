package dev.tollgate.proxy.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A key's use of one calendar window: what was billed, what requests in flight hold, and the limits
 * on this window (null when none). Costs in nano-dollars.
 *
 * @param start    the window's first local day (1970-01-01 for the total; null in JSON)
 * @param resetsAt when the window ends; null for the total
 */
public record PeriodUsage(
        BudgetPeriod period,
        LocalDate start,
        Instant resetsAt,
        long requests,
        long promptTokens,
        long completionTokens,
        long costNanos,
        long reservedRequests,
        long reservedTokens,
        long reservedCostNanos,
        Long requestLimit,
        Long tokenLimit,
        Long budgetNanos) {

    static PeriodUsage of(PeriodCounter c, Windows w, Long requestLimit, Long tokenLimit, Long budgetNanos) {
        long end = w.end(c.period);
        return new PeriodUsage(
                c.period,
                LocalDate.ofEpochDay(c.start),
                end == Long.MAX_VALUE ? null : Instant.ofEpochMilli(end),
                c.requests,
                c.promptTokens,
                c.completionTokens,
                c.costNanos,
                c.reservedRequests,
                c.reservedTokens,
                c.reservedCostNanos,
                requestLimit,
                tokenLimit,
                budgetNanos);
    }

    public long tokens() {
        return promptTokens + completionTokens;
    }

    ObjectNode toJson(ZoneId zone) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("start", period == BudgetPeriod.TOTAL ? null : start.toString());
        json.put("resets_at", BucketUsage.time(resetsAt, zone));
        json.put("requests", requests);
        json.put("prompt_tokens", promptTokens);
        json.put("completion_tokens", completionTokens);
        json.put("tokens", tokens());
        json.put("spend_usd", Prices.usdDecimal(costNanos));
        ObjectNode inFlight = json.putObject("in_flight");
        inFlight.put("requests", reservedRequests);
        inFlight.put("tokens", reservedTokens);
        inFlight.put("spend_usd", Prices.usdDecimal(reservedCostNanos));
        ObjectNode limits = json.putObject("limits");
        if (requestLimit != null) limit(limits.putObject("requests"), requestLimit, requests + reservedRequests);
        if (tokenLimit != null) limit(limits.putObject("tokens"), tokenLimit, tokens() + reservedTokens);
        if (budgetNanos != null) {
            ObjectNode budget = limits.putObject("budget_usd");
            budget.put("limit", Prices.usdDecimal(budgetNanos));
            budget.put("remaining", Prices.usdDecimal(Math.max(0, budgetNanos - costNanos - reservedCostNanos)));
        }
        return json;
    }

    private static void limit(ObjectNode json, long limit, long taken) {
        json.put("limit", limit);
        json.put("remaining", Math.max(0, limit - taken));
    }
}
