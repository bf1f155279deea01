package dev.tollgate.proxy.limits;

/**
 * What one key used in one calendar window, and what its requests in flight have reserved there.
 * Guarded by the owning {@link KeyAccount}'s lock. Only the used counts are persisted.
 */
final class PeriodCounter {
    final KeyAccount account;
    final BudgetPeriod period;
    final long start; // epoch day of the window's first local day (0 for the total)

    long requests;
    long promptTokens;
    long completionTokens;
    long costNanos;

    long reservedRequests;
    long reservedTokens;
    long reservedCostNanos;

    /** True while waiting in the ledger's flush queue, so it is queued once however often it changes. */
    boolean queued;

    PeriodCounter(KeyAccount account, BudgetPeriod period, long start) {
        this.account = account;
        this.period = period;
        this.start = start;
    }

    long tokens() {
        return promptTokens + completionTokens;
    }

    void reserve(long tokens, long cost) {
        reservedRequests++;
        reservedTokens += tokens;
        reservedCostNanos += cost;
    }

    void unreserve(long tokens, long cost) {
        reservedRequests--;
        reservedTokens -= tokens;
        reservedCostNanos -= cost;
    }

    void bill(long prompt, long completion, long cost) {
        requests++;
        promptTokens += prompt;
        completionTokens += completion;
        costNanos += cost;
    }

    CounterRow row() {
        return new CounterRow(account.keyId, period, start, requests, promptTokens, completionTokens, costNanos);
    }
}
