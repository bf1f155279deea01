package dev.tollgate.proxy.limits;

/**
 * Why a request was refused, captured under the key's lock (the answer is written after it).
 * Amounts are requests, tokens or — for the budget — nano-dollars.
 *
 * @param retryMillis   until it can succeed; -1 when waiting will not help (too large, a total budget)
 * @param resetsAtMillis when the limit's window ends (epoch millis); -1 for a total budget
 */
record Refusal(
        LimitKind kind,
        BudgetPeriod budgetPeriod,
        long limit,
        long used,
        long reserved,
        long needed,
        long retryMillis,
        long resetsAtMillis) {

    boolean tooLarge() {
        return needed > limit;
    }

    /** True when the requests in flight are what is in the way: it fits once they settle. */
    boolean blockedByInFlight() {
        return !kind.isRate() && reserved > 0 && used + needed <= limit;
    }
}
