package dev.tollgate.proxy.keys;

import dev.tollgate.proxy.store.ChangeSignal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Recent authentications by secret hash, so a request does not need the database. An entry is used
 * only while no key has changed since it was read ({@link ChangeSignal}), for at most a few
 * seconds, and while its secret is still valid (a rotated-out secret's grace period); expiry is
 * checked on every use. Unknown secrets are remembered too, within a bounded size.
 */
final class AuthCache {
    /** What a secret hash resolved to: the key (or none) and until when that secret is accepted. */
    record Match(ClientKey key, Instant secretValidUntil) {}

    private record Entry(Optional<Match> match, long changes, long loadedNanos) {}

    private static final int MAX_ENTRIES = 10_000;
    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    Optional<Match> get(String hash, Function<String, Optional<Match>> load) {
        long changes = ChangeSignal.changes();
        Entry entry = entries.get(hash);
        if (entry != null
                && ChangeSignal.fresh(entry.changes())
                && System.nanoTime() - entry.loadedNanos() < MAX_AGE_NANOS) return entry.match();
        Optional<Match> match =
                load.apply(hash); // read after the counter: a change during the read makes this entry stale
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        entries.put(hash, new Entry(match, changes, System.nanoTime()));
        return match;
    }

    void clear() {
        entries.clear();
    }
}
