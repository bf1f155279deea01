package dev.tollgate.proxy.limits;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.PostgresServer;
import dev.tollgate.proxy.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Benchmark (not a test): what admission costs in shared mode, three ledgers (three instances, each its
 * own pool and instance id) on one real PostgreSQL database. Far from its limits a key is admitted
 * against the local lease; near them (what is left is less than each instance's share of a request)
 * each admission tops up — one transaction — and a finished request gives its unspent lease back.
 * Prints µs per admit+settle and top-ups per request. Run with {@code bench/ledger-pg.sh}.
 */
public final class LedgerPgBench {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        PostgresServer.Login login = PostgresServer.newDatabase();
        LimitsConfig config = LimitsConfig.DEFAULTS; // flush every second
        List<HikariDataSource> pools = new ArrayList<>();
        List<UsageLedger> ledgers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HikariDataSource db = Database.open(login.url(), login.user(), login.password(), 10);
            pools.add(db);
            ledgers.add(new UsageLedger(db, Clock.systemUTC(), config, true));
        }
        try {
            KeyLimits far = Ledgers.limits("{\"requests_per_minute\": 60000000000, \"tokens_per_minute\": 60000000000,"
                    + " \"requests_per_day\": 1000000000000000, \"tokens_per_day\": 1000000000000000,"
                    + " \"requests_per_month\": 1000000000000000, \"tokens_per_month\": 1000000000000000,"
                    + " \"budget_usd\": 1000000000, \"budget_period\": \"total\"}");
            // 2,000 tokens reserved, 1 billed: a quota of 10,000 stays near its limit for the whole run.
            KeyLimits near = Ledgers.limits("{\"tokens_per_day\": 10000}");
            System.out.printf(
                    "PostgreSQL %s, 3 ledgers on one database, %d cores%n",
                    version(pools.get(0)), Runtime.getRuntime().availableProcessors());
            run("warm-up", ledgers, "key_warm", far, 16, requests / 4, 100);
            run("far from its limits, 16 threads over 3 instances", ledgers, "key_far", far, 16, requests, 100);
            run(
                    "far from its limits, 1 thread on 1 instance",
                    ledgers.subList(0, 1),
                    "key_far1",
                    far,
                    1,
                    requests / 4,
                    100);
            run("near its limit, 1 thread over 3 instances", ledgers, "key_near1", near, 1, requests / 20, 2_000);
            run("near its limit, 16 threads over 3 instances", ledgers, "key_near", near, 16, requests / 20, 2_000);
        } finally {
            for (UsageLedger l : ledgers) l.close();
            for (HikariDataSource db : pools) db.close();
        }
        System.exit(0); // the embedded PostgreSQL stops with the JVM
    }

    private static void run(
            String name, List<UsageLedger> ledgers, String key, KeyLimits limits, int threads, int total, long output)
            throws Exception {
        long topUpsBefore = ledgers.stream().mapToLong(UsageLedger::topUps).sum();
        CountDownLatch go = new CountDownLatch(1);
        int perThread = total / threads;
        long[][] samples = new long[threads][];
        long[] refused = new long[threads];
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            all[t] = Thread.ofVirtual().start(() -> {
                long[] lat = new long[perThread];
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    UsageLedger ledger = ledgers.get((me + i) % ledgers.size());
                    long start = System.nanoTime();
                    try {
                        Reservation r = ledger.admit(key, "bench", limits, 0, output);
                        ledger.settle(r, 0, 1);
                    } catch (RuntimeException e) {
                        refused[me]++;
                    }
                    lat[i] = System.nanoTime() - start;
                }
                samples[me] = lat;
            });
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : all) t.join();
        long wall = System.nanoTime() - start;
        long topUps = ledgers.stream().mapToLong(UsageLedger::topUps).sum() - topUpsBefore;
        long[] merged =
                Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        long n = merged.length;
        System.out.printf(
                "%s: %d requests (%d refused); admit+settle mean %.1f µs, p50 %.1f µs, p99 %.1f µs; wall %.1f µs per"
                        + " request; %d top-ups = %.4f per request%n",
                name,
                n,
                Arrays.stream(refused).sum(),
                Arrays.stream(merged).average().orElse(0) / 1000,
                merged[(int) (n / 2)] / 1000.0,
                merged[(int) (n * 0.99)] / 1000.0,
                wall / 1000.0 / n,
                topUps,
                (double) topUps / n);
    }

    private static String version(HikariDataSource db) throws Exception {
        try (var c = db.getConnection();
                var rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
