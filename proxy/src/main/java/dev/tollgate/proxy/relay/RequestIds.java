package dev.tollgate.proxy.relay;

import java.security.SecureRandom;

/** Our own request ids ({@code tg_} + time + randomness), sent back as {@code x-tollgate-request-id}. */
final class RequestIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    static String next() {
        return "tg_" + Long.toString(System.currentTimeMillis(), 36) + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }
}
