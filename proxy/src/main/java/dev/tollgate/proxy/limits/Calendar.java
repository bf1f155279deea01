package dev.tollgate.proxy.limits;

import java.time.Clock;
import java.time.ZoneId;

/**
 * The current {@link Windows} by the injected clock. Working out dates in a time zone costs a few
 * allocations, so the answer is kept until the clock leaves the current local day.
 */
final class Calendar {
    private final Clock clock;
    private final ZoneId zone;
    private volatile Windows current;

    Calendar(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    long millis() {
        return clock.millis();
    }

    ZoneId zone() {
        return zone;
    }

    Windows at(long epochMillis) {
        Windows w = current;
        if (w == null || !w.contains(epochMillis)) {
            w = Windows.at(epochMillis, zone);
            current = w;
        }
        return w;
    }
}
