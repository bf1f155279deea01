package dev.tollgate.proxy.limits;

/** Which of a key's limits refused a request. Per-minute limits are rate limits, the rest quotas. */
enum LimitKind {
    REQUESTS_PER_MINUTE("requests per minute", "requests"),
    TOKENS_PER_MINUTE("tokens per minute", "tokens"),
    REQUESTS_PER_DAY("requests per day", null),
    TOKENS_PER_DAY("tokens per day", null),
    REQUESTS_PER_MONTH("requests per month", null),
    TOKENS_PER_MONTH("tokens per month", null),
    BUDGET("USD budget", null);

    final String description;
    /** OpenAI's error type for a rate limit ("requests" or "tokens"); null for a quota or the budget. */
    final String rateType;

    LimitKind(String description, String rateType) {
        this.description = description;
        this.rateType = rateType;
    }

    boolean isRate() {
        return rateType != null;
    }
}
