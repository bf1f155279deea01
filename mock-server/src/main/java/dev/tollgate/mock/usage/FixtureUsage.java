package dev.tollgate.mock.usage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests each fixture of one mock server answered since it started. Unlike the journal
 * it is never truncated and never reset (not by {@code /__admin/reset} either): it is what a test
 * run used, for {@code drift}.
 */
public final class FixtureUsage {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final String since = Instant.now().toString();

    /** One request answered by fixture {@code name}. */
    public void answered(String name) {
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** The counts so far, as a report naming {@code folder} (the server's fixtures folder, or null). */
    public UsageReport report(Path folder) {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((name, n) -> snapshot.put(name, n.sum()));
        return new UsageReport(
                snapshot,
                folder == null
                        ? List.of()
                        : List.of(folder.toAbsolutePath().normalize().toString()),
                since,
                Instant.now().toString());
    }
}
