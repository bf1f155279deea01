package dev.tollgate.proxy.limits;

import io.github.bucket4j.TimeMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One key's state in the ledger: its counters for the current windows and its per-minute buckets.
 * Everything here is read and written only while holding {@link #lock} — a short critical section
 * with no I/O (a ReentrantLock rather than synchronized, so a virtual thread never pins its carrier).
 */
final class KeyAccount {
    final String keyId;
    final ReentrantLock lock = new ReentrantLock();

    PeriodCounter day;
    PeriodCounter week;
    PeriodCounter month;
    PeriodCounter total;

    MinuteBucket requestsPerMinute; // null when the key has no such limit
    MinuteBucket tokensPerMinute;
    long budgetNanos = Long.MAX_VALUE;
    private KeyLimits applied;

    // Shared mode only (SharedLedger): buckets are slices of a shared row; leases and what to flush.
    final boolean shared;
    long leaseEpoch = -1; // the ledger's epoch when the leases were granted; another epoch voids them
    KeyLimits leasedLimits; // the limits the leases were granted for
    boolean admittedSinceFlush; // busy: far from its limits, its leases are kept at the next flush
    boolean nearLimit; // the last top-up found little left: give unspent leases back as soon as requests finish
    final List<PeriodCounter> dirty = new ArrayList<>(); // billed since the last flush

    KeyAccount(String keyId, Windows w) {
        this(keyId, w, false);
    }

    KeyAccount(String keyId, Windows w, boolean shared) {
        this.keyId = keyId;
        this.shared = shared;
        day = new PeriodCounter(this, BudgetPeriod.DAY, w.dayStart());
        week = new PeriodCounter(this, BudgetPeriod.WEEK, w.weekStart());
        month = new PeriodCounter(this, BudgetPeriod.MONTH, w.monthStart());
        total = new PeriodCounter(this, BudgetPeriod.TOTAL, 0);
    }

    /**
     * Moves to the windows {@code w} where they are newer: a new window's counters start at zero.
     * The old counters live on in the reservations admitted into them and in the flush queue. A
     * clock stepping back never reopens an older window.
     */
    void roll(Windows w) {
        if (w.dayStart() > day.start) day = new PeriodCounter(this, BudgetPeriod.DAY, w.dayStart());
        if (w.weekStart() > week.start) week = new PeriodCounter(this, BudgetPeriod.WEEK, w.weekStart());
        if (w.monthStart() > month.start) month = new PeriodCounter(this, BudgetPeriod.MONTH, w.monthStart());
    }

    /** Takes the lock, spinning briefly first: parking and waking a thread costs more than the section it waits for. */
    void lock() {
        if (lock.tryLock()) return;
        for (int i = 0; i < 100; i++) {
            Thread.onSpinWait();
            if (lock.tryLock()) return;
        }
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    PeriodCounter counter(BudgetPeriod period) {
        return switch (period) {
            case DAY -> day;
            case WEEK -> week;
            case MONTH -> month;
            case TOTAL -> total;
        };
    }

    /** Sets the buckets and the budget up for these limits (a no-op for the limits already applied). */
    void apply(KeyLimits limits, TimeMeter time) {
        if (limits == applied) return; // the limit store hands out the same instance while cached
        requestsPerMinute = bucket(requestsPerMinute, limits.requestsPerMinute(), time, shared);
        tokensPerMinute = bucket(tokensPerMinute, limits.tokensPerMinute(), time, shared);
        budgetNanos = limits.budgetUsd() == null ? Long.MAX_VALUE : limits.budgetNanos();
        applied = limits;
    }

    private static MinuteBucket bucket(MinuteBucket current, Long limit, TimeMeter time, boolean shared) {
        if (limit == null) return null;
        if (current == null) return shared ? new SharedMinuteBucket(limit, time) : new LocalMinuteBucket(limit, time);
        current.resize(limit);
        return current;
    }
}
