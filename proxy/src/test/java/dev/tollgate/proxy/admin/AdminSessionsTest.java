package dev.tollgate.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AdminSessionsTest {
    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final HandClock clock = new HandClock();
    private final AdminSessions sessions = new AdminSessions(clock, Duration.ofHours(12));

    @Test
    void aSessionIsValidUntilItExpires() {
        String id = sessions.open();
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.valid(id)).isTrue();
        clock.now = clock.now.plus(Duration.ofHours(12)).minusSeconds(1);
        assertThat(sessions.valid(id)).isTrue();
        clock.now = clock.now.plusSeconds(1);
        assertThat(sessions.valid(id)).isFalse();
    }

    @Test
    void onlyIdsItHandedOutAreValid() {
        String id = sessions.open();
        assertThat(sessions.open()).isNotEqualTo(id);
        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid("")).isFalse();
        assertThat(sessions.valid(id.substring(1))).isFalse();
        assertThat(sessions.valid(id + "x")).isFalse();
        assertThat(sessions.valid("x".repeat(10_000))).isFalse();
    }

    @Test
    void closingEndsOneSessionOnly() {
        String first = sessions.open();
        String second = sessions.open();
        sessions.close(first);
        sessions.close(null);
        assertThat(sessions.valid(first)).isFalse();
        assertThat(sessions.valid(second)).isTrue();
    }
}
