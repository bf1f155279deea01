package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReqLlmImportTest {
    @Test
    void aJsonAnswerKeepsTheUnredactedRateLimitHeaders() {
        Fixture f = FixtureImporter.importFile(Recordings.path("req_llm/openai_gpt_oss_120b-basic.json"))
                .get(0);

        // The request is the body as sent (body.b64), not req_llm's re-sorted canonical_json.
        assertThat(Json.compact(f.request().body()))
                .isEqualTo(
                        "{\"max_tokens\":2000,\"messages\":[{\"content\":\"Hello world!\",\"role\":\"user\"}],"
                                + "\"model\":\"openai/gpt-oss-120b\",\"reasoning_effort\":\"low\",\"seed\":42,\"stream\":false,\"temperature\":0.0}");
        FixtureResponse r = f.responses().get(0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/choices/0/message/reasoning").asText()).isEqualTo("We just respond.");
        assertThat(Json.compact(r.body().path("usage"))).contains("\"completion_time\":0.053923861");
        assertThat(r.headers())
                .containsEntry("x-ratelimit-limit-requests", "1000")
                .containsEntry("x-ratelimit-reset-requests", "36m0s")
                .containsEntry("x-ratelimit-reset-tokens", "32.3175s")
                .containsEntry("x-groq-region", "yul")
                .containsEntry("x-request-id", "req_01k7fpjp17fk592mgr4x7tmyvm")
                .doesNotContainKeys("set-cookie", "date", "cf-ray", "alt-svc", "transfer-encoding", "connection");
        assertThat(f.recorded().at()).isEqualTo("2025-10-13T21:10:47Z");
        assertThat(f.recorded().source()).isEqualTo("imported from openai_gpt_oss_120b-basic.json (req_llm fixture)");
    }

    @Test
    void streamingChunksBecomeTheExactEvents() {
        String content = Recordings.text("req_llm/openai_gpt_oss_120b-streaming.json");
        Fixture f = FixtureImporter.importContent(content, "streaming.json", "streaming")
                .get(0);

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        Json.parse(content)
                .path("chunks")
                .forEach(c ->
                        raw.writeBytes(Base64.getDecoder().decode(c.path("b64").asText())));
        List<SseEvent> events = f.responses().get(0).events();
        assertThat(Recordings.wire(events)).isEqualTo(raw.toString(StandardCharsets.UTF_8));
        assertThat(events).hasSize(44);
        assertThat(events.get(events.size() - 2).data()).contains("\"choices\":[]", "\"service_tier\":\"on_demand\"");
        assertThat(events).last().matches(SseEvent::isDone);
        assertThat(f.responses().get(0).header("content-type")).isEqualTo("text/event-stream");
        assertThat(f.request().body().at("/stream_options/include_usage").asBoolean())
                .isTrue();
        assertThat(f.recorded().at()).isEqualTo("2025-10-13T21:10:40.462679Z");
    }
}
