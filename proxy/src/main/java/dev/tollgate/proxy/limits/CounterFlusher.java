package dev.tollgate.proxy.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changed counters to {@code usage_counters}, off the request path: a counter is queued once
 * when it changes, and one background virtual thread writes the queue every interval (and once more
 * on {@link #close()}). Failed writes are queued again.
 */
final class CounterFlusher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CounterFlusher.class);

    private final UsageCounters counters;
    private final Clock clock;
    private final long intervalNanos;
    private final ConcurrentLinkedQueue<PeriodCounter> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    CounterFlusher(UsageCounters counters, Clock clock, Duration interval) {
        this.counters = counters;
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
        this.thread = Thread.ofVirtual().name("usage-ledger-flush").start(this::run);
    }

    /** Called under the counter's account lock after it changed. */
    void changed(PeriodCounter c) {
        if (!c.queued) {
            c.queued = true;
            queue.add(c);
        }
    }

    void flush() {
        flushing.lock();
        try {
            List<PeriodCounter> taken = new ArrayList<>();
            List<CounterRow> rows = new ArrayList<>();
            for (int n = queue.size(); n > 0; n--) { // bounded: counters queued meanwhile wait for the next round
                PeriodCounter c = queue.poll();
                if (c == null) break;
                c.account.lock.lock();
                try {
                    rows.add(c.row());
                    c.queued = false;
                } finally {
                    c.account.lock.unlock();
                }
                taken.add(c);
            }
            try {
                counters.write(rows, Instant.ofEpochMilli(clock.millis()));
            } catch (RuntimeException e) {
                for (PeriodCounter c : taken) requeue(c);
                throw e;
            }
        } finally {
            flushing.unlock();
        }
    }

    @Override
    public void close() {
        if (stop.getCount() == 0) return;
        stop.countDown(); // no interrupt: an interrupted H2 file channel closes the database
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private void requeue(PeriodCounter c) {
        c.account.lock.lock();
        try {
            changed(c);
        } finally {
            c.account.lock.unlock();
        }
    }

    private void run() {
        try {
            while (!stop.await(intervalNanos, TimeUnit.NANOSECONDS)) {
                try {
                    flush();
                } catch (RuntimeException e) {
                    log.warn("usage counters not written, will retry: {}", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
