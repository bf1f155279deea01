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
     * @param apiKey      the bearer token the client sent, masked to its first and last 4 characters, or null
     * @param outcome     how the answer ended: {@code complete}, {@code client disconnected after N events},
     *                    {@code cut after N events (fault)}; {@code sending} while it is still being written
     */
    public record Entry(
            long seq,
            String at,
            String method,
            String path,
            boolean stream,
            int status,
            String fixture,
            int turn,
            String nearest,
            List<String> differences,
            String fault,
            String apiKey,
            String outcome,
            JsonNode body) {
        Entry withOutcome(String newOutcome) {
            return new Entry(
                    seq,
                    at,
                    method,
                    path,
                    stream,
                    status,
                    fixture,
                    turn,
                    nearest,
                    differences,
                    fault,
                    apiKey,
                    newOutcome,
                    body);
        }
    }

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

    /** Records how the answer to request {@code seq} ended. */
    public synchronized void finish(long seq, String outcome) {
        var it = entries.descendingIterator();
        java.util.List<Entry> newer = new java.util.ArrayList<>();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.seq() == seq) {
                it.remove();
                newer.add(0, e.withOutcome(outcome));
                break;
            }
            if (e.seq() < seq) break;
            it.remove();
            newer.add(0, e);
        }
        entries.addAll(newer);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
