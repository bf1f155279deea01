package dev.tollgate.proxy.limits;

/**
 * A per-minute limit: a token bucket of {@code capacity} tokens refilled at capacity per minute. Used
 * only under the key's lock. {@link LocalMinuteBucket} is the whole bucket in this process;
 * {@link SharedMinuteBucket} is this instance's slice of a bucket shared through the database.
 */
interface MinuteBucket {
    long capacity();

    /** Takes on a new limit; a raised limit adds the difference at once, a lowered one caps what is left. */
    void resize(long newCapacity);

    boolean tryTake(long tokens);

    /** Gives back tokens taken but not used (never beyond capacity). */
    void giveBack(long tokens);

    /** Takes tokens used beyond what was taken, even into debt: the next requests wait for it. */
    void takeAnyway(long tokens);

    long available();

    /** What the bucket holds now: below zero while in debt. */
    long tokens();

    /** Millis until {@code tokens} are available; -1 when more than the capacity is asked for. */
    long millisUntil(long tokens);

    /** Millis until the bucket is full again (OpenAI's "reset"). */
    long millisUntilFull();

    /** The same, from what {@link #tokens()} just said. */
    long millisUntilFull(long available);
}
