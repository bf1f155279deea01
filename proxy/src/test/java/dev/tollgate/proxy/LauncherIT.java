package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.cli.ProxyCommand;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.store.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minutes, in processes of their own: {@code ./tollgate keys create} works on a machine whose
 * {@code java} (and {@code JAVA_HOME}) is 17, where {@code java -jar proxy.jar} fails; and a proxy started on a port
 * already in use says so in one line naming {@code TOLLGATE_PORT}, and exits with 1.
 */
class LauncherIT {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    @Test
    void theLauncherFindsANewEnoughJdkWhenJavaIs17() throws Exception {
        Optional<Path> jdk17 = jdk("17");
        assumeTrue(jdk17.isPresent(), "needs a JDK 17 under /usr/lib/jvm");
        // A checkout with the real launcher and a jar of this build (a manifest naming these classes), newer than any
        // source.
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Path root = Gateway.fixtures().getParent();
        for (String file : List.of("tollgate", "scripts/jdk.sh", "proxy/jvm.options")) {
            Files.createDirectories(checkout.resolve(file).getParent());
            Files.copy(root.resolve(file), checkout.resolve(file));
        }
        assertThat(Files.isExecutable(checkout.resolve("tollgate")))
                .as("the launcher is executable in git")
                .isTrue();
        Path jar = checkout.resolve("proxy/target/proxy.jar");
        Files.createDirectories(jar.getParent());
        writeJar(jar);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Map<String, String> java17 = Map.of(
                "PATH",
                jdk17.get().resolve("bin") + ":/usr/bin:/bin",
                "JAVA_HOME",
                jdk17.get().toString());

        Result plain = run(
                List.of(
                        jdk17.get().resolve("bin/java").toString(),
                        "-jar",
                        jar.toString(),
                        "keys",
                        "create",
                        "--name",
                        "newcomer"),
                checkout,
                java17);
        assertThat(plain.exit()).isNotZero();
        assertThat(plain.err()).as("what a newcomer met before").contains("UnsupportedClassVersionError");

        Result launched = run(
                List.of(checkout.resolve("tollgate").toString(), "keys", "create", "--name", "newcomer"),
                elsewhere,
                java17);
        assertThat(launched.exit()).as(launched.err()).isZero();
        assertThat(launched.out()).containsPattern("sk-tg-[0-9A-Za-z]{40}");
        assertThat(elsewhere.resolve("data"))
                .as("run from the checkout's root, whatever the folder")
                .doesNotExist();
        try (HikariDataSource db = Database.open("jdbc:h2:file:" + checkout.resolve("data/tollgate"))) {
            assertThat(new KeyStore(db, Clock.systemUTC()).list())
                    .extracting(ClientKey::name)
                    .containsExactly("newcomer");
        }
    }

    @Test
    void aPortInUseIsOneLineNamingTollgatePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result started = run(
                    List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            ProxyCommand.class.getName()),
                    dir,
                    Map.of(
                            "TOLLGATE_PORT",
                            Integer.toString(busy.getLocalPort()),
                            "TOLLGATE_HOST",
                            "127.0.0.1",
                            "TOLLGATE_DB_URL",
                            "jdbc:h2:file:" + dir.resolve("data/tollgate"),
                            "GROQ_API_KEY",
                            "gsk_portInUse_000000000000",
                            "TOLLGATE_UPSTREAM_URL",
                            "http://127.0.0.1:9/v1"));
            assertThat(started.exit()).as(started.out() + started.err()).isEqualTo(1);
            assertThat(started.err().lines().toList())
                    .containsExactly(
                            "Cannot listen on 127.0.0.1:" + busy.getLocalPort()
                                    + ": the port is in use. Stop what listens there, or set TOLLGATE_PORT to another port (0 picks a free one).");
            assertThat(started.out())
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("Javalin")
                    .doesNotContain("listening on");
        }
    }

    /** The JDK of this major version under /usr/lib/jvm, by its release file. */
    private static Optional<Path> jdk(String major) throws IOException {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(j -> Files.isExecutable(j.resolve("bin/java")))
                    .filter(j -> {
                        try {
                            return Files.readString(j.resolve("release")).contains("JAVA_VERSION=\"" + major + ".");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** A jar that runs the CLI from this test's class path, as the built proxy.jar does. */
    private static void writeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ProxyCommand.class.getName());
        manifest.getMainAttributes()
                .put(
                        Attributes.Name.CLASS_PATH,
                        Stream.of(System.getProperty("java.class.path").split(":"))
                                .map(entry -> Path.of(entry).toUri().toString())
                                .collect(Collectors.joining(" ")));
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
    }

    private static Result run(List<String> command, Path workDir, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment()
                .keySet()
                .removeIf(name ->
                        name.startsWith("TOLLGATE_") || name.equals("GROQ_API_KEY") || name.equals("JAVA_HOME"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exits").isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
