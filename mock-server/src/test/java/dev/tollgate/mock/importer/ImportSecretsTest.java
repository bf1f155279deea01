package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportSecretsTest {
    private static String cassette(String userText, String answerText, String extraHeader) {
        return "interactions:\n"
                + "- request:\n"
                + "    headers:\n"
                + "      authorization:\n"
                + "      - Bearer gsk_requestHeaderKeyIsDroppedNotRefused0000\n"
                + "    method: POST\n"
                + "    body: '{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + userText + "\"}]}'\n"
                + "    uri: https://api.groq.com/openai/v1/chat/completions\n"
                + "  response:\n"
                + "    headers:\n"
                + "      content-type:\n"
                + "      - application/json\n"
                + extraHeader
                + "    body:\n"
                + "      string: '{\"choices\":[{\"message\":{\"content\":\"" + answerText + "\"}}]}'\n"
                + "    status:\n"
                + "      code: 200\n"
                + "      message: OK\n"
                + "version: 1\n";
    }

    @Test
    void aGroqKeyInAPromptIsRefused() {
        String content = cassette("my key is gsk_abcdefghijklmnopqrstuvwxyz0123", "ok", "");
        assertThatThrownBy(() -> FixtureImporter.importContent(content, "leak.yaml", "leak"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("shaped like an API key")
                .hasMessageNotContaining("abcdefghijklmnop");
    }

    @Test
    void anOpenAiKeyInAnAnswerIsRefused() {
        String content = cassette("hi", "use sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX", "");
        assertThatThrownBy(() -> FixtureImporter.importContent(content, "leak.yaml", "leak"))
                .isInstanceOf(ImportException.class);
    }

    @Test
    void aBearerTokenInAKeptResponseHeaderIsRefused() {
        String content =
                cassette("hi", "ok", "      x-debug-echo:\n      - Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature\n");
        assertThatThrownBy(() -> FixtureImporter.importContent(content, "leak.yaml", "leak"))
                .isInstanceOf(ImportException.class);
    }

    @Test
    void requestHeadersAndSecretHeadersAreDroppedSoTheyAreNoReason() {
        String content = cassette(
                "assess the risk-assessment-framework-overview please",
                "ok",
                "      set-cookie:\n      - __cf_bm=abcdefghijklmnopqrstuvwxyz; path=/\n      x-request-id:\n      - req_01abc\n");
        List<Fixture> fixtures = FixtureImporter.importContent(content, "clean.yaml", "clean");

        assertThat(fixtures.get(0).responses().get(0).headers()).containsOnlyKeys("content-type", "x-request-id");
    }
}
