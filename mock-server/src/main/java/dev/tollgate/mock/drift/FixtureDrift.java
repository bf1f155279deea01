package dev.tollgate.mock.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureCodec;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.FixtureMatcher;
import dev.tollgate.mock.drift.Finding.Kind;
import dev.tollgate.mock.usage.UsageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a fixtures folder: every file that does not load, every fixture that fails validation or
 * that no request can reach (as the mock server would match with {@code serverIgnored}), and, given
 * the usage of a test run, every fixture that run did not use.
 */
public final class FixtureDrift {
    /**
     * @param checked      how many fixture files were looked at
     * @param findings     sorted by file, then kind
     * @param usedNotFound fixtures the usage names that are not in the folder (another folder, or deleted since)
     */
    public record Result(int checked, List<Finding> findings, Set<String> usedNotFound) {}

    private FixtureDrift() {}

    /** @param usage the test run's usage, or null to leave out the {@code unused} check */
    public static Result check(Path dir, Set<String> serverIgnored, UsageReport usage) {
        List<Path> files = FixtureFiles.list(dir);
        List<Finding> findings = new ArrayList<>();
        List<Fixture> loaded = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (Path file : files) {
            String name = FixtureFiles.nameOf(dir, file);
            names.add(name);
            try {
                loaded.add(load(file, name));
            } catch (IllegalArgumentException e) {
                findings.add(new Finding(name + ".json", name, Kind.BAD_FIXTURE, e.getMessage()));
            }
        }
        FixtureMatcher matcher = new FixtureMatcher(loaded, serverIgnored);
        for (Fixture f : loaded) {
            String file = f.name() + ".json";
            FixtureChecks.check(f).forEach(p -> findings.add(new Finding(file, f.name(), p.kind(), p.reason())));
            Fixture first = matcher.shadowing(f);
            if (first != null)
                findings.add(new Finding(file, f.name(), Kind.UNREACHABLE, shadowed(f, first, serverIgnored)));
            if (usage != null && usage.fixtures().getOrDefault(f.name(), 0L) == 0)
                findings.add(new Finding(file, f.name(), Kind.UNUSED, "no request of the test run was answered by it"));
        }
        findings.sort(Comparator.comparing(Finding::file).thenComparing(Finding::kind));
        Set<String> usedNotFound = new TreeSet<>();
        if (usage != null)
            usage.fixtures().keySet().stream().filter(n -> !names.contains(n)).forEach(usedNotFound::add);
        return new Result(files.size(), List.copyOf(findings), usedNotFound);
    }

    /** Reads one file the way the mock does, telling "not JSON" from "not a fixture". */
    private static Fixture load(Path file, String name) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        try {
            return FixtureCodec.fromJson(name, root);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a fixture (see fixtures/README.md): " + e.getMessage(), e);
        }
    }

    private static String shadowed(Fixture f, Fixture first, Set<String> serverIgnored) {
        Set<String> more = new TreeSet<>(first.match().ignoredOn(serverIgnored));
        more.removeAll(f.match().ignoredOn(serverIgnored));
        return "never answered: every request it matches is answered by " + first.name()
                + " first, which matches the same request" + " and ignores more of it (" + String.join(", ", more)
                + ")";
    }
}
