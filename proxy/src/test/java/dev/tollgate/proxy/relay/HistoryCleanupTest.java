package dev.tollgate.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history clean-up's rules, and the README's table of them, which must say exactly what the code does. */
class HistoryCleanupTest {
    @Test
    void readmeTableListsEveryRuleAsTheCodeHasIt() throws IOException {
        List<String> expected = new ArrayList<>();
        for (HistoryCleanup.Rule rule : HistoryCleanup.RULES) {
            expected.add("| `" + rule.property() + "` | "
                    + (rule.roles().isEmpty()
                            ? "any"
                            : String.join(", ", rule.roles().stream().sorted().toList())) + " | " + rule.action().readme
                    + " | " + rule.evidence() + " |");
        }
        assertThat(readmeTable()).containsExactlyElementsOf(expected);
    }

    @Test
    void removesAndMovesWhatGroqRefusesAndSaysSo() {
        JsonNode messages = Json.parse("""
                [{"role":"system","content":"s","id":"m0"},
                 {"role":"user","content":"hi","timestamp":1,"metadata":{"a":1},"name":"ann"},
                 {"role":"assistant","content":null,"refusal":null,"reasoning_content":"thought","annotations":[],
                  "groq_annotations":[],"executed_tools":[],"status":"done","tool_calls":[{"id":"fc_1","type":"function",
                  "function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"fc_1","content":"5","refusal":null},
                 {"role":"assistant","content":"x","reasoning":"kept","reasoning_content":"dropped"}]""");
        List<String> changes = new HistoryCleanup(true).apply(messages);
        assertThat(changes)
                .containsExactly(
                        "messages.0.id removed",
                        "messages.1.timestamp removed",
                        "messages.1.metadata removed",
                        "messages.2.reasoning_content moved to reasoning",
                        "messages.2.refusal removed",
                        "messages.2.annotations removed",
                        "messages.2.groq_annotations removed",
                        "messages.2.executed_tools removed",
                        "messages.2.status removed",
                        "messages.4.reasoning_content removed");
        assertThat(Json.compact(messages.get(2)))
                .isEqualTo(
                        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"fc_1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}],\"reasoning\":\"thought\"}");
        assertThat(messages.get(1).has("name")).as("Groq accepts name").isTrue();
        assertThat(messages.get(3).has("refusal"))
                .as("only assistant messages lose refusal")
                .isTrue();
        assertThat(messages.get(4).path("reasoning").asText()).isEqualTo("kept");
    }

    @Test
    void offChangesNothing() {
        JsonNode messages =
                Json.parse("[{\"role\":\"assistant\",\"content\":\"x\",\"refusal\":null,\"reasoning_content\":\"r\"}]");
        assertThat(new HistoryCleanup(false).apply(messages)).isEmpty();
        assertThat(messages.get(0).has("refusal")).isTrue();
        assertThat(messages.get(0).has("reasoning_content")).isTrue();
    }

    @Test
    void theHeaderIsBoundedAndCountsWhatDidNotFit() {
        List<String> many = Collections.nCopies(100, "messages.10.reasoning_content moved to reasoning");
        String header = HistoryCleanup.header(many);
        assertThat(header.length()).isLessThanOrEqualTo(HistoryCleanup.MAX_HEADER_CHARS);
        assertThat(header)
                .startsWith("messages.10.reasoning_content moved to reasoning; ")
                .matches(".*; and \\d+ more");
        int shown = header.split("; ").length - 1;
        assertThat(header).endsWith("and " + (100 - shown) + " more");
        assertThat(HistoryCleanup.header(List.of("messages.1.refusal removed")))
                .isEqualTo("messages.1.refusal removed");
    }

    /** The rows of the README's "History clean-up" table. */
    private static List<String> readmeTable() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("README.md")) || !Files.isDirectory(root.resolve("fixtures")))
            root = root.getParent();
        List<String> lines = Files.readAllLines(root.resolve("README.md"));
        int heading = lines.indexOf("#### History clean-up");
        assertThat(heading).as("the README's History clean-up section").isPositive();
        List<String> rows = new ArrayList<>();
        int i = heading;
        while (!lines.get(i).startsWith("| property |")) i++;
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) rows.add(lines.get(i));
        return rows;
    }
}
