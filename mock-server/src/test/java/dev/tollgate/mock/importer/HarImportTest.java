package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarImportTest {
    private final List<Fixture> fixtures = FixtureImporter.importFile(Recordings.path("har/groq-session.har"));

    @Test
    void importsOnlyApiEntries_eachDistinctRequestItsOwnFixture() {
        assertThat(fixtures).extracting(Fixture::name).containsExactly("groq-session-1", "groq-session-2");
        assertThat(fixtures).allSatisfy(f -> {
            assertThat(f.request().path()).isEqualTo("/v1/chat/completions");
            assertThat(f.recorded().upstream()).isEqualTo("https://api.groq.com/openai/v1");
            assertThat(f.recorded().source()).isEqualTo("imported from groq-session.har (HAR 1.2)");
        });
        assertThat(fixtures.get(0).recorded().at()).isEqualTo("2025-10-20T09:00:01.250Z");
    }

    @Test
    void eventStreamEntriesBecomeEventsSpreadOverTheReceiveTime() {
        FixtureResponse r = fixtures.get(0).responses().get(0);

        assertThat(r.isStream()).isTrue();
        assertThat(r.events()).extracting(SseEvent::at).containsExactly(0L, 100L, 200L, 300L);
        assertThat(r.events().get(1).data())
                .isEqualTo("{\"id\":\"chatcmpl-har-1\",\"object\":\"chat.completion.chunk\",\"created\":1760389900,"
                        + "\"model\":\"openai/gpt-oss-120b\",\"system_fingerprint\":\"fp_har0000001\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}");
        assertThat(r.events().get(3).isDone()).isTrue();
        assertThat(r.headers()).containsOnlyKeys("content-type", "cache-control", "x-groq-region", "x-request-id");
        assertThat(fixtures.get(0).request().body().path("stream").asBoolean()).isTrue();
    }

    @Test
    void base64ContentIsDecodedKeepingKeyOrderAndNumberText() {
        FixtureResponse r = fixtures.get(1).responses().get(0);

        assertThat(Json.compact(r.body()))
                .startsWith("{\"id\":\"chatcmpl-har-2\",\"object\":\"chat.completion\",\"created\":1760389901,")
                .contains("\"queue_time\":0.100000000,", "\"prompt_time\":0.0005,")
                .endsWith("\"x_groq\":{\"id\":\"req_01harjson00000000000000000\"},\"service_tier\":\"on_demand\"}");
        // content-encoding describes the wire, not the stored (decoded) body; ':status' is an HTTP/2 pseudo-header.
        assertThat(r.headers())
                .containsOnlyKeys("content-type", "x-ratelimit-limit-requests", "x-ratelimit-reset-tokens");
    }

    @Test
    void requestHeadersAreNeverKept() {
        String written = Json.compact(dev.tollgate.fixture.FixtureCodec.toJson(fixtures.get(0)));
        assertThat(written).doesNotContain("PLACEHOLDER-NOT-A-KEY").doesNotContainIgnoringCase("authorization");
    }

    @Test
    void aHarWithoutApiCallsIsAnError() {
        String har =
                "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"https://example.com/v2/x\"},"
                        + "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/html\",\"text\":\"hi\"}}}]}}";
        assertThatThrownBy(() -> FixtureImporter.importContent(har, "page.har", "page"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("no entry calls an OpenAI/Groq API path");
    }
}
