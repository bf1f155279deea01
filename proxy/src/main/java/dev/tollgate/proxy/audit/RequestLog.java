package dev.tollgate.proxy.audit;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Writes {@link RequestRecord}s to {@code request_log} off the hot path: a bounded queue, drained by
 * one background thread in batched inserts (one transaction per batch). Nothing is dropped: a full
 * queue blocks the caller (back-pressure, counted), and {@link #close()} drains every record
 * appended before it, so N appends make N rows. A batch that keeps failing is retried with backoff,
 * then reported in the log (a count, never row contents) and counted in {@link #failed()}.
 */
public final class RequestLog implements AutoCloseable {
    /** How long the idle writer waits before checking for close again. */
    private static final long IDLE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How often the writer collects a partial batch. It sleeps in between rather than waiting on the queue, so
     * an append does not wake it (a thread wake-up per request costs the proxy more than the insert).
     */
    private static final long COLLECT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final BatchInsert inserts;
    private final long flushNanos;
    private final int batchSize;
    private final BlockingQueue<RequestRecord> queue;
    private final AtomicInteger appending = new AtomicInteger();
    private final LongAdder backPressure = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param zone          the calendar the daily roll-up's days follow
     * @param flushInterval the longest a record waits in a partial batch before it is written
     * @param capacity      how many records the queue holds before {@link #append} blocks
     * @param batchSize     how many records one insert batch holds at most
     */
    public RequestLog(DataSource dataSource, ZoneId zone, Duration flushInterval, int capacity, int batchSize) {
        this.inserts = new BatchInsert(Objects.requireNonNull(dataSource, "dataSource"), new DailyRollup(zone));
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
        }
        if (capacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("capacity and batchSize must be at least 1");
        }
        this.flushNanos = flushInterval.toNanos();
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(capacity);
        // A platform thread: JDBC drivers (H2) block inside synchronized code, which pins a virtual thread.
        this.writer = Thread.ofPlatform().daemon().name("request-log-writer").start(this::run);
    }

    /**
     * Queues {@code record} for writing. Blocks while the queue is full (counted in
     * {@link #backPressureEvents()}); an interrupt does not cut the wait short, it is kept for later.
     *
     * @throws IllegalStateException once {@link #close()} has been called
     */
    public void append(RequestRecord record) {
        Objects.requireNonNull(record, "record");
        appending.incrementAndGet();
        try {
            if (closed) throw new IllegalStateException("the request log is closed");
            if (queue.offer(record)) return;
            backPressure.increment();
            LockSupport.unpark(writer); // it may be sleeping between collections
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(record);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        } finally {
            appending.decrementAndGet();
        }
    }

    /** Stops accepting records, writes every queued one, then returns. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Records waiting to be written. */
    public int queueDepth() {
        return queue.size();
    }

    /** Rows written so far. */
    public long written() {
        return written.get();
    }

    /** How many appends found the queue full and had to wait. */
    public long backPressureEvents() {
        return backPressure.sum();
    }

    /** Records given up on after every retry failed (each such batch is logged at ERROR). */
    public long failed() {
        return failed.get();
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(batchSize);
        while (true) {
            fill(batch);
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            } else if (closed && appending.get() == 0 && queue.isEmpty()) {
                return;
            }
        }
    }

    /**
     * Waits briefly for a first record, then collects every few milliseconds until the batch is full or the
     * flush interval has passed.
     */
    private void fill(List<RequestRecord> batch) {
        RequestRecord first = poll(IDLE_STEP_NANOS);
        if (first == null) return;
        batch.add(first);
        long deadline = System.nanoTime() + flushNanos;
        while (true) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || closed || left <= 0) return;
            LockSupport.parkNanos(Math.min(left, COLLECT_STEP_NANOS));
        }
    }

    private RequestRecord poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null; // nobody interrupts the writer on purpose; carry on draining
        }
    }

    private void write(List<RequestRecord> batch) {
        if (inserts.write(batch)) written.addAndGet(batch.size());
        else failed.addAndGet(batch.size());
    }
}
