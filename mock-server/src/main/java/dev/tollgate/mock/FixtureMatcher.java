package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.MatchKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the fixture answer for a request. Fixtures are indexed by method, path and canonical body
 * ({@link MatchKey}), so a lookup is one canonicalisation per distinct ignore set and a hash probe.
 * Every fixture matching one request contributes its answers, in file order, to one sequence of
 * turns: the n-th such request gets the n-th answer, and the last answer repeats.
 */
public final class FixtureMatcher {
    /**
     * One answer: which fixture, which of its turns, and for a JSON answer its compact bytes, made
     * once when the fixtures load rather than on every request.
     */
    public record Hit(Fixture fixture, int turn, FixtureResponse response, byte[] compactBody) {}

    /** The closest fixture when nothing matched, and the body paths where it differs. */
    public record NearMiss(Fixture nearest, List<String> differences) {}

    private record Turn(Fixture fixture, int index, byte[] compactBody) {}

    private static final class Sequence {
        final List<Turn> turns = new ArrayList<>();
        final AtomicInteger served = new AtomicInteger();
    }

    private final List<Fixture> fixtures;
    private final Map<Set<String>, Map<String, Sequence>> byIgnoreSet = new LinkedHashMap<>();
    private final Map<Fixture, Set<String>> ignoredOf = new LinkedHashMap<>();

    public FixtureMatcher(List<Fixture> fixtures, Set<String> serverIgnored) {
        this.fixtures = List.copyOf(fixtures);
        for (Fixture f : this.fixtures) {
            Set<String> ignored = Set.copyOf(f.match().ignoredOn(serverIgnored));
            ignoredOf.put(f, ignored);
            Sequence seq = byIgnoreSet
                    .computeIfAbsent(ignored, k -> new java.util.HashMap<>())
                    .computeIfAbsent(
                            key(
                                    f.request().method(),
                                    f.request().path(),
                                    f.request().body(),
                                    ignored),
                            k -> new Sequence());
            for (int i = 0; i < f.responses().size(); i++) {
                JsonNode body = f.responses().get(i).body();
                seq.turns.add(
                        new Turn(f, i, body == null ? null : Json.compact(body).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    public List<Fixture> fixtures() {
        return fixtures;
    }

    /** The answer for this request, advancing its turn; null when no fixture matches. */
    public Hit find(String method, String path, JsonNode body) {
        return lookup(method, path, body, true);
    }

    /** The answer {@link #find} would give next, without advancing the turn. */
    public Hit peek(String method, String path, JsonNode body) {
        return lookup(method, path, body, false);
    }

    private Hit lookup(String method, String path, JsonNode body, boolean advance) {
        for (Map.Entry<Set<String>, Map<String, Sequence>> group : byIgnoreSet.entrySet()) {
            Sequence seq = group.getValue().get(key(method, path, body, group.getKey()));
            if (seq == null) continue;
            int n = advance ? seq.served.getAndIncrement() : seq.served.get();
            Turn t = seq.turns.get(Math.min(n, seq.turns.size() - 1));
            return new Hit(t.fixture(), t.index(), t.fixture().turn(t.index()), t.compactBody());
        }
        return null;
    }

    /** The fixture with the fewest differing body paths, preferring the same method and path; null if there are no fixtures. */
    public NearMiss nearest(String method, String path, JsonNode body) {
        NearMiss best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Fixture f : fixtures) {
            boolean sameEndpoint =
                    f.request().method().equals(method) && f.request().path().equals(path);
            List<String> differences = new ArrayList<>();
            if (!sameEndpoint)
                differences.add(
                        "endpoint (" + f.request().method() + " " + f.request().path() + " in the fixture)");
            differences.addAll(MatchKey.differences(f.request().body(), body, ignoredOf.get(f), 20));
            // A different endpoint is never nearer than any difference in the body.
            int distance = differences.size() + (sameEndpoint ? 0 : 1000);
            if (distance < bestDistance) {
                best = new NearMiss(f, differences);
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * The fixture that answers every request {@code f} matches before {@code f}'s own sequence is
     * looked at, or null when some request reaches {@code f}. That is a fixture of an earlier ignore
     * group (groups are tried in the order their first fixture loaded) that ignores every field
     * {@code f} ignores, and more, and matches {@code f}'s own request. Files with the same request
     * and the same ignored fields are turns of one sequence, each reached in turn: never shadowed.
     */
    public Fixture shadowing(Fixture f) {
        Set<String> own = ignoredOf.get(f);
        if (own == null) throw new IllegalArgumentException("not one of this matcher's fixtures: " + f.name());
        for (Map.Entry<Set<String>, Map<String, Sequence>> group : byIgnoreSet.entrySet()) {
            if (group.getKey().equals(own)) return null;
            if (!group.getKey().containsAll(own)) continue;
            Sequence seq = group.getValue()
                    .get(key(
                            f.request().method(),
                            f.request().path(),
                            f.request().body(),
                            group.getKey()));
            if (seq != null) return seq.turns.get(0).fixture();
        }
        return null;
    }

    /** Carries on the turn counts of {@code previous} for the requests both know (after a reload that added a fixture). */
    public void takeTurnsFrom(FixtureMatcher previous) {
        byIgnoreSet.forEach((ignored, sequences) -> {
            Map<String, Sequence> old = previous.byIgnoreSet.get(ignored);
            if (old == null) return;
            sequences.forEach((key, seq) -> {
                Sequence before = old.get(key);
                if (before != null) seq.served.set(before.served.get());
            });
        });
    }

    /** Forgets how many times each request was answered: turns start again from the first. */
    public void resetTurns() {
        byIgnoreSet.values().forEach(m -> m.values().forEach(s -> s.served.set(0)));
    }

    private static String key(String method, String path, JsonNode body, Set<String> ignored) {
        return method + ' ' + path + '\n' + MatchKey.canonical(body, ignored);
    }
}
