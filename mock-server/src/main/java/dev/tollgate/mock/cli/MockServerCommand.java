package dev.tollgate.mock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.tollgate.fixture.record.RecordMode;
import dev.tollgate.fixture.record.Redaction;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.drift.DriftCommand;
import dev.tollgate.mock.importer.ImportCommand;
import dev.tollgate.mock.record.RecordSettings;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar mock-server.jar [options]} serves fixtures; {@code … import} converts recordings into fixtures;
 * {@code … drift} reports unused and invalid fixtures.
 */
@Command(
        name = "mock-server",
        mixinStandardHelpOptions = true,
        version = "Tollgate mock server 0.1.0",
        description =
                "Replays recorded Groq exchanges: same bodies, same event streams, Groq's pacing, errors and faults.",
        subcommands = {ImportCommand.class, DriftCommand.class})
public final class MockServerCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "8081",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for all interfaces (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--fixtures",
            defaultValue = "fixtures",
            description = "Folder of fixture files (default: ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(
            names = "--mode",
            defaultValue = "strict",
            description =
                    "When no fixture matches: strict (an error naming the nearest fixture) or synthetic (a generated answer). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(
            names = "--pace",
            defaultValue = "500",
            description =
                    "Stream pacing: recorded (offsets as recorded, see --speed), instant, or tokens per second (default: ${DEFAULT-VALUE}, like Groq).")
    String pace;

    @Option(
            names = "--speed",
            defaultValue = "1",
            description = "With --pace recorded: play this many times faster (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--ttft",
            defaultValue = "150",
            description = "With --pace N: time to first token in ms (default: ${DEFAULT-VALUE}).")
    double ttftMs;

    @Option(
            names = "--ignore",
            split = ",",
            description = "More body fields to leave out of matching (names or dotted paths).")
    List<String> ignore = List.of();

    @Option(
            names = "--consider",
            split = ",",
            description = "Default-ignored fields to match on after all (e.g. temperature).")
    List<String> consider = List.of();

    @Option(
            names = "--journal-size",
            defaultValue = "1000",
            description = "Requests the journal keeps (default: ${DEFAULT-VALUE}).")
    int journalSize;

    @Option(
            names = "--record-from",
            paramLabel = "URL",
            description =
                    "Forward requests no fixture answers to this upstream (e.g. https://api.groq.com/openai/v1) and record the answers"
                            + " into --fixtures. The key sent is $RECORD_API_KEY, else $GROQ_API_KEY, else the client's own Authorization header.")
    String recordFrom;

    @Option(
            names = "--record-mode",
            defaultValue = "new_episodes",
            description =
                    "With --record-from: once or new_episodes (answer from fixtures, record what has none) or all (forward and"
                            + " re-record everything). Default: ${DEFAULT-VALUE}.")
    String recordMode;

    @Option(
            names = "--redact-paths",
            split = ",",
            paramLabel = "PATH",
            description =
                    "With --record-from: JSON paths blanked in recorded bodies, e.g. messages.*.content,metadata.")
    List<String> redactPaths = List.of();

    @Option(
            names = "--redact-pattern",
            paramLabel = "REGEX",
            description = "With --record-from: text matching this regular expression is blanked in recorded bodies.")
    String redactPattern;

    @Option(
            names = "--usage-report",
            paramLabel = "FILE",
            description =
                    "On shutdown, add how many requests each fixture answered to FILE (created if missing; several servers may share"
                            + " one), for `drift --usage FILE`.")
    Path usageReport;

    @Option(
            names = "--no-validation",
            description =
                    "Accept every request: do not refuse what Groq refuses (an unknown role, assistant reasoning_content, n > 1, …).")
    boolean noValidation;

    public static void main(String[] args) {
        ((Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("io.javalin")).setLevel(Level.WARN);
        System.exit(new CommandLine(new MockServerCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        MockConfig.Mode parsedMode = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> MockConfig.Mode.STRICT;
            case "synthetic" -> MockConfig.Mode.SYNTHETIC;
            default ->
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--mode must be strict or synthetic, was " + mode);
        };
        Pacing pacing;
        try {
            pacing = Pacing.parse(pace, speed, ttftMs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        RecordSettings recording = null;
        String keySource = null;
        if (recordFrom != null) {
            keySource = System.getenv("RECORD_API_KEY") != null
                            && !System.getenv("RECORD_API_KEY").isBlank()
                    ? "RECORD_API_KEY"
                    : System.getenv("GROQ_API_KEY") != null
                                    && !System.getenv("GROQ_API_KEY").isBlank()
                            ? "GROQ_API_KEY"
                            : null;
            try {
                recording = new RecordSettings(
                        recordFrom,
                        keySource == null ? null : System.getenv(keySource).trim(),
                        RecordMode.parse(recordMode),
                        Redaction.parse(String.join(",", redactPaths), redactPattern));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }
        MockConfig config = MockConfig.defaults()
                .withFixtures(fixtures)
                .withMode(parsedMode)
                .withPacing(pacing)
                .withAddress(host, port)
                .withJournalSize(journalSize)
                .withMatching(new LinkedHashSet<>(ignore), new LinkedHashSet<>(consider))
                .withRecording(recording)
                .withUsageReport(usageReport)
                .withValidation(!noValidation);
        long started = System.nanoTime();
        MockServer server;
        try {
            server = MockServer.start(config);
        } catch (dev.tollgate.fixture.FixtureFiles.InvalidFixtureException | java.io.UncheckedIOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        System.out.printf(
                "Tollgate mock server listening on %s (%d fixtures from %s, %s mode, pace: %s) in %d ms%n",
                server.baseUrl(),
                server.fixtures().size(),
                fixtures,
                mode,
                pacing,
                (System.nanoTime() - started) / 1_000_000);
        System.out.printf(
                "OpenAI clients: base URL %s   Groq SDK: base URL %s   Admin: %s/__admin/journal%n",
                server.openAiBaseUrl(), server.baseUrl(), server.baseUrl());
        if (recording != null) {
            System.out.printf(
                    "Recording: %s goes to %s and is recorded into %s (mode %s; upstream key: %s)%n",
                    recording.forwardsEverything() ? "every request" : "what no fixture answers",
                    recording.upstreamUrl(),
                    fixtures,
                    recording.mode().label(),
                    keySource == null ? "the client's own Authorization header" : "$" + keySource);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (RuntimeException e) { // the usage report could not be written
                System.err.println(e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
