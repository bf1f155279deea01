package dev.tollgate.mock.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.MatchRules;
import dev.tollgate.mock.drift.Finding.Kind;
import dev.tollgate.mock.usage.UsageReport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mock-server drift --fixtures DIR [--usage FILE…] [--from URL]}: fixtures a test run did not use, and fixtures that fail validation. */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = {
            "Reports fixtures that no request of a test run used, and fixtures that fail validation: files that are not JSON or"
                    + " not fixtures, streams cut short (a chat stream without [DONE] that is not an error stream), bodies that are not JSON,"
                    + " requests no client can reach (shadowed by another fixture, a route the mock does not serve) or that Groq would refuse.",
            "One line per finding: FILE: KIND: REASON. Exit code 0 when no finding fails (see --fail-on), 1 when one does, 2 for a usage"
                    + " error or input that cannot be read."
        })
public class DriftCommand implements Callable<Integer> {
    @Option(
            names = "--fixtures",
            defaultValue = "fixtures",
            paramLabel = "DIR",
            description = "Folder of fixture files (default: ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(
            names = "--usage",
            arity = "1..*",
            paramLabel = "FILE",
            description =
                    "Usage reports written by mock servers of the test run (--usage-report, MockGroqExtension.usageReport); counts add up.")
    List<Path> usage = new ArrayList<>();

    @Option(
            names = "--from",
            paramLabel = "URL",
            description = "A running mock server (e.g. http://127.0.0.1:8081) whose usage since its start counts too.")
    List<String> from = new ArrayList<>();

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text (one line per finding) or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--fail-on",
            split = ",",
            paramLabel = "KIND",
            description =
                    "Findings that make the exit code 1: unused, invalid (every other kind), all, none, or single kinds"
                            + " (bad-fixture, bad-stream, bad-body, unreachable, bad-request). Default: all.")
    List<String> failOn;

    @Option(
            names = "--ignore",
            split = ",",
            description = "The mock server's --ignore, so reachability is judged as it matches.")
    List<String> ignore = List.of();

    @Option(names = "--consider", split = ",", description = "The mock server's --consider.")
    List<String> consider = List.of();

    @Spec
    CommandSpec spec;

    public DriftCommand() {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new ParameterException(spec.commandLine(), "--format must be text or json, was " + format);
        };
        boolean haveUsage = !usage.isEmpty() || !from.isEmpty();
        Set<Kind> failing = failingKinds(haveUsage);
        if (!Files.isDirectory(fixtures)) {
            err.println("drift: fixtures folder not found: " + fixtures);
            err.flush();
            return 2;
        }
        UsageReport total = null;
        List<String> sources = new ArrayList<>();
        try {
            for (Path file : usage) {
                total = (total == null ? UsageReport.empty() : total).plus(readReport(file));
                sources.add(file.toString());
            }
            for (String url : from) {
                total = (total == null ? UsageReport.empty() : total).plus(fetch(url));
                sources.add(url);
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("drift: " + e.getMessage());
            err.flush();
            return 2;
        }
        Set<String> ignored = new TreeSet<>(MatchRules.DEFAULT_IGNORED);
        ignored.addAll(ignore);
        consider.forEach(ignored::remove);

        FixtureDrift.Result result = FixtureDrift.check(fixtures, ignored, total);
        long failed = result.findings().stream()
                .filter(f -> failing.contains(f.kind()))
                .count();
        if (json) out.println(Json.pretty(toJson(result, total, sources, failed)));
        else result.findings().forEach(f -> out.println(f.line()));
        out.flush();
        summary(err, result, total, sources, failed);
        return failed == 0 ? 0 : 1;
    }

    private Set<Kind> failingKinds(boolean haveUsage) {
        if (failOn == null) return EnumSet.allOf(Kind.class);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String raw : failOn) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "all" -> kinds.addAll(EnumSet.allOf(Kind.class));
                case "none" -> {}
                case "invalid" ->
                    EnumSet.allOf(Kind.class).stream().filter(Kind::invalid).forEach(kinds::add);
                default ->
                    kinds.add(EnumSet.allOf(Kind.class).stream()
                            .filter(k -> k.label().equals(name))
                            .findFirst()
                            .orElseThrow(() -> new ParameterException(
                                    spec.commandLine(),
                                    "--fail-on takes unused, invalid, all, none or "
                                            + EnumSet.allOf(Kind.class).stream()
                                                    .map(Kind::label)
                                                    .collect(Collectors.joining(", "))
                                            + "; not '" + raw + "'")));
            }
        }
        if (failOn.stream().anyMatch(k -> k.trim().equalsIgnoreCase("unused")) && !haveUsage)
            throw new ParameterException(
                    spec.commandLine(), "--fail-on unused needs the test run's usage: --usage FILE or --from URL");
        return kinds;
    }

    private static UsageReport readReport(Path file) {
        if (!Files.isRegularFile(file))
            throw new IllegalArgumentException(
                    "usage report not found: " + file + " (a mock server writes it when it stops, with --usage-report"
                            + " or MockGroqExtension.usageReport)");
        return UsageReport.read(file);
    }

    /** {@code GET URL/__admin/usage}; URL may end in /v1 or /openai/v1, as a client's base URL does. */
    private static UsageReport fetch(String url) {
        String base = url.replaceFirst("/+$", "").replaceFirst("(/openai)?/v1$", "");
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/__admin/usage"))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
                throw new IllegalArgumentException(
                        base + "/__admin/usage answered " + response.statusCode() + ": is it a Tollgate mock server?");
            return UsageReport.fromJson(Json.parse(response.body()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the usage of the mock server at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while reading " + base + "/__admin/usage", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(base + "/__admin/usage: " + e.getMessage(), e);
        }
    }

    private ObjectNode toJson(FixtureDrift.Result result, UsageReport total, List<String> sources, long failed) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("fixtures", fixtures.toString());
        root.put("checked", result.checked());
        if (total == null) {
            root.putNull("usage");
        } else {
            ObjectNode u = root.putObject("usage");
            sources.forEach(u.putArray("sources")::add);
            u.put("requests", requests(total));
            if (total.since() != null) u.put("since", total.since());
            if (total.updated() != null) u.put("updated", total.updated());
            result.usedNotFound().forEach(u.putArray("notInFolder")::add);
        }
        ArrayNode list = root.putArray("findings");
        for (Finding f : result.findings()) {
            list.addObject()
                    .put("file", f.file())
                    .put("fixture", f.fixture())
                    .put("kind", f.kind().label())
                    .put("reason", f.reason());
        }
        root.put("failing", failed);
        return root;
    }

    private void summary(
            PrintWriter err, FixtureDrift.Result result, UsageReport total, List<String> sources, long failed) {
        long unused =
                result.findings().stream().filter(f -> f.kind() == Kind.UNUSED).count();
        long invalidFiles = result.findings().stream()
                .filter(f -> f.kind().invalid())
                .map(Finding::file)
                .distinct()
                .count();
        err.printf(
                "drift: %d fixtures in %s: %d unused, %d failing validation; %d findings fail (--fail-on)%n",
                result.checked(), fixtures, unused, invalidFiles, failed);
        if (total == null) {
            err.println(
                    "drift: unused fixtures not checked: give the test run's usage with --usage FILE or --from URL");
        } else {
            err.printf(
                    "drift: usage from %s: %d requests answered by fixtures%s%n",
                    String.join(", ", sources),
                    requests(total),
                    total.since() == null ? "" : ", " + total.since() + " to " + total.updated());
            if (!result.usedNotFound().isEmpty()) {
                err.printf(
                        "drift: the usage names %d fixtures that are not in %s (%s): is it the folder the mock served?%n",
                        result.usedNotFound().size(),
                        fixtures,
                        result.usedNotFound().stream().limit(5).collect(Collectors.joining(", "))
                                + (result.usedNotFound().size() > 5 ? ", …" : ""));
            }
        }
        err.flush();
    }

    private static long requests(UsageReport report) {
        return report.fixtures().values().stream().mapToLong(Long::longValue).sum();
    }
}
