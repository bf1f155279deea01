package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.cli.MockServerCommand;
import dev.tollgate.mock.replay.Pacing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code import} of VCR cassettes that write a body once ({@code &anchor}) and use it again ({@code *alias},
 * {@code <<: *merged}): the imported fixtures answer, over HTTP, with the bodies the aliases mean; a document whose
 * aliases explode ("billion laughs") or name no anchor is refused with a clear message, and nothing is written.
 */
class VcrAliasImportIT {
    private static final String ANSWER =
            "'{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1771434740,"
                    + "\"model\":\"openai/gpt-oss-120b\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}'";
    private static final String CASSETTE = """
            interactions:
            - request:
                body: '{"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"Hello"}]}'
                headers: &request_headers
                  content-type: [application/json]
                method: POST
                uri: https://api.groq.com/openai/v1/chat/completions
              response: &ok
                body:
                  string: &answer %s
                headers: {content-type: [application/json], x-request-id: [req_first]}
                status: {code: 200, message: OK}
            - request:
                body: '{"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"Again"}]}'
                headers: *request_headers
                method: POST
                uri: https://api.groq.com/openai/v1/chat/completions
              response:
                <<: *ok
                headers: {content-type: [application/json], x-request-id: [req_second]}
            - request:
                body: '{"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"Once more"}]}'
                method: POST
                uri: https://api.groq.com/openai/v1/chat/completions
              response:
                body: {string: *answer}
                headers: {content-type: [application/json]}
                status: {code: 200, message: OK}
            version: 1
            """.formatted(ANSWER);

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int importFile(Path cassette, Path into) {
        CommandLine cli = new CommandLine(new MockServerCommand());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return cli.execute("import", "--into", into.toString(), cassette.toString());
    }

    @Test
    void aliasedBodiesAndMergedResponsesAnswerAsWritten() throws Exception {
        Path cassette = Files.writeString(dir.resolve("shared.yaml"), CASSETTE);
        Path fixtures = dir.resolve("fixtures");

        assertThat(importFile(cassette, fixtures)).as(err.toString()).isZero();

        try (MockServer mock =
                MockServer.start(MockConfig.defaults().withFixtures(fixtures).withPacing(Pacing.INSTANT))) {
            WireClient client = new WireClient(mock.baseUrl());
            for (String question : new String[] {"Hello", "Again", "Once more"}) {
                WireClient.Reply reply = client.post("/v1/chat/completions", TestFixtures.chatBody(question, false));
                assertThat(reply.status()).as(question + ": " + reply.body()).isEqualTo(200);
                assertThat(reply.json().at("/choices/0/message/content").asText())
                        .as(question)
                        .isEqualTo("Hi there");
            }
            // The merge key: the response's own headers win over the merged mapping's, its body and status are the
            // merged ones.
            assertThat(client.post("/v1/chat/completions", TestFixtures.chatBody("Again", false))
                            .header("x-request-id"))
                    .isEqualTo("req_second");
            assertThat(client.post("/v1/chat/completions", TestFixtures.chatBody("Hello", false))
                            .header("x-request-id"))
                    .isEqualTo("req_first");
        }
    }

    @Test
    void billionLaughsIsRefusedQuicklyAndWritesNothing() throws Exception {
        StringBuilder yaml =
                new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*" + (char) (c - 1))))
                    .append("]\n");
        }
        yaml.append(
                "interactions:\n- request: {uri: 'https://api.groq.com/openai/v1/chat/completions', body: *j}\n  response: {status: {code: 200}, body: {string: ok}}\n");
        Path cassette = Files.writeString(dir.resolve("laughs.yaml"), yaml);
        Path fixtures = dir.resolve("fixtures");

        long started = System.nanoTime();
        assertThat(importFile(cassette, fixtures)).isNotZero();

        assertThat((System.nanoTime() - started) / 1_000_000).as("ms to refuse").isLessThan(10_000);
        assertThat(err.toString())
                .contains("laughs.yaml")
                .contains("aliases expand to more than")
                .contains("billion laughs");
        assertThat(!Files.exists(fixtures) || isEmpty(fixtures))
                .as("nothing written")
                .isTrue();
    }

    @Test
    void anAliasWithoutItsAnchorIsRefusedByName() throws Exception {
        Path cassette = Files.writeString(
                dir.resolve("dangling.yaml"),
                CASSETTE.replace("string: &answer", "string:").replace("*answer", "*nowhere"));

        assertThat(importFile(cassette, dir.resolve("fixtures"))).isNotZero();

        assertThat(err.toString()).contains("dangling.yaml").contains("*nowhere names no anchor");
    }

    private static boolean isEmpty(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
