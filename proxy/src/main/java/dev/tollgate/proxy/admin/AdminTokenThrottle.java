package dev.tollgate.proxy.admin;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing the admin token, per client address: {@link #BURST} wrong tokens at once, then one
 * a minute (a Bucket4j bucket refilled greedily). Each wrong token takes one, even into debt, so a burst of
 * guesses sent in parallel waits for every one of them. Only addresses that sent a wrong token are kept.
 */
final class AdminTokenThrottle {
    static final int BURST = 5;
    private static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();

    /** Seconds before {@code address} may have a token checked again; 0 when it may now. */
    long secondsToWait(String address) {
        Bucket bucket = byAddress.get(address);
        if (bucket == null) return 0;
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return nanos == 0 ? 0 : Math.max(1, (nanos + 999_999_999) / 1_000_000_000);
    }

    /** Counts a wrong token from {@code address}. */
    void wrongToken(String address) {
        if (byAddress.size() >= MAX_ADDRESSES)
            byAddress.values().removeIf(b -> b.getAvailableTokens() >= BURST); // forgiven by now
        byAddress
                .computeIfAbsent(
                        address,
                        a -> Bucket.builder()
                                .addLimit(Bandwidth.builder()
                                        .capacity(BURST)
                                        .refillGreedy(BURST, Duration.ofMinutes(BURST))
                                        .build())
                                .build())
                .consumeIgnoringRateLimits(1);
    }
}
