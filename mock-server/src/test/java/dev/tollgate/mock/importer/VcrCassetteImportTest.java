package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class VcrCassetteImportTest {
    @Test
    void parsedBodiesBecomeJsonWithExactNumbers() {
        List<Fixture> fixtures =
                FixtureImporter.importFile(Recordings.path("pydantic-ai/test_groq_native_output.yaml"));

        Fixture f = fixtures.get(0);
        assertThat(fixtures).hasSize(1);
        assertThat(f.name()).isEqualTo("test_groq_native_output");
        assertThat(f.request().path()).isEqualTo("/v1/chat/completions");
        assertThat(f.request().body().path("model").asText()).isEqualTo("openai/gpt-oss-120b");
        assertThat(f.request().body().at("/response_format/json_schema/strict").asBoolean())
                .isTrue();
        FixtureResponse r = f.responses().get(0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.compact(r.body()))
                .contains(
                        "\"queue_time\":1.095749809",
                        "\"usage_breakdown\":null",
                        "\"content\":\"{\\\"city\\\":\\\"Mexico City\\\",\\\"country\\\":\\\"Mexico\\\"}\"");
        assertThat(r.headers()).containsOnlyKeys("cache-control", "content-type", "vary");
        assertThat(f.recorded().upstream()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(f.recorded().source()).isEqualTo("imported from test_groq_native_output.yaml (VCR.py cassette)");
    }

    @Test
    void identicalRequestsBecomeTurnsOfOneFixture_stringBodiesAndGzipBinary() {
        List<Fixture> fixtures = FixtureImporter.importFile(Recordings.path("openllmetry/test_chat_legacy.yaml"));

        assertThat(fixtures).hasSize(1);
        Fixture f = fixtures.get(0);
        assertThat(f.name()).isEqualTo("test_chat_legacy");
        assertThat(f.request().body().path("model").asText()).isEqualTo("llama3-8b-8192");
        assertThat(f.responses()).hasSize(6);
        FixtureResponse first = f.responses().get(0);
        assertThat(first.body().path("object").asText()).isEqualTo("chat.completion");
        assertThat(first.body().path("model").asText()).isEqualTo("llama3-8b-8192");
        assertThat(first.header("x-request-id")).isEqualTo("req_01j6y8yaypebqr66bn9r72s63h");
        assertThat(first.header("x-ratelimit-reset-requests")).isEqualTo("10.332999999s");
        assertThat(first.header("x-ratelimit-reset-tokens")).isEqualTo("26ms");
        assertThat(first.headers())
                .doesNotContainKeys(
                        "set-cookie",
                        "date",
                        "cf-ray",
                        "content-encoding",
                        "transfer-encoding",
                        "connection",
                        "alt-svc",
                        "content-length");
        assertThat(first.headers()).containsKeys("cache-control", "via", "server", "cf-cache-status");
        assertThat(f.responses().get(1).header("x-request-id")).isNotEqualTo(first.header("x-request-id"));
        assertThat(f.recorded().at()).isEqualTo("2024-09-04T10:23:05Z");
    }

    @Test
    void distinctRequestsBecomeNumberedFixturesInOrder() {
        List<Fixture> fixtures =
                FixtureImporter.importFile(Recordings.path("pydantic-ai/test_tool_use_failed_error.yaml"), "tool-use");

        assertThat(fixtures).extracting(Fixture::name).containsExactly("tool-use-1", "tool-use-2", "tool-use-3");
        assertThat(fixtures).extracting(f -> f.responses().get(0).status()).containsExactly(400, 200, 200);
        assertThat(fixtures.get(0).responses().get(0).body().at("/error/code").asText())
                .isEqualTo("tool_use_failed");
        assertThat(fixtures).allSatisfy(f -> assertThat(f.responses()).hasSize(1));
        assertThat(fixtures.get(2).request().body().path("messages")).hasSize(6);
    }

    @Test
    void streamsKeepEveryDataStringAndEventNameExactly() throws Exception {
        String cassette = Recordings.text("pydantic-ai/test_tool_use_failed_error_streaming.yaml");
        List<Fixture> fixtures = FixtureImporter.importContent(cassette, "s.yaml", "s");

        assertThat(fixtures).hasSize(3);
        List<SseEvent> events = fixtures.get(0).responses().get(0).events();
        SseEvent last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data())
                .isEqualTo("{\"error\":{\"message\":\"Tool call validation failed: tool call validation failed: "
                        + "parameters for tool get_something_by_name did not match schema: errors: [missing properties: 'name', "
                        + "additionalProperties 'invalid_param' not allowed]\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\","
                        + "\"failed_generation\":\"{\\\"name\\\": \\\"get_something_by_name\\\", \\\"arguments\\\": {\\n  \\\"invalid_param\\\": "
                        + "\\\"value\\\"\\n}}\",\"status_code\":400}}");
        assertThat(events).noneMatch(SseEvent::isDone);
        assertThat(events).allMatch(e -> e.at() == 0);
        assertThat(events.get(1).data())
                .isEqualTo(
                        "{\"id\":\"chatcmpl-4f39f3af-3267-4ac1-a0cf-6aa7451877dc\",\"object\":\"chat.completion.chunk\","
                                + "\"created\":1771434740,\"model\":\"openai/gpt-oss-120b\",\"system_fingerprint\":\"fp_e8236260a9\",\"choices\":[{\"index\":0,"
                                + "\"delta\":{\"reasoning\":\"We\",\"channel\":\"analysis\"},\"logprobs\":null,\"finish_reason\":null}]}");

        JsonNode raw = new YAMLMapper().readTree(cassette).at("/interactions/0/response/body/string");
        assertThat(Recordings.wire(events)).isEqualTo(raw.asText());
        assertThat(fixtures.get(1).responses().get(0).events()).last().matches(SseEvent::isDone);
        assertThat(fixtures.get(0).responses().get(0).header("content-type")).isEqualTo("text/event-stream");
    }
}
