package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real proxies on one real PostgreSQL database (shared mode), each in front of its own mock: a
 * key's quotas, budget and per-minute limits hold across all three at once — exactly, with requests
 * fired together at every instance — and a key far from its limits is admitted without a database
 * round trip per request (counted by tollgate_ledger_topups_total).
 */
class SharedLimitsIT {
    static PostgresServer.Login login;
    static final List<Gateway> proxies = new ArrayList<>();
    static HikariDataSource pg;

    @BeforeAll
    static void start() {
        login = PostgresServer.newDatabase();
        Map<String, String> env = new HashMap<>(Gateway.postgres(login));
        env.put("TOLLGATE_LEDGER_FLUSH_MS", "200");
        for (int i = 0; i < 3; i++) proxies.add(Gateway.start(Pacing.INSTANT, env));
        pg = Database.open(login.url(), login.user(), login.password(), 2);
    }

    @AfterAll
    static void stop() {
        for (Gateway g : proxies) g.close();
        if (pg != null) pg.close();
    }

    @Test
    void aQuotaOf50RequestsServes50Of500FiredAtThreeInstancesAtOnce() throws Exception {
        String[] key = key("{\"requests_per_day\":50}");
        Burst burst = burst(key[1], 500);
        assertThat(burst.served()).as(burst.toString()).isEqualTo(50);
        assertThat(burst.status.get(429)).isEqualTo(450);
        assertThat(burst.servedBy.size()).as("every instance served part of it").isEqualTo(3);
        flushAll();
        assertThat(counter(key[0], "requests")).isEqualTo(50);
    }

    @Test
    void aTokenQuotaAndABudgetAreNeverOverrunAndFillUpAcrossInstances() throws Exception {
        // HELLO reserves its prompt and max_tokens 2000 and is billed 74 + 27 tokens, $0.0000313.
        for (String limits :
                List.of("{\"tokens_per_day\":6000}", "{\"budget_usd\":0.0032,\"budget_period\":\"day\"}")) {
            String[] key = key(limits);
            Burst burst = burst(key[1], 300);
            // Then one at a time round the instances, until three refusals in a row a flush interval apart
            // (by then every instance has given back what it leased and did not spend): what is left is too little.
            int more = 0, refusals = 0;
            for (int i = 0, refused = 0; refused < 3; i++) {
                if (hello(i % 3, key[1]) == 200) {
                    more++;
                    refused = 0;
                } else {
                    refused++;
                    refusals++;
                    Thread.sleep(250);
                }
            }
            flushAll();
            long served = burst.served() + more;
            long tokens = counter(key[0], "prompt_tokens") + counter(key[0], "completion_tokens");
            long cost = counter(key[0], "cost_nanos");
            String report = limits + ": " + burst + ", then " + more + " one at a time (" + refusals
                    + " refused meanwhile); billed " + tokens + " tokens, "
                    + cost + " nano-dollars";
            assertThat(counter(key[0], "requests")).as(report).isEqualTo(served);
            assertThat(tokens).as(report).isEqualTo(served * 101);
            System.out.println(report);
            if (limits.contains("tokens")) {
                assertThat(tokens).as(report).isLessThanOrEqualTo(6000);
                // Filled up: what is left cannot hold one more request's reservation (a prompt + 2000).
                assertThat(6000 - tokens).as(report).isLessThan(2000 + 101);
            } else {
                assertThat(cost).as(report).isLessThanOrEqualTo(3_200_000);
                assertThat(3_200_000 - cost).as(report).isLessThan(1_600_000);
            }
        }
    }

    @Test
    void aRequestsPerMinuteLimitIsSharedByTheInstances() throws Exception {
        String[] key = key("{\"requests_per_minute\":30}");
        long started = System.nanoTime();
        Burst burst = burst(key[1], 300);
        double seconds = (System.nanoTime() - started) / 1e9;
        // 30 at once, plus what the bucket refilled meanwhile (one request every 2 s).
        assertThat(burst.served()).as(burst.toString()).isBetween(30L, 30L + (long) Math.ceil(seconds / 2));
        assertThat(burst.servedBy.size()).isGreaterThan(1);
    }

    @Test
    void aKeyFarFromItsLimitsMakesFewTopUpsAndOneNearItsLimitIsNeverOverrun() throws Exception {
        String[] far = key("{\"requests_per_day\":1000000,\"tokens_per_day\":1000000000,\"budget_usd\":1000}");
        long before = topUps();
        Burst burst = burst(far[1], 300, 10);
        long farTopUps = topUps() - before;
        assertThat(burst.served()).isEqualTo(300);
        assertThat(farTopUps).as("top-ups for 300 requests far from the limits").isLessThanOrEqualTo(15);
        assertThat(metric(0)).as("tollgate_ledger_topups_total").isPositive();

        String[] near = key("{\"requests_per_day\":20}");
        before = topUps();
        int served = 0;
        for (int i = 0; i < 30; i++) if (hello(i % 3, near[1]) == 200) served++;
        assertThat(served).isEqualTo(20);
        flushAll();
        assertThat(counter(near[0], "requests")).isEqualTo(20);
        System.out.printf(
                "top-ups: %d for 300 requests far from the limits, %d for 30 requests at 3 instances against a quota of 20%n",
                farTopUps, topUps() - before);
    }

    private static long topUps() {
        return proxies.stream().mapToLong(g -> g.proxy.ledger().topUps()).sum();
    }

    private static long metric(int proxy) {
        String text = Http.get(proxies.get(proxy).baseUrl() + "/metrics", Gateway.ADMIN_TOKEN)
                .body();
        Matcher m = Pattern.compile("(?m)^tollgate_ledger_topups_total(?:\\{[^}]*})? ([0-9.E]+)$")
                .matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static void flushAll() {
        for (Gateway g : proxies) g.proxy.ledger().flush();
    }

    /** A key made through the first instance: {id, secret}. */
    static String[] key(String limits) {
        Http.Answer created = Http.call(
                "POST",
                proxies.get(0).baseUrl() + "/admin/keys",
                Gateway.ADMIN_TOKEN,
                "{\"name\":\"shared\",\"limits\":" + limits + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new String[] {
            created.json().path("id").asText(), created.json().path("key").asText()
        };
    }

    static int hello(int proxy, String secret) {
        return Http.post(proxies.get(proxy).baseUrl() + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                .status();
    }

    record Burst(ConcurrentHashMap<Integer, Integer> status, ConcurrentHashMap<Integer, Integer> servedBy) {
        long served() {
            return status.getOrDefault(200, 0);
        }
    }

    static Burst burst(String secret, int requests) throws Exception {
        return burst(secret, requests, requests);
    }

    /** {@code requests} chat requests, round the three instances, {@code concurrency} at a time. */
    static Burst burst(String secret, int requests, int concurrency) throws Exception {
        Burst burst = new Burst(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        AtomicInteger next = new AtomicInteger();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(threads.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        int status = hello(i % 3, secret);
                        burst.status.merge(status, 1, Integer::sum);
                        if (status == 200) burst.servedBy.merge(i % 3, 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return burst;
    }

    static long counter(String keyId, String column) throws Exception {
        try (Connection c = pg.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + column + " FROM usage_counters WHERE key_id = ? AND period = 'day'")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
