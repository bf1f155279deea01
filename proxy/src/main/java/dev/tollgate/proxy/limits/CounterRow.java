package dev.tollgate.proxy.limits;

/** A snapshot of one {@link PeriodCounter}'s used counts: a row of table {@code usage_counters}. */
record CounterRow(
        String keyId,
        BudgetPeriod period,
        long start,
        long requests,
        long promptTokens,
        long completionTokens,
        long costNanos) {}
