package dev.tollgate.proxy.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;

/**
 * The proxy's own watch over upstream calls: a deadline per call, moved forward as the answer
 * progresses (first byte, then each stream event), and one thread that cancels the calls whose
 * deadline passed. This replaces OkHttp's per-read socket timeouts, which take a JVM-wide lock on
 * every read and write (Okio's AsyncTimeout) and cost a third of the proxy's time under load.
 */
final class CallDeadlines implements AutoCloseable {
    private static final long TICK_MILLIS = 50;

    /** One watched call. */
    static final class Watch {
        private final Call call;
        private volatile long deadlineNanos;
        private volatile boolean expired;

        private Watch(Call call, Duration allowed) {
            this.call = call;
            extend(allowed);
        }

        /** The answer made progress: it now has {@code allowed} until the next sign of life. */
        void extend(Duration allowed) {
            deadlineNanos = System.nanoTime() + allowed.toNanos();
        }

        /** Whether the call was cancelled because its deadline passed. */
        boolean expired() {
            return expired;
        }
    }

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread ticker;
    private volatile boolean running = true;

    CallDeadlines() {
        ticker =
                Thread.ofPlatform().daemon().name("tollgate-upstream-deadlines").start(this::tick);
    }

    Watch watch(Call call, Duration allowed) {
        Watch watch = new Watch(call, allowed);
        watches.add(watch);
        return watch;
    }

    void done(Watch watch) {
        watches.remove(watch);
    }

    private void tick() {
        while (running) {
            long now = System.nanoTime();
            for (Watch w : watches) {
                if (now - w.deadlineNanos > 0) {
                    w.expired = true;
                    watches.remove(w);
                    w.call.cancel();
                }
            }
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
    }
}
