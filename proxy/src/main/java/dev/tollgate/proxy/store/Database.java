package dev.tollgate.proxy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;

/**
 * Opens the database Tollgate keeps its keys in: a HikariCP pool with the schema migrated by Flyway.
 * H2 (an embedded file, the default) or PostgreSQL ({@code jdbc:postgresql://…}, shared by several
 * instances) share the portable migrations in {@code db/migration/common}; what differs between the two
 * dialects is in {@code db/migration/h2} and {@code db/migration/postgresql}, under the same versions.
 * The caller owns the returned pool and closes it.
 */
public final class Database {
    /**
     * An H2 file under {@code ./data}. AUTO_SERVER lets a second process (the {@code keys} CLI) open
     * the same file while the proxy runs: the first opener serves it over a local TCP port. Only the
     * owner may read the folder, and the database's password is beside it (see {@link H2File}).
     */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/tollgate;AUTO_SERVER=TRUE";

    private Database() {}

    /** Opens a pool of up to {@code maxConnections} on the login's database and brings the schema up to date. */
    public static HikariDataSource open(DatabaseLogin login, int maxConnections) {
        return open(login.url(), login.user(), login.password(), maxConnections);
    }

    /** Opens a pool of up to 10 connections on {@code jdbcUrl} and brings the schema up to date. */
    public static HikariDataSource open(String jdbcUrl) {
        return open(jdbcUrl, 10);
    }

    /** Opens a pool on {@code jdbcUrl} with no user name or password of its own (an H2 file brings its own). */
    public static HikariDataSource open(String jdbcUrl, int maxConnections) {
        return open(jdbcUrl, null, null, maxConnections);
    }

    /**
     * Opens a pool on {@code jdbcUrl} and brings the schema up to date.
     *
     * @throws StorageException when the database cannot be opened or migrated
     */
    public static HikariDataSource open(String jdbcUrl, String user, String password, int maxConnections) {
        // H2's auto-server (how the CLI reaches a running proxy's database) listens on every interface unless told
        // otherwise.
        if (System.getProperty("h2.bindAddress") == null) System.setProperty("h2.bindAddress", "127.0.0.1");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("tollgate-db");
        // Flyway holds one connection for its lock while it migrates on another (PostgreSQL).
        config.setMaximumPoolSize(Math.max(2, maxConnections));
        config.setMinimumIdle(1);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        H2File file = H2File.of(jdbcUrl);
        HikariDataSource pool = connect(config, file, jdbcUrl);
        try {
            if (file != null) file.protectFiles(); // those H2 has just made
            Flyway.configure()
                    .dataSource(pool)
                    .locations(
                            "classpath:db/migration/common",
                            "classpath:db/migration/" + Dialect.of(jdbcUrl).migrations())
                    .load()
                    .migrate();
            if (jdbcUrl.startsWith("jdbc:h2:")
                    && !jdbcUrl.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) {
                // H2 keeps committed changes in memory for up to 500 ms by default; a kill -9 would lose
                // them. Writes are batched (request log, usage counters), so writing at each commit is cheap.
                try (Connection c = pool.getConnection();
                        Statement st = c.createStatement()) {
                    st.execute("SET WRITE_DELAY 0");
                }
            }
            return pool;
        } catch (IOException | SQLException e) {
            pool.close();
            throw new StorageException("cannot configure the database: " + reason(e), e);
        } catch (RuntimeException e) {
            pool.close();
            throw new StorageException("cannot migrate the database: " + reason(e), e);
        }
    }

    /** A pool on the database; a local H2 file is made owner-only first, and opened with its password. */
    private static HikariDataSource connect(HikariConfig config, H2File file, String jdbcUrl) {
        try {
            if (file == null) return new HikariDataSource(config);
            file.protect();
            H2File.Password password = file.password();
            config.setPassword(password.value());
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                if (!wrongPassword(e)) throw e;
                if (!file.setPasswordWhereNone(jdbcUrl, password.value())) {
                    file.discard(password);
                    throw new StorageException(
                            "the database refuses the password in " + file.credentials()
                                    + ": it was made with another one (restore that file from where the database came from)",
                            e);
                }
                return new HikariDataSource(config);
            }
        } catch (StorageException e) {
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new StorageException("cannot open the database: " + reason(e), e);
        }
    }

    /** Whether {@code e} or a cause is the database refusing the user name or password (SQL state 28000). */
    static boolean wrongPassword(Throwable e) {
        for (; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SQLException sql && "28000".equals(sql.getSQLState())) return true;
        }
        return false;
    }

    private static String reason(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage();
    }
}
