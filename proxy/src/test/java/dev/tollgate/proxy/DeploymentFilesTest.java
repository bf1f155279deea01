package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.cli.MockServerCommand;
import dev.tollgate.proxy.DeploymentFiles.Instruction;
import dev.tollgate.proxy.DeploymentFiles.Stage;
import dev.tollgate.proxy.cli.ProxyCommand;
import dev.tollgate.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * docker-compose.yml, the Dockerfiles and .dockerignore checked as data against the programs they run
 * (no Docker engine runs here; {@link ComposeStackIT} runs their commands without one).
 */
class DeploymentFilesTest {
    private static final JsonNode SERVICES = DeploymentFiles.compose().path("services");
    private static final Map<String, String> UNSET = Map.of();

    @Test
    void composeRunsTheMockServerAndTheProxyBuiltFromThisCheckout() {
        assertThat(fieldNames(SERVICES))
                .containsExactly("mock-server", "proxy", "postgres", "proxy-pg-1", "proxy-pg-2");
        for (String name : List.of("mock-server", "proxy"))
            assertThat(SERVICES.path(name).has("profiles"))
                    .as(name + " runs without a profile")
                    .isFalse();
        for (String name : List.of("mock-server", "proxy")) {
            JsonNode build = SERVICES.path(name).path("build");
            assertThat(build.path("context").asText()).as(name).isEqualTo(".");
            assertThat(build.path("dockerfile").asText()).as(name).isEqualTo(name + "/Dockerfile");
            assertThat(DeploymentFiles.root().resolve(name + "/Dockerfile")).isRegularFile();
        }
        assertThat(SERVICES.path("proxy")
                        .path("depends_on")
                        .path("mock-server")
                        .path("condition")
                        .asText())
                .isEqualTo("service_healthy");
    }

    @Test
    void thePostgresProfileRunsTwoProxiesOnOnePostgresDatabase() {
        JsonNode pg = SERVICES.path("postgres");
        Map<String, String> server = DeploymentFiles.environment(pg, UNSET);
        assertThat(pg.has("ports"))
                .as("PostgreSQL is not published outside Compose's network")
                .isFalse();
        assertThat(pg.path("volumes").get(0).asText()).isEqualTo("tollgate-pg:/var/lib/postgresql/data");
        assertThat(DeploymentFiles.compose().path("volumes").has("tollgate-pg")).isTrue();
        assertThat(pg.path("healthcheck").path("test").toString()).contains("pg_isready");
        Set<String> hostPorts = new HashSet<>();
        for (String name : List.of("postgres", "proxy-pg-1", "proxy-pg-2")) {
            assertThat(SERVICES.path(name).path("profiles").toString()).as(name).isEqualTo("[\"postgres\"]");
        }
        for (String name : List.of("proxy-pg-1", "proxy-pg-2")) {
            JsonNode proxy = SERVICES.path(name);
            assertThat(proxy.path("build").path("dockerfile").asText()).isEqualTo("proxy/Dockerfile");
            assertThat(proxy.path("depends_on")
                            .path("postgres")
                            .path("condition")
                            .asText())
                    .isEqualTo("service_healthy");
            Map<String, String> shell = Map.of("TOLLGATE_DB_PASSWORD", "s3cret-pw");
            ProxyConfig config = ProxyConfig.fromEnv(DeploymentFiles.environment(proxy, shell));
            assertThat(config.database().isPostgres()).as(name).isTrue();
            assertThat(config.database().url())
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + server.get("POSTGRES_DB"));
            assertThat(config.database().user()).isEqualTo(server.get("POSTGRES_USER"));
            assertThat(config.database().password())
                    .isEqualTo(DeploymentFiles.environment(pg, shell).get("POSTGRES_PASSWORD"))
                    .isEqualTo("s3cret-pw");
            assertThat(published(name).get(2)).isEqualTo(config.server().port() + "");
            hostPorts.add(published(name).get(1));
        }
        assertThat(hostPorts).as("each replica on its own host port").hasSize(2);
    }

    @Test
    void portsArePublishedOnLoopbackToWhereEachProgramListens() {
        assertThat(published("proxy")).isEqualTo(List.of("127.0.0.1", "8080", "8080"));
        assertThat(published("mock-server")).isEqualTo(List.of("127.0.0.1", "8081", "8081"));
        assertThat(proxyEnv(UNSET).get("TOLLGATE_PORT")).isEqualTo("8080");
        assertThat(DeploymentFiles.option(mockCommand(), "--port")).isEqualTo("8081");
        assertThat(published("proxy", Map.of("TOLLGATE_PUBLISH_HOST", "0.0.0.0"))
                        .getFirst())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void theProxyReadsEveryVariableComposeSetsAndGoesLiveWithAGroqKeyAlone() {
        Map<String, String> env = proxyEnv(UNSET);
        Set<String> read = new HashSet<>();
        ProxyConfig offline = ProxyConfig.fromEnv(new HashMap<>(env) {
            @Override
            public String get(Object key) {
                read.add((String) key);
                return super.get(key);
            }
        });
        assertThat(read).containsAll(env.keySet());
        assertThat(offline.isOffline()).isTrue();
        assertThat(offline.offline().mockUrl())
                .isEqualTo("http://mock-server:" + published("mock-server").get(2) + "/v1");
        assertThat(offline.server().host()).isEqualTo("0.0.0.0");
        assertThat(offline.adminToken()).isNull();

        ProxyConfig live = ProxyConfig.fromEnv(
                proxyEnv(Map.of("GROQ_API_KEY", "gsk_composeTest_000000000000", "TOLLGATE_ADMIN_TOKEN", "t0ken")));
        assertThat(live.isOffline()).isFalse();
        assertThat(live.upstream().baseUrl()).isEqualTo(ProxyConfig.GROQ_URL);
        assertThat(live.adminToken().value()).isEqualTo("t0ken");

        String readme = DeploymentFiles.read("README.md");
        for (String name : env.keySet())
            assertThat(readme).as("README documents %s", name).contains("`" + name + "`");
        for (String name : DeploymentFiles.composeVariables())
            assertThat(readme).as("README documents %s", name).contains(name);
    }

    @Test
    void theMockServerTakesTheCommandComposeGivesItAndServesTheMountedFixtures() {
        List<String> args = mockCommand();
        CommandLine.ParseResult parsed =
                new CommandLine(new MockServerCommand()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.unmatched()).isEmpty();
        assertThat(DeploymentFiles.option(args, "--host")).isEqualTo("0.0.0.0");
        assertThat(DeploymentFiles.option(args, "--mode")).isEqualTo("synthetic");
        assertThat(DeploymentFiles.option(mockCommand(Map.of("TOLLGATE_OFFLINE_MODE", "strict")), "--mode"))
                .isEqualTo("strict");
        assertThat(SERVICES.path("mock-server").path("volumes").get(0).asText())
                .isEqualTo("./fixtures:" + DeploymentFiles.option(args, "--fixtures") + ":ro");

        List<String> imageDefaults = runtime("mock-server").last("CMD").execForm();
        new CommandLine(new MockServerCommand()).parseArgs(imageDefaults.toArray(String[]::new));
        assertThat(DeploymentFiles.option(imageDefaults, "--fixtures"))
                .isEqualTo(DeploymentFiles.option(args, "--fixtures"));
    }

    @Test
    void healthChecksAskEachProgramForItsHealthRouteWithAToolItsImageInstalls() {
        for (String name : List.of("mock-server", "proxy")) {
            JsonNode check = SERVICES.path(name).path("healthcheck");
            List<String> test = DeploymentFiles.strings(check.path("test"), UNSET);
            assertThat(test.subList(0, 3)).as(name).containsExactly("CMD", "curl", "-fsS");
            assertThat(test.getLast())
                    .as(name)
                    .isEqualTo("http://127.0.0.1:" + published(name).get(2) + "/health");
            assertThat(check.path("interval").asText()).isNotEmpty();
            assertThat(check.path("retries").asInt()).isPositive();
            String installs = String.join(
                    " ",
                    runtime(name).all("RUN").stream()
                            .map(Instruction::arguments)
                            .toList());
            assertThat(installs).as(name).containsPattern("apt-get install [^&]*\\bcurl\\b");
        }
    }

    @Test
    void theDatabaseLivesOnTheNamedVolumeTheProxyUserOwns() {
        String dbUrl = proxyEnv(UNSET).get("TOLLGATE_DB_URL");
        Matcher file =
                Pattern.compile("jdbc:h2:file:(/[^;]+)/[^/;]+;AUTO_SERVER=TRUE").matcher(dbUrl);
        assertThat(file.matches()).as(dbUrl).isTrue();
        String dataDir = file.group(1);
        assertThat(SERVICES.path("proxy").path("volumes").get(0).asText()).isEqualTo("tollgate-data:" + dataDir);
        assertThat(DeploymentFiles.compose().path("volumes").has("tollgate-data"))
                .isTrue();

        Stage runtime = runtime("proxy");
        String user = runtime.last("USER").arguments().trim();
        String runs = String.join(
                " ", runtime.all("RUN").stream().map(Instruction::arguments).toList());
        assertThat(runs).contains("mkdir -p /app " + dataDir).contains("chown " + user + ":" + user + " " + dataDir);
        assertThat(runtime.last("ENV").arguments()).contains("TOLLGATE_DB_URL=\"" + dbUrl + "\"");
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("proxy", ProxyCommand.class), Arguments.of("mock-server", MockServerCommand.class));
    }

    @ParameterizedTest
    @MethodSource("images")
    void eachDockerfileBuildsItsModuleFromSourceAndRunsItsJarAsAnOrdinaryUser(String module, Class<?> mainClass) {
        List<Stage> stages = DeploymentFiles.dockerfile(module + "/Dockerfile");
        assertThat(stages).hasSize(2);
        Stage build = stages.getFirst();
        assertThat(javaVersion(build.image(), "jdk")).isGreaterThanOrEqualTo(21);
        List<String> maven = build.last("RUN").operands();
        assertThat(maven.getFirst()).isEqualTo("./mvnw");
        assertThat(maven).contains("-DskipTests", "package", "-am");
        assertThat(DeploymentFiles.option(maven, "-pl")).isEqualTo(module);

        // What the build copies exists, is in the build context, and is what Maven's reactor needs.
        List<String> copied = new ArrayList<>();
        for (Instruction copy : build.all("COPY")) {
            List<String> sources = copy.operands().subList(0, copy.operands().size() - 1);
            for (String source : sources) {
                String path = source.replaceAll("/$", "");
                assertThat(DeploymentFiles.root().resolve(path)).as(source).exists();
                assertThat(DeploymentFiles.dockerIgnored(path))
                        .as("%s left out of the build context", source)
                        .isFalse();
                copied.add(path);
            }
        }
        assertThat(copied).contains("mvnw", "pom.xml", ".mvn");
        String parentPom = DeploymentFiles.read("pom.xml");
        for (String reactorModule : tags(parentPom, "module")) {
            assertThat(copied)
                    .as("the reactor's %s", reactorModule)
                    .containsAnyOf(reactorModule, reactorModule + "/pom.xml");
        }
        String modulePom = DeploymentFiles.read(module + "/pom.xml");
        assertThat(copied).as("the module and the modules it depends on, whole").contains(module);
        for (String dependency : reactorDependencies(modulePom, parentPom))
            assertThat(copied).contains(dependency);

        // The runtime stage: a JRE, the shaded jar, run by a user of its own.
        Stage runtime = stages.get(1);
        assertThat(javaVersion(runtime.image(), "jre")).isGreaterThanOrEqualTo(21);
        String jar = tags(modulePom, "outputFile").getFirst().replace("${project.build.directory}/", "");
        assertThat(tags(modulePom, "mainClass")).containsExactly(mainClass.getName());
        String workdir = build.last("WORKDIR").arguments().trim();
        Instruction copyJar = runtime.all("COPY").stream()
                .filter(c -> c.flags().containsKey("from"))
                .findFirst()
                .orElseThrow();
        assertThat(copyJar.flags().get("from")).isEqualTo(build.name());
        assertThat(copyJar.operands()).containsExactly(workdir + "/" + module + "/target/" + jar, "/app/" + jar);
        List<String> entrypoint = runtime.last("ENTRYPOINT").execForm();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/" + jar);
        // An @argfile of JVM options (the proxy's jvm.options) is copied into the image from the repository.
        for (String argFile : entrypoint.stream()
                .filter(a -> a.startsWith("@"))
                .map(a -> a.substring(1))
                .toList()) {
            Instruction copy = runtime.all("COPY").stream()
                    .filter(c -> !c.flags().containsKey("from")
                            && c.operands().getLast().equals(argFile))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("nothing copies " + argFile + " into the image"));
            assertThat(DeploymentFiles.root().resolve(copy.operands().getFirst()))
                    .isRegularFile();
            assertThat(DeploymentFiles.dockerIgnored(copy.operands().getFirst()))
                    .isFalse();
        }
        String user = runtime.last("USER").arguments().trim();
        assertThat(user).isNotIn("root", "0");
        assertThat(runtime.all("RUN").stream().map(Instruction::arguments))
                .anyMatch(r -> r.contains("useradd") && r.contains(" " + user));
        assertThat(runtime.last("EXPOSE").arguments().trim())
                .isEqualTo(published(module).get(2));
    }

    @Test
    void dockerignoreKeepsBuildOutputLocalDataAndSecretsOutOfTheContext() {
        for (String path : List.of(
                "proxy/target/proxy.jar",
                "mock-server/target/classes/x.class",
                "target/x",
                ".git/config",
                "data/tollgate.mv.db",
                "data/tollgate.credentials",
                ".env",
                "bench/out/run.txt")) {
            assertThat(DeploymentFiles.dockerIgnored(path)).as(path).isTrue();
        }
        for (String path : List.of(
                "mvnw",
                ".mvn/wrapper/maven-wrapper.properties",
                "pom.xml",
                "proxy/pom.xml",
                "proxy/src/main/java/dev/tollgate/proxy/Proxy.java",
                "fixtures/chat/basic-reasoning.json",
                "fixture-format/src/main/java/dev/tollgate/fixture/Json.java")) {
            assertThat(DeploymentFiles.dockerIgnored(path)).as(path).isFalse();
        }
    }

    /** Compose itself, where its CLI is installed: `config` reads the file without an engine. */
    @Test
    void composeAcceptsTheFileAndGroqApiKeyReachesTheProxy() throws Exception {
        List<String> compose = composeCli();
        assumeTrue(compose != null, "no docker compose / docker-compose CLI on this machine");
        JsonNode offline = DeploymentFiles.YAML.readTree(composeConfig(compose, Map.of()));
        assertThat(fieldNames(offline.path("services"))).containsExactlyInAnyOrder("mock-server", "proxy");
        assertThat(offline.path("services")
                        .path("proxy")
                        .path("environment")
                        .path("GROQ_API_KEY")
                        .asText())
                .isEmpty();
        JsonNode live = DeploymentFiles.YAML.readTree(
                composeConfig(compose, Map.of("GROQ_API_KEY", "gsk_composeTest_000000000000")));
        assertThat(live.path("services")
                        .path("proxy")
                        .path("environment")
                        .path("GROQ_API_KEY")
                        .asText())
                .isEqualTo("gsk_composeTest_000000000000");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> proxyEnv(Map<String, String> shell) {
        return DeploymentFiles.environment(SERVICES.path("proxy"), shell);
    }

    private static List<String> mockCommand() {
        return mockCommand(UNSET);
    }

    private static List<String> mockCommand(Map<String, String> shell) {
        return DeploymentFiles.strings(SERVICES.path("mock-server").path("command"), shell);
    }

    private static List<String> published(String service) {
        return published(service, UNSET);
    }

    /** The one published port as [host address, host port, container port]. */
    private static List<String> published(String service, Map<String, String> shell) {
        JsonNode ports = SERVICES.path(service).path("ports");
        assertThat(ports.size()).as(service).isEqualTo(1);
        return List.of(DeploymentFiles.interpolate(ports.get(0).asText(), shell).split(":"));
    }

    private static Stage runtime(String module) {
        return DeploymentFiles.dockerfile(module + "/Dockerfile").getLast();
    }

    private static int javaVersion(String image, String kind) {
        Matcher m =
                Pattern.compile("eclipse-temurin:(\\d+)-" + kind + "(-\\w+)?").matcher(image);
        assertThat(m.matches()).as(image).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static List<String> tags(String xml, String tag) {
        List<String> out = new ArrayList<>();
        Matcher m =
                Pattern.compile("<" + tag + ">\\s*([^<]+?)\\s*</" + tag + ">").matcher(xml);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The reactor modules a module's pom depends on, and theirs. */
    private static Set<String> reactorDependencies(String modulePom, String parentPom) {
        List<String> modules = tags(parentPom, "module");
        Set<String> found = new HashSet<>();
        Matcher m = Pattern.compile("<groupId>dev\\.tollgate</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                .matcher(modulePom);
        while (m.find()) {
            if (modules.contains(m.group(1)) && found.add(m.group(1))) {
                found.addAll(reactorDependencies(DeploymentFiles.read(m.group(1) + "/pom.xml"), parentPom));
            }
        }
        return found;
    }

    private static List<String> composeCli() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                Process p =
                        new ProcessBuilder(version).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
            } catch (IOException e) {
                // not installed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** `compose config` with only {@code shell}'s compose variables set (and no .env file). */
    private static String composeConfig(List<String> compose, Map<String, String> shell) throws Exception {
        Path emptyEnvFile = Files.createTempFile("compose", ".env");
        Path errors = Files.createTempFile("compose", ".err");
        try {
            List<String> command = new ArrayList<>(compose);
            command.addAll(List.of(
                    "--project-directory",
                    DeploymentFiles.root().toString(),
                    "-f",
                    DeploymentFiles.root().resolve("docker-compose.yml").toString(),
                    "--env-file",
                    emptyEnvFile.toString(),
                    "config"));
            ProcessBuilder builder = new ProcessBuilder(command);
            for (String name : DeploymentFiles.composeVariables())
                builder.environment().remove(name);
            builder.environment().putAll(shell);
            builder.redirectError(errors.toFile());
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(errors)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(emptyEnvFile);
            Files.deleteIfExists(errors);
        }
    }
}
