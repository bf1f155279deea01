package dev.tollgate.proxy.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.proxy.Proxy;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.Secret;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./tollgate} (or {@code java -jar proxy.jar}) runs the gateway, configured from environment variables (see
 * the README); {@code ./tollgate keys …} manages client keys on the same database.
 */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        version = "Tollgate proxy 0.1.0",
        description =
                "An OpenAI-compatible gateway in front of Groq's openai/gpt-oss-120b. Configured with TOLLGATE_* environment variables.",
        subcommands = {KeysCommand.class, AuditCommands.Usage.class, AuditCommands.Requests.class, DbCommand.class})
public final class ProxyCommand implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProxyCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfig config;
        try {
            config = ProxyConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        MockServer mock = null;
        String mockUrl = config.isOffline() ? config.offline().mockUrl() : null;
        if (config.isOffline()) {
            if (mockUrl == null) mock = startOfflineMock(config);
            config = config.withUpstream(config.upstream()
                    .withBaseUrl(
                            mockUrl != null ? mockUrl : mock.openAiBaseUrl(), List.of(new Secret("offline-mock"))));
        }
        Proxy proxy;
        try {
            proxy = startQuietly(config);
        } catch (IllegalArgumentException e) { // e.g. a fixture in TOLLGATE_RECORD_DIR that does not load
            System.err.println("Configuration error: " + e.getMessage());
            if (mock != null) mock.close();
            return 2;
        } catch (RuntimeException e) {
            if (mock != null) mock.close();
            if (!portInUse(e)) throw e;
            System.err.printf(
                    "Cannot listen on %s:%d: the port is in use. Stop what listens there, or set TOLLGATE_PORT to another port"
                            + " (0 picks a free one).%n",
                    config.server().host(), config.server().port());
            return 1;
        }
        System.out.printf(
                "Tollgate proxy listening on http://%s:%d/v1 (upstream: %s)%n",
                config.server().host(),
                proxy.port(),
                mock == null ? config.upstream().baseUrl() : "offline mock");
        if (mock != null) {
            System.out.printf(
                    "No GROQ_API_KEY set: running offline in front of an embedded mock server (%d fixtures from %s; %s answers to anything else).%n",
                    mock.fixtures().size(),
                    config.offline().fixtures(),
                    config.offline().mode());
            System.out.println("Set GROQ_API_KEY (several keys: comma-separated) to forward to Groq instead.");
        } else if (mockUrl != null) {
            System.out.printf(
                    "No GROQ_API_KEY set: running offline in front of the mock server at %s (TOLLGATE_MOCK_URL).%n",
                    mockUrl);
            System.out.println("Set GROQ_API_KEY (several keys: comma-separated) to forward to Groq instead.");
        }
        System.out.println("Get a client key: " + cli() + " keys create --name my-app"
                + (config.adminToken() == null
                        ? "   (or set TOLLGATE_ADMIN_TOKEN and POST /admin/keys)"
                        : "   or POST /admin/keys with your admin token"));
        CountDownLatch stopped = new CountDownLatch(1);
        MockServer offlineMock = mock;
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) return;
            proxy.close();
            if (offlineMock != null) offlineMock.close();
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logs)
                logs.stop(); // drains the async log queue
            stopped.countDown();
        };
        // SIGTERM and Ctrl-C stop the proxy here, before the JVM's shutdown hooks run: H2 closes its
        // database in a hook of its own, which would race the last request-log rows being written.
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(
                    new sun.misc.Signal(name),
                    signal -> Thread.ofPlatform().name("shutdown").start(stop));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop)); // any other exit
        stopped.await();
        return 0;
    }

    /** Javalin logs a failed start before it throws; what the caller prints about it says more, once. */
    private static Proxy startQuietly(ProxyConfig config) {
        if (!(LoggerFactory.getLogger("io.javalin.Javalin") instanceof Logger javalin)) {
            return Proxy.start(config, Clock.systemUTC());
        }
        Level level = javalin.getLevel();
        javalin.setLevel(Level.OFF);
        try {
            return Proxy.start(config, Clock.systemUTC());
        } finally {
            javalin.setLevel(level);
        }
    }

    private static boolean portInUse(Throwable e) {
        for (; e != null; e = e.getCause()) if (e instanceof BindException) return true;
        return false;
    }

    /** How to run this CLI here: the launcher in a checkout (run.sh and tollgate start from its root), else this jar. */
    private static String cli() {
        if (Files.isExecutable(Path.of("tollgate"))) return "./tollgate";
        CodeSource code = ProxyCommand.class.getProtectionDomain().getCodeSource();
        String jar = code == null ? "" : code.getLocation().getPath();
        return "java -jar " + (jar.endsWith(".jar") ? jar : "proxy.jar");
    }

    private static MockServer startOfflineMock(ProxyConfig config) {
        MockConfig mockConfig = MockConfig.defaults()
                .withMode(
                        "strict".equalsIgnoreCase(config.offline().mode())
                                ? MockConfig.Mode.STRICT
                                : MockConfig.Mode.SYNTHETIC);
        if (Files.isDirectory(config.offline().fixtures()))
            mockConfig = mockConfig.withFixtures(config.offline().fixtures());
        return MockServer.start(mockConfig);
    }
}
