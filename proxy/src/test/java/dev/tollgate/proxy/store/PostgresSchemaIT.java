package dev.tollgate.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The Flyway migrations on a real PostgreSQL server: the same versions as H2's, the dialect's own where they differ. */
class PostgresSchemaIT {
    @Test
    void migratesAnEmptyDatabaseToTheSameVersionsAsH2() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 2);
                HikariDataSource h2 = Database.open("jdbc:h2:mem:schema-" + System.nanoTime(), 2)) {
            assertThat(versions(pg)).isEqualTo(versions(h2)).contains("1", "8");
            assertThat(columns(pg, "request_log")).containsExactlyInAnyOrderElementsOf(columns(h2, "request_log"));
            assertThat(columns(pg, "client_keys")).containsExactlyInAnyOrderElementsOf(columns(h2, "client_keys"));
        }
    }

    @Test
    void theRequestLogIsPartitionedByTime() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 2);
                Connection c = pg.getConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'request_log'::regclass")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("r");
            }
            st.execute("INSERT INTO request_log (ts, request_id, endpoint, stream, status, usage_source, latency_ms)"
                    + " VALUES (now(), 'tg_1', '/v1/chat/completions', false, 200, 'none', 3)");
            try (ResultSet rs = st.executeQuery("SELECT tableoid::regclass::text, id FROM request_log")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("request_log_default"); // no day's partition made yet
                assertThat(rs.getLong(2)).isPositive();
            }
        }
    }

    @Test
    void aKeyChangeIsNotifiedOnCommit() throws Exception {
        PostgresServer.Login login = PostgresServer.newDatabase();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 3);
                Connection listener = pg.getConnection();
                Connection writer = pg.getConnection()) {
            try (Statement st = listener.createStatement()) {
                st.execute("LISTEN tollgate_key_changes");
            }
            try (Statement st = writer.createStatement()) {
                st.execute("UPDATE client_keys SET name = name WHERE id = 'none'");
            }
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(got).isNotNull().extracting(PGNotification::getParameter).contains("client_keys");
        }
    }

    /** The migration versions applied, in order. */
    private static List<String> versions(HikariDataSource db) throws SQLException {
        return strings(
                db,
                "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
    }

    private static List<String> columns(HikariDataSource db, String table) throws SQLException {
        return strings(
                db,
                "SELECT LOWER(column_name) FROM information_schema.columns WHERE LOWER(table_name) = '" + table
                        + "' AND LOWER(table_schema) IN ('public')");
    }

    private static List<String> strings(HikariDataSource db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
