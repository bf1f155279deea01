package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.mock.replay.Pacing;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's database, as another user of the machine ({@code nobody}) finds it while the proxy runs: it can
 * neither read the files nor connect through H2's auto-server port, not even with the port's key from the
 * {@code .lock.db}; the owner's CLI, in another process, still works. Needs root (to run as nobody).
 */
class DatabaseOwnerOnlyIT {
    private static final Pattern SECRET = Pattern.compile("sk-tg-[0-9A-Za-z]{40}");
    private static final List<String> FILES = List.of("tollgate.mv.db", "tollgate.lock.db", "tollgate.credentials");

    private Path base;

    @BeforeEach
    void aFolderOtherUsersCanReach() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runs as root, to try the database as nobody");
        assumeTrue(run(List.of("id", "-u", "nobody"), Map.of()).exit() == 0, "needs the user nobody");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "needs runuser");
        // Under /tmp, with every parent traversable, so only the database's own permissions can stop nobody.
        base = Files.createTempDirectory(Path.of("/tmp"), "tollgate-owner-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        for (Path p = base; p != null; p = p.getParent()) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).contains(PosixFilePermission.OTHERS_EXECUTE);
        }
    }

    @AfterEach
    void removeIt() throws IOException {
        if (base == null) return;
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void anotherUserCanNeitherReadNorConnectAndTheOwnersCliWorks() throws Exception {
        Path data = base.resolve("data");
        String url = "jdbc:h2:file:" + data.resolve("tollgate") + ";AUTO_SERVER=TRUE";
        Path tools = tools();
        try (Gateway gateway = Gateway.start(Pacing.INSTANT, Map.of("TOLLGATE_DB_URL", url))) {
            Properties lock = properties(data.resolve("tollgate.lock.db"));
            String tcpUrl = "jdbc:h2:tcp://" + lock.getProperty("server") + "/" + lock.getProperty("id");
            List<String> probe = List.of(
                    java(),
                    "-cp",
                    tools.resolve("h2.jar") + ":" + tools,
                    Probe.class.getName(),
                    data.toString(),
                    url,
                    tcpUrl);

            String owner = run(
                            probe,
                            Map.of(
                                    "PROBE_PASSWORD",
                                    properties(data.resolve("tollgate.credentials"))
                                            .getProperty("password")))
                    .out();
            assertThat(owner)
                    .as("the probe, run by the owner with the password, gets in: so its refusals below mean something")
                    .contains("list: allowed")
                    .contains("read tollgate.mv.db: allowed")
                    .contains("connect " + tcpUrl + ": allowed, 1 keys");

            List<String> asNobody = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
            asNobody.addAll(probe);
            String nobody = run(asNobody, Map.of()).out();
            assertThat(nobody).contains("list: denied");
            for (String file : FILES) assertThat(nobody).contains("read " + file + ": denied");
            assertThat(nobody)
                    .contains("connect " + url + ": refused")
                    .contains("connect " + tcpUrl + ": refused")
                    .as("even with the auto-server's key, the password is missing")
                    .contains("Wrong user name or password")
                    .doesNotContain(": allowed");

            Result cli = run(
                    List.of(
                            java(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "dev.tollgate.proxy.cli.ProxyCommand",
                            "keys",
                            "create",
                            "--name",
                            "from-cli"),
                    Map.of("TOLLGATE_DB_URL", url));
            assertThat(cli.exit()).as(cli.out()).isZero();
            Matcher secret = SECRET.matcher(cli.out());
            assertThat(secret.find()).as(cli.out()).isTrue();
            HttpResponse<String> models = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                                    .header("Authorization", "Bearer " + secret.group())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode())
                    .as("the key the CLI made works at once")
                    .isEqualTo(200);
        }
    }

    /** The H2 jar and {@link Probe}, where nobody can read them (the build's own folders may be out of its reach). */
    private Path tools() throws Exception {
        Path tools = Files.createDirectories(base.resolve("tools"));
        Files.copy(
                Path.of(org.h2.Driver.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()),
                tools.resolve("h2.jar"));
        String name = Probe.class.getName().replace('.', '/') + ".class";
        Path classFile = tools.resolve(name);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = Probe.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, classFile);
        }
        try (Stream<Path> all = Files.walk(tools)) {
            for (Path p : all.toList())
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        return tools;
    }

    /** Tries what another user would: list the folder, read each file, connect by file and by the auto-server's port. */
    public static final class Probe {
        public static void main(String[] args) {
            Path data = Path.of(args[0]);
            try (Stream<Path> list = Files.list(data)) {
                System.out.println("list: allowed " + list.count() + " files");
            } catch (java.nio.file.AccessDeniedException e) {
                System.out.println("list: denied " + e);
            } catch (Exception e) {
                System.out.println("list: failed " + e);
            }
            for (String file : List.of("tollgate.mv.db", "tollgate.lock.db", "tollgate.credentials")) {
                try {
                    System.out.println(
                            "read " + file + ": allowed " + Files.readAllBytes(data.resolve(file)).length + " bytes");
                } catch (java.nio.file.AccessDeniedException e) {
                    System.out.println("read " + file + ": denied " + e);
                } catch (Exception e) {
                    System.out.println("read " + file + ": failed " + e);
                }
            }
            Properties credentials = new Properties();
            credentials.setProperty("password", System.getenv().getOrDefault("PROBE_PASSWORD", ""));
            for (int i = 1; i < args.length; i++) {
                try (Connection c = DriverManager.getConnection(args[i], credentials);
                        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM client_keys")) {
                    rs.next();
                    System.out.println("connect " + args[i] + ": allowed, " + rs.getLong(1) + " keys");
                } catch (Exception e) {
                    System.out.println("connect " + args[i] + ": refused " + e.getMessage());
                }
            }
        }
    }

    record Result(int exit, String out) {}

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out);
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
