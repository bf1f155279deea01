package dev.tollgate.proxy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests: one per test run, started on first use on a free port with its
 * data in a temporary directory (its binaries come inside a Maven artifact, so nothing is installed by
 * hand), stopped when the JVM exits. Each test gets its own empty {@link #newDatabase() database}.
 */
public final class PostgresServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresServer() {}

    /** A fresh, empty database with its own owner (user and password), on the shared server. */
    public static synchronized Login newDatabase() {
        EmbeddedPostgres pg = server();
        int n = DATABASES.incrementAndGet();
        Login login = new Login(
                "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/tollgate_" + n,
                "tollgate_" + n,
                "pw-" + n + "-" + System.nanoTime());
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + login.user() + " LOGIN PASSWORD '" + login.password() + "'");
            st.execute("CREATE DATABASE tollgate_" + n + " OWNER " + login.user());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
        return login;
    }

    private static EmbeddedPostgres server() {
        if (server != null) return server;
        try {
            Path dir = Files.createTempDirectory("tollgate-pg");
            // Passwords are checked, as on a real server (initdb's default trusts every local login); only
            // the superuser the harness creates databases with is trusted.
            Path hba = Files.writeString(dir.resolve("pg_hba.conf"), """
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all postgres ::1/128 trust
                    host all all ::1/128 scram-sha-256
                    """);
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("hba_file", hba.toString())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    /**
     * For the benchmarks: starts the server, makes one database, prints {@code url user password} on one line
     * and keeps the server up until standard input closes.
     */
    public static void main(String[] args) throws IOException {
        Login login = newDatabase();
        System.out.println(login.url() + " " + login.user() + " " + login.password());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until stdin closes
        }
        server.close();
    }

    /** Where a test's database is and who may log in to it. */
    public record Login(String url, String user, String password) {}
}
