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
        return Json.parse(reply.json()
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText());
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
            "{\"type\":\"integer\",\"minimum\":-1e999999999,\"maximum\":1e999999999,\"exclusiveMinimum\":true}"
        }) {
            WireClient.Reply reply = wire.post("/v1/chat/completions", withSchema(schema));
            assertThat(reply.status()).as(schema).isEqualTo(200);
            assertThat(reply.body().length()).as(schema).isLessThan(10_000);
        }
    }

    @Test
    void aHugeExponentInARequestIsMatchedWithoutExpandingIt() {
        long start = System.nanoTime();
        WireClient.Reply reply = wire.post(
                "/v1/chat/completions",
                "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"frequency_penalty\":1e999999999}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply.status()).isLessThan(500);
        WireClient.Reply journal = wire.get("/__admin/journal?limit=1");
        assertThat(journal.status()).isEqualTo(200);
        assertThat(journal.body().length()).isLessThan(10_000);
    }

    /** Sends {@code request} as is on a fresh socket, half-closes it, and reads what comes back until the server closes. */
    static String raw(int port, String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertOpenAiError(String exchange, int status, String code) {
        assertThat(exchange).startsWith("HTTP/1.1 " + status + " ");
        JsonNode error =
                Json.parse(exchange.substring(exchange.indexOf("\r\n\r\n") + 4)).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("code").asText()).isEqualTo(code);
    }

    static final String CHAT =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aBodyShorterThanItsContentLengthIsA400() {
        String exchange = raw(
                groq.server().port(),
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n" + CHAT);
        assertOpenAiError(exchange, 400, "unreadable_body");
    }

    @Test
    void aChunkSizeThatLiesIsA400() {
        String exchange = raw(
                groq.server().port(),
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "400\r\n" + CHAT + "\r\n0\r\n\r\n");
        assertThat(exchange).startsWith("HTTP/1.1 400 ");
        assertThat(exchange).contains("\"type\":\"invalid_request_error\"");
    }

    @Test
    void protocolRefusalsHaveOpenAisShape() {
        int port = groq.server().port();
        assertOpenAiError(raw(port, "GARBAGE\r\n\r\n"), 400, "bad_request");
        assertOpenAiError(
                raw(port, "GET /health HTTP/7.0\r\nHost: 127.0.0.1\r\n\r\n"), 505, "http_version_not_supported");
        assertOpenAiError(
                raw(port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                431,
                "request_header_fields_too_large");
        assertOpenAiError(
                raw(port, "GET /v1/models?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                414,
                "uri_too_long");
    }

    @Test
    void aBodyOverTheLimitIsA413InOpenAisShape() {
        MockConfig d = MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC);
        MockConfig small = new MockConfig(
                null,
                d.mode(),
                d.pacing(),
                d.ignored(),
                d.journalSize(),
                d.host(),
                0,
                4096,
                null,
                null,
                d.validation());
        try (MockServer server = MockServer.start(small)) {
            WireClient.Reply reply = new WireClient(server.baseUrl())
                    .post("/v1/chat/completions", CHAT.replace("\"hi\"", "\"" + "h".repeat(10_000) + "\""));
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.json().path("error").path("code").asText()).isEqualTo("request_too_large");
            assertThat(reply.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void aNegativeOrNonNumericJournalLimitIsA400() {
        for (String limit : new String[] {"-1", "abc", "99999999999"}) {
            WireClient.Reply reply = wire.get("/__admin/journal?limit=" + limit);
            assertThat(reply.status()).as(limit).isEqualTo(400);
            assertThat(reply.json().path("error").path("param").asText()).isEqualTo("limit");
        }
        assertThat(wire.get("/__admin/journal?limit=0").json().path("count").asInt())
                .isZero();
    }

    @Test
    void aDeeplyNestedRequestDoesNotBreakLaterJournalReads() {
        String deep = "[".repeat(998) + "]".repeat(998);
        WireClient.Reply reply = wire.post("/v1/chat/completions", CHAT.replace("}]}", "}],\"x\":" + deep + "}"));
        assertThat(reply.status()).isLessThan(500);
        wire.post("/v1/chat/completions", CHAT);
        WireClient.Reply journal = wire.get("/__admin/journal");
        assertThat(journal.status()).isEqualTo(200);
        assertThat(journal.json().path("count").asInt()).isEqualTo(2);
        assertThat(journal.json().path("requests").path(0).path("body").asText())
                .contains("too deep to keep");
    }
}
