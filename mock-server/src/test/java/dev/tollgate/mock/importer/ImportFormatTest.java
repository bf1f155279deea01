package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportFormatTest {
    @Test
    void detectsEachFormatFromContent() {
        assertThat(ImportFormat.detect(Recordings.text("pydantic-ai/test_groq_native_output.yaml")))
                .isEqualTo(ImportFormat.VCR);
        assertThat(ImportFormat.detect(Recordings.text("openllmetry/test_chat_legacy.yaml")))
                .isEqualTo(ImportFormat.VCR);
        assertThat(ImportFormat.detect(Recordings.text("har/groq-session.har"))).isEqualTo(ImportFormat.HAR);
        assertThat(ImportFormat.detect(Recordings.text("req_llm/openai_gpt_oss_120b-basic.json")))
                .isEqualTo(ImportFormat.REQ_LLM);
        assertThat(ImportFormat.detect(Recordings.text("dexdo-cli/GPT_OSS_TOOL_REFUSAL_CAPTURE.sse")))
                .isEqualTo(ImportFormat.SSE);
        assertThat(ImportFormat.detect(Recordings.text("dexdo-cli/LIVE_GROQ_INBAND_ERROR_CAPTURE.sse")))
                .isEqualTo(ImportFormat.SSE);
    }

    @Test
    void theFileNameDoesNotDecideTheFormat() {
        String sse =
                ": keep-alive comment\n\ndata: {\"model\":\"openai/gpt-oss-120b\",\"choices\":[]}\n\ndata: [DONE]\n\n";
        List<Fixture> fixtures = FixtureImporter.importContent(sse, "capture.json", "capture");
        assertThat(fixtures)
                .singleElement()
                .satisfies(f -> assertThat(f.responses().get(0).isStream()).isTrue());
        assertThat(fixtures.get(0).recorded().source())
                .isEqualTo("imported from capture.json (raw text/event-stream capture)");
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertThatThrownBy(() -> ImportFormat.detect("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("neither HAR");
        assertThatThrownBy(() -> ImportFormat.detect("hello: world\n"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("not a recognised recording");
        assertThatThrownBy(() -> ImportFormat.detect("{ not json"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("does not parse");
    }
}
