package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three proxies on one PostgreSQL database under load, the third in its own JVM so it can die: by
 * {@code kill -9} (the other two keep serving; its leases stop blocking the key's quota once its
 * heartbeat is 10 s old; the billing lost is what it answered in its last flush interval, measured), and by
 * SIGTERM (every answer has its row, and every answer is billed: the counters add up across instances).
 */
class SharedInstancesDieIT {
    static final long FLUSH_MS = 200;

    PostgresServer.Login login;
    final List<Gateway> inProcess = new ArrayList<>();
    Process process;
    String processUrl;

    @BeforeEach
    void start() throws Exception {
        login = PostgresServer.newDatabase();
        Map<String, String> env = new HashMap<>(Gateway.postgres(login));
        env.put("TOLLGATE_LEDGER_FLUSH_MS", String.valueOf(FLUSH_MS));
        env.put("TOLLGATE_LOG_FLUSH_MS", String.valueOf(FLUSH_MS));
        for (int i = 0; i < 2; i++) inProcess.add(Gateway.start(Pacing.INSTANT, env));
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProxyCommand.class.getName())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TOLLGATE_"));
        builder.environment().putAll(env);
        builder.environment()
                .putAll(Map.of(
                        "TOLLGATE_PORT",
                        "0",
                        "TOLLGATE_UPSTREAM_URL",
                        inProcess.get(0).mock.openAiBaseUrl(),
                        "GROQ_API_KEY",
                        Gateway.UPSTREAM_KEY_1,
                        "TOLLGATE_ADMIN_TOKEN",
                        Gateway.ADMIN_TOKEN));
        process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (http://[^/ ]+)/v1");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                processUrl = m.group(1);
                break;
            }
        }
        assertThat(processUrl).as("the proxy process said where it listens").isNotNull();
        Path log = Path.of("target", "shared-instances-die-" + System.nanoTime() + ".log");
        Thread.ofVirtual()
                .start(
                        () -> { // keep its output flowing, and keep it for a failure's diagnosis
                            try (var file = Files.newBufferedWriter(log)) {
                                for (String line; (line = out.readLine()) != null; ) file.write(line + "\n");
                            } catch (IOException e) {
                                // the process ended
                            }
                        });
        // A cold JVM answers its first requests slowly: warm the process up, so it takes its part of the load.
        String warm = key("{}")[1];
        for (int i = 0; i < 50; i++) {
            assertThat(Http.post(processUrl + "/v1/chat/completions", warm, UpstreamIT.HELLO)
                            .status())
                    .isEqualTo(200);
        }
    }

    @AfterEach
    void stop() {
        if (process != null) process.destroyForcibly();
        for (Gateway g : inProcess) g.close();
    }

    @Test
    void killNineOfOneOfThreeReleasesItsLeasesWithinTheTimeoutAndLosesAtMostItsLastFlush() throws Exception {
        int quota = 400;
        String[] key = key("{\"requests_per_day\":" + quota + "}");
        Load load = new Load(key[1]);
        load.untilServed(120);
        assertThat(load.servedBy(2)).as("the process served its part").isPositive();
        process.destroyForcibly(); // SIGKILL, holding a lease of the key's quota
        long killed = System.nanoTime();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(SharedLedgerTimeout.MILLIS + 2_000);
        load.stop();
        for (Gateway g : inProcess) g.proxy.ledger().flush();

        long billed = dayRequests(key[0]);
        long served = load.served();
        long lost = served - billed;
        long lastBlocked = load.answers.stream()
                .filter(a -> a.instance < 2
                        && a.status == 429
                        && a.body.contains("It fits once the requests in flight finish"))
                .mapToLong(a -> a.at)
                .max()
                .orElse(killed);
        long releasedAfterMs = Math.max(0, (lastBlocked - killed) / 1_000_000);
        long servedAfterKill = load.answers.stream()
                .filter(a -> a.instance < 2 && a.status == 200 && a.at > killed)
                .count();
        long processLastFlush = load.answers.stream()
                .filter(a -> a.instance == 2 && a.status == 200 && a.at > killed - (FLUSH_MS + 300) * 1_000_000)
                .count();
        String report = String.format(
                "kill -9 of 1 of 3 under load, quota %d a day: %d served (%d by the killed one, %d by the others after the"
                        + " kill), %d billed; its leases blocked the quota until %d ms after the kill (timeout %d ms);"
                        + " billing lost: %d requests, %d answered by it in its last %d ms (flush interval %d ms)%n",
                quota,
                served,
                load.servedBy(2),
                servedAfterKill,
                billed,
                releasedAfterMs,
                SharedLedgerTimeout.MILLIS,
                lost,
                processLastFlush,
                FLUSH_MS + 300,
                FLUSH_MS);
        System.out.print(report);
        Files.writeString(Path.of("target", "shared-kill9-measurement.txt"), report);
        assertThat(servedAfterKill).as(report).isPositive();
        assertThat(billed)
                .as("once its leases are released the whole quota is usable: " + report)
                .isEqualTo(quota);
        assertThat(releasedAfterMs).as(report).isLessThanOrEqualTo(SharedLedgerTimeout.MILLIS + 1_500);
        assertThat(lost).as(report).isBetween(0L, processLastFlush);
        assertThat(leaseRows()).as("the dead instance's leases are gone").isZero();
    }

    @Test
    void sigtermOfOneOfThreeUnderLoadLosesNoRowAndNoBilling() throws Exception {
        String[] key = key("{\"requests_per_day\":1000000}");
        Load load = new Load(key[1]);
        load.untilServed(300);
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        load.stop();
        for (Gateway g : inProcess) g.close(); // flushes the log and the counters
        inProcess.clear();

        Set<String> logged = new HashSet<>();
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 1);
                Connection c = pg.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT request_id FROM request_log WHERE key_id = ? OR key_id IS NULL")) {
            ps.setString(1, key[0]); // not the warm-up's rows; a 503 while stopping has no key
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) assertThat(logged.add(rs.getString(1))).isTrue();
            }
        }
        List<String> answered = load.answers.stream().map(a -> a.requestId).toList();
        long byProcess = load.answers.stream().filter(a -> a.instance == 2).count();
        System.out.printf(
                "SIGTERM of 1 of 3 under load: %d answered (%d by the stopped one), %d rows, %d billed%n",
                answered.size(), byProcess, logged.size(), dayRequests(key[0]));
        assertThat(byProcess).isPositive();
        assertThat(logged).containsAll(answered);
        assertThat(logged.size() - answered.size()).isBetween(0, load.failed());
        assertThat(dayRequests(key[0])).as("every answer billed, once").isEqualTo(load.served());
    }

    /** The lease timeout: a heartbeat older than this is a dead instance's. */
    static final class SharedLedgerTimeout {
        static final long MILLIS = 10_000;
    }

    private String[] key(String limits) {
        Http.Answer created = Http.call(
                "POST",
                inProcess.get(0).baseUrl() + "/admin/keys",
                Gateway.ADMIN_TOKEN,
                "{\"name\":\"shared\",\"limits\":" + limits + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new String[] {
            created.json().path("id").asText(), created.json().path("key").asText()
        };
    }

    private long dayRequests(String keyId) throws Exception {
        return query("SELECT requests FROM usage_counters WHERE key_id = '" + keyId + "' AND period = 'day'");
    }

    private long leaseRows() throws Exception {
        return query("SELECT count(*) FROM allowance_leases");
    }

    private long query(String sql) throws Exception {
        try (HikariDataSource pg = Database.open(login.url(), login.user(), login.password(), 1);
                Connection c = pg.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    record Answer(int instance, int status, long at, String requestId, String body) {}

    /** Six clients per instance posting chat requests until stopped; a refused one waits 20 ms. */
    final class Load {
        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stopping = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();

        Load(String secret) {
            List<String> urls =
                    List.of(inProcess.get(0).baseUrl(), inProcess.get(1).baseUrl(), processUrl);
            for (int i = 0; i < 18; i++) {
                int instance = i % 3;
                HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(instance) + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + secret)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(UpstreamIT.HELLO))
                        .timeout(Duration.ofSeconds(20))
                        .build();
                threads.add(Thread.ofVirtual().start(() -> {
                    while (!stopping.get()) {
                        try {
                            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                            answers.add(new Answer(
                                    instance,
                                    res.statusCode(),
                                    System.nanoTime(),
                                    res.headers()
                                            .firstValue("x-tollgate-request-id")
                                            .orElseThrow(),
                                    res.statusCode() == 200 ? "" : res.body()));
                            if (res.statusCode() != 200) Thread.sleep(20);
                        } catch (IOException e) {
                            failures.add(instance);
                            if (instance == 2 && !process.isAlive()) return;
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        long served() {
            return answers.stream().filter(a -> a.status == 200).count();
        }

        long servedBy(int instance) {
            return answers.stream()
                    .filter(a -> a.status == 200 && a.instance == instance)
                    .count();
        }

        int failed() {
            return failures.size();
        }

        /** Until {@code n} were served, 10 of them at least by the process. */
        void untilServed(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((served() < n || servedBy(2) < 10) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(served()).isGreaterThanOrEqualTo(n);
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            for (Thread t : threads) t.join(Duration.ofSeconds(30));
        }
    }
}
