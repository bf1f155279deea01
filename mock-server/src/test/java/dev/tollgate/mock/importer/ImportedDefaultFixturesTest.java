package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.MatchKey;
import dev.tollgate.fixture.MatchRules;
import dev.tollgate.fixture.record.SecretScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default fixture set in the repository's fixtures/ folder, built with the importer. */
class ImportedDefaultFixturesTest {
    private static Path fixturesDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures")) && Files.isRegularFile(dir.resolve("pom.xml")))
                return dir.resolve("fixtures");
        }
        throw new IllegalStateException(
                "no fixtures/ folder next to a pom.xml above " + Path.of("").toAbsolutePath());
    }

    private final List<Fixture> fixtures = FixtureFiles.readAll(fixturesDir());

    @Test
    void everyFileLoads() {
        assertThat(fixtures)
                .extracting(Fixture::name)
                .contains(
                        "chat/basic-reasoning",
                        "chat/streaming-reasoning",
                        "tools/tool-call",
                        "tools/round-trip-1",
                        "tools/round-trip-2",
                        "tools/streaming-tool-call",
                        "structured/json-schema",
                        "structured/json-object",
                        "errors/invalid-api-key",
                        "errors/model-not-found",
                        "errors/tool-use-failed",
                        "errors/model-decommissioned",
                        "errors/stream-error",
                        "errors/rate-limited-429");
    }

    @Test
    void noTwoFixturesAnswerTheSameRequest() {
        Map<String, String> seen = new HashMap<>();
        for (Fixture f : fixtures) {
            String key = f.request().method() + " " + f.request().path() + " "
                    + MatchKey.canonical(f.request().body(), f.match().ignoredOn(MatchRules.DEFAULT_IGNORED));
            assertThat(seen.put(key, f.name()))
                    .as("%s has the same match key as %s", f.name(), seen.get(key))
                    .isNull();
        }
    }

    @Test
    void everyFixtureSaysWhereItCameFromAndHoldsNoSecret() throws IOException {
        String sources = Files.readString(fixturesDir().resolve("SOURCES.md"));
        for (Fixture f : fixtures) {
            assertThat(f.recorded()).as(f.name()).isNotNull();
            assertThat(f.recorded().source()).as(f.name()).isNotBlank();
            assertThat(sources).as("SOURCES.md lists " + f.name()).contains(f.name() + ".json");
            SecretScan.check(f);
        }
    }

    @Test
    void theStreamErrorEndsInAnErrorEventWithoutDone() {
        Fixture f = fixtures.stream()
                .filter(x -> x.name().equals("errors/stream-error"))
                .findFirst()
                .orElseThrow();
        var events = f.responses().get(0).events();
        assertThat(events.get(events.size() - 1).isError()).isTrue();
        assertThat(events).noneMatch(e -> e.isDone());
    }
}
