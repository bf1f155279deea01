package dev.tollgate.proxy.limits;

import dev.tollgate.proxy.limits.Leases.Amounts;
import dev.tollgate.proxy.limits.Leases.BucketRow;
import dev.tollgate.proxy.limits.Leases.KeyLeases;
import dev.tollgate.proxy.limits.Leases.Window;
import dev.tollgate.proxy.store.StorageException;
import io.github.bucket4j.TimeMeter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's part when several instances share one PostgreSQL database: each instance holds leases of
 * a key's remaining allowance (and slices of its per-minute buckets) and admits locally against them;
 * it asks the database — a top-up, one transaction under the key's lock — only when they cannot cover a
 * request. Billing is added to {@code usage_counters} as deltas every flush interval, which also gives
 * back what was leased and not spent. Instances heartbeat every second; one silent for {@link #TIMEOUT} is dead
 * and the next top-up deletes its leases. Every method taking an account runs under that account's lock
 * (so database work for a key also holds its local lock: the in-memory and stored leases change together).
 */
final class SharedLedger implements AutoCloseable {
    /** A heartbeat older than this is a dead instance's: its leases stop counting. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Local leases are spent only this long after the last heartbeat seen to succeed (well before others reap them). */
    private static final long VALID_NANOS = TIMEOUT.toNanos() / 2;

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SharedLedger.class);

    private final DataSource db;
    private final TimeMeter time;
    private final Leases leases = new Leases(TIMEOUT.toMillis());
    private final String instanceId = UUID.randomUUID().toString();
    private final Set<KeyAccount> active = ConcurrentHashMap.newKeySet();
    private final LongAdder topUps = new LongAdder();
    private final AtomicLong epoch = new AtomicLong(); // moves on when this instance learns it was declared dead
    private volatile long aliveAtNanos;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final LinkedBlockingQueue<KeyAccount> urgent = new LinkedBlockingQueue<>();

    SharedLedger(DataSource db, TimeMeter time, Duration flushInterval) {
        this.db = db;
        this.time = time;
        long started = System.nanoTime();
        transaction(c -> leases.register(c, instanceId));
        aliveAtNanos = started;
        threads.add(every("ledger-heartbeat", HEARTBEAT, this::heartbeat));
        threads.add(Thread.ofVirtual().name("ledger-flush").start(() -> flushEvery(flushInterval)));
    }

    /** How many top-ups (database round trips on the admission path) this instance made. */
    long topUps() {
        return topUps.sum();
    }

    /** Whether the account's leases may be spent for {@code l} without asking the database. */
    boolean fresh(KeyAccount a, KeyLimits l) {
        if (!limited(l)) return true;
        return a.leaseEpoch == epoch.get()
                && l.equals(a.leasedLimits)
                && a.day.leased
                && a.week.leased
                && a.month.leased
                && a.total.leased
                && System.nanoTime() - aliveAtNanos < VALID_NANOS;
    }

    /** Whether asking the database could turn this refusal into an admission. */
    static boolean worthTopUp(Refusal r) {
        if (r.tooLarge()) return false;
        return r.kind().isRate() || r.used() + r.needed() <= r.limit();
    }

    void admitted(KeyAccount a) {
        a.admittedSinceFlush = true;
        active.add(a);
    }

    /**
     * A request of the account finished. Near a limit, what it leased and did not spend is given back at
     * once (by the flush thread, off the request path) rather than at the next flush interval, so that
     * another instance's request can have it.
     */
    void finished(KeyAccount a) {
        if (a.nearLimit && a.day.reservedRequests == 0) urgent.offer(a);
    }

    void billed(PeriodCounter c) {
        if (!c.queued) {
            c.queued = true;
            c.account.dirty.add(c);
        }
        active.add(c.account);
    }

    /**
     * One transaction under the key's lock: drops dead instances' leases, reads the key's usage and every
     * lease, and grants this instance enough to cover what it has in flight and billed unflushed plus this
     * request — with a share of what remains (half of it divided among the live instances) when there is
     * enough, nothing more when there is not (the check that follows then refuses). Per-minute buckets
     * are refilled, given their slice back and sliced again the same way.
     */
    void topUp(KeyAccount a, KeyLimits l, Windows w, long tokens, long cost) {
        topUps.increment();
        long started = System.nanoTime();
        long[] epochAt = {0};
        boolean[] tight = {false};
        PeriodCounter[] current = {a.day, a.week, a.month, a.total};
        Map<PeriodCounter, Grant> grants = new HashMap<>();
        Map<MinuteBucket, BucketGrant> slices = new HashMap<>();
        transaction(c -> {
            grants.clear();
            slices.clear();
            tight[0] = false;
            long now = renew(c);
            epochAt[0] = epoch.get(); // this instance's row is locked now: it cannot be declared dead before the commit
            leases.lockKey(c, a.keyId);
            leases.reapDead(c);
            Map<Window, long[]> used = Leases.used(c, a.keyId, w);
            KeyLeases held = leases.leases(c, a.keyId, instanceId);
            int live = leases.liveInstances(c);
            Map<Window, Amounts> mine = new HashMap<>();
            for (PeriodCounter pc : current) {
                Window win = new Window(pc.period, pc.start);
                long[] u = used.getOrDefault(win, new long[4]);
                Amounts others = held.others().getOrDefault(win, Amounts.ZERO);
                Amounts had = held.mine().getOrDefault(win, Amounts.ZERO);
                Long[] limit = limits(l, pc.period);
                Amounts lease = new Amounts(
                        grant(
                                limit[0],
                                u[0],
                                others.requests(),
                                had.requests(),
                                pc.pendingRequests + pc.reservedRequests,
                                1,
                                live),
                        grant(
                                limit[1],
                                u[1] + u[2],
                                others.tokens(),
                                had.tokens(),
                                pc.pendingPromptTokens + pc.pendingCompletionTokens + pc.reservedTokens,
                                tokens,
                                live),
                        grant(
                                limit[2],
                                u[3],
                                others.costNanos(),
                                had.costNanos(),
                                pc.pendingCostNanos + pc.reservedCostNanos,
                                cost,
                                live));
                mine.put(win, lease);
                grants.put(pc, new Grant(u, lease, limit));
                tight[0] |= tight(limit[0], u[0], others.requests(), pc.pendingRequests + pc.reservedRequests, 1, live)
                        || tight(
                                limit[1],
                                u[1] + u[2],
                                others.tokens(),
                                pc.pendingPromptTokens + pc.pendingCompletionTokens + pc.reservedTokens,
                                tokens,
                                live)
                        || tight(
                                limit[2],
                                u[3],
                                others.costNanos(),
                                pc.pendingCostNanos + pc.reservedCostNanos,
                                cost,
                                live);
            }
            leases.writeLeases(c, instanceId, a.keyId, mine);
            slice(c, a, "requests", a.requestsPerMinute, 1, live, now, slices);
            slice(c, a, "tokens", a.tokensPerMinute, tokens, live, now, slices);
        });
        aliveAtNanos = Math.max(aliveAtNanos, started);
        grants.forEach((pc, g) -> g.apply(pc));
        slices.forEach((b, s) -> s.apply((SharedMinuteBucket) b, time));
        a.leasedLimits = l;
        a.leaseEpoch = epochAt[0];
        a.nearLimit = tight[0];
        active.add(a);
    }

    private void flushEvery(Duration interval) {
        long next = System.nanoTime() + interval.toNanos();
        while (stop.getCount() > 0) {
            try {
                KeyAccount a = urgent.poll(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (a != null) flushNow(a);
                else {
                    next = System.nanoTime() + interval.toNanos();
                    flush();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("usage ledger flush failed, will retry: {}", e.getMessage());
            }
        }
    }

    private void flushNow(KeyAccount a) {
        a.lock();
        try {
            flush(a);
        } finally {
            a.unlock();
        }
    }

    /** Writes billed deltas and gives back unspent leases, one transaction per key that changed. */
    void flush() {
        for (KeyAccount a : active) {
            a.lock();
            try {
                flush(a);
            } catch (RuntimeException e) {
                log.warn("usage of key {} not written, will retry: {}", a.keyId, e.getMessage());
            } finally {
                a.unlock();
            }
        }
    }

    @Override
    public void close() {
        if (stop.getCount() == 0) return;
        stop.countDown();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (KeyAccount a : active) {
            a.lock();
            try {
                flush(a);
            } catch (RuntimeException e) {
                log.warn("usage of key {} not written at shutdown: {}", a.keyId, e.getMessage());
            } finally {
                a.unlock();
            }
        }
        try {
            transaction(c -> leases.unregister(c, instanceId));
        } catch (RuntimeException e) {
            log.warn("instance not unregistered; its leases lapse in {} s: {}", TIMEOUT.toSeconds(), e.getMessage());
        }
    }

    /** Under the account's lock: bills what is pending; gives back what is leased and unspent when idle or near the limit. */
    private void flush(KeyAccount a) {
        boolean giveBack = a.nearLimit || !a.admittedSinceFlush || stop.getCount() == 0;
        PeriodCounter[] current = {a.day, a.week, a.month, a.total};
        List<PeriodCounter> dirty = List.copyOf(a.dirty);
        Map<Window, Amounts> mine = new HashMap<>();
        boolean leasesChange = false;
        for (PeriodCounter pc : current) {
            Amounts kept = kept(pc, giveBack);
            mine.put(new Window(pc.period, pc.start), kept);
            leasesChange |= kept.requests() != pc.leaseRequests
                    || kept.tokens() != pc.leaseTokens
                    || kept.costNanos() != pc.leaseCostNanos;
        }
        List<SharedMinuteBucket> returned = new ArrayList<>();
        if (giveBack) {
            for (MinuteBucket b : new MinuteBucket[] {a.requestsPerMinute, a.tokensPerMinute})
                if (b instanceof SharedMinuteBucket s && s.held != 0) returned.add(s);
        }
        if (dirty.isEmpty() && !leasesChange && returned.isEmpty()) {
            a.admittedSinceFlush = false;
            if (giveBack && mine.values().stream().allMatch(Amounts::isZero)) active.remove(a); // nothing held
            return;
        }
        Map<PeriodCounter, long[]> totals = new HashMap<>();
        boolean[] voided = {false};
        transaction(c -> {
            totals.clear();
            long now = renew(c);
            // Leases granted before this instance was declared dead were deleted: never write them back.
            voided[0] = a.leaseEpoch != epoch.get();
            leases.lockKey(c, a.keyId);
            for (PeriodCounter pc : dirty) {
                totals.put(
                        pc,
                        leases.addUsage(
                                c,
                                a.keyId,
                                new Window(pc.period, pc.start),
                                pc.pendingRequests,
                                pc.pendingPromptTokens,
                                pc.pendingCompletionTokens,
                                pc.pendingCostNanos));
            }
            if (!voided[0]) leases.writeLeases(c, instanceId, a.keyId, mine);
            for (SharedMinuteBucket b : returned) {
                String kind = b == a.requestsPerMinute ? "requests" : "tokens";
                BucketRow row = Leases.refill(leases.bucket(c, a.keyId, kind), b.capacity(), Math.abs(now));
                long back = voided[0] ? Math.min(0, b.held) : b.held; // a voided slice was spent; a debt still counts
                leases.writeBucket(
                        c, a.keyId, kind, new BucketRow(Math.min(b.capacity(), row.tokens() + back), row.refilledAt()));
            }
        });
        for (PeriodCounter pc : dirty) {
            long[] t = totals.get(pc);
            if (!pc.leased || voided[0]) {
                pc.requests = t[0];
                pc.promptTokens = t[1];
                pc.completionTokens = t[2];
                pc.costNanos = t[3];
                pc.pendingRequests = pc.pendingPromptTokens = pc.pendingCompletionTokens = pc.pendingCostNanos = 0;
                pc.queued = false;
                continue;
            }
            long sr = pc.requests - pc.pendingRequests + pc.elsewhereRequests + pc.leaseRequests;
            long st = pc.tokens()
                    - pc.pendingPromptTokens
                    - pc.pendingCompletionTokens
                    + pc.elsewhereTokens
                    + pc.leaseTokens;
            long sc = pc.costNanos - pc.pendingCostNanos + pc.elsewhereCostNanos + pc.leaseCostNanos;
            pc.requests = t[0];
            pc.promptTokens = t[1];
            pc.completionTokens = t[2];
            pc.costNanos = t[3];
            pc.pendingRequests = pc.pendingPromptTokens = pc.pendingCompletionTokens = pc.pendingCostNanos = 0;
            // limit = used + elsewhere + lease - pending, before and after: others' flushed usage moves from elsewhere
            // to used
            pc.elsewhereRequests = sr - pc.requests - pc.leaseRequests;
            pc.elsewhereTokens = st - pc.tokens() - pc.leaseTokens;
            pc.elsewhereCostNanos = sc - pc.costNanos - pc.leaseCostNanos;
            pc.queued = false;
        }
        a.dirty.clear();
        for (PeriodCounter pc : current) {
            if (voided[0]) {
                pc.leaseRequests = pc.leaseTokens = pc.leaseCostNanos = 0;
                pc.leased = false;
                continue;
            }
            Amounts kept = mine.get(new Window(pc.period, pc.start));
            pc.elsewhereRequests += pc.leaseRequests - kept.requests();
            pc.elsewhereTokens += pc.leaseTokens - kept.tokens();
            pc.elsewhereCostNanos += pc.leaseCostNanos - kept.costNanos();
            pc.leaseRequests = kept.requests();
            pc.leaseTokens = kept.tokens();
            pc.leaseCostNanos = kept.costNanos();
        }
        for (SharedMinuteBucket b : returned) b.held = 0;
        a.admittedSinceFlush = false;
    }

    /**
     * The lease a counter keeps after its pending usage is flushed: its unspent rest while the key is busy
     * and far from its limit; else only what is in flight — the rest goes back, since near a limit leases
     * split over the instances could each be too small for a request while together they hold enough.
     */
    private static Amounts kept(PeriodCounter pc, boolean giveBack) {
        if (!pc.leased) return Amounts.ZERO;
        if (giveBack)
            return new Amounts(
                    lease(pc.leaseRequests, pc.reservedRequests),
                    lease(pc.leaseTokens, pc.reservedTokens),
                    lease(pc.leaseCostNanos, pc.reservedCostNanos));
        return new Amounts(
                lease(pc.leaseRequests, pc.leaseRequests - pc.pendingRequests),
                lease(pc.leaseTokens, pc.leaseTokens - pc.pendingPromptTokens - pc.pendingCompletionTokens),
                lease(pc.leaseCostNanos, pc.leaseCostNanos - pc.pendingCostNanos));
    }

    /** A dimension without a limit has no lease (0). */
    private static long lease(long lease, long kept) {
        return lease == 0 ? 0 : Math.max(0, kept);
    }

    /**
     * The lease to hold on one limited dimension: what is consumed locally (billed unflushed, in flight)
     * plus this request's need, plus a share of what remains beyond that; when not even that is free,
     * only what is consumed: a refusal takes nothing, and gives back what this instance held unspent.
     */
    static long grant(Long limit, long used, long others, long had, long consumed, long need, int live) {
        if (limit == null) return 0;
        long free = limit - used - others;
        long want = consumed + need;
        if (free < want) return Math.max(0, Math.min(had, consumed));
        return want + (free - want) / (2L * live);
    }

    /** Near the limit: what remains is less than every live instance's share of one more such request. */
    static boolean tight(Long limit, long used, long others, long consumed, long need, int live) {
        return limit != null && limit - used - others - consumed - need < 2L * live * need;
    }

    /** The limits on one window: requests, tokens, nano-dollars; null where none. */
    private static Long[] limits(KeyLimits l, BudgetPeriod p) {
        Long budget = l.budgetUsd() != null && l.budgetPeriod() == p ? l.budgetNanos() : null;
        return switch (p) {
            case DAY -> new Long[] {l.requestsPerDay(), l.tokensPerDay(), budget};
            case MONTH -> new Long[] {l.requestsPerMonth(), l.tokensPerMonth(), budget};
            case WEEK, TOTAL -> new Long[] {null, null, budget};
        };
    }

    private static boolean limited(KeyLimits l) {
        return l.requestsPerMinute() != null
                || l.tokensPerMinute() != null
                || l.requestsPerDay() != null
                || l.tokensPerDay() != null
                || l.requestsPerMonth() != null
                || l.tokensPerMonth() != null
                || l.budgetUsd() != null;
    }

    private void slice(
            Connection c,
            KeyAccount a,
            String kind,
            MinuteBucket bucket,
            long need,
            int live,
            long now,
            Map<MinuteBucket, BucketGrant> slices)
            throws SQLException {
        if (!(bucket instanceof SharedMinuteBucket b)) return;
        long cap = b.capacity();
        BucketRow row = Leases.refill(leases.bucket(c, a.keyId, kind), cap, Math.abs(now));
        long tokens = Math.min(cap, row.tokens() + b.held);
        long held = 0;
        if (need <= tokens) {
            held = need + (tokens - need) / (2L * live);
            tokens -= held;
        }
        leases.writeBucket(c, a.keyId, kind, new BucketRow(tokens, row.refilledAt()));
        slices.put(b, new BucketGrant(held, tokens));
    }

    /** Renews the heartbeat inside the transaction; on learning this instance was declared dead, voids every lease. */
    private long renew(Connection c) throws SQLException {
        long now = leases.heartbeat(c, instanceId);
        if (now < 0) {
            epoch.incrementAndGet();
            log.warn(
                    "this instance was declared dead (no heartbeat for {} s); its leases were released",
                    TIMEOUT.toSeconds());
        }
        return now;
    }

    private void heartbeat() {
        long started = System.nanoTime();
        transaction(this::renew);
        aliveAtNanos = Math.max(aliveAtNanos, started);
    }

    private record Grant(long[] used, Amounts lease, Long[] limit) {
        void apply(PeriodCounter pc) {
            pc.requests = used[0] + pc.pendingRequests;
            pc.promptTokens = used[1] + pc.pendingPromptTokens;
            pc.completionTokens = used[2] + pc.pendingCompletionTokens;
            pc.costNanos = used[3] + pc.pendingCostNanos;
            pc.leaseRequests = lease.requests();
            pc.leaseTokens = lease.tokens();
            pc.leaseCostNanos = lease.costNanos();
            pc.elsewhereRequests = limit[0] == null ? 0 : limit[0] - used[0] - lease.requests();
            pc.elsewhereTokens = limit[1] == null ? 0 : limit[1] - used[1] - used[2] - lease.tokens();
            pc.elsewhereCostNanos = limit[2] == null ? 0 : limit[2] - used[3] - lease.costNanos();
            pc.leased = true;
        }
    }

    private record BucketGrant(long held, long rowTokens) {
        void apply(SharedMinuteBucket b, TimeMeter time) {
            b.held = held;
            b.rowTokens = rowTokens;
            b.rowAtMillis = time.currentTimeNanos() / 1_000_000;
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void transaction(Work work) {
        try (Connection c = db.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot update the shared usage ledger: " + e.getMessage(), e);
        }
    }

    private Thread every(String name, Duration interval, Runnable task) {
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("{} failed, will retry: {}", name, e.getMessage());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
