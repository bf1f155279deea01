package dev.tollgate.proxy.limits;

import io.github.bucket4j.TimeMeter;

/**
 * This instance's slice of a per-minute bucket whose state is a row of {@code rate_buckets} (shared
 * mode): {@link #held} tokens taken out of the row at the last top-up, spent locally without asking the
 * database. When the slice cannot cover a request, the ledger tops up (refills the row, returns the
 * slice, takes a new one). A slice taken out of the row counts as spent for every instance, so the
 * instances together never take more than the bucket holds; what a dead instance held refills within a
 * minute. Used only under the key's lock.
 */
final class SharedMinuteBucket implements MinuteBucket {
    private final TimeMeter time;
    private long capacity;

    /** Tokens this instance took from the row and has not spent; below zero is a debt (settled beyond the estimate). */
    long held;
    /** What the row held after the last top-up (after this instance's slice was taken), and when (millis). */
    long rowTokens;

    long rowAtMillis;

    SharedMinuteBucket(long capacity, TimeMeter time) {
        this.capacity = capacity;
        this.time = time;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public void resize(long newCapacity) {
        capacity = newCapacity; // the row is capped to the new capacity at the next top-up
    }

    @Override
    public boolean tryTake(long tokens) {
        if (held < tokens) return false;
        held -= tokens;
        return true;
    }

    @Override
    public void giveBack(long tokens) {
        if (tokens > 0) held += tokens;
    }

    @Override
    public void takeAnyway(long tokens) {
        if (tokens > 0) held -= Math.min(tokens, capacity * 1000);
    }

    @Override
    public long available() {
        return Math.max(0, tokens());
    }

    /** An estimate for headers: the row as last seen, refilled since, plus this instance's slice. */
    @Override
    public long tokens() {
        long elapsed = Math.max(0, millis() - rowAtMillis);
        long row = elapsed >= 60_000 ? capacity : Math.min(capacity, rowTokens + elapsed * capacity / 60_000);
        return Math.min(capacity, row + held);
    }

    @Override
    public long millisUntil(long tokens) {
        if (tokens > capacity) return -1;
        long missing = tokens - tokens();
        return missing <= 0 ? 0 : (long) Math.ceil(missing * 60_000.0 / capacity);
    }

    @Override
    public long millisUntilFull() {
        return millisUntilFull(tokens());
    }

    @Override
    public long millisUntilFull(long available) {
        long missing = capacity - available;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * 60_000.0 / capacity);
    }

    private long millis() {
        return time.currentTimeNanos() / 1_000_000;
    }
}
