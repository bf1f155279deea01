package dev.tollgate.proxy.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxy instance's ear on a shared PostgreSQL database: a connection of its own that {@code LISTEN}s for
 * the notifications the database sends when a key or its limits change (a trigger on each table), bumps
 * {@link ChangeSignal} so the caches read again, and confirms {@link ChangeSync}'s requests. While the
 * connection is lost, the caches are not trusted at all; it reconnects on its own.
 */
public final class ChangeListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    private static final int POLL_MILLIS = 1_000;
    /** How often a quiet connection is checked with a query (a dead server is otherwise noticed late). */
    private static final long CHECK_NANOS = 5_000_000_000L;

    private final DatabaseLogin login;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private ChangeListener(DatabaseLogin login) {
        this.login = login;
        ChangeSignal.listenerLost(); // deaf until the first LISTEN
        this.thread =
                Thread.ofPlatform().daemon().name("tollgate-change-listener").start(this::run);
    }

    /** Starts listening on {@code login}'s database, when it is PostgreSQL; null otherwise. */
    public static ChangeListener startFor(DatabaseLogin login) {
        return login.isPostgres() ? new ChangeListener(login) : null;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + ChangeSync.CHANNEL);
                }
                ChangeSignal.listenerBack();
                backoff = 100;
                try {
                    listen(c);
                } finally {
                    ChangeSignal.listenerLost();
                }
            } catch (SQLException e) {
                if (closed) break;
                log.warn(
                        "listening for key changes failed, keys and limits are read from the database until it is back: {}",
                        e.getMessage());
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 2_000);
        }
        ChangeSignal.listenerBack(); // this listener is gone: it no longer holds the caches untrusted
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long checked = System.nanoTime();
        while (!closed) {
            PGNotification[] got = pg.getNotifications(POLL_MILLIS);
            if (got != null && got.length > 0) {
                ChangeSignal.changed();
                for (PGNotification n : got) {
                    if (n.getParameter().startsWith(ChangeSync.SYNC))
                        acknowledge(c, n.getParameter().substring(ChangeSync.SYNC.length()));
                }
            }
            if (System.nanoTime() - checked > CHECK_NANOS) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                checked = System.nanoTime();
            }
        }
    }

    private static void acknowledge(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, ChangeSync.ACKS);
            ps.setString(2, id);
            ps.execute();
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (login.user() != null) props.setProperty("user", login.user());
        if (login.password() != null) props.setProperty("password", login.password());
        props.setProperty("ApplicationName", ChangeSync.LISTENER_NAME);
        return DriverManager.getConnection(login.url(), props);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        try {
            if (c != null) c.close(); // wakes the poll
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
