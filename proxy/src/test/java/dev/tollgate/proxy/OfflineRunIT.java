package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.proxy.cli.ProxyCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the README's run command does on a fresh machine: the proxy in its own JVM with no Groq key
 * starts offline in front of the embedded mock, says so, and serves an OpenAI client with a key made
 * by the CLI on the same database while it runs.
 */
class OfflineRunIT {
    @Test
    void startsOfflineAndServesAnOpenAiClient() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-offline");
        String dbUrl = "jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE";
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProxyCommand.class.getName())
                .redirectErrorStream(true);
        builder.environment().remove("GROQ_API_KEY");
        builder.environment().put("TOLLGATE_PORT", "0");
        builder.environment().put("TOLLGATE_DB_URL", dbUrl);
        builder.environment().put("TOLLGATE_FIXTURES", Gateway.fixtures().toString());
        Process process = builder.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            int port = -1;
            while (port < 0) {
                String line = out.readLine();
                assertThat(line).as("output so far: %s", lines).isNotNull();
                lines.add(line);
                Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/v1")
                        .matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            for (int i = 0; i < 3; i++) lines.add(out.readLine());
            assertThat(String.join("\n", lines)).contains("offline").contains("keys create");

            StringWriter created = new StringWriter();
            CommandLine cli = new CommandLine(new ProxyCommand());
            cli.setOut(new PrintWriter(created));
            assertThat(cli.execute("keys", "create", "--db", dbUrl, "--name", "laptop"))
                    .isZero();
            Matcher secret = Pattern.compile("(sk-tg-[A-Za-z0-9]+)").matcher(created.toString());
            assertThat(secret.find()).isTrue();

            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + port + "/v1")
                    .apiKey(secret.group(1))
                    .build();
            ChatCompletion recorded =
                    client.chat().completions().create(ProxySdkIT.hello().build());
            assertThat(recorded.choices().get(0).message().content())
                    .hasValueSatisfying(c -> assertThat(c).startsWith("Hello, world!"));
            ChatCompletion generated = client.chat()
                    .completions()
                    .create(ChatCompletionCreateParams.builder()
                            .model("openai/gpt-oss-120b")
                            .addUserMessage("Anything at all?")
                            .build());
            assertThat(generated.choices().get(0).message().content())
                    .hasValueSatisfying(c -> assertThat(c).isNotBlank());
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
