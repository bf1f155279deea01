package dev.tollgate.mock.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidationTest {
    private final RequestValidation validation = new RequestValidation(true);

    private Refusal check(String body) {
        return validation.check("POST", "/v1/chat/completions", Json.parse(body));
    }

    private static String chat(String messages, String extra) {
        return "{\"model\":\"openai/gpt-oss-120b\",\"messages\":" + messages + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    private static final String HELLO = "[{\"role\":\"user\",\"content\":\"Hi\"}]";

    @Test
    void everyShippedFixtureRequestPasses() {
        Path dir = defaultFixtures();
        List<Fixture> fixtures = FixtureFiles.readAll(dir);
        assertThat(fixtures).isNotEmpty();
        for (Fixture f : fixtures) {
            JsonNode body = f.request().body();
            assertThat(validation.check(f.request().method(), f.request().path(), body))
                    .as(f.name())
                    .isNull();
        }
    }

    @Test
    void assistantReasoningContentIsGroqsMostReportedRefusal() {
        Refusal r = check(chat(
                "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"x\"}]",
                ""));
        assertThat(r)
                .isEqualTo(new Refusal(
                        400,
                        "'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' :"
                                + " property 'reasoning_content' is unsupported)]",
                        "invalid_request_error",
                        null,
                        null));
    }

    @Test
    void rulesRunInOrderAndTheFirstRefusalIsTheAnswer() {
        // An unknown role in message 0 comes before a wrongly typed temperature and n = 2.
        Refusal r = check(chat("[{\"role\":\"wizard\",\"content\":\"Hi\"}]", "\"temperature\":\"hot\",\"n\":2"));
        assertThat(r.message()).isEqualTo("'messages.0' : discriminator property 'role' has invalid value");
        assertThat(check(chat(HELLO, "\"temperature\":\"hot\",\"n\":2")).message())
                .isEqualTo("'temperature' : value must be a number");
        assertThat(check(chat(HELLO, "\"n\":2")).message()).isEqualTo("'n' : number must be at most 1");
    }

    @Test
    void nearMissesPass() {
        assertThat(check(chat(
                        HELLO,
                        "\"temperature\":2,\"top_p\":0,\"n\":1.0,\"max_completion_tokens\":65536,\"stream\":null")))
                .isNull();
        assertThat(check(chat(HELLO, "\"temperature\":0,\"n\":null,\"tools\":null")))
                .isNull();
        assertThat(check(chat(
                        "[{\"role\":\"assistant\",\"content\":null,\"reasoning\":\"r\",\"refusal\":null,\"tool_calls\":[]},"
                                + "{\"role\":\"tool\",\"tool_call_id\":\"fc_1\",\"name\":\"f\",\"content\":\"1\"},{\"role\":\"developer\",\"content\":\"d\"}]",
                        "")))
                .isNull();
        assertThat(check(chat(HELLO, "\"response_format\":{\"type\":\"json_object\"},\"tools\":[]")))
                .isNull();
        // Other endpoints and bodies that are not objects are not checked.
        assertThat(validation.check("POST", "/v1/responses", Json.parse("{\"input\":\"x\",\"n\":5}")))
                .isNull();
        assertThat(validation.check("POST", "/v1/chat/completions", Json.parse("[1]")))
                .isNull();
    }

    @Test
    void hugeNumbersAreComparedWithoutExpandingThem() {
        assertThat(check(chat(HELLO, "\"max_completion_tokens\":1e999999999")).param())
                .isEqualTo("max_completion_tokens");
        assertThat(check(chat(HELLO, "\"temperature\":-1e999999999")).message())
                .isEqualTo("'temperature' : number must be at least 0");
    }

    @Test
    void offAcceptsEverything() {
        assertThat(new RequestValidation(false)
                        .check(
                                "POST",
                                "/v1/chat/completions",
                                Json.parse(chat("[{\"role\":\"wizard\"}]", "\"n\":[5]"))))
                .isNull();
    }

    private static Path defaultFixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures")) && Files.isDirectory(dir.resolve("mock-server")))
                return dir.resolve("fixtures");
        }
        throw new IllegalStateException(
                "no fixtures/ folder above " + Path.of("").toAbsolutePath());
    }
}
