package dev.tollgate.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each Groq account key got from Groq, for the metrics: answers by outcome, and whether the
 * key's last answer says it works. Keys are known by their position only, never by their value.
 */
public final class UpstreamHealth {
    /** The outcomes counted per key. */
    public enum Outcome {
        OK,
        CLIENT_ERROR,
        UNAUTHORIZED,
        RATE_LIMITED,
        SERVER_ERROR,
        UNREACHABLE
    }

    private final int keys;
    private final AtomicLongArray counts;
    private final AtomicInteger[] last;

    UpstreamHealth(int keys) {
        this.keys = keys;
        this.counts = new AtomicLongArray(keys * Outcome.values().length);
        this.last = new AtomicInteger[keys];
        for (int i = 0; i < keys; i++) last[i] = new AtomicInteger(Outcome.OK.ordinal());
    }

    void answered(int key, int status) {
        record(
                key,
                status == 401 || status == 403
                        ? Outcome.UNAUTHORIZED
                        : status == 429
                                ? Outcome.RATE_LIMITED
                                : status >= 500
                                        ? Outcome.SERVER_ERROR
                                        : status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK);
    }

    void unreachable(int key) {
        record(key, Outcome.UNREACHABLE);
    }

    private void record(int key, Outcome outcome) {
        counts.incrementAndGet(key * Outcome.values().length + outcome.ordinal());
        last[key].set(outcome.ordinal());
    }

    public int keys() {
        return keys;
    }

    public long count(int key, Outcome outcome) {
        return counts.get(key * Outcome.values().length + outcome.ordinal());
    }

    /** 1 unless the key's last answer was a 401/403, a 429 or no answer at all. */
    public double up(int key) {
        Outcome lastOutcome = Outcome.values()[last[key].get()];
        return switch (lastOutcome) {
            case UNAUTHORIZED, RATE_LIMITED, UNREACHABLE -> 0;
            default -> 1;
        };
    }
}
