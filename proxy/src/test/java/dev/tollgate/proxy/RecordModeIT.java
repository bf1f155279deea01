package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.mock.replay.Pacing;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Record mode's edges: what is not recorded, and a recorder that fails without the client noticing. */
class RecordModeIT {
    @TempDir
    Path recorded;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private Gateway gateway(Pacing pacing, String mode) {
        return Gateway.start(pacing, Map.of("TOLLGATE_RECORD_DIR", recorded.toString(), "TOLLGATE_RECORD_MODE", mode));
    }

    private String summary() {
        return logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("fixture recorder:"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aFailingWriteIsLoggedAndCountedAndTheClientNeverKnows() throws Exception {
        Files.writeString(recorded.resolve("chat"), "a file where the recorder wants a folder");
        try (Gateway gateway = gateway(Pacing.INSTANT, "new_episodes")) {
            Http.Answer answer =
                    Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().at("/choices/0/message/content").asText()).isNotEmpty();
        }
        assertThat(summary()).contains("0 written").contains("1 failed");
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .startsWith("fixture recording failed for POST /v1/chat/completions"));
    }

    @Test
    void onlyTheAnswerRelayedIsRecordedNotA5xxRetriedPast() {
        try (Gateway gateway = gateway(Pacing.INSTANT, "new_episodes")) {
            gateway.mock.faults().arm(new Fault(500, 0, 0, false), 1);
            assertThat(Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO)
                            .status())
                    .isEqualTo(200);
            assertThat(gateway.mock.journal().entries())
                    .extracting(e -> e.status())
                    .containsExactly(500, 200);
        }
        List<Fixture> fixtures = FixtureFiles.readAll(recorded);
        assertThat(fixtures)
                .singleElement()
                .satisfies(f ->
                        assertThat(f.responses()).extracting(r -> r.status()).containsExactly(200));
    }

    @Test
    void aStreamTheClientLeavesIsNotRecorded() throws Exception {
        try (Gateway gateway = gateway(new Pacing.TokensPerSecond(20, 0), "new_episodes")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + gateway.clientSecret)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(UpstreamIT.STREAM))
                    .build();
            HttpResponse<InputStream> res =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                assertThat(body.read(new byte[64])).isPositive(); // the first event, then the client hangs up
            }
            Thread.sleep(300); // the proxy notices on its next write
        }
        assertThat(summary()).contains("0 written").contains("1 incomplete");
        assertThat(FixtureFiles.readAll(recorded)).isEmpty();
    }

    @Test
    void aFixtureInTheRecordFolderThatDoesNotLoadStopsTheStartNamingIt() throws Exception {
        Files.writeString(recorded.resolve("broken.json"), "{\"request\": {}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway(Pacing.INSTANT, "new_episodes"))
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TOLLGATE_RECORD_DIR: ")
                .hasMessageContaining("broken.json");
    }

    @Test
    void onceLeavesAnEarlierRecordingAlone() throws Exception {
        try (Gateway gateway = gateway(Pacing.INSTANT, "once")) {
            Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO);
        }
        Path file = recorded.resolve(FixtureFiles.readAll(recorded).get(0).name() + ".json");
        String first = Files.readString(file);
        try (Gateway gateway = gateway(Pacing.INSTANT, "once")) {
            Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO);
        }
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(logs.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .filter(m -> m.startsWith("fixture recorder:")))
                .containsExactly(
                        "fixture recorder: 1 written, 0 kept as they were (mode once), 0 refused (secret), 0 failed, 0 dropped, 0 incomplete (not recorded)",
                        "fixture recorder: 0 written, 1 kept as they were (mode once), 0 refused (secret), 0 failed, 0 dropped, 0 incomplete (not recorded)");
    }
}
