package dev.tollgate.proxy.store;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the caches of keys and limits that the database changed under them: a count of changes that a cached
 * entry compares with the count it was read at. H2's trigger bumps it in the process hosting the database;
 * on PostgreSQL each proxy's {@link ChangeListener} bumps it when a change is notified. While a listener has
 * lost its connection nothing cached can be trusted, and the caches read the database instead.
 *
 * <p>JVM-wide, as H2 instantiates triggers itself: several proxies in one JVM only see extra invalidations,
 * never too few.
 */
public final class ChangeSignal {
    private static final AtomicLong CHANGES = new AtomicLong();
    private static final AtomicInteger DEAF_LISTENERS = new AtomicInteger();

    private ChangeSignal() {}

    /** The number of changes so far. */
    public static long changes() {
        return CHANGES.get();
    }

    /** Whether a cached entry read at {@code changes} may still be used. */
    public static boolean fresh(long changes) {
        return changes == CHANGES.get() && DEAF_LISTENERS.get() == 0;
    }

    public static void changed() {
        CHANGES.incrementAndGet();
    }

    static void listenerLost() {
        DEAF_LISTENERS.incrementAndGet();
        changed();
    }

    static void listenerBack() {
        changed(); // what changed while it was deaf is unknown
        DEAF_LISTENERS.decrementAndGet();
    }
}
