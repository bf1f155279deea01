package dev.tollgate.mock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.importer.ImportCommand;
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

/** {@code java -jar mock-server.jar [options]} serves fixtures; {@code … import} converts recordings into fixtures. */
@Command(name = "mock-server", mixinStandardHelpOptions = true, version = "Tollgate mock server 0.1.0",
        description = "Replays recorded Groq exchanges: same bodies, same event streams, Groq's pacing, errors and faults.",
        subcommands = {ImportCommand.class})
public final class MockServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8081", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on; 0.0.0.0 for all interfaces (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--fixtures", defaultValue = "fixtures", description = "Folder of fixture files (default: ${DEFAULT-VALUE}).")
    Path fixtures;

    @Option(names = "--mode", defaultValue = "strict",
            description = "When no fixture matches: strict (an error naming the nearest fixture) or synthetic (a generated answer). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--pace", defaultValue = "500",
            description = "Stream pacing: recorded (offsets as recorded, see --speed), instant, or tokens per second (default: ${DEFAULT-VALUE}, like Groq).")
    String pace;

    @Option(names = "--speed", defaultValue = "1", description = "With --pace recorded: play this many times faster (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--ttft", defaultValue = "150", description = "With --pace N: time to first token in ms (default: ${DEFAULT-VALUE}).")
    double ttftMs;

    @Option(names = "--ignore", split = ",", description = "More body fields to leave out of matching (names or dotted paths).")
    List<String> ignore = List.of();

    @Option(names = "--consider", split = ",", description = "Default-ignored fields to match on after all (e.g. temperature).")
    List<String> consider = List.of();

    @Option(names = "--journal-size", defaultValue = "1000", description = "Requests the journal keeps (default: ${DEFAULT-VALUE}).")
    int journalSize;

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
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--mode must be strict or synthetic, was " + mode);
        };
        Pacing pacing;
        try {
            pacing = Pacing.parse(pace, speed, ttftMs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        MockConfig config = MockConfig.defaults()
                .withFixtures(fixtures)
                .withMode(parsedMode)
                .withPacing(pacing)
                .withAddress(host, port)
                .withJournalSize(journalSize)
                .withMatching(new LinkedHashSet<>(ignore), new LinkedHashSet<>(consider));
        long started = System.nanoTime();
        MockServer server;
        try {
            server = MockServer.start(config);
        } catch (dev.tollgate.fixture.FixtureFiles.InvalidFixtureException | java.io.UncheckedIOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        System.out.printf("Tollgate mock server listening on %s (%d fixtures from %s, %s mode, pace: %s) in %d ms%n",
                server.baseUrl(), server.fixtures().size(), fixtures, mode, pacing, (System.nanoTime() - started) / 1_000_000);
        System.out.printf("OpenAI clients: base URL %s   Groq SDK: base URL %s   Admin: %s/__admin/journal%n",
                server.openAiBaseUrl(), server.baseUrl(), server.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
