package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mock-server --no-validation}, as a user starts it: what Groq refuses is then answered. */
class NoValidationCommandIT {
    static final String ECHOED =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"r\"},{\"role\":\"user\",\"content\":\"And?\"}]}";

    @ParameterizedTest
    @CsvSource({"false, 400", "true, 200"})
    void theFlagTurnsGroqsValidationOff(boolean off, int expected) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tollgate.mock.cli.MockServerCommand",
                "--port",
                "0",
                "--fixtures",
                TestFixtures.defaultFixtures().toString(),
                "--mode",
                "synthetic",
                "--pace",
                "instant"));
        if (off) command.add("--no-validation");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(out.readLine());
            assertThat(m.find()).isTrue();
            WireClient.Reply reply =
                    new WireClient("http://127.0.0.1:" + m.group(1)).post("/v1/chat/completions", ECHOED);
            assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
