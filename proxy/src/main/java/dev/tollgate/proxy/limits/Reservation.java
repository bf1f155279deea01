package dev.tollgate.proxy.limits;

/**
 * One admitted request's hold on its key's limits, from {@link UsageLedger#admit} until it is settled
 * or released — exactly once; later calls do nothing. It is billed into the windows it was admitted
 * in, so a stream that starts before midnight and ends after it counts for the day it started.
 */
public final class Reservation {
    final KeyAccount account;
    final PeriodCounter day;
    final PeriodCounter week;
    final PeriodCounter month;
    final PeriodCounter total;
    final boolean tookRequest; // from the requests-per-minute bucket
    final boolean tookTokens; // from the tokens-per-minute bucket
    private final long promptTokens;
    private final long outputTokens;
    private final long costNanos;
    private final RateLimitHeaders headers;

    // Written under the account's lock.
    boolean finished;
    private volatile long billedCostNanos = -1;

    Reservation(KeyAccount account, long promptTokens, long outputTokens, long costNanos, RateLimitHeaders headers) {
        this.account = account;
        this.day = account.day;
        this.week = account.week;
        this.month = account.month;
        this.total = account.total;
        this.tookRequest = account.requestsPerMinute != null;
        this.tookTokens = account.tokensPerMinute != null;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.costNanos = costNanos;
        this.headers = headers;
    }

    public String keyId() {
        return account.keyId;
    }

    public long outputTokenEstimate() {
        return outputTokens;
    }

    public long tokenEstimate() {
        return promptTokens + outputTokens;
    }

    /** The estimate's cost, held against the budget until settled. */
    public long estimatedCostNanos() {
        return costNanos;
    }

    /** The {@code x-ratelimit-*} values right after this request was admitted. */
    public RateLimitHeaders headers() {
        return headers;
    }

    /** What {@link UsageLedger#settle} billed, in nano-dollars; 0 after a release, -1 while open. */
    public long billedCostNanos() {
        return billedCostNanos;
    }

    void billed(long nanos) {
        billedCostNanos = nanos;
    }
}
