package dev.tollgate.mock;

import static dev.tollgate.mock.TestFixtures.answer;
import static dev.tollgate.mock.TestFixtures.chat;
import static dev.tollgate.mock.TestFixtures.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.record.RecordMode;
import dev.tollgate.fixture.record.Redaction;
import dev.tollgate.mock.record.RecordSettings;
import dev.tollgate.mock.replay.Pacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The mock server as a recording proxy, with another mock server standing in for Groq. */
class RecordingMockIT {
    static final String RECORD_KEY = "gsk_recordingMockKey0000000000000042";

    @TempDir
    Path upstreamDir;

    @TempDir
    Path recorded;

    private MockServer upstream(Pacing pacing) {
        return MockServer.start(MockConfig.defaults().withFixtures(upstreamDir).withPacing(pacing));
    }

    private MockServer recorder(MockServer upstream, RecordMode mode, String key) {
        return MockServer.start(MockConfig.defaults()
                .withFixtures(recorded)
                .withPacing(Pacing.INSTANT)
                .withRecording(new RecordSettings(upstream.openAiBaseUrl(), key, mode, Redaction.NONE)));
    }

    private List<Fixture> recordedFixtures() {
        return FixtureFiles.readAll(recorded);
    }

    @ParameterizedTest
    @EnumSource(
            value = RecordMode.class,
            names = {"ONCE", "NEW_EPISODES"})
    void whatNoFixtureAnswersIsForwardedRecordedAndThenServedFromTheNewFixture(RecordMode mode) {
        TestFixtures.write(upstreamDir, "hello", chat("hello"), answer("Hi from upstream"));
        try (MockServer groq = upstream(Pacing.INSTANT);
                MockServer mock = recorder(groq, mode, RECORD_KEY)) {
            WireClient client = new WireClient(mock.baseUrl());
            WireClient.Reply first = client.post(
                    "/v1/chat/completions", chatBody("hello", false), "authorization", "Bearer client-token-xyz-123");
            WireClient.Reply second = client.post("/v1/chat/completions", chatBody("hello", false));

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().at("/choices/0/message/content").asText()).isEqualTo("Hi from upstream");
            assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("999");
            assertThat(second.json()).isEqualTo(first.json());
            assertThat(groq.journal().entries())
                    .as("the second answer came from the new fixture")
                    .hasSize(1);
            assertThat(groq.journal().entries().get(0).apiKey())
                    .as("the configured key went upstream, not the client's")
                    .isEqualTo("gsk_…0042");

            List<Fixture> fixtures = recordedFixtures();
            assertThat(fixtures).hasSize(1);
            assertThat(fixtures.get(0).name()).matches("chat/hello-[0-9a-f]{8}");
            assertThat(fixtures.get(0).recorded().upstream()).isEqualTo(groq.openAiBaseUrl());
            List<Journal.Entry> journal = mock.journal().entries();
            assertThat(journal.get(0).fixture()).isEqualTo(fixtures.get(0).name());
            assertThat(journal.get(0).outcome()).isEqualTo("forwarded and recorded (created)");
            assertThat(journal.get(1).fixture()).isEqualTo(fixtures.get(0).name());
            assertThat(TestFixtures.finished(mock, 1, "complete").outcome())
                    .as("the server may lag the client a little")
                    .isEqualTo("complete");
        }
    }

    @Test
    void aStreamIsRelayedAsItArrivesAndRecordedEventByEventWithItsTiming() {
        TestFixtures.write(upstreamDir, "stream", chat("stream please"), TestFixtures.stream(6, 30));
        try (MockServer groq = upstream(new Pacing.Recorded(1));
                MockServer mock = recorder(groq, RecordMode.NEW_EPISODES, RECORD_KEY)) {
            WireClient.StreamReply live =
                    new WireClient(mock.baseUrl()).stream("/v1/chat/completions", chatBody("stream please", true));

            List<SseEvent> original = TestFixtures.stream(6, 30).events();
            assertThat(live.events())
                    .extracting(SseEvent::data)
                    .containsExactlyElementsOf(
                            original.stream().map(SseEvent::data).toList());
            double spread = live.arrivals().get(live.arrivals().size() - 1).atMs()
                    - live.arrivals().get(0).atMs();
            assertThat(spread)
                    .as("relayed as paced upstream (about 210 ms), not in one piece at the end")
                    .isBetween(100.0, 5000.0);

            List<SseEvent> events = recordedFixtures().get(0).responses().get(0).events();
            assertThat(events)
                    .extracting(SseEvent::data)
                    .containsExactlyElementsOf(
                            original.stream().map(SseEvent::data).toList());
            for (int i = 1; i < events.size(); i++)
                assertThat(events.get(i).at())
                        .isGreaterThanOrEqualTo(events.get(i - 1).at());
            assertThat(events.get(events.size() - 1).at() - events.get(0).at())
                    .as("recorded offsets span the pacing")
                    .isBetween(100L, 5000L);
        }
    }

    @Test
    void modeAllForwardsEvenWhatAFixtureAnswersAndReRecordsIt() {
        TestFixtures.write(upstreamDir, "hello", chat("hello"), answer("fresh"));
        try (MockServer groq = upstream(Pacing.INSTANT)) {
            try (MockServer first = recorder(groq, RecordMode.NEW_EPISODES, RECORD_KEY)) {
                new WireClient(first.baseUrl()).post("/v1/chat/completions", chatBody("hello", false));
            }
            TestFixtures.write(upstreamDir, "hello", chat("hello"), answer("fresher"));
            groq.reload();
            try (MockServer again = recorder(groq, RecordMode.ALL, RECORD_KEY)) {
                WireClient client = new WireClient(again.baseUrl());
                assertThat(client.post("/v1/chat/completions", chatBody("hello", false))
                                .json()
                                .at("/choices/0/message/content")
                                .asText())
                        .isEqualTo("fresher");
                client.post("/v1/chat/completions", chatBody("hello", false));
            }
            assertThat(groq.journal().entries()).hasSize(3);
        }
        List<Fixture> fixtures = recordedFixtures();
        assertThat(fixtures).hasSize(1);
        assertThat(fixtures.get(0).responses())
                .as("the old answer replaced, this run's two answers as turns")
                .hasSize(2)
                .allSatisfy(r -> assertThat(
                                r.body().at("/choices/0/message/content").asText())
                        .isEqualTo("fresher"));
    }

    @Test
    void withoutAKeyTheClientsOwnGoesUpstreamAndNeverToDisk() throws IOException {
        String clientKey = "gsk_clientsOwnGroqKey000000000000007";
        try (MockServer groq = MockServer.start(MockConfig.defaults()
                        .withMode(MockConfig.Mode.SYNTHETIC)
                        .withPacing(Pacing.INSTANT));
                MockServer mock = recorder(groq, RecordMode.NEW_EPISODES, null)) {
            WireClient client = new WireClient(mock.baseUrl());
            assertThat(client.post(
                                    "/v1/chat/completions",
                                    chatBody("plain question", false),
                                    "authorization",
                                    "Bearer " + clientKey)
                            .status())
                    .isEqualTo(200);
            WireClient.Reply leaky = client.post(
                    "/v1/chat/completions",
                    chatBody("please repeat " + clientKey, false),
                    "authorization",
                    "Bearer " + clientKey);

            assertThat(leaky.status()).as("the client still gets its answer").isEqualTo(200);
            assertThat(groq.journal().entries().get(0).apiKey()).isEqualTo("gsk_…0007");
            assertThat(mock.journal().entries().get(1).outcome())
                    .contains("not recorded")
                    .contains("secret values");
            assertThat(recordedFixtures()).hasSize(1);
            try (Stream<Path> files = Files.walk(recorded)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file)).doesNotContain(clientKey);
                }
            }
        }
    }

    @Test
    void anUnreachableUpstreamIsA502InOpenAisShape() {
        int freePort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            freePort = socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (MockServer mock = MockServer.start(MockConfig.defaults()
                .withFixtures(recorded)
                .withRecording(new RecordSettings(
                        "http://127.0.0.1:" + freePort + "/v1",
                        RECORD_KEY,
                        RecordMode.NEW_EPISODES,
                        Redaction.NONE)))) {
            WireClient.Reply reply =
                    new WireClient(mock.baseUrl()).post("/v1/chat/completions", chatBody("anyone?", false));
            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.json().at("/error/code").asText()).isEqualTo("upstream_unreachable");
            assertThat(reply.json().path("error").has("param")).isTrue();
            assertThat(recordedFixtures()).isEmpty();
        }
    }
}
