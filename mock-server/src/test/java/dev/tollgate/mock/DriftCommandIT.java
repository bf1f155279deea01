package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.MatchRules;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.cli.MockServerCommand;
import dev.tollgate.mock.junit.MockGroqExtension;
import dev.tollgate.mock.replay.Pacing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine;

/**
 * {@code mock-server drift}: a fixtures folder with planted problems, and the usage of a test run in
 * which a mock server (over HTTP) and the JUnit 5 extension (in a test class run by the JUnit
 * launcher) served some of its fixtures and added their counts to one usage report.
 */
class DriftCommandIT {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Set for {@link ExtensionRun} before the launcher runs it. */
    static volatile Path extensionFixtures;

    static volatile Path extensionReport;

    @Test
    void reportsUnusedAndInvalidFixturesOfATestRun() throws Exception {
        Path fixtures = dir.resolve("fixtures");
        Path report = dir.resolve("target/fixture-usage.json");
        plantFixtures(fixtures);

        // The test run: a mock server answering over HTTP, then a test class using the JUnit extension.
        try (MockServer server = MockServer.start(MockConfig.defaults()
                .withFixtures(fixtures)
                .withPacing(Pacing.INSTANT)
                .withUsageReport(report))) {
            WireClient client = new WireClient(server.openAiBaseUrl());
            assertThat(client.post("/chat/completions", chatBody("Hello", null))
                            .json()
                            .at("/choices/0/message/content")
                            .asText())
                    .isEqualTo("wide");
            assertThat(client.post("/chat/completions", chatBody("Count", null))
                            .json()
                            .at("/choices/0/message/content")
                            .asText())
                    .isEqualTo("one");
            assertThat(client.post("/chat/completions", chatBody("Count", null))
                            .json()
                            .at("/choices/0/message/content")
                            .asText())
                    .isEqualTo("two");
            assertThat(client.post("/chat/completions", chatBody("Stream please", null))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(report).exists();
        runExtensionTestClass(fixtures, report);

        JsonNode usage = Json.parse(Files.readString(report));
        assertThat(usage.path("format").asText()).isEqualTo("tollgate-fixture-usage/1");
        assertThat(Json.MAPPER.convertValue(usage.path("fixtures"), Map.class))
                .isEqualTo(Map.of(
                        "catchall/hello",
                        1,
                        "chat/turns-1",
                        1,
                        "chat/turns-2",
                        1,
                        "streams/cut",
                        1,
                        "errors/stream-error",
                        1,
                        "errors/no-messages-refused",
                        1));
        assertThat(usage.path("folders").get(0).asText())
                .isEqualTo(fixtures.toAbsolutePath().normalize().toString());

        // Edited since the run: two files the mock server would now refuse to start with.
        Files.writeString(fixtures.resolve("chat/broken.json"), "{\"request\": {\"path\": \"/v1/chat/completions\"");
        Files.writeString(fixtures.resolve("chat/not-a-fixture.json"), "{\"hello\": \"world\"}");

        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--format", "json"))
                .isEqualTo(1);
        JsonNode result = Json.parse(out.toString());
        List<org.assertj.core.groups.Tuple> findings = new ArrayList<>();
        result.path("findings")
                .forEach(f -> findings.add(
                        tuple(f.path("file").asText(), f.path("kind").asText())));
        assertThat(findings)
                .containsExactly(
                        tuple("chat/broken.json", "bad-fixture"),
                        tuple("chat/double-encoded.json", "bad-body"),
                        tuple("chat/double-encoded.json", "unused"),
                        tuple("chat/hello-max-tokens.json", "unreachable"),
                        tuple("chat/hello-max-tokens.json", "unused"),
                        tuple("chat/no-messages.json", "bad-request"),
                        tuple("chat/no-messages.json", "unused"),
                        tuple("chat/not-a-fixture.json", "bad-fixture"),
                        tuple("chat/unused.json", "unused"),
                        tuple("misc/put.json", "unreachable"),
                        tuple("misc/put.json", "unused"),
                        tuple("misc/typo.json", "bad-request"),
                        tuple("misc/typo.json", "unused"),
                        tuple("streams/cut.json", "bad-stream"));
        assertThat(result.path("checked").asInt()).isEqualTo(14);
        assertThat(result.path("failing").asInt()).isEqualTo(14);
        assertThat(result.at("/usage/requests").asInt()).isEqualTo(6);
        assertThat(reasonOf(result, "chat/broken.json")).startsWith("not JSON: ");
        assertThat(reasonOf(result, "chat/not-a-fixture.json"))
                .startsWith("not a fixture")
                .contains("'request' is required");
        assertThat(reasonOf(result, "chat/hello-max-tokens.json"))
                .contains("answered by catchall/hello first", "max_tokens");
        assertThat(reasonOf(result, "chat/no-messages.json")).startsWith("no 'messages'");
        assertThat(reasonOf(result, "chat/double-encoded.json")).contains("JSON string", "\"text\"");
        assertThat(reasonOf(result, "misc/put.json")).contains("not PUT");
        assertThat(reasonOf(result, "misc/typo.json")).contains("unknown route /v1/chat/completion");
        assertThat(reasonOf(result, "streams/cut.json")).contains("without data: [DONE]", "not an error stream");

        // The same as text: one line per finding, file: kind: reason.
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString()))
                .isEqualTo(1);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(14);
        assertThat(lines.get(0)).startsWith("chat/broken.json: bad-fixture: not JSON: ");
        assertThat(lines).contains("chat/unused.json: unused: no request of the test run was answered by it");
        assertThat(err.toString()).contains("14 fixtures", "6 unused", "6 requests answered by fixtures");

        // --fail-on chooses which findings fail.
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--fail-on", "none"))
                .isZero();
        assertThat(out.toString().lines()).hasSize(14);
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--fail-on", "bad-stream"))
                .isEqualTo(1);
        Files.delete(fixtures.resolve("streams/cut.json"));
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--fail-on", "bad-stream"))
                .isZero();
        assertThat(err.toString()).contains("the usage names 1 fixtures that are not in", "streams/cut");
    }

    @Test
    void readsTheUsageOfARunningMockWhichResetDoesNotClear() throws Exception {
        Path fixtures = dir.resolve("fixtures");
        TestFixtures.write(fixtures, "chat/asked", TestFixtures.chat("Asked"), TestFixtures.answer("yes"));
        TestFixtures.write(fixtures, "chat/never-asked", TestFixtures.chat("Never asked"), TestFixtures.answer("no"));
        try (MockServer server =
                MockServer.start(MockConfig.defaults().withFixtures(fixtures).withPacing(Pacing.INSTANT))) {
            WireClient client = new WireClient(server.baseUrl());
            assertThat(client.post("/v1/chat/completions", TestFixtures.chatBody("Asked", true))
                            .status())
                    .isEqualTo(200);
            assertThat(client.post("/__admin/reset", "").status()).isEqualTo(204);
            assertThat(client.get("/__admin/usage")
                            .json()
                            .at("/fixtures/chat~1asked")
                            .asInt())
                    .isEqualTo(1);

            assertThat(drift("--fixtures", fixtures.toString(), "--from", server.openAiBaseUrl()))
                    .isEqualTo(1);
            assertThat(out.toString().lines())
                    .containsExactly("chat/never-asked.json: unused: no request of the test run was answered by it");
            assertThat(drift("--fixtures", fixtures.toString(), "--from", server.baseUrl(), "--fail-on", "invalid"))
                    .isZero();
        }
    }

    @Test
    void theCommandLineMockWritesItsUsageOnShutdownAndTheDefaultFixturesAreValid() throws Exception {
        Path report = dir.resolve("usage.json");
        Path fixtures = TestFixtures.defaultFixtures();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.mock.cli.MockServerCommand",
                        "--port",
                        "0",
                        "--fixtures",
                        fixtures.toString(),
                        "--pace",
                        "instant",
                        "--usage-report",
                        report.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(lines.readLine());
            assertThat(m.find()).isTrue();
            WireClient client = new WireClient("http://127.0.0.1:" + m.group(1));
            String hello = "{\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":2000,\"reasoning_effort\":\"low\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello world!\"}]}";
            assertThat(client.post("/v1/chat/completions", hello).status()).isEqualTo(200);
            assertThat(client.post("/v1/chat/completions", hello).status()).isEqualTo(200);
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook stops the server and writes the report
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Json.parse(Files.readString(report)).path("fixtures").toString())
                .isEqualTo("{\"chat/basic-reasoning\":2}");

        // The repository's own fixtures all pass validation; all but the one used are unused.
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--format", "json"))
                .isEqualTo(1);
        JsonNode result = Json.parse(out.toString());
        int count = FixtureFiles.readAll(fixtures).size();
        assertThat(result.path("findings"))
                .hasSize(count - 1)
                .allSatisfy(f -> assertThat(f.path("kind").asText()).isEqualTo("unused"));
        assertThat(drift("--fixtures", fixtures.toString(), "--usage", report.toString(), "--fail-on", "invalid"))
                .isZero();
        assertThat(drift("--fixtures", fixtures.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("unused fixtures not checked");
    }

    @Test
    void aFixtureThatIgnoresMoreButLoadsLaterShadowsNothing() {
        Path fixtures = dir.resolve("fixtures");
        write(fixtures, "chat/a-exact", chat("Hello", 100), List.of(), TestFixtures.answer("exact"));
        write(fixtures, "chat/b-wide", chat("Hello", null), List.of("max_tokens"), TestFixtures.answer("wide"));
        write(
                fixtures,
                "chat/c-wide-again",
                chat("Hello", null),
                List.of("max_tokens"),
                TestFixtures.answer("wide, next turn"));

        assertThat(drift("--fixtures", fixtures.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        // With max_tokens ignored server-wide, they are one request in one ignore group: three turns.
        assertThat(drift("--fixtures", fixtures.toString(), "--ignore", "max_tokens"))
                .isZero();
        // One that ignores still more and loads first answers every request of all three.
        write(
                fixtures,
                "chat/0-wider",
                chat("Hello", null),
                List.of("max_tokens", "model"),
                TestFixtures.answer("widest"));
        assertThat(drift("--fixtures", fixtures.toString())).isEqualTo(1);
        assertThat(out.toString().lines())
                .extracting(l -> l.substring(0, l.indexOf(": never")))
                .containsExactly(
                        "chat/a-exact.json: unreachable",
                        "chat/b-wide.json: unreachable",
                        "chat/c-wide-again.json: unreachable");
    }

    @Test
    void streamsBodiesAndRoutesAreJudgedAsGroqAnswersThem() throws Exception {
        Path fixtures = dir.resolve("fixtures");
        String chat =
                "\"request\":{\"path\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}}";
        String responses = "\"request\":{\"path\":\"/v1/responses\",\"body\":{\"model\":\"m\",\"input\":\"%s\"}}";
        Map<String, String> files = Map.of(
                "responses/complete",
                        "{" + responses.formatted("a")
                                + ",\"response\":{\"status\":200,\"events\":[{\"event\":\"response.created\",\"data\":\"{}\"},"
                                + "{\"event\":\"response.completed\",\"data\":\"{}\"}]}}",
                "responses/cut",
                        "{" + responses.formatted("b")
                                + ",\"response\":{\"status\":200,\"events\":[{\"event\":\"response.created\",\"data\":\"{}\"}]}}",
                "chat/after-done",
                        "{" + chat.formatted("c")
                                + ",\"response\":{\"status\":200,\"events\":[{\"data\":\"[DONE]\"},{\"data\":\"{}\"}]}}",
                "chat/not-json-event",
                        "{" + chat.formatted("d") + ",\"responses\":[{\"status\":200,\"body\":{}},"
                                + "{\"status\":200,\"events\":[{\"data\":\"{\\\"choices\\\":\"},{\"data\":\"[DONE]\"}]}]}",
                "chat/text-labelled-json",
                        "{" + chat.formatted("e")
                                + ",\"response\":{\"status\":502,\"headers\":{\"content-type\":\"application/json\"},"
                                + "\"text\":\"<html>bad gateway</html>\"}}",
                "models/get-with-body",
                        "{\"request\":{\"method\":\"GET\",\"path\":\"/v1/models\",\"body\":{}},\"response\":{\"status\":200,\"body\":{}}}",
                "models/post", "{\"request\":{\"path\":\"/v1/models\"},\"response\":{\"status\":200,\"body\":{}}}",
                "errors/unknown-route-refused",
                        "{\"request\":{\"path\":\"/v1/completions\",\"body\":{}},\"response\":{\"status\":404,\"body\":{}}}");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(fixtures.resolve(f.getKey()).getParent());
            Files.writeString(fixtures.resolve(f.getKey() + ".json"), f.getValue());
        }

        assertThat(drift("--fixtures", fixtures.toString())).isEqualTo(1);
        // Jackson's reason after "is not JSON: " is left out.
        assertThat(out.toString().lines().map(l -> l.replaceFirst("is not JSON: .*", "is not JSON: …")))
                .containsExactly(
                        "chat/after-done.json: bad-stream: the answer: [DONE] is followed by 1 event; it ends the stream",
                        "chat/not-json-event.json: bad-stream: answer 2 of 2: event 1 of 2 is not JSON: …",
                        "chat/text-labelled-json.json: bad-body: the answer is labelled application/json but its text is not JSON: …",
                        "models/get-with-body.json: bad-request: a GET request has no body, but this one has",
                        "models/post.json: bad-request: POST /v1/models is not a route: Groq takes GET there",
                        "responses/cut.json: bad-stream: the answer ends after 1 event without response.completed, response.failed, response.incomplete"
                                + " or an error event: it was cut short");
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        Path fixtures = dir.resolve("fixtures");
        TestFixtures.write(fixtures, "chat/a", TestFixtures.chat("A"), TestFixtures.answer("a"));
        Files.writeString(dir.resolve("not-usage.json"), "{\"fixtures\": {}}");

        assertThat(drift("--fixtures", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("fixtures folder not found");
        assertThat(drift(
                        "--fixtures",
                        fixtures.toString(),
                        "--usage",
                        dir.resolve("nope.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("usage report not found", "nope.json");
        assertThat(drift(
                        "--fixtures",
                        fixtures.toString(),
                        "--usage",
                        dir.resolve("not-usage.json").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not a fixture usage report");
        assertThat(drift("--fixtures", fixtures.toString(), "--format", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("--format must be text or json");
        assertThat(drift("--fixtures", fixtures.toString(), "--fail-on", "typos"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--fail-on takes");
        assertThat(drift("--fixtures", fixtures.toString(), "--fail-on", "unused"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("needs the test run's usage");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(drift("--fixtures", fixtures.toString(), "--from", "http://127.0.0.1:" + closedPort))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the usage of the mock server");
    }

    /** A test class as a user writes it; the launcher runs it from the test above, and it is skipped on its own. */
    @EnabledIf("launchedByDriftTest")
    static class ExtensionRun {
        @RegisterExtension
        static MockGroqExtension groq =
                MockGroqExtension.withFixtures(extensionFixtures).usageReport(extensionReport);

        static boolean launchedByDriftTest() {
            return extensionFixtures != null;
        }

        @Test
        void errorStreamAndRefusal() {
            WireClient client = new WireClient(groq.openAiBaseUrl());
            WireClient.StreamReply stream = client.stream(
                    "/chat/completions", chatBody("Fail mid-stream", null).replaceFirst("\\{", "{\"stream\":true,"));
            assertThat(stream.events().get(stream.events().size() - 1).event()).isEqualTo("error");
            assertThat(client.post("/chat/completions", "{\"model\":\"openai/gpt-oss-120b\"}")
                            .status())
                    .isEqualTo(400);
        }
    }

    private static void runExtensionTestClass(Path fixtures, Path report) {
        extensionFixtures = fixtures;
        extensionReport = report;
        try {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(DiscoverySelectors.selectClass(ExtensionRun.class))
                                    .build(),
                            listener);
            TestExecutionSummary summary = listener.getSummary();
            assertThat(summary.getFailures())
                    .as("failures of the extension's test class")
                    .extracting(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                    .isEmpty();
            assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        } finally {
            extensionFixtures = null;
            extensionReport = null;
        }
    }

    private int drift(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = new CommandLine(new MockServerCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "drift";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    private static String reasonOf(JsonNode result, String file) {
        for (JsonNode f : result.path("findings"))
            if (f.path("file").asText().equals(file)) return f.path("reason").asText();
        throw new AssertionError("no finding for " + file);
    }

    private static String chatBody(String userMessage, Integer maxTokens) {
        return "{\"model\":\"openai/gpt-oss-120b\"," + (maxTokens == null ? "" : "\"max_tokens\":" + maxTokens + ",")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + userMessage + "\"}]}";
    }

    private static FixtureRequest chat(String userMessage, Integer maxTokens) {
        return new FixtureRequest("POST", "/v1/chat/completions", Json.parse(chatBody(userMessage, maxTokens)));
    }

    private static void write(
            Path fixtures, String name, FixtureRequest request, List<String> ignore, FixtureResponse... responses) {
        FixtureFiles.write(
                fixtures.resolve(name + ".json"),
                new Fixture(name, request, new MatchRules(ignore, List.of()), List.of(responses), null, null));
    }

    /** 12 fixtures that load; the test adds two that do not after the run. */
    private static void plantFixtures(Path fixtures) {
        // catchall/hello ignores max_tokens and loads first, so every request chat/hello-max-tokens matches goes to it.
        write(fixtures, "catchall/hello", chat("Hello", null), List.of("max_tokens"), TestFixtures.answer("wide"));
        write(fixtures, "chat/hello-max-tokens", chat("Hello", 100), List.of(), TestFixtures.answer("never"));
        // Two files for one request are turns of one sequence, not duplicates.
        write(fixtures, "chat/turns-1", chat("Count", null), List.of(), TestFixtures.answer("one"));
        write(fixtures, "chat/turns-2", chat("Count", null), List.of(), TestFixtures.answer("two"));
        write(fixtures, "chat/unused", chat("Nobody asks", null), List.of(), TestFixtures.answer("unheard"));
        write(
                fixtures,
                "chat/no-messages",
                new FixtureRequest(
                        "POST",
                        "/v1/chat/completions",
                        Json.parse("{\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":5}")),
                List.of(),
                TestFixtures.answer("from nothing"));
        write(
                fixtures,
                "chat/double-encoded",
                chat("Double", null),
                List.of(),
                FixtureResponse.json(
                        200,
                        Map.of("content-type", "application/json"),
                        Json.MAPPER.getNodeFactory().textNode("{\"id\":\"chatcmpl-1\"}")));
        write(
                fixtures,
                "misc/typo",
                new FixtureRequest("POST", "/v1/chat/completion", Json.parse(chatBody("Typo", null))),
                List.of(),
                TestFixtures.answer("typo"));
        write(
                fixtures,
                "misc/put",
                new FixtureRequest("PUT", "/v1/files", null),
                List.of(),
                TestFixtures.answer("put"));
        // A recorded refusal of a request without messages is what it should be.
        write(
                fixtures,
                "errors/no-messages-refused",
                new FixtureRequest("POST", "/v1/chat/completions", Json.parse("{\"model\":\"openai/gpt-oss-120b\"}")),
                List.of(),
                FixtureResponse.json(
                        400,
                        Map.of("content-type", "application/json"),
                        Json.parse(
                                "{\"error\":{\"message\":\"'messages' : property 'messages' is missing\",\"type\":\"invalid_request_error\"}}")));
        // Groq's in-band error stream has no [DONE]; a stream cut short has neither.
        List<SseEvent> full = TestFixtures.stream(3, 0).events();
        write(
                fixtures,
                "errors/stream-error",
                chat("Fail mid-stream", null),
                List.of(),
                FixtureResponse.stream(
                        200,
                        Map.of("content-type", "text/event-stream"),
                        List.of(
                                full.get(0),
                                new SseEvent(
                                        0,
                                        "error",
                                        "{\"error\":{\"message\":\"Tool call validation failed\",\"type\":\"invalid_request_error\","
                                                + "\"code\":\"tool_use_failed\",\"status_code\":400}}"))));
        write(
                fixtures,
                "streams/cut",
                chat("Stream please", null),
                List.of(),
                FixtureResponse.stream(
                        200, Map.of("content-type", "text/event-stream"), full.subList(0, full.size() - 1)));
    }
}
