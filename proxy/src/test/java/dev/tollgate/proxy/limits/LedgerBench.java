package dev.tollgate.proxy.limits;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.store.Database;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Microbenchmark (not a test): admission + settlement on one key from many threads at once, every
 * limit set so every check runs. Prints the mean and tail latency a request sees (waiting for the
 * key's lock included) and the wall-clock cost per request. Run (after a test-compile):
 * <pre>
 * ./mvnw -q -B -o -pl fixture-format,mock-server,proxy test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp proxy/target/test-classes:proxy/target/classes:$(cat proxy/target/test-cp.txt) \
 *     dev.tollgate.proxy.limits.LedgerBench [threads=64] [requests per thread=200000] [platform|virtual]
 * </pre>
 */
public final class LedgerBench {
    private static boolean virtual; // the proxy serves each request on a virtual thread

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        virtual = args.length > 2 && args[2].equals("virtual");
        KeyLimits limits = Ledgers.limits("{\"requests_per_minute\": 60000000000, \"tokens_per_minute\": 60000000000,"
                + " \"requests_per_day\": 1000000000000000, \"tokens_per_day\": 1000000000000000,"
                + " \"requests_per_month\": 1000000000000000, \"tokens_per_month\": 1000000000000000,"
                + " \"budget_usd\": 1000000000, \"budget_period\": \"total\"}");
        try (HikariDataSource db = Database.open("jdbc:h2:mem:ledger-bench;DB_CLOSE_DELAY=-1");
                UsageLedger ledger = new UsageLedger(db, Clock.systemUTC(), LimitsConfig.DEFAULTS)) {
            for (int i = 0; i < 3; i++) run(ledger, limits, threads, perThread / 4, false); // warm up the JIT
            System.out.printf(
                    "%d %s threads x %d requests, one key, every limit set, %d cores%n",
                    threads,
                    virtual ? "virtual" : "platform",
                    perThread,
                    Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < 3; i++) run(ledger, limits, threads, perThread, true);
            run(ledger, KeyLimits.NONE, threads, perThread, true);
            System.out.println("(last line: a key without limits; spend is still counted)");
        }
    }

    private static void run(UsageLedger ledger, KeyLimits limits, int threads, int perThread, boolean print)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        long[][] samples = new long[threads][];
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            all[t] = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                long[] lat = new long[perThread];
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long start = System.nanoTime();
                    Reservation r = ledger.admit("key_bench", "bench", limits, 100, 50);
                    ledger.settle(r, 90, 40);
                    lat[i] = System.nanoTime() - start;
                }
                samples[me] = lat;
            });
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : all) t.join();
        long wall = System.nanoTime() - start;
        if (!print) return;
        long[] merged =
                Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        double mean = Arrays.stream(merged).average().orElse(0);
        long total = (long) threads * perThread;
        System.out.printf(
                "latency per request (admit+settle): mean %.0f ns, p50 %d ns, p99 %d ns, p99.9 %d ns;"
                        + " wall per request %.0f ns (%.2f M requests/s)%n",
                mean,
                merged[merged.length / 2],
                merged[(int) (merged.length * 0.99)],
                merged[(int) (merged.length * 0.999)],
                (double) wall / total,
                total * 1000.0 / wall);
    }
}
