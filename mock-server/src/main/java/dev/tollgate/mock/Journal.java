package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The last requests the mock answered, newest last, for tests to inspect (bounded, oldest dropped). */
public final class Journal {
    /**
     * @param fixture     the fixture that answered, or null
     * @param turn        which of its answers (0-based), or -1
     * @param nearest     when nothing matched: the nearest fixture, or null
     * @param differences when nothing matched: where the request differs from the nearest fixture
     * @param fault       the fault injected, in {@code x-mock-fault} form, or null
     */
    public record Entry(long seq, String at, String method, String path, boolean stream, int status,
                        String fixture, int turn, String nearest, List<String> differences, String fault, JsonNode body) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries;
    private final AtomicLong seq = new AtomicLong();

    public Journal(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("journal size must be >= 0");
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public long nextSeq() {
        return seq.incrementAndGet();
    }

    public synchronized void add(Entry entry) {
        if (capacity == 0) return;
        if (entries.size() == capacity) entries.removeFirst();
        entries.addLast(entry);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
