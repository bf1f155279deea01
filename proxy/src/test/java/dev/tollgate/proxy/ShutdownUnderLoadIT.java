package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.proxy.cli.ProxyCommand;
import dev.tollgate.proxy.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy as its own process under concurrent load, stopped in the middle of it: by SIGTERM (every
 * answered request has its row, nothing more is lost), and by {@code kill -9} (the database opens
 * cleanly; what is lost is only what was answered in the last moments before the kill, measured).
 */
class ShutdownUnderLoadIT {
    static final int CLIENTS = 16;

    @TempDir
    Path dir;

    MockServer mock;
    Process proxy;
    String baseUrl;
    String dbUrl;

    @BeforeEach
    void start() throws Exception {
        mock = MockServer.start(MockConfig.defaults().withFixtures(Gateway.fixtures()));
        dbUrl = "jdbc:h2:file:" + dir.resolve("tollgate");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProxyCommand.class.getName())
                .redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "TOLLGATE_PORT",
                        "0",
                        "TOLLGATE_UPSTREAM_URL",
                        mock.openAiBaseUrl(),
                        "GROQ_API_KEY",
                        Gateway.UPSTREAM_KEY_1,
                        "TOLLGATE_DB_URL",
                        dbUrl,
                        "TOLLGATE_ADMIN_TOKEN",
                        Gateway.ADMIN_TOKEN,
                        "TOLLGATE_LOG_FLUSH_MS",
                        "200"));
        proxy = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (http://[^/ ]+)/v1");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                baseUrl = m.group(1);
                break;
            }
        }
        assertThat(baseUrl).as("the proxy said where it listens").isNotNull();
        Path log = Path.of("target", "shutdown-under-load-" + System.nanoTime() + ".log");
        Thread.ofVirtual()
                .start(
                        () -> { // keep its output flowing, and keep it for a failure's diagnosis
                            try (var file = Files.newBufferedWriter(log)) {
                                for (String line; (line = out.readLine()) != null; ) file.write(line + "\n");
                            } catch (IOException e) {
                                // the process ended
                            }
                        });
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.destroyForcibly();
        if (mock != null) mock.close();
    }

    @Test
    void aGracefulShutdownUnderLoadLosesNoRow() throws Exception {
        Load load = new Load(newKey());
        load.runUntil(400);
        long signalled = System.nanoTime();
        proxy.destroy(); // SIGTERM
        assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        load.stop();

        Set<String> logged = loggedIds();
        System.out.printf(
                "graceful shutdown under load: %d answered (%d of them 503 while stopping), %d connections refused or cut, %d rows%n",
                load.answered.size(), load.turnedAway.get(), load.failed.get(), logged.size());
        // In flight at SIGTERM means answered: the server stops accepting, finishes what it has, then drains the log.
        // A request whose connection the stop cut may still have been handled: then it has a row the client never saw.
        assertThat(logged).containsAll(load.answered.keySet());
        assertThat(logged.size() - load.answered.size()).isBetween(0, load.failed.get());
        assertThat(load.wrongShape.get())
                .as("503s while stopping are OpenAI-shaped errors")
                .isZero();
        assertThat(load.answeredAfter(signalled))
                .as("requests in flight at SIGTERM were still answered")
                .isPositive();
    }

    @Test
    void afterKillNineTheDatabaseOpensAndOnlyTheLastMomentsAreLost() throws Exception {
        Load load = new Load(newKey());
        load.runUntil(400);
        proxy.destroyForcibly(); // SIGKILL
        long killed = System.nanoTime();
        assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        load.stop();

        Set<String> logged = loggedIds(); // opening it at all is the first check: no corruption
        List<Long> lostAgesMs = new ArrayList<>();
        load.answered.forEach((id, at) -> {
            if (!logged.contains(id)) lostAgesMs.add((killed - at) / 1_000_000);
        });
        long oldest = lostAgesMs.stream().mapToLong(Long::longValue).max().orElse(0);
        String report = String.format(
                "kill -9 under load: %d answered, %d rows, %d lost, the oldest answered %d ms before the kill"
                        + " (log flush interval 200 ms)%n",
                load.answered.size(), logged.size(), lostAgesMs.size(), oldest);
        System.out.print(report);
        Files.writeString(Path.of("target", "kill9-measurement.txt"), report);
        // A row waits at most one flush interval in the queue, and H2 writes each commit at once (WRITE_DELAY 0):
        // anything answered a flush interval before the kill, plus the time a batch takes to write, is on disk.
        assertThat(oldest).as(report).isLessThan(200 + 300);
    }

    private String newKey() {
        Http.Answer created = Http.call("POST", baseUrl + "/admin/keys", Gateway.ADMIN_TOKEN, "{\"name\":\"load\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("key").asText();
    }

    private Set<String> loggedIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (HikariDataSource db = Database.open(dbUrl);
                Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT request_id FROM request_log")) {
            while (rs.next())
                assertThat(ids.add(rs.getString(1))).as("one row per request").isTrue();
        }
        return ids;
    }

    /** {@link #CLIENTS} threads posting chat requests until stopped, noting when each answer came. */
    final class Load {
        final Map<String, Long> answered = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger turnedAway = new AtomicInteger();
        final AtomicInteger wrongShape = new AtomicInteger();
        final AtomicBoolean stopping = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();

        Load(String key) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(UpstreamIT.HELLO))
                    .timeout(Duration.ofSeconds(20))
                    .build();
            for (int i = 0; i < CLIENTS; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    while (!stopping.get()) {
                        try {
                            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                            String id = res.headers()
                                    .firstValue("x-tollgate-request-id")
                                    .orElseThrow();
                            answered.put(id, System.nanoTime());
                            if (res.statusCode() == 503) { // refused while stopping, logged all the same
                                turnedAway.incrementAndGet();
                                if (!res.body().contains("\"code\":\"shutting_down\"")) wrongShape.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            if (!proxy.isAlive()) return;
                            try {
                                Thread.sleep(10); // refused while stopping: try again, gently
                            } catch (InterruptedException stop) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        long answeredAfter(long nanos) {
            return answered.values().stream().filter(t -> t > nanos).count();
        }

        void runUntil(int answers) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered.size() < answers && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(answered.size()).isGreaterThanOrEqualTo(answers);
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            for (Thread t : threads) t.join(Duration.ofSeconds(30));
        }
    }
}
