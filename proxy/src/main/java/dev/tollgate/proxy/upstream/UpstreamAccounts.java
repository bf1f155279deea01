package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.config.ProxyConfig.AccountLimits;
import dev.tollgate.proxy.limits.GoDuration;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;

/**
 * Keeps each Groq account key under the account's own limits, so the proxy waits briefly or moves
 * on instead of earning a 429: optional local per-minute buckets (requests, tokens), and, when
 * asked to, what Groq's last {@code x-ratelimit-*} headers said remains (requests per day, tokens
 * per minute) until their reset.
 */
final class UpstreamAccounts {
    private final AccountLimits limits;
    private final Account[] accounts;

    UpstreamAccounts(int keys, AccountLimits limits) {
        this.limits = limits;
        this.accounts = new Account[keys];
        for (int i = 0; i < keys; i++) accounts[i] = new Account(limits);
    }

    /** Waits up to the configured time until key {@code k} may send {@code tokens}; false when it cannot in time. */
    boolean acquire(int k, long tokens) {
        if (!limits.active()) return true;
        Account a = accounts[k];
        long waitNanos = a.groqWaitNanos(tokens);
        if (waitNanos > limits.maxWait().toNanos()) return false;
        sleep(waitNanos);
        long budget = limits.maxWait().toNanos() - waitNanos;
        try {
            if (a.requests != null && !a.requests.asBlocking().tryConsume(1, Duration.ofNanos(budget))) return false;
            if (a.tokens != null) {
                long want = Math.min(tokens, limits.tokensPerMinute());
                if (!a.tokens.asBlocking().tryConsume(want, Duration.ofNanos(budget))) {
                    if (a.requests != null) a.requests.addTokens(1);
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** Remembers what Groq says remains for key {@code k}. */
    void observe(int k, Headers headers) {
        if (limits.followHeaders()) accounts[k].observe(headers);
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) return;
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Account {
        final Bucket requests;
        final Bucket tokens;
        private long requestsBlockedUntil;
        private long tokensRemaining = Long.MAX_VALUE;
        private long tokensLimit = Long.MAX_VALUE;
        private long tokensResetAt;

        Account(AccountLimits limits) {
            requests = limits.requestsPerMinute() == null
                    ? null
                    : Bucket.builder()
                            .addLimit(l -> l.capacity(limits.requestsPerMinute())
                                    .refillGreedy(limits.requestsPerMinute(), Duration.ofMinutes(1)))
                            .build();
            tokens = limits.tokensPerMinute() == null
                    ? null
                    : Bucket.builder()
                            .addLimit(l -> l.capacity(limits.tokensPerMinute())
                                    .refillGreedy(limits.tokensPerMinute(), Duration.ofMinutes(1)))
                            .build();
        }

        synchronized long groqWaitNanos(long tokens) {
            long now = System.nanoTime();
            long wait = Math.max(0, requestsBlockedUntil - now);
            if (now < tokensResetAt && tokensRemaining < Math.min(tokens, tokensLimit))
                wait = Math.max(wait, tokensResetAt - now);
            return wait;
        }

        synchronized void observe(Headers headers) {
            long now = System.nanoTime();
            Long remainingRequests = number(headers.get("x-ratelimit-remaining-requests"));
            Duration resetRequests = GoDuration.parse(headers.get("x-ratelimit-reset-requests"));
            if (remainingRequests != null && remainingRequests <= 0 && resetRequests != null)
                requestsBlockedUntil = now + resetRequests.toNanos();
            Long remainingTokens = number(headers.get("x-ratelimit-remaining-tokens"));
            Duration resetTokens = GoDuration.parse(headers.get("x-ratelimit-reset-tokens"));
            Long limitTokens = number(headers.get("x-ratelimit-limit-tokens"));
            if (remainingTokens != null && resetTokens != null) {
                tokensRemaining = remainingTokens;
                tokensResetAt = now + resetTokens.toNanos();
                if (limitTokens != null) tokensLimit = limitTokens;
            }
        }

        private static Long number(String value) {
            try {
                return value == null ? null : Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
