package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.config.ProxyConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's drop-in snippets, run as a reader would run them against a proxy (offline, in front of a
 * synthetic mock server), with only the base URL and the key swapped: the Java one compiled against the
 * openai-java on this class path and run here; the Node.js one with the npm package pinned in
 * {@code src/test/node}, skipped where node or npm is missing or the package cannot be installed.
 * Each prints a plain answer, then the streamed answer assembled: the same text.
 */
class ReadmeSnippetsIT {
    private static final String README_URL = "http://127.0.0.1:8080/v1";
    private static final String README_KEY = "sk-tg-…";
    private static MockServer mock;
    private static Proxy proxy;
    private static String secret;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        mock = MockServer.start(
                MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC).withPacing(Pacing.INSTANT));
        Path data = Files.createTempDirectory("tollgate-readme");
        proxy = Proxy.start(
                ProxyConfig.fromEnv(Map.of(
                        "TOLLGATE_PORT",
                        "0",
                        "GROQ_API_KEY",
                        "gsk_readmeSnippets_000000000000",
                        "TOLLGATE_UPSTREAM_URL",
                        mock.openAiBaseUrl(),
                        "TOLLGATE_DB_URL",
                        "jdbc:h2:file:" + data.resolve("tollgate"))),
                Clock.systemUTC());
        secret = proxy.keys().create("readme", List.of(), null, null).secret();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (mock != null) mock.close();
    }

    @Test
    void theJavaSnippetCompilesAgainstTheSdkAndPrintsTheAnswerTwice() throws Exception {
        String snippet = snippet("java");
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n"))
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        // What it prints goes to a stream of its own (the proxy in this JVM logs to System.out).
        Path source = dir.resolve("Snippet.java");
        Files.writeString(
                source,
                imports + "public class Snippet {\n public static java.io.PrintStream out;\n"
                        + " public static void main(String[] args) throws Exception {\n"
                        + body.toString().replace("System.out", "out") + "\n }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        int compiled = javac.run(
                null,
                null,
                null,
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                dir.toString(),
                source.toString());
        assertThat(compiled).as("the README's Java snippet compiles").isZero();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> snippetClass = loader.loadClass("Snippet");
            snippetClass.getField("out").set(null, new PrintStream(printed, true, StandardCharsets.UTF_8));
            snippetClass.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        }
        assertAnsweredTwice(new Run(0, printed.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void theNodeSnippetPrintsTheAnswerTwice() throws Exception {
        Path project = Path.of("target", "readme-node").toAbsolutePath();
        Files.createDirectories(project);
        boolean lockChanged = false;
        for (String file : List.of("package.json", "package-lock.json")) {
            Path from = Path.of("src", "test", "node", file);
            Path to = project.resolve(file);
            if (!Files.exists(to) || Files.mismatch(from, to) != -1) lockChanged = true;
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.exists(project.resolve("node_modules/openai/package.json"))) {
            Run install;
            try {
                install = run(project, List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"));
            } catch (IOException noNpm) {
                install = new Run(-1, "no npm here");
            }
            assumeTrue(install.exit == 0, "npm could not install the openai package: " + install.output);
        }
        Files.writeString(project.resolve("snippet.mjs"), snippet("js"));
        Run run;
        try {
            run = run(project, List.of("node", "snippet.mjs"));
        } catch (IOException noNode) {
            assumeTrue(false, "no node here");
            return;
        }
        assertAnsweredTwice(run);
    }

    private static void assertAnsweredTwice(Run run) {
        assertThat(run.exit).as(run.output).isZero();
        List<String> lines = run.output.lines().toList();
        assertThat(lines).as(run.output).hasSize(2);
        assertThat(lines.getFirst()).contains("Hello!");
        assertThat(lines.get(1)).as("the streamed answer, assembled").isEqualTo(lines.getFirst());
    }

    /** The first {@code lang} code block of the README's drop-in section, pointed at this test's proxy. */
    private static String snippet(String lang) {
        String readme = DeploymentFiles.read("README.md");
        int start = readme.indexOf("## Job 1: a drop-in OpenAI endpoint");
        assertThat(start).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher block =
                Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(start, end));
        assertThat(block.find()).as("a ```%s block", lang).isTrue();
        String code = block.group(1);
        assertThat(code).contains(README_URL, README_KEY);
        return code.replace(README_URL, "http://127.0.0.1:" + proxy.port() + "/v1")
                .replace(README_KEY, secret);
    }

    record Run(int exit, String output) {}

    private static Run run(Path workdir, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("readme-snippet", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workdir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Run(-1, String.join(" ", command) + " did not finish in 120 s: " + Files.readString(output));
            }
            return new Run(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
