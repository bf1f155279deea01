package dev.tollgate.proxy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.LoggerFactory;

/**
 * Makes a change to keys or limits on a shared PostgreSQL database take effect everywhere before the call
 * that made it returns: it asks every proxy instance's {@link ChangeListener} (found by its connection's
 * application name) to confirm that it has seen the change, and waits for all of them, at most
 * {@link #MAX_WAIT_MILLIS}. So a key revoked through one instance (or the CLI) is refused by every instance
 * on its very next request, with no polling window. On H2 it does nothing: the trigger runs in the one process.
 */
public final class ChangeSync {
    static final String CHANNEL = "tollgate_key_changes";
    static final String ACKS = "tollgate_key_acks";
    static final String LISTENER_NAME = "tollgate-change-listener";
    static final String SYNC = "sync:";
    static final long MAX_WAIT_MILLIS = 2_000;

    private ChangeSync() {}

    /** Returns once every listening instance has seen the changes committed so far (or after the bound). */
    public static void await(DataSource db) {
        try (Connection c = db.getConnection()) {
            if (!c.isWrapperFor(PGConnection.class)) return;
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + ACKS);
                try {
                    awaitAcks(c, c.unwrap(PGConnection.class));
                } finally {
                    st.execute("UNLISTEN " + ACKS);
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw new StorageException(
                    "the change is saved, but could not be confirmed by the other instances: " + e.getMessage(), e);
        }
    }

    private static void awaitAcks(Connection c, PGConnection pg) throws SQLException {
        int listeners = listeners(c);
        if (listeners == 0) return;
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, SYNC + id);
            ps.execute();
        }
        long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
        int acks = 0;
        while (acks < listeners) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                LoggerFactory.getLogger(ChangeSync.class)
                        .warn(
                                "{} of {} proxy instances confirmed a key change within {} ms",
                                acks,
                                listeners,
                                MAX_WAIT_MILLIS);
                return;
            }
            PGNotification[] got = pg.getNotifications((int) left);
            if (got == null) continue;
            for (PGNotification n : got) if (id.equals(n.getParameter())) acks++;
        }
    }

    /** The proxy instances listening on this database now. */
    private static int listeners(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name = ?")) {
            ps.setString(1, LISTENER_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }
}
