package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.record.RecordMode;
import dev.tollgate.fixture.record.Redaction;
import dev.tollgate.mock.junit.MockGroqExtension;
import dev.tollgate.mock.record.RecordSettings;
import dev.tollgate.mock.replay.Pacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Groq's request validation over HTTP: the exact refusal bodies, what still passes, and the ways to turn it off. */
class RequestValidationIT {
    static final String HI = "{\"role\":\"user\",\"content\":\"Hi\"}";
    static final String ECHOED =
            "[" + HI + ",{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"They greet.\"},"
                    + "{\"role\":\"user\",\"content\":\"And?\"}]";

    @TempDir
    static Path dir;

    static MockServer server;
    static WireClient client;

    /** Validation off through the JUnit extension's builder. */
    @RegisterExtension
    static MockGroqExtension lenient = MockGroqExtension.synthetic().validation(false);

    static String chat(String messages, String extra) {
        return "{\"model\":\"openai/gpt-oss-120b\",\"messages\":" + messages + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    @BeforeAll
    static void start() throws IOException {
        // Validation off for this fixture alone: a recording from an upstream that took reasoning_content.
        Files.writeString(dir.resolve("echoed-reasoning.json"), """
                {"request":{"method":"POST","path":"/v1/chat/completions","body":%s},
                 "match":{"validate":false},
                 "response":{"status":200,"headers":{"content-type":"application/json"},"body":%s}}
                """.formatted(
                        chat(ECHOED, ""), "{\"id\":\"chatcmpl-echo\",\"object\":\"chat.completion\",\"choices\":[]}"));
        // Groq's own recorded 400 for a request the rules refuse too: the recording is replayed as it is.
        Files.writeString(dir.resolve("recorded-refusal.json"), """
                {"request":{"method":"POST","path":"/v1/chat/completions","body":%s},
                 "response":{"status":400,"headers":{"content-type":"application/json"},
                  "body":{"error":{"message":"as recorded","type":"invalid_request_error"}}}}
                """.formatted(
                        chat("[{\"role\":\"user\",\"content\":\"Hi\",\"timestamp\":1}]", "")));
        // A fixture with a 200 for a request Groq refuses: validation comes before matching, so it is never served.
        Files.writeString(
                dir.resolve("wizard.json"), """
                {"request":{"method":"POST","path":"/v1/chat/completions","body":%s},
                 "response":{"status":200,"headers":{"content-type":"application/json"},"body":{"id":"chatcmpl-wizard"}}}
                """.formatted(chat("[{\"role\":\"wizard\",\"content\":\"Hi\"}]", "")));
        server = MockServer.start(MockConfig.defaults()
                .withFixtures(dir)
                .withMode(MockConfig.Mode.SYNTHETIC)
                .withPacing(Pacing.INSTANT));
        client = new WireClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            assistant reasoning_content | ~[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello","reasoning_content":"r"}]~ | | {"error":{"message":"'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' : property 'reasoning_content' is unsupported)]","type":"invalid_request_error"}}
            user timestamp | ~[{"role":"user","content":"Hi","timestamp":"2026-01-26"}]~ | | {"error":{"message":"'messages.0' : for 'role:user' the following must be satisfied[('messages.0' : property 'timestamp' is unsupported)]","type":"invalid_request_error"}}
            user metadata | ~[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi","metadata":{}}]~ | | {"error":{"message":"'messages.1' : for 'role:user' the following must be satisfied[('messages.1' : property 'metadata' is unsupported)]","type":"invalid_request_error"}}
            system id | ~[{"role":"system","content":"Be brief","id":"m1"}]~ | | {"error":{"message":"'messages.0' : for 'role:system' the following must be satisfied[('messages.0' : property 'id' is unsupported)]","type":"invalid_request_error"}}
            unknown role | ~[{"role":"wizard","content":"Hi"}]~ | | {"error":{"message":"'messages.0' : discriminator property 'role' has invalid value","type":"invalid_request_error"}}
            missing role | ~[{"role":"user","content":"Hi"},{"content":"Hi"}]~ | | {"error":{"message":"'messages.1' : discriminator property 'role' has invalid value","type":"invalid_request_error"}}
            temperature hot | ~[{"role":"user","content":"Hi"}]~ | ~"temperature":"hot"~ | {"error":{"message":"'temperature' : value must be a number","type":"invalid_request_error"}}
            n array | ~[{"role":"user","content":"Hi"}]~ | ~"n":[5]~ | {"error":{"message":"'n' : value must be an integer","type":"invalid_request_error"}}
            function a number | ~[{"role":"user","content":"Hi"}]~ | ~"tools":[{"type":"function","function":7}]~ | {"error":{"message":"'tools.0.function' : value must be an object","type":"invalid_request_error"}}
            n 2 | ~[{"role":"user","content":"Hi"}]~ | ~"n":2~ | {"error":{"message":"'n' : number must be at most 1","type":"invalid_request_error"}}
            temperature 2.5 | ~[{"role":"user","content":"Hi"}]~ | ~"temperature":2.5~ | {"error":{"message":"'temperature' : number must be at most 2","type":"invalid_request_error"}}
            max_completion_tokens | ~[{"role":"user","content":"Hi"}]~ | ~"max_completion_tokens":65537~ | {"error":{"message":"`max_completion_tokens` must be less than or equal to `65536`, the maximum value for `max_completion_tokens` is less than the `context_window` for this model","type":"invalid_request_error","param":"max_completion_tokens"}}
            json mode with tools | ~[{"role":"user","content":"Hi"}]~ | ~"response_format":{"type":"json_object"},"tools":[{"type":"function","function":{"name":"f"}}]~ | {"error":{"message":"json mode cannot be combined with tool/function calling","type":"invalid_request_error","param":"response_format"}}
            """)
    void refusesWithGroqsExactBody(String rule, String messages, String extra, String expected) {
        for (boolean stream : new boolean[] {false, true}) {
            String body = chat(messages, (extra == null ? "" : extra + ",") + "\"stream\":" + stream);
            WireClient.Reply reply = client.post("/v1/chat/completions", body);
            assertThat(reply.status()).as(rule).isEqualTo(400);
            assertThat(reply.header("content-type"))
                    .as("a refusal is JSON, streamed or not")
                    .startsWith("application/json");
            assertThat(reply.body()).as(rule).isEqualTo(expected);
        }
    }

    /** One request per row of the README's table, in its order, breaking that row's rule. */
    static final String[] README_ROWS = {
        chat(ECHOED.replace("And?", "And then?"), ""), // ECHOED itself has a fixture that skips validation
        chat("[{\"role\":\"user\",\"content\":\"Hi!\",\"timestamp\":1}]", ""), // not the recorded refusal's request
        chat("[{\"role\":\"human\",\"content\":\"Hi\"}]", ""),
        chat("[" + HI + "]", "\"temperature\":\"hot\""),
        chat(
                "[" + HI + "]",
                "\"tools\":["
                        + String.join(
                                ",", Collections.nCopies(129, "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"))
                        + "]"),
        chat("[" + HI + "]", "\"n\":2"),
        chat("[" + HI + "]", "\"temperature\":3"),
        chat("[" + HI + "]", "\"max_completion_tokens\":70000"),
        chat(
                "[" + HI + "]",
                "\"response_format\":{\"type\":\"json_object\"},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"),
    };

    @Test
    void theReadmeTableQuotesWhatTheMockAnswers() throws IOException {
        List<String> rows = readmeRules();
        assertThat(rows)
                .as("a README row per rule (a new rule needs its row, and a request here)")
                .hasSameSizeAs(README_ROWS);
        for (int i = 0; i < rows.size(); i++) {
            String message = Json.parse(
                            client.post("/v1/chat/completions", README_ROWS[i]).body())
                    .path("error")
                    .path("message")
                    .asText();
            assertThat(firstQuoted(rows.get(i).split(" \\| ")[1]))
                    .as(rows.get(i))
                    .isEqualTo(message);
        }
    }

    /** The rows of the table under "What the mock refuses". */
    private static List<String> readmeRules() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("README.md")) || !Files.isDirectory(root.resolve("fixtures")))
            root = root.getParent();
        List<String> lines = Files.readAllLines(root.resolve("README.md"));
        int i = lines.indexOf("### What the mock refuses");
        assertThat(i).as("the README's section").isPositive();
        while (!lines.get(i).startsWith("| rule |")) i++;
        List<String> rows = new ArrayList<>();
        for (i += 2; lines.get(i).startsWith("|"); i++) rows.add(lines.get(i));
        return rows;
    }

    /** The first code span of a Markdown cell ({@code `x`}, or {@code `` x ``} around text holding backticks). */
    private static String firstQuoted(String cell) {
        cell = cell.strip();
        if (cell.startsWith("`` ")) return cell.substring(3, cell.indexOf(" ``", 3));
        int start = cell.indexOf('`');
        return cell.substring(start + 1, cell.indexOf('`', start + 1));
    }

    @Test
    void moreThan128ToolsAreRefused() {
        String tool = "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}";
        String tools = "\"tools\":[" + String.join(",", java.util.Collections.nCopies(129, tool)) + "]";
        assertThat(client.post("/v1/chat/completions", chat("[" + HI + "]", tools))
                        .body())
                .isEqualTo(
                        "{\"error\":{\"message\":\"'tools' : maximum number of items is 128\",\"type\":\"invalid_request_error\"}}");
        String atLimit = "\"tools\":[" + String.join(",", java.util.Collections.nCopies(128, tool)) + "]";
        assertThat(client.post("/v1/chat/completions", chat("[" + HI + "]", atLimit))
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            bounds themselves | ~[{"role":"user","content":"Hi"}]~ | ~"temperature":2,"top_p":1,"n":1,"max_completion_tokens":65536~
            zero temperature, n 1.0 | ~[{"role":"user","content":"Hi"}]~ | ~"temperature":0,"n":1.0~
            nulls for optional fields | ~[{"role":"user","content":"Hi"}]~ | ~"temperature":null,"n":null,"tools":null,"stream":null~
            assistant reasoning, refusal, tool message with name | ~[{"role":"user","content":"Hi"},{"role":"assistant","content":null,"reasoning":"r","refusal":null,"tool_calls":[{"id":"fc_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"fc_1","name":"f","content":"1"}]~ |
            developer message | ~[{"role":"developer","content":"Be brief"},{"role":"user","content":"Hi","name":"ann"}]~ |
            json mode without tools | ~[{"role":"user","content":"Hi"}]~ | ~"response_format":{"type":"json_object"},"tools":[]~
            """)
    void nearMissesAreAccepted(String rule, String messages, String extra) {
        WireClient.Reply reply = client.post("/v1/chat/completions", chat(messages, extra == null ? "" : extra));
        assertThat(reply.status()).as(rule + ": " + reply.body()).isEqualTo(200);
    }

    @Test
    void validationComesBeforeMatchingAndIsJournalled() {
        WireClient.Reply reply =
                client.post("/v1/chat/completions", chat("[{\"role\":\"wizard\",\"content\":\"Hi\"}]", ""));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain("chatcmpl-wizard");
        var last = server.journal().entries().get(server.journal().entries().size() - 1);
        assertThat(last.status()).isEqualTo(400);
        assertThat(last.fixture()).isEqualTo("(validation)");
    }

    @Test
    void aFixtureMarkedValidateFalseAnswersWhatGroqWouldRefuse() {
        WireClient.Reply reply = client.post("/v1/chat/completions", chat(ECHOED, ""));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("id").asText()).isEqualTo("chatcmpl-echo");
    }

    @Test
    void aRecordedRefusalReplaysAsRecorded() {
        WireClient.Reply reply = client.post(
                "/v1/chat/completions", chat("[{\"role\":\"user\",\"content\":\"Hi\",\"timestamp\":1}]", ""));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body())
                .isEqualTo("{\"error\":{\"message\":\"as recorded\",\"type\":\"invalid_request_error\"}}");
    }

    @Test
    void offGloballyAcceptsWhatGroqRefuses() {
        try (MockServer off = MockServer.start(MockConfig.defaults()
                .withMode(MockConfig.Mode.SYNTHETIC)
                .withPacing(Pacing.INSTANT)
                .withValidation(false))) {
            WireClient.Reply reply =
                    new WireClient(off.baseUrl()).post("/v1/chat/completions", chat(ECHOED, "\"temperature\":3"));
            assertThat(reply.status()).isEqualTo(200);
        }
        WireClient.Reply viaExtension =
                new WireClient(lenient.baseUrl()).post("/v1/chat/completions", chat(ECHOED, ""));
        assertThat(viaExtension.status()).isEqualTo(200);
    }

    @Test
    void inRecordModeARefusedRequestNeverReachesTheUpstream(@TempDir Path upstreamDir, @TempDir Path recorded) {
        try (MockServer groq = MockServer.start(MockConfig.defaults()
                        .withFixtures(upstreamDir)
                        .withMode(MockConfig.Mode.SYNTHETIC)
                        .withPacing(Pacing.INSTANT));
                MockServer recorder = MockServer.start(MockConfig.defaults()
                        .withFixtures(recorded)
                        .withPacing(Pacing.INSTANT)
                        .withRecording(new RecordSettings(
                                groq.openAiBaseUrl(),
                                "gsk_validationRecordKey000000000001",
                                RecordMode.ALL,
                                Redaction.NONE)))) {
            WireClient.Reply reply = new WireClient(recorder.baseUrl()).post("/v1/chat/completions", chat(ECHOED, ""));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().at("/error/message").asText()).contains("reasoning_content");
            assertThat(groq.journal().entries()).isEmpty();
            WireClient.Reply valid =
                    new WireClient(recorder.baseUrl()).post("/v1/chat/completions", chat("[" + HI + "]", ""));
            assertThat(valid.status()).isEqualTo(200);
            assertThat(groq.journal().entries()).hasSize(1);
        }
    }
}
