package dev.tollgate.proxy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real thing for tests: the mock server standing in for Groq, the proxy in front of it on port 0,
 * with a real H2 file in a temporary folder, and a client key to call it with. Use it with
 * try-with-resources, or as {@code @RegisterExtension static Gateway.PerClass gateway = new Gateway.PerClass()}
 * for one per test class whose mock is reset before each test.
 */
final class Gateway implements AutoCloseable {
    /** One gateway for a test class; the mock's journal, turns and faults are reset before each test. */
    static final class PerClass
            implements org.junit.jupiter.api.extension.BeforeAllCallback,
                    org.junit.jupiter.api.extension.BeforeEachCallback,
                    org.junit.jupiter.api.extension.AfterAllCallback {
        private final Map<String, String> env;
        private Gateway gateway;

        PerClass() {
            this(Map.of());
        }

        PerClass(Map<String, String> env) {
            this.env = env;
        }

        Gateway get() {
            return gateway;
        }

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            gateway = start(Pacing.INSTANT, env);
        }

        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            gateway.mock.reset();
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
            gateway.close();
        }
    }

    static final String UPSTREAM_KEY_1 = "gsk_upstreamKeyOne_0000000000001111";
    static final String UPSTREAM_KEY_2 = "gsk_upstreamKeyTwo_0000000000002222";
    static final String ADMIN_TOKEN = "admin-token-for-tests-7f3a";

    final MockServer mock;
    Proxy proxy;
    private final Map<String, String> env;
    final Path dataDir;
    final String dbUrl;
    final String clientSecret;
    final String clientKeyId;

    private Gateway(MockServer mock, Proxy proxy, Map<String, String> env, Path dataDir, String dbUrl, CreatedKey key) {
        this.mock = mock;
        this.env = env;
        this.proxy = proxy;
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
        this.clientSecret = key.secret();
        this.clientKeyId = key.key().id();
    }

    static Gateway start(Pacing pacing, Map<String, String> extraEnv) {
        return start(fixtures(), pacing, extraEnv);
    }

    /** With the mock standing in for Groq serving {@code fixtures} instead of the repository's. */
    static Gateway start(Path fixtures, Pacing pacing, Map<String, String> extraEnv) {
        return start(MockConfig.defaults().withFixtures(fixtures).withPacing(pacing), extraEnv);
    }

    /** With the mock standing in for Groq started from {@code mockConfig} (synthetic mode, say). */
    static Gateway start(MockConfig mockConfig, Map<String, String> extraEnv) {
        MockServer mock = MockServer.start(mockConfig);
        try {
            Path dir = Files.createTempDirectory("tollgate-it");
            String dbUrl = "jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE";
            Map<String, String> env = new HashMap<>();
            env.put("TOLLGATE_PORT", "0");
            env.put("TOLLGATE_UPSTREAM_URL", mock.openAiBaseUrl());
            env.put("GROQ_API_KEY", UPSTREAM_KEY_1);
            env.put("TOLLGATE_DB_URL", dbUrl);
            env.put("TOLLGATE_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("TOLLGATE_RETRY_BACKOFF_MS", "10");
            env.put("TOLLGATE_MODEL_ALIASES", "gpt-4o=openai/gpt-oss-120b");
            env.putAll(extraEnv);
            Proxy proxy = Proxy.start(ProxyConfig.fromEnv(env), Clock.systemUTC());
            CreatedKey key = proxy.keys().create("tests", List.of(), null, null);
            return new Gateway(mock, proxy, env, dir, env.get("TOLLGATE_DB_URL"), key);
        } catch (Exception e) {
            mock.close();
            throw new IllegalStateException(e);
        }
    }

    static Gateway start() {
        return start(Pacing.INSTANT, Map.of());
    }

    /** The environment that points a proxy at {@code login}'s PostgreSQL database. */
    static Map<String, String> postgres(PostgresServer.Login login) {
        return Map.of(
                "TOLLGATE_DB_URL",
                login.url(),
                "TOLLGATE_DB_USER",
                login.user(),
                "TOLLGATE_DB_PASSWORD",
                login.password());
    }

    /** Stops the proxy (saving its counters, as on a graceful shutdown) and starts a new one on the same database and port 0. */
    void restartProxy() {
        proxy.close();
        proxy = Proxy.start(ProxyConfig.fromEnv(env), Clock.systemUTC());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + proxy.port();
    }

    OpenAIClient client() {
        return client(clientSecret);
    }

    OpenAIClient client(String secret) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl() + "/v1")
                .apiKey(secret)
                .maxRetries(0)
                .build();
    }

    /** Every row of the request log at {@code dbUrl}, oldest first; read after the proxy has closed, rows are complete. */
    static List<RequestRecord> logRows(String dbUrl) {
        List<RequestRecord> rows = new ArrayList<>();
        try (HikariDataSource db = Database.open(dbUrl)) {
            RequestLogQuery query = new RequestLogQuery(db);
            for (long after = 0; ; ) {
                List<RequestRecord> page = query.find(RequestLogQuery.Filter.ALL, RequestLogQuery.MAX_LIMIT, after);
                if (page.isEmpty()) return rows;
                rows.addAll(page);
                after = page.get(page.size() - 1).id();
            }
        }
    }

    /** The repository's fixtures folder. */
    static Path fixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures")) && Files.isDirectory(dir.resolve("mock-server")))
                return dir.resolve("fixtures");
        }
        throw new IllegalStateException("no fixtures/ folder above the working directory");
    }

    @Override
    public void close() {
        proxy.close();
        mock.close();
    }
}
