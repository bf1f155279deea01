package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tollgate.mock.cli.MockServerCommand;
import dev.tollgate.proxy.cli.ProxyCommand;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml's stack run without Docker: the mock server with the command compose gives it and the
 * proxy with the environment compose sets, each in its own JVM from the main class its jar's manifest names
 * (only the ports, the H2 folder and the mock's host name are swapped for this machine's); then each health
 * check's own command, and an OpenAI client through the proxy, answered by that mock server.
 */
class ComposeStackIT {
    private static final String ADMIN_TOKEN = "compose-admin-token-5b1e";

    @TempDir
    Path dir;

    @Test
    void theProxyServesClientsFromTheComposeMockServerAndBothPassTheirHealthChecks() throws Exception {
        JsonNode services = DeploymentFiles.compose().path("services");
        List<String> mockArgs = new ArrayList<>(
                DeploymentFiles.strings(services.path("mock-server").path("command"), Map.of()));
        mockArgs.set(mockArgs.indexOf("--port") + 1, "0");
        mockArgs.set(mockArgs.indexOf("--fixtures") + 1, Gateway.fixtures().toString());

        try (Child mock = Child.start(MockServerCommand.class, mockArgs, Map.of(), "OpenAI clients:")) {
            Map<String, String> env =
                    DeploymentFiles.environment(services.path("proxy"), Map.of("TOLLGATE_ADMIN_TOKEN", ADMIN_TOKEN));
            env.put("TOLLGATE_PORT", "0");
            env.put(
                    "TOLLGATE_DB_URL",
                    swap(env.get("TOLLGATE_DB_URL"), "jdbc:h2:file:/data/", "jdbc:h2:file:" + dir + File.separator));
            env.put(
                    "TOLLGATE_MOCK_URL",
                    swap(
                            env.get("TOLLGATE_MOCK_URL"),
                            "http://mock-server:8081/",
                            "http://127.0.0.1:" + mock.port + "/"));
            try (Child proxy = Child.start(ProxyCommand.class, List.of(), env, "Get a client key")) {
                assertThat(proxy.output())
                        .contains("offline in front of the mock server at http://127.0.0.1:" + mock.port + "/v1");
                healthCheck(services.path("mock-server"), 8081, mock.port);
                healthCheck(services.path("proxy"), 8080, proxy.port);

                String base = "http://127.0.0.1:" + proxy.port;
                Http.Answer created = Http.post(base + "/admin/keys", ADMIN_TOKEN, "{\"name\": \"compose\"}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                OpenAIClient client = OpenAIOkHttpClient.builder()
                        .baseUrl(base + "/v1")
                        .apiKey(created.json().path("key").asText())
                        .build();
                var answer =
                        client.chat().completions().create(ProxySdkIT.hello().build());
                assertThat(answer.choices().getFirst().message().content())
                        .hasValueSatisfying(c -> assertThat(c).startsWith("Hello, world!"));
                try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                        .completions()
                        .createStreaming(ProxySdkIT.hello().build())) {
                    String text = stream.stream()
                            .flatMap(c -> c.choices().stream())
                            .map(c -> c.delta().content().orElse(""))
                            .collect(Collectors.joining());
                    assertThat(text).startsWith("Hello, world!");
                }

                JsonNode journal = Http.get("http://127.0.0.1:" + mock.port + "/__admin/journal", null)
                        .json();
                assertThat(journal.path("count").asInt())
                        .as("both requests reached the compose mock server")
                        .isEqualTo(2);
            }
        }
    }

    private static String swap(String value, String from, String to) {
        assertThat(value).startsWith(from);
        return to + value.substring(from.length());
    }

    /** Runs the service's health check command here (curl), with the container port swapped for the local one. */
    private static void healthCheck(JsonNode service, int containerPort, int port)
            throws IOException, InterruptedException {
        List<String> test = DeploymentFiles.strings(service.path("healthcheck").path("test"), Map.of());
        assertThat(test.getFirst()).isEqualTo("CMD");
        List<String> command = test.subList(1, test.size()).stream()
                .map(a -> a.replace("127.0.0.1:" + containerPort + "/", "127.0.0.1:" + port + "/"))
                .toList();
        assertThat(command.getLast()).contains(":" + port + "/");
        Process check;
        try {
            check = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noCurl) {
            assertThat(Http.get(command.getLast(), null).status())
                    .as("no %s here; the same URL over HTTP", command.getFirst())
                    .isEqualTo(200);
            return;
        }
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("%s: %s", command, out).isZero();
    }

    /** A program in its own JVM on this test's class path, started once it has printed its port and then {@code lastStartupLine}. */
    private static final class Child implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("listening on http://[^:/]+:(\\d+)");
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        final int port;

        private Child(Process process, String lastStartupLine) throws IOException {
            this.process = process;
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int found = -1;
            for (String line = ""; !line.contains(lastStartupLine); ) {
                line = out.readLine();
                assertThat(line).as("output so far: %s", lines).isNotNull();
                record(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) found = Integer.parseInt(m.group(1));
            }
            assertThat(found).as("a port in %s", lines).isPositive();
            port = found;
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) record(line);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        static Child start(Class<?> main, List<String> args, Map<String, String> env, String lastStartupLine)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    main.getName()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment()
                    .keySet()
                    .removeIf(name -> name.startsWith("TOLLGATE_") || name.equals("GROQ_API_KEY"));
            builder.environment().putAll(env);
            return new Child(builder.start(), lastStartupLine);
        }

        private synchronized void record(String line) {
            lines.add(line);
        }

        synchronized String output() {
            return String.join("\n", lines);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
