package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy and its CLI on a real PostgreSQL server (TOLLGATE_DB_URL, _USER, _PASSWORD) instead of the H2 file. */
class PostgresProxyIT {
    static PostgresServer.Login login;
    static Gateway gateway;

    @BeforeAll
    static void start() {
        login = PostgresServer.newDatabase();
        gateway = Gateway.start(Pacing.INSTANT, Gateway.postgres(login));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    @Test
    void keysAnswersAndTheRequestLogLiveInPostgres() throws Exception {
        Http.Answer created = Http.call(
                "POST",
                gateway.baseUrl() + "/admin/keys",
                Gateway.ADMIN_TOKEN,
                "{\"name\":\"on-postgres\",\"limits\":{\"requests_per_day\":2}}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("key").asText();
        String id = created.json().path("id").asText();
        assertThat(chat(secret)).isEqualTo(200);
        assertThat(chat(secret)).isEqualTo(200);
        assertThat(chat(secret)).as("the quota of 2 a day").isEqualTo(429);

        gateway.proxy.close(); // flushes the request log and the counters
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 1)) {
            assertThat(count(pg, "SELECT count(*) FROM request_log WHERE key_id = '" + id + "'"))
                    .isEqualTo(3);
            assertThat(count(pg, "SELECT count(*) FROM request_log WHERE key_id = '" + id + "' AND status = 429"))
                    .isEqualTo(1);
            assertThat(count(pg, "SELECT requests FROM usage_counters WHERE key_id = '" + id + "' AND period = 'day'"))
                    .isEqualTo(2);
            assertThat(count(pg, "SELECT requests FROM usage_daily WHERE key_id = '" + id + "'"))
                    .isEqualTo(3);
        }
        gateway.restartProxy();
        assertThat(chat(secret)).as("the spent quota survives a restart").isEqualTo(429);
        assertThat(Http.call("DELETE", gateway.baseUrl() + "/admin/keys/" + id, Gateway.ADMIN_TOKEN, null)
                        .status())
                .isEqualTo(200);
        assertThat(chat(secret)).as("revoked").isEqualTo(401);
    }

    @Test
    void theCliWorksOnPostgresWithTheUserAndPasswordFromTheEnvironment() throws Exception {
        Map<String, String> env = new HashMap<>(Gateway.postgres(login));
        CliProcess created = CliProcess.run(env, "keys", "create", "--name", "from-cli", "--rpd", "5");
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.out().replaceAll("(?s).*(sk-tg-[A-Za-z0-9]+).*", "$1");
        assertThat(chat(secret)).isEqualTo(200);

        CliProcess listed = CliProcess.run(env, "keys", "list");
        assertThat(listed.out()).contains("from-cli");
        assertThat(listed.out() + listed.err() + created.out() + created.err()).doesNotContain(login.password());

        env.put("TOLLGATE_DB_PASSWORD", "not-the-password");
        CliProcess refused = CliProcess.run(env, "keys", "list");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("password authentication failed").doesNotContain("not-the-password");
    }

    private static int chat(String secret) {
        return Http.call("POST", gateway.baseUrl() + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                .status();
    }

    private static long count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
