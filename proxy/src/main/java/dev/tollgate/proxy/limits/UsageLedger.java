package dev.tollgate.proxy.limits;

import dev.tollgate.proxy.openai.ApiError;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Admits requests against their key's limits and bills what they used.
 *
 * <p>Each key has an in-memory account, authoritative within this process: {@link #admit} and
 * {@link #settle} take the key's lock for a few comparisons and additions, never the database, so
 * concurrent requests can never together pass a limit and the hot path stays cheap. Requests count
 * when admitted (reserved), so 500 concurrent requests against a quota of 50 admit exactly 50.
 *
 * <p>Persistence: an account is loaded from {@code usage_counters} on its key's first use; counters
 * that changed are written back (absolute values) by one background virtual thread every
 * {@link LimitsConfig#flushInterval()} and on {@link #close()}. Reservations are not stored: after a
 * crash, requests in flight are forgotten, and up to one flush interval of usage may be lost.
 *
 * <p>Shared mode (PostgreSQL, several instances on one database): the accounts admit against leases of
 * each key's remaining allowance held in the database, asking it ({@link SharedLedger#topUp}) only when
 * a lease cannot cover a request, and counters are written as deltas; see {@link SharedLedger}.
 */
public final class UsageLedger implements AutoCloseable {
    private final LimitsConfig config;
    private final Calendar calendar;
    private final CostMeter meter;
    private final TimeMeter time;
    private final UsageCounters counters;
    private final ConcurrentHashMap<String, KeyAccount> accounts = new ConcurrentHashMap<>();
    private final CounterFlusher flusher; // null in shared mode
    private final SharedLedger shared; // null with one instance

    /** A ledger for the only instance on this database (H2). */
    public UsageLedger(DataSource db, Clock clock, LimitsConfig config) {
        this(db, clock, config, false);
    }

    /** {@code shared}: other instances use the same (PostgreSQL) database; limits are kept exact across them. */
    public UsageLedger(DataSource db, Clock clock, LimitsConfig config, boolean shared) {
        this.config = config;
        this.calendar = new Calendar(clock, config.zone());
        this.meter = new CostMeter(config.prices());
        this.time = new ClockTime(clock);
        this.counters = new UsageCounters(db, shared);
        this.flusher = shared ? null : new CounterFlusher(counters, clock, config.flushInterval());
        this.shared = shared ? new SharedLedger(db, time, config.flushInterval()) : null;
    }

    /** Admissions that asked the database for a larger lease (shared mode; 0 otherwise). */
    public long topUps() {
        return shared == null ? 0 : shared.topUps();
    }

    public LimitsConfig config() {
        return config;
    }

    /** The output tokens to reserve: the request's max_completion_tokens / max_tokens, else the configured default. */
    public long outputTokenEstimate(Long requestedMax) {
        return requestedMax != null && requestedMax > 0 ? requestedMax : config.defaultOutputTokens();
    }

    /** What tokens cost at the configured prices, in nano-dollars (HALF_UP). */
    public long costNanos(long promptTokens, long completionTokens) {
        return meter.costNanos(promptTokens, completionTokens);
    }

    /**
     * Reserves one request, {@code promptTokenEstimate + outputTokenEstimate} tokens and their cost
     * against every limit the key has, or refuses without reserving anything.
     *
     * @throws ApiError 429 naming the key and the limit, with retry-after and x-ratelimit-* headers
     */
    public Reservation admit(
            String keyId, String keyName, KeyLimits limits, long promptTokenEstimate, long outputTokenEstimate) {
        if (promptTokenEstimate < 0 || outputTokenEstimate < 0)
            throw new IllegalArgumentException("token estimates must be >= 0");
        if (limits == null) limits = KeyLimits.NONE;
        long tokens = Math.addExact(promptTokenEstimate, outputTokenEstimate);
        long cost = meter.costNanos(promptTokenEstimate, outputTokenEstimate);
        long now = calendar.millis();
        Windows w = calendar.at(now);
        KeyAccount a = account(keyId, w);
        Refusal refusal;
        RateLimitHeaders headers;
        a.lock();
        try {
            a.roll(w);
            a.apply(limits, time);
            boolean toppedUp = false;
            if (shared != null && !shared.fresh(a, limits)) {
                shared.topUp(a, limits, w, tokens, cost);
                toppedUp = true;
            }
            refusal = Admission.check(a, limits, tokens, cost, w, now);
            if (refusal != null && shared != null && !toppedUp && SharedLedger.worthTopUp(refusal)) {
                shared.topUp(a, limits, w, tokens, cost); // the local lease could not cover it: ask for more
                refusal = Admission.check(a, limits, tokens, cost, w, now);
            }
            if (refusal == null) {
                a.day.reserve(tokens, cost);
                a.week.reserve(tokens, cost);
                a.month.reserve(tokens, cost);
                a.total.reserve(tokens, cost);
                if (shared != null) shared.admitted(a);
            }
            headers = Admission.headers(a, limits, w, now);
            if (refusal == null) return new Reservation(a, promptTokenEstimate, outputTokenEstimate, cost, headers);
        } finally {
            a.unlock();
        }
        throw LimitRefusal.error(keyId, keyName, refusal, headers, calendar.zone(), now);
    }

    /** {@link #settle(Reservation, long, long, long)} with no prompt tokens from the prompt cache. */
    public void settle(Reservation r, long promptTokens, long completionTokens) {
        settle(r, promptTokens, 0, completionTokens);
    }

    /**
     * Bills what the request really used (the answer's usage; for a disconnected stream, what it
     * consumed) in the windows it was admitted in, frees its reservation, and corrects the
     * tokens-per-minute bucket: unused tokens go back, extra ones are taken. {@code cachedTokens}, the
     * part of the prompt Groq served from its prompt cache, cost the cached price and, as at Groq, do
     * not count toward the tokens-per-minute limit (token quotas count every token). Only the first
     * settle or release of a reservation counts.
     */
    public void settle(Reservation r, long promptTokens, long cachedTokens, long completionTokens) {
        if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0)
            throw new IllegalArgumentException("token counts must be >= 0");
        cachedTokens = Math.min(cachedTokens, promptTokens);
        long cost = meter.costNanos(promptTokens, cachedTokens, completionTokens);
        KeyAccount a = r.account;
        a.lock();
        try {
            if (r.finished) return;
            r.finished = true;
            settle(r, r.day, promptTokens, completionTokens, cost);
            settle(r, r.week, promptTokens, completionTokens, cost);
            settle(r, r.month, promptTokens, completionTokens, cost);
            settle(r, r.total, promptTokens, completionTokens, cost);
            if (r.tookTokens && a.tokensPerMinute != null) {
                long unused = r.tokenEstimate() - (promptTokens - cachedTokens + completionTokens);
                if (unused > 0) a.tokensPerMinute.giveBack(unused);
                else a.tokensPerMinute.takeAnyway(-unused);
            }
            r.billed(cost);
            if (shared != null) shared.finished(a);
        } finally {
            a.unlock();
        }
    }

    /** Nothing was used (upstream failed before answering): the request and its tokens are given back whole. */
    public void release(Reservation r) {
        KeyAccount a = r.account;
        a.lock();
        try {
            if (r.finished) return;
            r.finished = true;
            long tokens = r.tokenEstimate(), cost = r.estimatedCostNanos();
            r.day.unreserve(tokens, cost);
            r.week.unreserve(tokens, cost);
            r.month.unreserve(tokens, cost);
            r.total.unreserve(tokens, cost);
            if (r.tookRequest && a.requestsPerMinute != null) a.requestsPerMinute.giveBack(1);
            if (r.tookTokens && a.tokensPerMinute != null) a.tokensPerMinute.giveBack(r.tokenEstimate());
            r.billed(0);
            if (shared != null) shared.finished(a);
        } finally {
            a.unlock();
        }
    }

    /** The x-ratelimit-* values for the reservation's answer (as of its admission). */
    public RateLimitHeaders headers(Reservation r) {
        return r.headers();
    }

    /** The key's usage in the current windows, with its limits and what remains. */
    public KeyUsage usage(String keyId, KeyLimits limits) {
        if (limits == null) limits = KeyLimits.NONE;
        long now = calendar.millis();
        Windows w = calendar.at(now);
        KeyAccount a = account(keyId, w);
        a.lock();
        try {
            a.roll(w);
            a.apply(limits, time);
            return KeyUsage.of(a, limits, w, now, calendar.zone());
        } finally {
            a.unlock();
        }
    }

    /** Writes every changed counter to the database now (the background thread does it every flush interval). */
    public void flush() {
        if (shared != null) shared.flush();
        else flusher.flush();
    }

    /** Stops the background writer and writes what is left. Settle requests in flight before closing. */
    @Override
    public void close() {
        if (shared != null) shared.close();
        else flusher.close();
    }

    private void settle(Reservation r, PeriodCounter c, long prompt, long completion, long cost) {
        c.unreserve(r.tokenEstimate(), r.estimatedCostNanos());
        c.bill(prompt, completion, cost);
        if (shared != null) shared.billed(c);
        else flusher.changed(c);
    }

    private KeyAccount account(String keyId, Windows w) {
        KeyAccount a = accounts.get(keyId);
        if (a != null) return a;
        KeyAccount loaded = counters.load(keyId, w); // outside any lock; a racing loader's copy is dropped
        a = accounts.putIfAbsent(keyId, loaded);
        return a != null ? a : loaded;
    }
}
