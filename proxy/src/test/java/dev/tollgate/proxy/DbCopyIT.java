package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db copy}: a real H2 database with real traffic, copied by the CLI (in its own JVM) into a real PostgreSQL;
 * a proxy on PostgreSQL then accepts the same keys, keeps the spent quota and shows the copied log.
 */
class DbCopyIT {
    @TempDir
    Path tmp;

    @Test
    void copiesAnH2DatabaseIntoAnEmptyPostgresAndRefusesToCopyTwice() throws Exception {
        Gateway h2 = Gateway.start(Pacing.INSTANT, Map.of("TOLLGATE_LOG_BODIES", "true"));
        Proxy onPostgres = null;
        try {
            Http.Answer created = Http.post(
                    h2.baseUrl() + "/admin/keys",
                    Gateway.ADMIN_TOKEN,
                    "{\"name\":\"moving\",\"limits\":{\"requests_per_day\":2}}");
            String secret = created.json().path("key").asText();
            String keyId = created.json().path("id").asText();
            assertThat(chat(h2.baseUrl(), secret)).isEqualTo(200);
            assertThat(chat(h2.baseUrl(), secret)).isEqualTo(200);
            assertThat(chat(h2.baseUrl(), secret)).isEqualTo(429);
            assertThat(chat(h2.baseUrl(), h2.clientSecret)).isEqualTo(200);
            h2.proxy.close(); // as the README says: stop the proxy, which writes its last rows and counters
            List<RequestRecord> h2Rows = Gateway.logRows(h2.dbUrl);
            assertThat(h2Rows).hasSize(4).anyMatch(r -> r.requestBody() != null);

            PostgresServer.Login login = PostgresServer.newDatabase();
            Map<String, String> env = new HashMap<>(Gateway.postgres(login));
            env.remove("TOLLGATE_DB_URL");
            CliRun copy = cli(env, "db", "copy", "--from", h2.dbUrl, "--to", login.url());
            assertThat(copy.exit).as(copy.err).isZero();
            assertThat(copy.out)
                    .containsPattern("client_keys +2 rows")
                    .containsPattern("key_limits +1 row\\b")
                    .containsPattern("request_log +4 rows")
                    .containsPattern("usage_daily +\\d+ rows")
                    .containsPattern("usage_counters +\\d+ rows")
                    .doesNotContain(login.password());

            Map<String, String> proxyEnv = new HashMap<>(Gateway.postgres(login));
            proxyEnv.put("TOLLGATE_PORT", "0");
            proxyEnv.put("TOLLGATE_UPSTREAM_URL", h2.mock.openAiBaseUrl());
            proxyEnv.put("GROQ_API_KEY", Gateway.UPSTREAM_KEY_1);
            proxyEnv.put("TOLLGATE_ADMIN_TOKEN", Gateway.ADMIN_TOKEN);
            onPostgres = Proxy.start(ProxyConfig.fromEnv(proxyEnv), Clock.systemUTC());
            String pg = "http://127.0.0.1:" + onPostgres.port();
            assertThat(chat(pg, secret)).as("the quota spent on H2 stays spent").isEqualTo(429);
            assertThat(chat(pg, h2.clientSecret)).as("the same keys").isEqualTo(200);

            JsonNode rows = Http.get(pg + "/admin/requests?limit=100", Gateway.ADMIN_TOKEN)
                    .json()
                    .path("data");
            Set<String> listed = new HashSet<>();
            rows.forEach(r -> listed.add(r.path("request_id").asText()));
            assertThat(listed)
                    .as("the copied log")
                    .containsAll(h2Rows.stream().map(RequestRecord::requestId).collect(Collectors.toSet()));
            assertThat(rows.get(0).path("request_body").asText())
                    .isEqualTo(h2Rows.get(0).requestBody());
            JsonNode usage = Http.get(pg + "/admin/usage?key=" + keyId, Gateway.ADMIN_TOKEN)
                    .json();
            assertThat(usage.path("data").get(0).path("requests").asLong())
                    .as("the roll-ups")
                    .isGreaterThanOrEqualTo(3);

            onPostgres.close(); // writes the two new rows
            onPostgres = null;
            long lastCopied = h2Rows.get(h2Rows.size() - 1).id();
            List<RequestRecord> pgRows = new ArrayList<>();
            try (HikariDataSource db = Database.open(login.url(), login.user(), login.password(), 2)) {
                new RequestLogQuery(db)
                        .find(RequestLogQuery.Filter.ALL, 100, lastCopied)
                        .forEach(pgRows::add);
            }
            assertThat(pgRows).as("new rows continue after the copied ids").hasSize(2);

            CliRun again = cli(env, "db", "copy", "--from", h2.dbUrl, "--to", login.url());
            assertThat(again.exit).isEqualTo(1);
            assertThat(again.err).contains("not empty").contains("client_keys (2 rows)");
        } finally {
            if (onPostgres != null) onPostgres.close();
            h2.mock.close();
        }
    }

    private static int chat(String base, String secret) {
        return Http.post(base + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                .status();
    }

    record CliRun(int exit, String out, String err) {}

    /** The CLI in its own JVM, as a user runs it, with {@code env} as its whole TOLLGATE_* environment. */
    private CliRun cli(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "dev.tollgate.proxy.cli.ProxyCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("TOLLGATE_"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the CLI exits").isTrue();
        return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
