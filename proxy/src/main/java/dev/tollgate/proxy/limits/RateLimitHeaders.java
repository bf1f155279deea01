package dev.tollgate.proxy.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-ratelimit-*} values for one answer, in OpenAI's names and formats. Each pair comes from
 * the key's most constraining limit of its kind — the one with the least remaining (the shorter
 * window on a tie) among requests per minute/day/month, and among tokens per minute/day/month.
 * A limit of -1 means the key has no limit of that kind, and its headers are left out.
 *
 * @param resetRequestsMillis until that limit is whole again (a bucket refilled, a window over)
 */
public record RateLimitHeaders(
        long limitRequests,
        long remainingRequests,
        long resetRequestsMillis,
        long limitTokens,
        long remainingTokens,
        long resetTokensMillis) {
    public static final RateLimitHeaders NONE = new RateLimitHeaders(-1, 0, 0, -1, 0, 0);

    public boolean hasRequests() {
        return limitRequests >= 0;
    }

    public boolean hasTokens() {
        return limitTokens >= 0;
    }

    /** The headers to send (lower-case names), in a stable order; empty when the key has no limits. */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>(8);
        if (hasRequests()) {
            headers.put("x-ratelimit-limit-requests", Long.toString(limitRequests));
            headers.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
            headers.put("x-ratelimit-reset-requests", GoDuration.format(resetRequestsMillis));
        }
        if (hasTokens()) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(limitTokens));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
            headers.put("x-ratelimit-reset-tokens", GoDuration.format(resetTokensMillis));
        }
        return headers;
    }
}
