package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.store.Database;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogTest {
    @TempDir
    Path dir;

    HikariDataSource pool;

    @BeforeEach
    void open() {
        pool = Database.open("jdbc:h2:file:" + dir.resolve("tollgate"));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void everyAppendFromManyThreadsBecomesOneRow() throws Exception {
        int threads = 32;
        int each = 2_000;
        RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(50), 1_024, 500);
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            appenders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) log.append(Records.sample(base + i));
            }));
        }
        for (Thread a : appenders) a.join();
        log.close();

        assertThat(Records.count(pool)).isEqualTo(64_000);
        assertThat(log.written()).isEqualTo(64_000);
        assertThat(log.queueDepth()).isZero();
        assertThat(log.failed()).isZero();
    }

    @Test
    void aFullQueueBlocksTheCallerAndLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RequestLog log = new RequestLog(gated(pool, release), java.time.ZoneOffset.UTC, Duration.ofMillis(1), 4, 2);
        Thread appender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) log.append(Records.sample(i));
        });
        // The writer holds up to one batch while it waits for a connection; the queue fills up behind it.
        // (Thread state alone is no signal: brief contention on the queue's lock also reads WAITING.)
        waitFor(() -> log.queueDepth() == 4 && log.backPressureEvents() > 0);
        Thread.sleep(100);
        assertThat(appender.isAlive()).as("the appender is held up, not done").isTrue();
        assertThat(log.queueDepth()).isEqualTo(4);

        release.countDown();
        appender.join();
        log.close();
        assertThat(Records.count(pool)).isEqualTo(100);
        assertThat(log.backPressureEvents()).isPositive();
    }

    @Test
    void closeWritesWhatIsStillQueued() throws Exception {
        RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofHours(1), 10_000, 5_000);
        for (int i = 0; i < 1_234; i++) log.append(Records.sample(i));
        Thread.sleep(200);
        assertThat(Records.count(pool))
                .as("a partial batch waits for the flush interval")
                .isZero();

        log.close();
        assertThat(Records.count(pool)).isEqualTo(1_234);
        assertThat(log.written()).isEqualTo(1_234);
    }

    @Test
    void appendAfterCloseIsRefused() {
        RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(10), 10, 10);
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(Records.sample(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBatchIsRetriedUntilTheDatabaseAnswers() throws Exception {
        RequestLog log = new RequestLog(failing(pool, 2), java.time.ZoneOffset.UTC, Duration.ofMillis(10), 100, 100);
        for (int i = 0; i < 50; i++) log.append(Records.sample(i));
        log.close();
        assertThat(Records.count(pool)).isEqualTo(50);
        assertThat(log.failed()).isZero();
    }

    @Test
    void aBatchThatNeverGoesInIsCountedAsFailed() throws Exception {
        RequestLog log = new RequestLog(
                failing(pool, Integer.MAX_VALUE), java.time.ZoneOffset.UTC, Duration.ofMillis(10), 100, 100);
        for (int i = 0; i < 30; i++) log.append(Records.sample(i));
        log.close();
        assertThat(Records.count(pool)).isZero();
        assertThat(log.failed()).isEqualTo(30);
        assertThat(log.written()).isZero();
    }

    /** {@code target} whose getConnection waits until {@code release} opens. */
    static DataSource gated(DataSource target, CountDownLatch release) {
        return intercept(target, () -> release.await());
    }

    /** {@code target} whose first {@code failures} calls to getConnection fail. */
    static DataSource failing(DataSource target, int failures) {
        AtomicInteger calls = new AtomicInteger();
        return intercept(target, () -> {
            if (calls.incrementAndGet() <= failures) throw new SQLTransientConnectionException("down");
        });
    }

    interface Hook {
        void run() throws Exception;
    }

    static DataSource intercept(DataSource target, Hook beforeGetConnection) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) beforeGetConnection.run();
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(5);
        }
    }
}
