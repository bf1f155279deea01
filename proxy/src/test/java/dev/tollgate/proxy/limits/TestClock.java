package dev.tollgate.proxy.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
final class TestClock extends Clock {
    private final AtomicLong millis;

    TestClock(Instant start) {
        millis = new AtomicLong(start.toEpochMilli());
    }

    static TestClock at(String isoInstantOrOffsetTime) {
        return new TestClock(
                java.time.OffsetDateTime.parse(isoInstantOrOffsetTime).toInstant());
    }

    void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    void set(String isoOffsetTime) {
        millis.set(java.time.OffsetDateTime.parse(isoOffsetTime).toInstant().toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
