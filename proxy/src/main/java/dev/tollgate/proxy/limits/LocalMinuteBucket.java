package dev.tollgate.proxy.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;

/**
 * A per-minute limit held in this process alone (H2, one instance): a Bucket4j bucket of {@code capacity}
 * tokens refilled greedily at capacity per minute. Used only under the key's lock, so the bucket itself
 * does no synchronisation.
 */
final class LocalMinuteBucket implements MinuteBucket {
    private final Bucket bucket;
    private long capacity;

    LocalMinuteBucket(long capacity, TimeMeter time) {
        this.capacity = capacity;
        this.bucket = Bucket.builder()
                .addLimit(config(capacity))
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /** Takes on a new limit; a raised limit adds the difference at once, a lowered one caps what is left. */
    @Override
    public void resize(long newCapacity) {
        if (newCapacity == capacity) return;
        bucket.replaceConfiguration(
                BucketConfiguration.builder().addLimit(config(newCapacity)).build(),
                TokensInheritanceStrategy.ADDITIVE);
        capacity = newCapacity;
    }

    @Override
    public boolean tryTake(long tokens) {
        return bucket.tryConsume(tokens);
    }

    /** Gives back tokens taken but not used (never beyond capacity). */
    @Override
    public void giveBack(long tokens) {
        if (tokens > 0) bucket.addTokens(tokens);
    }

    /**
     * Takes tokens used beyond what was taken, even into debt: the next requests wait for it. The
     * debt is capped at 1000 minutes of refill, far below where Bucket4j's wait would overflow.
     */
    @Override
    public void takeAnyway(long tokens) {
        if (tokens > 0) bucket.consumeIgnoringRateLimits(Math.min(tokens, capacity * 1000));
    }

    @Override
    public long available() {
        return Math.max(0, tokens());
    }

    /** What the bucket holds now: below zero while in debt. */
    @Override
    public long tokens() {
        return bucket.getAvailableTokens();
    }

    /** Millis until {@code tokens} are available; -1 when more than the capacity is asked for. */
    @Override
    public long millisUntil(long tokens) {
        if (tokens > capacity) return -1;
        long nanos = bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill();
        return (nanos + 999_999) / 1_000_000;
    }

    /** Millis until the bucket is full again (OpenAI's "reset"). */
    @Override
    public long millisUntilFull() {
        return millisUntilFull(bucket.getAvailableTokens());
    }

    /** The same, from what {@link #tokens()} just said. */
    @Override
    public long millisUntilFull(long available) {
        long missing = capacity - available;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * 60_000.0 / capacity);
    }

    private static Bandwidth config(long capacity) {
        return Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, Duration.ofMinutes(1))
                .build();
    }
}
