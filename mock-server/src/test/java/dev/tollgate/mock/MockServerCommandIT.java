package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command a user runs: a separate JVM, port 0, the default fixtures; it prints where it listens. */
class MockServerCommandIT {
    @Test
    void startsPrintsItsAddressAndServes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.mock.cli.MockServerCommand",
                        "--port",
                        "0",
                        "--fixtures",
                        TestFixtures.defaultFixtures().toString(),
                        "--pace",
                        "instant")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).contains("listening on http://127.0.0.1:");
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertThat(m.find()).isTrue();
            WireClient client = new WireClient("http://127.0.0.1:" + m.group(1));
            assertThat(client.get("/health").json().path("fixtures").asInt()).isGreaterThanOrEqualTo(12);
            assertThat(client.get("/v1/models").status()).isEqualTo(200);
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBrokenFixtureStopsTheStartWithItsName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("broken.json"), "{\"request\": {}}");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.mock.cli.MockServerCommand",
                        "--port",
                        "0",
                        "--fixtures",
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).contains("broken.json").doesNotContain("\tat ");
    }

    @Test
    void badOptionsAreRefusedWithAMessage() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.mock.cli.MockServerCommand",
                        "--pace",
                        "warp")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("pace must be");
    }
}
