package dev.tollgate.mock;

import dev.tollgate.fixture.Fault;

/** A fault set through the admin API: applies to the next {@code times} requests, or to all while armed (times = 0). */
public final class ArmedFaults {
    public record Armed(Fault fault, int remaining, boolean unlimited) {}

    private Armed armed;

    public synchronized void arm(Fault fault, int times) {
        if (times < 0) throw new IllegalArgumentException("times must be >= 0 (0 = until cleared)");
        armed = new Armed(fault, times, times == 0);
    }

    /** The fault for the request now arriving, or {@link Fault#NONE}; counts it against {@code times}. */
    public synchronized Fault take() {
        if (armed == null) return Fault.NONE;
        Fault fault = armed.fault();
        if (!armed.unlimited()) {
            armed = armed.remaining() <= 1 ? null : new Armed(fault, armed.remaining() - 1, false);
        }
        return fault;
    }

    public synchronized Armed current() {
        return armed;
    }

    public synchronized void clear() {
        armed = null;
    }
}
