package dev.tollgate.proxy.limits;

import dev.tollgate.proxy.openai.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one task on many platform threads released at the same instant by a latch. */
final class Together {
    record Outcome(List<Reservation> admitted, List<ApiError> refused) {}

    interface Task {
        Reservation run(int i);
    }

    private Together() {}

    static Outcome run(int threads, Task task) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Reservation> admitted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ApiError> refused = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            all.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                try {
                    go.await();
                    admitted.add(task.run(n));
                } catch (ApiError e) {
                    refused.add(e);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        if (!ready.await(30, TimeUnit.SECONDS)) throw new AssertionError("threads did not start");
        go.countDown();
        for (Thread t : all) t.join(30_000);
        if (!failures.isEmpty()) throw new AssertionError("a task failed", failures.peek());
        return new Outcome(List.copyOf(admitted), List.copyOf(refused));
    }
}
