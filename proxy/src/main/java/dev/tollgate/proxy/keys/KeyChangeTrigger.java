package dev.tollgate.proxy.keys;

import dev.tollgate.proxy.store.ChangeSignal;
import java.sql.Connection;
import org.h2.api.Trigger;

/**
 * H2's trigger on {@code client_keys} and {@code key_limits}: H2 runs it inside the process that hosts the
 * database, which is the proxy's when it runs, so a change made by the CLI (through H2's auto-server)
 * reaches the proxy's caches at once ({@link ChangeSignal}). Its name is in the H2 migrations.
 */
public final class KeyChangeTrigger implements Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        ChangeSignal.changed();
    }
}
