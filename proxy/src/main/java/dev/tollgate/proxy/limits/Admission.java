package dev.tollgate.proxy.limits;

/**
 * The checks and header values of one admission, run under the key's lock on the current windows.
 * Nothing here allocates on the way to a yes, so the critical section stays short.
 */
final class Admission {
    private Admission() {}

    /**
     * Checks every limit the key has: used + reserved + this request ≤ limit for each quota and the
     * budget, then takes from the per-minute buckets. On a refusal nothing stays taken. In shared mode
     * "reserved" includes what is held elsewhere, so the same check is the lease check.
     *
     * @return null when admitted (the buckets are taken), else why not
     */
    static Refusal check(KeyAccount a, KeyLimits l, long tokens, long cost, Windows w, long now) {
        Refusal no = null;
        if (l.requestsPerDay() != null) {
            no = quota(
                    LimitKind.REQUESTS_PER_DAY,
                    null,
                    l.requestsPerDay(),
                    a.day.requests,
                    a.day.reservedRequests + a.day.elsewhereRequests,
                    1,
                    w.dayEndMillis(),
                    now);
        }
        if (no == null && l.tokensPerDay() != null) {
            no = quota(
                    LimitKind.TOKENS_PER_DAY,
                    null,
                    l.tokensPerDay(),
                    a.day.tokens(),
                    a.day.reservedTokens + a.day.elsewhereTokens,
                    tokens,
                    w.dayEndMillis(),
                    now);
        }
        if (no == null && l.requestsPerMonth() != null) {
            no = quota(
                    LimitKind.REQUESTS_PER_MONTH,
                    null,
                    l.requestsPerMonth(),
                    a.month.requests,
                    a.month.reservedRequests + a.month.elsewhereRequests,
                    1,
                    w.monthEndMillis(),
                    now);
        }
        if (no == null && l.tokensPerMonth() != null) {
            no = quota(
                    LimitKind.TOKENS_PER_MONTH,
                    null,
                    l.tokensPerMonth(),
                    a.month.tokens(),
                    a.month.reservedTokens + a.month.elsewhereTokens,
                    tokens,
                    w.monthEndMillis(),
                    now);
        }
        if (no == null && l.budgetPeriod() != null) {
            PeriodCounter b = a.counter(l.budgetPeriod());
            no = quota(
                    LimitKind.BUDGET,
                    l.budgetPeriod(),
                    a.budgetNanos,
                    b.costNanos,
                    b.reservedCostNanos + b.elsewhereCostNanos,
                    cost,
                    w.end(l.budgetPeriod()),
                    now);
        }
        if (no != null) return no;
        MinuteBucket rpm = a.requestsPerMinute;
        MinuteBucket tpm = a.tokensPerMinute;
        if (rpm != null && !rpm.tryTake(1)) return rate(LimitKind.REQUESTS_PER_MINUTE, rpm, 1, now);
        if (tpm != null && !tpm.tryTake(tokens)) {
            if (rpm != null) rpm.giveBack(1);
            return rate(LimitKind.TOKENS_PER_MINUTE, tpm, tokens, now);
        }
        return null;
    }

    private static Refusal quota(
            LimitKind kind,
            BudgetPeriod period,
            long limit,
            long used,
            long reserved,
            long needed,
            long endMillis,
            long now) {
        if (used + reserved + needed <= limit) return null;
        long ends = endMillis == Long.MAX_VALUE ? -1 : endMillis;
        long retry;
        if (needed > limit) retry = -1; // never fits
        else if (used + needed <= limit) retry = 1000; // fits once requests in flight settle
        else retry = ends < 0 ? -1 : ends - now; // the next window
        return new Refusal(kind, period, limit, used, reserved, needed, retry, ends);
    }

    private static Refusal rate(LimitKind kind, MinuteBucket bucket, long needed, long now) {
        long wait = bucket.millisUntil(needed);
        return new Refusal(
                kind,
                null,
                bucket.capacity(),
                bucket.capacity() - bucket.tokens(),
                0,
                needed,
                wait,
                wait < 0 ? -1 : now + wait);
    }

    /** The most constraining request limit and token limit, after this admission (see {@link RateLimitHeaders}). */
    static RateLimitHeaders headers(KeyAccount a, KeyLimits l, Windows w, long now) {
        long limitR = -1, remainingR = 0, resetR = 0, limitT = -1, remainingT = 0, resetT = 0;
        if (a.requestsPerMinute != null) {
            limitR = a.requestsPerMinute.capacity();
            long held = a.requestsPerMinute.tokens();
            remainingR = Math.max(0, held);
            resetR = a.requestsPerMinute.millisUntilFull(held);
        }
        if (l.requestsPerDay() != null) {
            long left = left(l.requestsPerDay(), a.day.requests + a.day.reservedRequests);
            if (limitR < 0 || left < remainingR) {
                limitR = l.requestsPerDay();
                remainingR = left;
                resetR = w.dayEndMillis() - now;
            }
        }
        if (l.requestsPerMonth() != null) {
            long left = left(l.requestsPerMonth(), a.month.requests + a.month.reservedRequests);
            if (limitR < 0 || left < remainingR) {
                limitR = l.requestsPerMonth();
                remainingR = left;
                resetR = w.monthEndMillis() - now;
            }
        }
        if (a.tokensPerMinute != null) {
            limitT = a.tokensPerMinute.capacity();
            long held = a.tokensPerMinute.tokens();
            remainingT = Math.max(0, held);
            resetT = a.tokensPerMinute.millisUntilFull(held);
        }
        if (l.tokensPerDay() != null) {
            long left = left(l.tokensPerDay(), a.day.tokens() + a.day.reservedTokens);
            if (limitT < 0 || left < remainingT) {
                limitT = l.tokensPerDay();
                remainingT = left;
                resetT = w.dayEndMillis() - now;
            }
        }
        if (l.tokensPerMonth() != null) {
            long left = left(l.tokensPerMonth(), a.month.tokens() + a.month.reservedTokens);
            if (limitT < 0 || left < remainingT) {
                limitT = l.tokensPerMonth();
                remainingT = left;
                resetT = w.monthEndMillis() - now;
            }
        }
        if (limitR < 0 && limitT < 0) return RateLimitHeaders.NONE;
        return new RateLimitHeaders(limitR, remainingR, resetR, limitT, remainingT, resetT);
    }

    private static long left(long limit, long taken) {
        return Math.max(0, limit - taken);
    }
}
