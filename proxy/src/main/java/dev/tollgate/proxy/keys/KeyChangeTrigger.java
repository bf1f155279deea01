package dev.tollgate.proxy.keys;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.api.Trigger;

/**
 * Counts changes to {@code client_keys}, so cached authentications can tell they are stale. H2 runs
 * the trigger inside the process that hosts the database, which is the proxy's when it runs: a
 * revocation made by the CLI (through H2's auto-server) reaches the proxy's cache at once.
 * H2 instantiates triggers itself, hence a JVM-wide counter: several proxies in one JVM only see
 * extra invalidations, never too few.
 */
public final class KeyChangeTrigger implements Trigger {
    private static final AtomicLong CHANGES = new AtomicLong();

    static long changes() {
        return CHANGES.get();
    }

    static void changed() {
        CHANGES.incrementAndGet();
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        changed();
    }
}
