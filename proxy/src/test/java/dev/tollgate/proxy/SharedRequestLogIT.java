package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two proxies on one PostgreSQL database write one request log: the audit API, the CSV export and the usage
 * report of either show the requests served by both, and the rows are in today's partition, not the default one.
 */
class SharedRequestLogIT {
    static PostgresServer.Login login;
    static Gateway gateway; // proxy A, with the mock
    static Proxy other; // proxy B

    @BeforeAll
    static void start() {
        login = PostgresServer.newDatabase();
        gateway = Gateway.start(Pacing.INSTANT, Gateway.postgres(login));
        Map<String, String> env = new HashMap<>(Gateway.postgres(login));
        env.put("TOLLGATE_PORT", "0");
        env.put("TOLLGATE_UPSTREAM_URL", gateway.mock.openAiBaseUrl());
        env.put("GROQ_API_KEY", Gateway.UPSTREAM_KEY_1);
        env.put("TOLLGATE_ADMIN_TOKEN", Gateway.ADMIN_TOKEN);
        other = Proxy.start(ProxyConfig.fromEnv(env), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (other != null) other.close();
        if (gateway != null) gateway.close();
    }

    @Test
    void theAuditApiOfEitherProxyShowsTheRequestsOfBoth() throws Exception {
        String a = gateway.baseUrl();
        String b = "http://127.0.0.1:" + other.port();
        Key viaA = createKey(a, "served-by-a");
        Key viaB = createKey(b, "served-by-b");
        for (int i = 0; i < 3; i++) assertThat(chat(a, viaA.secret)).isEqualTo(200);
        for (int i = 0; i < 2; i++) assertThat(chat(b, viaB.secret)).isEqualTo(200);

        List<JsonNode> rows = waitForRows(a, 5);
        assertThat(rows).extracting(r -> r.path("key_id").asText()).containsOnly(viaA.id, viaB.id);
        assertThat(rows.stream().filter(r -> r.path("key_id").asText().equals(viaB.id)))
                .as("B's rows, read through A")
                .hasSize(2);
        assertThat(waitForRows(b, 5)).hasSize(5);

        JsonNode usage =
                Http.get(b + "/admin/usage?group_by=key", Gateway.ADMIN_TOKEN).json();
        Map<String, Long> perKey = new HashMap<>();
        usage.path("data")
                .forEach(l ->
                        perKey.put(l.path("key_id").asText(), l.path("requests").asLong()));
        assertThat(perKey).containsEntry(viaA.id, 3L).containsEntry(viaB.id, 2L);

        String csv = Http.get(a + "/admin/requests/export?format=csv", Gateway.ADMIN_TOKEN)
                .body();
        assertThat(csv.lines().filter(l -> l.contains(viaB.id))).hasSize(2);
        assertThat(csv.lines().filter(l -> l.contains(viaA.id))).hasSize(3);

        String today = "request_log_" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC));
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 2);
                Connection c = pg.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT tableoid::regclass::text, count(*) FROM request_log GROUP BY 1")) {
            Map<String, Long> perPartition = new HashMap<>();
            while (rs.next()) perPartition.put(rs.getString(1), rs.getLong(2));
            assertThat(perPartition)
                    .as("made ahead by the instances")
                    .containsOnlyKeys(today)
                    .containsEntry(today, 5L);
        }
    }

    record Key(String id, String secret) {}

    private static Key createKey(String base, String name) {
        Http.Answer created = Http.post(base + "/admin/keys", Gateway.ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Key(
                created.json().path("id").asText(), created.json().path("key").asText());
    }

    private static int chat(String base, String secret) {
        return Http.post(base + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                .status();
    }

    /** The rows the audit API of {@code base} lists, once it lists {@code n} (each proxy writes its own batches). */
    private static List<JsonNode> waitForRows(String base, int n) throws InterruptedException {
        List<JsonNode> rows = new ArrayList<>();
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            rows.clear();
            Http.get(base + "/admin/requests?limit=100", Gateway.ADMIN_TOKEN)
                    .json()
                    .path("data")
                    .forEach(rows::add);
            if (rows.size() >= n) return rows;
        }
        return rows;
    }
}
