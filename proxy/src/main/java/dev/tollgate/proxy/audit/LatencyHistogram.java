package dev.tollgate.proxy.audit;

import java.util.Arrays;

/**
 * Latency counts in fixed buckets (ms), small enough to keep one per key, model and day, and exact
 * to merge. Percentiles interpolate linearly inside the bucket that holds them, so they are as
 * precise as the buckets are narrow (about ±20% of the value).
 */
final class LatencyHistogram {
    /** Upper bounds (inclusive) of the buckets; a last bucket takes everything above. */
    static final long[] BOUNDS_MS = {
        1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 7_000,
        10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000
    };

    private final long[] counts;

    LatencyHistogram() {
        this.counts = new long[BOUNDS_MS.length + 1];
    }

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    void add(long ms) {
        int i = Arrays.binarySearch(BOUNDS_MS, Math.max(0, ms));
        counts[i >= 0 ? i : -i - 1]++;
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
    }

    long total() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    /** The {@code q} quantile (0..1) in ms, or null when empty. */
    Long percentile(double q) {
        long total = total();
        if (total == 0) return null;
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (seen + counts[i] >= rank) {
                long low = i == 0 ? 0 : BOUNDS_MS[i - 1];
                long high = i < BOUNDS_MS.length ? BOUNDS_MS[i] : BOUNDS_MS[BOUNDS_MS.length - 1] * 2;
                double within = (rank - seen) / counts[i];
                return Math.round(low + within * (high - low));
            }
            seen += counts[i];
        }
        return BOUNDS_MS[BOUNDS_MS.length - 1];
    }

    String encode() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) text.append(',');
            text.append(counts[i]);
        }
        return text.toString();
    }

    /** Reads {@link #encode()}'s text; a shorter list (older bucket set) fills the first buckets. */
    static LatencyHistogram decode(String text) {
        long[] counts = new long[BOUNDS_MS.length + 1];
        if (text != null && !text.isEmpty()) {
            String[] parts = text.split(",");
            for (int i = 0; i < Math.min(parts.length, counts.length); i++) counts[i] = Long.parseLong(parts[i]);
        }
        return new LatencyHistogram(counts);
    }
}
