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

    // Shared mode only (SharedLedger; zero otherwise). Billed here and not yet added to usage_counters:
    long pendingRequests;
    long pendingPromptTokens;
    long pendingCompletionTokens;
    long pendingCostNanos;
    // This instance's lease on the window (allowance_leases), and the rest of the limit, held elsewhere
    // (other instances' leases, what nobody leased yet): used + reserved + elsewhere + need ≤ limit is
    // then exactly pending + reserved + need ≤ lease, the local admission.
    long leaseRequests;
    long leaseTokens;
    long leaseCostNanos;
    long elsewhereRequests;
    long elsewhereTokens;
    long elsewhereCostNanos;
    boolean leased; // the lease and elsewhere were set by a top-up for the account's current limits

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
        if (!account.shared) return;
        pendingRequests++;
        pendingPromptTokens += prompt;
        pendingCompletionTokens += completion;
        pendingCostNanos += cost;
    }

    CounterRow row() {
        return new CounterRow(account.keyId, period, start, requests, promptTokens, completionTokens, costNanos);
    }
}
