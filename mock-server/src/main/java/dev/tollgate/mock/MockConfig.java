package dev.tollgate.mock;

import dev.tollgate.fixture.MatchRules;
import dev.tollgate.mock.record.RecordSettings;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a mock server runs. Start from {@link #defaults()} and change what you need:
 * {@code MockConfig.defaults().withFixtures(Path.of("fixtures")).withPacing(Pacing.INSTANT)}.
 *
 * @param fixtures    the folder of fixture files (null: no fixtures, e.g. synthetic mode only)
 * @param mode        what to do when no fixture matches
 * @param pacing      when stream events go out
 * @param ignored     body fields left out of matching, server-wide
 * @param journalSize how many requests the journal keeps
 * @param host        the address to listen on (127.0.0.1 unless told otherwise)
 * @param port        the port; 0 picks a free one
 * @param recording   null, or where to forward requests no fixture answers, recording the answers into {@code fixtures}
 * @param usageReport null, or the file that the count of requests each fixture answered is added to when the server stops
 *                    (several servers of a test run add to one file; {@code drift --usage} reads it)
 * @param validation  whether requests Groq refuses are refused before any fixture is looked for (on by default;
 *                    see {@code dev.tollgate.mock.validation.RequestValidation})
 */
public record MockConfig(
        Path fixtures,
        Mode mode,
        Pacing pacing,
        Set<String> ignored,
        int journalSize,
        String host,
        int port,
        long maxBodyBytes,
        RecordSettings recording,
        Path usageReport,
        boolean validation) {
    public enum Mode {
        /** No match: an error with code {@code no_fixture_match} naming the nearest fixture. */
        STRICT,
        /** No match: a deterministic, well-formed answer generated from the request. */
        SYNTHETIC
    }

    public MockConfig {
        if (mode == null || pacing == null) throw new IllegalArgumentException("mode and pacing are required");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, was " + port);
        if (journalSize < 0) throw new IllegalArgumentException("journal size must be >= 0");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body size must be at least 1024 bytes");
        ignored = Set.copyOf(ignored);
    }

    public static MockConfig defaults() {
        return new MockConfig(
                null,
                Mode.STRICT,
                Pacing.GROQ,
                MatchRules.DEFAULT_IGNORED,
                1000,
                "127.0.0.1",
                0,
                32L << 20,
                null,
                null,
                true);
    }

    public MockConfig withFixtures(Path dir) {
        return new MockConfig(
                dir, mode, pacing, ignored, journalSize, host, port, maxBodyBytes, recording, usageReport, validation);
    }

    public MockConfig withMode(Mode newMode) {
        return new MockConfig(
                fixtures,
                newMode,
                pacing,
                ignored,
                journalSize,
                host,
                port,
                maxBodyBytes,
                recording,
                usageReport,
                validation);
    }

    public MockConfig withPacing(Pacing newPacing) {
        return new MockConfig(
                fixtures,
                mode,
                newPacing,
                ignored,
                journalSize,
                host,
                port,
                maxBodyBytes,
                recording,
                usageReport,
                validation);
    }

    public MockConfig withAddress(String newHost, int newPort) {
        return new MockConfig(
                fixtures,
                mode,
                pacing,
                ignored,
                journalSize,
                newHost,
                newPort,
                maxBodyBytes,
                recording,
                usageReport,
                validation);
    }

    public MockConfig withJournalSize(int size) {
        return new MockConfig(
                fixtures, mode, pacing, ignored, size, host, port, maxBodyBytes, recording, usageReport, validation);
    }

    /** Forward what no fixture answers to an upstream and record it into the fixtures folder (null: don't). */
    public MockConfig withRecording(RecordSettings settings) {
        return new MockConfig(
                fixtures,
                mode,
                pacing,
                ignored,
                journalSize,
                host,
                port,
                maxBodyBytes,
                settings,
                usageReport,
                validation);
    }

    /** Add the count of requests each fixture answered to {@code file} when the server stops (null: don't). */
    public MockConfig withUsageReport(Path file) {
        return new MockConfig(
                fixtures, mode, pacing, ignored, journalSize, host, port, maxBodyBytes, recording, file, validation);
    }

    /** Refuse what Groq refuses (true, the default) or accept every request (false: {@code --no-validation}). */
    public MockConfig withValidation(boolean on) {
        return new MockConfig(
                fixtures, mode, pacing, ignored, journalSize, host, port, maxBodyBytes, recording, usageReport, on);
    }

    /** The default ignored fields, plus {@code ignore}, minus {@code consider}. */
    public MockConfig withMatching(Set<String> ignore, Set<String> consider) {
        Set<String> fields = new TreeSet<>(MatchRules.DEFAULT_IGNORED);
        fields.addAll(ignore);
        fields.removeAll(consider);
        return new MockConfig(
                fixtures,
                mode,
                pacing,
                fields,
                journalSize,
                host,
                port,
                maxBodyBytes,
                recording,
                usageReport,
                validation);
    }
}
