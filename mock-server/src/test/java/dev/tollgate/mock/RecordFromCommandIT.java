package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.mock.replay.Pacing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mock-server --record-from URL} as a user runs it: a separate JVM, the key from the environment, never printed. */
class RecordFromCommandIT {
    private static final String KEY = "gsk_keyFromTheEnvironment00000000000099";

    @Test
    void recordsIntoANewFolderWithTheKeyFromTheEnvironment(@TempDir Path tmp) throws Exception {
        Path fixtures = tmp.resolve("recorded"); // does not exist yet
        try (MockServer groq = MockServer.start(
                MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC).withPacing(Pacing.INSTANT))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(
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
                            "--record-from",
                            groq.openAiBaseUrl(),
                            "--record-mode",
                            "once")
                    .redirectErrorStream(true);
            builder.environment().put("RECORD_API_KEY", KEY);
            builder.environment().remove("GROQ_API_KEY");
            Process process = builder.start();
            StringBuilder output = new StringBuilder();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (int i = 0; i < 3; i++) output.append(out.readLine()).append('\n');
                Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)")
                        .matcher(output);
                assertThat(m.find()).as(output.toString()).isTrue();
                assertThat(output)
                        .contains("Recording: what no fixture answers goes to " + groq.openAiBaseUrl())
                        .contains("mode once")
                        .contains("$RECORD_API_KEY")
                        .doesNotContain(KEY);

                WireClient client = new WireClient("http://127.0.0.1:" + m.group(1));
                assertThat(client.post("/v1/chat/completions", TestFixtures.chatBody("record me", false))
                                .status())
                        .isEqualTo(200);
                assertThat(groq.journal().entries())
                        .singleElement()
                        .satisfies(e -> assertThat(e.apiKey()).isEqualTo("gsk_…0099"));
                assertThat(FixtureFiles.readAll(fixtures))
                        .singleElement()
                        .satisfies(f -> assertThat(f.name()).startsWith("chat/record-me-"));
                assertThat(Files.readString(fixtures.resolve(
                                FixtureFiles.readAll(fixtures).get(0).name() + ".json")))
                        .doesNotContain(KEY);
            } finally {
                process.destroy();
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aBadRecordModeIsRefusedWithAMessage() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.mock.cli.MockServerCommand",
                        "--record-from",
                        "http://127.0.0.1:9/v1",
                        "--record-mode",
                        "sometimes")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("record mode must be once, new_episodes or all");
    }
}
