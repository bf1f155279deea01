package dev.tollgate.proxy.relay;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Our own request ids ({@code tg_} + time + randomness), sent back as {@code x-tollgate-request-id}.
 * They need to be unique, not unguessable, so a thread-local generator does (SecureRandom is shared and locks).
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        return "tg_" + Long.toString(System.currentTimeMillis(), 36)
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
