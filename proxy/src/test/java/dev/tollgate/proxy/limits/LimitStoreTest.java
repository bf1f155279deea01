package dev.tollgate.proxy.limits;

import static dev.tollgate.proxy.limits.Ledgers.limits;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitStoreTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-24T12:00:00Z");
    private HikariDataSource db;

    @BeforeEach
    void open() {
        db = Ledgers.database(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void limitsRoundTrip() {
        LimitStore store = new LimitStore(db, clock);
        KeyLimits l = limits("{\"requests_per_minute\": 30, \"budget_usd\": 0.000001, \"budget_period\": \"total\"}");
        assertThat(store.get("key_a")).isEqualTo(KeyLimits.NONE);

        store.set("key_a", l);
        assertThat(store.get("key_a")).isEqualTo(l);
        assertThat(new LimitStore(db, clock).get("key_a")).isEqualTo(l); // from the table

        store.set("key_a", l.patchedWith(dev.tollgate.fixture.Json.parse("{\"requests_per_minute\": 60}")));
        assertThat(new LimitStore(db, clock).get("key_a").requestsPerMinute()).isEqualTo(60);

        store.set("key_a", KeyLimits.NONE);
        assertThat(new LimitStore(db, clock).get("key_a")).isEqualTo(KeyLimits.NONE);
    }

    @Test
    void aChangeMadeByAnotherProcessAppliesAtOnce() {
        LimitStore proxy = new LimitStore(db, clock);
        LimitStore cli = new LimitStore(db, clock); // another process on the same database
        assertThat(proxy.get("key_a")).isEqualTo(KeyLimits.NONE);
        assertThat(proxy.get("key_a")).isEqualTo(KeyLimits.NONE); // cached now
        KeyLimits l = limits("{\"requests_per_day\": 5}");

        cli.set("key_a", l); // key_limits' trigger tells every cache (ChangeSignal)
        assertThat(cli.get("key_a")).isEqualTo(l);
        assertThat(proxy.get("key_a")).isEqualTo(l);
        cli.set("key_a", KeyLimits.NONE);
        assertThat(proxy.get("key_a")).isEqualTo(KeyLimits.NONE);
    }

    @Test
    void aCachedAnswerIsTheSameInstanceSoTheLedgerSkipsReconfiguring() {
        LimitStore store = new LimitStore(db, clock);
        store.set("key_a", limits("{\"requests_per_day\": 5}"));
        assertThat(store.get("key_a")).isSameAs(store.get("key_a"));
    }

    @Test
    void theBackgroundRefreshKeepsCachedAnswersCurrentWithoutARequestReadingTheTable() {
        LimitStore proxy = new LimitStore(db, clock);
        LimitStore cli = new LimitStore(db, clock);
        cli.set("key_a", limits("{\"requests_per_day\": 5}"));
        KeyLimits first = proxy.get("key_a");
        assertThat(proxy.get("key_b")).isEqualTo(KeyLimits.NONE);

        clock.advance(Duration.ofMillis(900));
        proxy.refresh();
        clock.advance(Duration.ofMillis(900)); // 1.8 s after the first read, 0.9 s after the refresh: still fresh
        assertThat(proxy.get("key_a")).as("unchanged: the same instance").isSameAs(first);

        KeyLimits changed = limits("{\"requests_per_day\": 7}");
        cli.set("key_a", changed);
        cli.set("key_b", limits("{\"requests_per_minute\": 3}"));
        proxy.refresh();
        assertThat(proxy.get("key_a")).isEqualTo(changed);
        assertThat(proxy.get("key_b").requestsPerMinute()).isEqualTo(3);
        cli.set("key_b", KeyLimits.NONE);
        proxy.refresh();
        assertThat(proxy.get("key_b")).isEqualTo(KeyLimits.NONE);
    }
}
