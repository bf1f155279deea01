package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.audit.RequestLogQuery.Filter;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogQueryTest {
    @TempDir
    Path dir;

    HikariDataSource pool;
    RequestLogQuery query;

    @BeforeEach
    void open() {
        pool = Database.open("jdbc:h2:file:" + dir.resolve("tollgate"));
        query = new RequestLogQuery(pool);
        try (RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(10), 100, 7)) {
            // 0..9: key_a, llama, 200; 10..14: key_b, qwen, 429; one per second from T0.
            for (int i = 0; i < 15; i++) {
                boolean a = i < 10;
                log.append(Records.record(
                        i, a ? "key_a" : "key_b", a ? "llama" : "qwen", a ? 200 : 429, Records.T0.plusSeconds(i)));
            }
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aRecordComesBackAsItWentIn() {
        List<RequestRecord> rows = query.find(Filter.ALL, 100, 0);
        assertThat(rows).hasSize(15);
        RequestRecord first = rows.get(0);
        assertThat(first.id()).isPositive();
        assertThat(first)
                .usingRecursiveComparison()
                .ignoringFields("id")
                .isEqualTo(Records.record(0, "key_a", "llama", 200, Records.T0));
        RequestRecord refused = rows.get(14);
        assertThat(refused)
                .usingRecursiveComparison()
                .ignoringFields("id")
                .isEqualTo(Records.record(14, "key_b", "qwen", 429, Records.T0.plusSeconds(14)));
        assertThat(refused.promptTokens()).isNull();
        assertThat(refused.usageSource()).isEqualTo("none");
    }

    @Test
    void filtersByKeyModelStatusAndTime() {
        assertThat(requestIds(new Filter("key_b", null, null, null, null)))
                .containsExactly("req_10", "req_11", "req_12", "req_13", "req_14");
        assertThat(requestIds(new Filter(null, "llama", null, null, null))).hasSize(10);
        // A refused request never reached a model: it matches on the model asked for.
        assertThat(requestIds(new Filter(null, "qwen", 429, null, null))).hasSize(5);
        assertThat(requestIds(new Filter(null, null, 200, null, null))).hasSize(10);
        assertThat(requestIds(new Filter(null, null, 500, null, null))).isEmpty();
        assertThat(requestIds(new Filter(null, null, null, Records.T0.plusSeconds(3), Records.T0.plusSeconds(5))))
                .containsExactly("req_3", "req_4");
        assertThat(requestIds(new Filter("key_a", "llama", 200, Records.T0.plusSeconds(8), null)))
                .containsExactly("req_8", "req_9");
    }

    @Test
    void pagesByIdInOrder() {
        List<String> seen = new ArrayList<>();
        long after = 0;
        while (true) {
            List<RequestRecord> page = query.find(Filter.ALL, 4, after);
            if (page.isEmpty()) break;
            assertThat(page.size()).isLessThanOrEqualTo(4);
            for (RequestRecord r : page) {
                assertThat(r.id()).isGreaterThan(after);
                after = r.id();
                seen.add(r.requestId());
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 15; i++) expected.add("req_" + i);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void longTextIsCutToItsColumnRatherThanFailingTheBatch() throws Exception {
        RequestRecord r = Records.sample(99);
        RequestRecord odd = new RequestRecord(
                null,
                r.time(),
                "req_long",
                null,
                null,
                null,
                null,
                null,
                r.endpoint(),
                false,
                401,
                "invalid_request_error",
                "invalid_api_key",
                null,
                null,
                null,
                null,
                null,
                "none",
                1,
                null,
                null,
                40L,
                "10.0.0.1",
                "x".repeat(2_000),
                "u".repeat(900),
                null,
                null,
                null);
        try (RequestLog log = new RequestLog(pool, java.time.ZoneOffset.UTC, Duration.ofMillis(10), 10, 10)) {
            log.append(odd);
        }
        RequestRecord back =
                query.find(new Filter(null, null, 401, null, null), 10, 0).get(0);
        assertThat(back.userAgent()).hasSize(500);
        assertThat(back.user()).hasSize(500);
        assertThat(back.keyId()).isNull();
    }

    private List<String> requestIds(Filter filter) {
        return query.find(filter, 100, 0).stream().map(RequestRecord::requestId).toList();
    }
}
