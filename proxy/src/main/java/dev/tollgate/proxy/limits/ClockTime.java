package dev.tollgate.proxy.limits;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/** Bucket4j's time taken from the injected clock, so tests can move it. */
record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
