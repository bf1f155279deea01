package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.junit.MockGroqExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Small requests meant to hurt the mock (which runs inside every user's CI): each gets a prompt, bounded, well-formed answer. */
class HostileInputIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.synthetic();

    WireClient wire;

    @BeforeEach
    void client() {
        wire = new WireClient(groq.baseUrl());
    }

    static String withSchema(String schema) {
        return """
                {"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"hi"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":%s}}}""".formatted(schema);
    }

    static JsonNode content(WireClient.Reply reply) {
        return Json.parse(reply.json().path("choices").path(0).path("message").path("content").asText());
    }

    @Test
    void aCatastrophicallyBacktrackingPatternIsAnsweredPromptly() {
        long start = System.nanoTime();
        WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema("""
                {"type":"object","properties":{"a":{"type":"string","pattern":"((x+)+)+y","minLength":37}},"required":["a"]}"""));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(content(reply).path("a").isTextual()).isTrue();
    }

    @Test
    void aPatternWhoseSampleWouldBeMillionsOfCharactersGetsAPlainSample() {
        WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema("""
                {"type":"object","properties":{"a":{"type":"string","pattern":"((a{1000}){1000}){21}"}},"required":["a"]}"""));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().length()).isLessThan(100_000);
        assertThat(content(reply).path("a").asText()).isEqualTo("example a");
    }

    @Test
    void manyLongStringsAreCutToTheAnswerBudget() {
        WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema("""
                {"type":"array","minItems":100000,"items":{"type":"string","minLength":100000}}"""));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().length()).isLessThan(3_000_000); // about 1 MB of content, escaped once into the message
        assertThat(content(reply).isArray()).isTrue();
    }

    @Test
    void aLargeEnumValueCopiedIntoEveryItemIsBounded() {
        String big = "y".repeat(200_000);
        WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema("""
                {"type":"array","minItems":10000,"items":{"enum":["%s"]}}""".formatted(big)));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().length()).isLessThan(3_000_000);
    }

    @Test
    void schemaNumbersWithHugeExponentsAreNotExpanded() {
        for (String schema : new String[] {
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\",\"minimum\":1e999999999}},\"required\":[\"a\"]}",
                "{\"type\":\"number\",\"multipleOf\":1e-999999999,\"minimum\":3}",
                "{\"type\":\"integer\",\"minimum\":-1e999999999,\"maximum\":1e999999999,\"exclusiveMinimum\":true}"}) {
            WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema(schema));
            assertThat(reply.status()).as(schema).isEqualTo(200);
            assertThat(reply.body().length()).as(schema).isLessThan(10_000);
        }
    }

    @Test
    void aHugeExponentInARequestIsMatchedWithoutExpandingIt() {
        long start = System.nanoTime();
        WireClient.Reply reply = wire.post("/v1/chat/completions",
                "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"frequency_penalty\":1e999999999}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply.status()).isLessThan(500);
        WireClient.Reply journal = wire.get("/__admin/journal?limit=1");
        assertThat(journal.status()).isEqualTo(200);
        assertThat(journal.body().length()).isLessThan(10_000);
    }
}
