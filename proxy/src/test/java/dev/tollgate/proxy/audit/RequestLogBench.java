package dev.tollgate.proxy.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows persisted per second by {@link RequestLog} into an H2 file: appends from many virtual threads,
 * timed until {@link RequestLog#close()} has written the last row. Args: [rows] [threads] [batchSize].
 */
public final class RequestLogBench {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Path dir = Files.createTempDirectory("tollgate-bench");
        try (HikariDataSource pool = Database.open("jdbc:h2:file:" + dir.resolve("tollgate"))) {
            warmUp(pool);
            long start = System.nanoTime();
            RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(100), 8_192, batchSize);
            List<Thread> appenders = new ArrayList<>();
            int each = rows / threads;
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                appenders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < each; i++) log.append(Records.sample(base + i));
                }));
            }
            for (Thread a : appenders) a.join();
            long appended = System.nanoTime();
            log.close();
            long done = System.nanoTime();
            long stored = Records.count(pool) - 10_000;
            double seconds = (done - start) / 1e9;
            System.out.printf(
                    "request log bench: %,d rows, %d threads, batch %d: %.2f s, %,.0f rows/s persisted;"
                            + " appends done after %.2f s, back-pressure events %,d%n",
                    stored,
                    threads,
                    batchSize,
                    seconds,
                    stored / seconds,
                    (appended - start) / 1e9,
                    log.backPressureEvents());
        }
    }

    private static void warmUp(HikariDataSource pool) {
        try (RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(50), 4_096, 1_000)) {
            for (int i = 0; i < 10_000; i++) log.append(Records.sample(-1 - i));
        }
    }
}
