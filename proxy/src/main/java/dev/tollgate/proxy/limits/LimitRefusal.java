package dev.tollgate.proxy.limits;

import dev.tollgate.proxy.openai.ApiError;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a {@link Refusal} into the 429 the client gets, in OpenAI's shape: {@code rate_limit_exceeded}
 * (type {@code requests} / {@code tokens}) for a per-minute limit, {@code insufficient_quota} for a
 * quota or the budget. The message names the key, the limit, what was used and when it resets, and
 * that it is this proxy's own limit; {@code x-tollgate-limit: key} says the same to programs.
 */
final class LimitRefusal {
    static final String OURS = " This is a per-key limit of this proxy (Tollgate), not Groq's.";

    private LimitRefusal() {}

    static ApiError error(String keyId, String keyName, Refusal r, RateLimitHeaders current, ZoneId zone, long now) {
        String who = keyName == null || keyName.isBlank() ? "key " + keyId : "key '" + keyName + "' (" + keyId + ")";
        String message = (r.kind().isRate() ? rateMessage(who, r) : quotaMessage(who, r, zone, now)) + OURS;
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.retryMillis() >= 0)
            headers.put("retry-after", Long.toString(Math.max(1, (r.retryMillis() + 999) / 1000)));
        headers.putAll(current.asMap());
        headers.put("x-tollgate-limit", "key");
        return r.kind().isRate()
                ? new ApiError(429, message, r.kind().rateType, null, "rate_limit_exceeded", headers)
                : new ApiError(429, message, "insufficient_quota", null, "insufficient_quota", headers);
    }

    private static String rateMessage(String who, Refusal r) {
        String unit = r.kind().rateType;
        if (r.tooLarge()) {
            return "Request too large for " + who + " on " + r.kind().description + ": limit " + r.limit()
                    + ", requested "
                    + r.needed()
                    + " (the prompt estimate plus max_completion_tokens, or the default output allowance when"
                    + " the request sets none). Lower max_completion_tokens or shorten the prompt.";
        }
        return "Rate limit reached for " + who + " on " + r.kind().description + ": limit " + r.limit() + ", used "
                + r.used() + ", requested " + r.needed() + " " + unit + ". Please try again in "
                + GoDuration.format(r.retryMillis()) + ".";
    }

    private static String quotaMessage(String who, Refusal r, ZoneId zone, long now) {
        boolean budget = r.kind() == LimitKind.BUDGET;
        String what = budget
                ? "$" + Prices.usd(r.limit()) + " budget "
                        + (r.budgetPeriod() == BudgetPeriod.TOTAL
                                ? "in total"
                                : "per " + r.budgetPeriod().wireName())
                : r.limit() + " " + r.kind().description;
        StringBuilder m = new StringBuilder(budget ? "Budget exhausted for " : "Quota exceeded for ")
                .append(who)
                .append(": ")
                .append(what)
                .append("; used ")
                .append(amount(budget, r.used()))
                .append(", reserved by requests in flight ")
                .append(amount(budget, r.reserved()))
                .append(", this request ")
                .append(budget ? "up to " : "")
                .append(amount(budget, r.needed()))
                .append('.');
        if (r.tooLarge()) m.append(" This request alone is over the limit.");
        else if (r.blockedByInFlight()) m.append(" It fits once the requests in flight finish; retry shortly.");
        if (r.resetsAtMillis() < 0) {
            m.append(" It does not reset: the limit must be raised.");
        } else {
            m.append(" Resets at ")
                    .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(r.resetsAtMillis())
                            .atZone(zone)
                            .toOffsetDateTime()))
                    .append(" (in ")
                    .append(GoDuration.format(r.resetsAtMillis() - now))
                    .append(").");
        }
        return m.toString();
    }

    private static String amount(boolean usd, long value) {
        return usd ? "$" + Prices.usd(value) : Long.toString(value);
    }
}
