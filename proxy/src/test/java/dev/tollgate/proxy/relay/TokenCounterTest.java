package dev.tollgate.proxy.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt count against what Groq itself counted, for every recorded exchange in fixtures/ that states it. */
class TokenCounterTest {
    private final TokenCounter tokens = new TokenCounter();

    @Test
    void promptsWithoutToolsCountWithinFivePercentOfGroqAndWithToolsWithinFortyPercentAbove() {
        List<String> checked = new ArrayList<>();
        for (Fixture f : FixtureFiles.readAll(fixtures())) {
            JsonNode request = f.request().body();
            if (request == null || !f.request().path().endsWith("/chat/completions")) continue;
            Long groq = promptTokens(f.turn(0));
            if (groq == null) continue;
            long counted = tokens.prompt(request);
            if (request.path("tools").isEmpty()) {
                long slack = Math.max(3, groq / 20);
                assertThat(counted).as(f.name()).isBetween(groq - slack, groq + slack);
            } else {
                assertThat(counted).as(f.name()).isBetween(groq - 2, Math.round(groq * 1.4));
            }
            checked.add(f.name() + " " + counted + "/" + groq);
        }
        assertThat(checked).as("recordings with Groq's own count").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aPromptOf3868BytesCountsFarBelowBytesDividedByThree() {
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(86);
        JsonNode request =
                Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":" + Json.MAPPER.valueToTree(text) + "}]}");
        long counted = tokens.prompt(request);
        assertThat(counted).isBetween(68L + 3 + 86 * 10 - 10, 68L + 3 + 86 * 10 + 10); // ten tokens a sentence
        assertThat(counted).as("bytes ÷ 3 would bill %d", text.length() / 3).isLessThan(text.length() / 3 * 3 / 4);
    }

    @Test
    void responsesInputsAndContentPartsCountTheirText() {
        assertThat(tokens.prompt(Json.parse("{\"input\":\"Hello world!\"}"))).isEqualTo(68 + 3 + 3);
        assertThat(
                        tokens.prompt(
                                Json.parse(
                                        "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello world!\"}]}]}")))
                .isEqualTo(68 + 3 + 3);
        assertThat(
                        tokens.prompt(
                                Json.parse(
                                        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello world!\"}]}]}")))
                .isEqualTo(68 + 3 + 3);
        assertThat(tokens.text("")).isZero();
        assertThat(tokens.text(null)).isZero();
    }

    private static Long promptTokens(FixtureResponse r) {
        if (r.body() != null && r.body().at("/usage/prompt_tokens").canConvertToLong())
            return r.body().at("/usage/prompt_tokens").asLong();
        if (r.events() == null) return null;
        for (SseEvent e : r.events()) {
            if (!e.data().startsWith("{")) continue;
            JsonNode usage = Json.parse(e.data()).path("usage");
            if (usage.path("prompt_tokens").canConvertToLong())
                return usage.path("prompt_tokens").asLong();
        }
        return null;
    }

    private static Path fixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures")) && Files.isDirectory(dir.resolve("mock-server")))
                return dir.resolve("fixtures");
        }
        throw new IllegalStateException("no fixtures/ folder above the working directory");
    }
}
