package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseCaptureImportTest {
    @Test
    void aRawCaptureBecomesAStreamWithARequestBuiltFromIt() {
        String capture = Recordings.text("dexdo-cli/GPT_OSS_TOOL_REFUSAL_CAPTURE.sse");
        List<Fixture> fixtures =
                FixtureImporter.importFile(Recordings.path("dexdo-cli/GPT_OSS_TOOL_REFUSAL_CAPTURE.sse"));

        Fixture f = fixtures.get(0);
        assertThat(fixtures).hasSize(1);
        assertThat(f.name()).isEqualTo("GPT_OSS_TOOL_REFUSAL_CAPTURE");
        assertThat(f.request().method()).isEqualTo("POST");
        assertThat(f.request().path()).isEqualTo("/v1/chat/completions");
        assertThat(f.request().body().path("model").asText()).isEqualTo("openai/gpt-oss-20b");
        assertThat(f.request().body().path("stream").asBoolean()).isTrue();
        assertThat(f.request().body().at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(f.request().body().at("/messages/0/content").asText())
                .isEqualTo("(imported from GPT_OSS_TOOL_REFUSAL_CAPTURE.sse)");

        FixtureResponse r = f.responses().get(0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/event-stream");
        assertThat(Recordings.wire(r.events())).isEqualTo(capture);
        assertThat(r.events()).last().satisfies(e -> assertThat(e.isError()).isTrue());
        assertThat(r.events()).noneMatch(SseEvent::isDone).allMatch(e -> e.at() == 0);
        assertThat(f.recorded().upstream()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(f.recorded().at()).isNull();
    }

    @Test
    void aStreamWithoutChunksGetsAnUnknownModelToEdit() {
        Fixture f = FixtureImporter.importFile(Recordings.path("dexdo-cli/LIVE_GROQ_INBAND_ERROR_CAPTURE.sse"))
                .get(0);

        assertThat(f.request().body().path("model").asText()).isEqualTo(SseCaptureReader.UNKNOWN_MODEL);
        assertThat(f.responses().get(0).events()).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("error");
            assertThat(e.data()).startsWith("{\"error\":{\"message\":\"Failed to call a function.");
        });
        assertThat(f.recorded().upstream()).isNull();
    }

    @Test
    void anIncludeUsageChunkShowsInTheRebuiltRequest() {
        String sse =
                "data: {\"model\":\"openai/gpt-oss-120b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"x_groq\":{\"id\":\"req_1\"}}\r\n\r\n"
                        + "data: {\"model\":\"openai/gpt-oss-120b\",\"choices\":[],\"usage\":{\"total_tokens\":3}}\r\n\r\n"
                        + "data: [DONE]\r\n\r\n";
        Fixture f = FixtureImporter.importContent(sse, "crlf.sse", "crlf").get(0);

        assertThat(f.request().body().at("/stream_options/include_usage").asBoolean())
                .isTrue();
        assertThat(f.responses().get(0).events()).hasSize(3);
        assertThat(f.responses().get(0).events().get(0).data()).endsWith("\"x_groq\":{\"id\":\"req_1\"}}");
    }
}
