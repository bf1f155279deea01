package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three proxies on one PostgreSQL database: a key revoked, rotated or re-limited through one of them (or the
 * CLI) is refused by every instance on its very next request — no polling window, no sleep in this test.
 */
class KeyChangesAcrossInstancesIT {
    static final String LISTENER = "tollgate-change-listener";
    static PostgresServer.Login login;
    static List<Gateway> instances = new ArrayList<>();

    @BeforeAll
    static void start() {
        login = PostgresServer.newDatabase();
        for (int i = 0; i < 3; i++) instances.add(Gateway.start(Pacing.INSTANT, Gateway.postgres(login)));
    }

    @AfterAll
    static void stop() {
        instances.forEach(Gateway::close);
    }

    @Test
    void aRevocationThroughOneInstanceIsRefusedByTheOthersAtOnce() {
        Key key = create("{\"name\":\"revoked\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        assertThat(admin(0, "DELETE", "/admin/keys/" + key.id, null).status()).isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
    }

    @Test
    void aRotationWithoutGraceEndsTheOldSecretEverywhere() {
        Key key = create("{\"name\":\"rotated\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        Http.Answer rotated = admin(1, "POST", "/admin/keys/" + key.id + "/rotate", "{\"grace_seconds\":0}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
        assertThat(statuses(rotated.json().path("key").asText())).containsExactly(200, 200, 200);
    }

    @Test
    void modelsAndLimitsChangedThroughOneInstanceApplyEverywhereAtOnce() {
        Key key = create("{\"name\":\"re-limited\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        admin(2, "PATCH", "/admin/keys/" + key.id, "{\"models\":[\"some-other-model\"]}");
        assertThat(statuses(key.secret)).containsExactly(403, 403, 403);
        admin(2, "PATCH", "/admin/keys/" + key.id, "{\"models\":[]}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        // Each instance has answered this key: a quota of 1 a day is spent wherever the next request goes.
        assertThat(admin(0, "PATCH", "/admin/keys/" + key.id, "{\"limits\":{\"requests_per_day\":1}}")
                        .status())
                .isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(429, 429, 429);
    }

    @Test
    void aRevocationByTheCliIsRefusedByEveryInstanceAtOnce() throws Exception {
        Key key = create("{\"name\":\"revoked-by-cli\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        assertThat(CliProcess.run(Gateway.postgres(login), "keys", "revoke", key.id)
                        .exit())
                .isZero();
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
    }

    @Test
    void aChangeWhileTheInstancesListenersAreCutOffIsNotMissed() throws Exception {
        Key key = create("{\"name\":\"revoked-while-deaf\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200); // cached by each instance
        try (HikariDataSource db = Database.open(login.url(), login.user(), login.password(), 2);
                Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + LISTENER
                    + "'");
            st.execute("UPDATE client_keys SET revoked_at = now() WHERE id = '" + key.id + "'"); // notified to no one
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (listeners(st) < instances.size() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(listeners(st)).as("every instance listens again").isEqualTo(instances.size());
        }
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
    }

    private static int listeners(Statement st) throws Exception {
        try (ResultSet rs =
                st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + LISTENER + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    record Key(String id, String secret) {}

    private static Key create(String body) {
        Http.Answer created = admin(0, "POST", "/admin/keys", body);
        assertThat(created.status()).isEqualTo(201);
        return new Key(
                created.json().path("id").asText(), created.json().path("key").asText());
    }

    private static Http.Answer admin(int instance, String method, String path, String body) {
        return Http.call(method, instances.get(instance).baseUrl() + path, Gateway.ADMIN_TOKEN, body);
    }

    /** One request through each instance in turn, and what each answered. */
    private static List<Integer> statuses(String secret) {
        List<Integer> statuses = new ArrayList<>();
        for (Gateway g : instances) {
            statuses.add(Http.call("POST", g.baseUrl() + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                    .status());
        }
        return statuses;
    }
}
