package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.mock.replay.UsageChunk;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every default fixture, sent its own recorded request, answers exactly what was recorded: status, headers, body or events. */
class DefaultFixturesIT {
    private static final Set<String> NOT_REPLAYED =
            Set.of("content-length", "transfer-encoding", "connection", "date", "keep-alive", "content-encoding");
    static MockServer server;
    static WireClient client;

    @BeforeAll
    static void start() {
        server = MockServer.start(MockConfig.defaults()
                .withFixtures(TestFixtures.defaultFixtures())
                .withPacing(Pacing.INSTANT));
        client = new WireClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Fixture> fixtures() {
        return FixtureFiles.readAll(TestFixtures.defaultFixtures()).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void replaysAsRecorded(Fixture fixture) {
        server.reset();
        JsonNode request = fixture.request().body();
        boolean stream = request != null && request.path("stream").asBoolean(false);
        boolean includeUsage = request != null
                && request.path("stream_options").path("include_usage").asBoolean(false);
        for (FixtureResponse expected : fixture.responses()) {
            String body = request == null ? "" : Json.compact(request);
            if (expected.isStream() && stream) {
                WireClient.StreamReply reply = client.stream(fixture.request().path(), body);
                assertThat(reply.status()).isEqualTo(expected.status());
                assertThat(reply.header("content-type")).startsWith("text/event-stream");
                List<SseEvent> want = UsageChunk.fitTo(expected.events(), includeUsage).stream()
                        .map(e -> e.at(0))
                        .toList();
                assertThat(reply.events()).containsExactlyElementsOf(want);
                assertHeaders(expected, reply.raw().headers());
            } else {
                WireClient.Reply reply = client.post(fixture.request().path(), body);
                assertThat(reply.status()).isEqualTo(expected.status());
                if (expected.body() != null) assertThat(reply.body()).isEqualTo(Json.compact(expected.body()));
                assertHeaders(expected, reply.raw().headers());
            }
        }
        assertThat(server.journal().entries())
                .allSatisfy(e -> assertThat(e.fixture()).isEqualTo(fixture.name()));
    }

    private static void assertHeaders(FixtureResponse expected, java.net.http.HttpHeaders actual) {
        expected.headers().forEach((name, value) -> {
            if (!NOT_REPLAYED.contains(name))
                assertThat(actual.firstValue(name)).as(name).hasValue(value);
        });
    }
}
