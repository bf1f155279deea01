package dev.tollgate.proxy.cli;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.proxy.Proxy;
import dev.tollgate.proxy.config.ProxyConfig;
import dev.tollgate.proxy.config.Secret;
import dev.tollgate.proxy.keys.KeysCommand;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar proxy.jar} runs the gateway, configured from environment variables (see the
 * README); {@code java -jar proxy.jar keys …} manages client keys on the same database.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, version = "Tollgate proxy 0.1.0",
        description = "An OpenAI-compatible gateway in front of Groq's openai/gpt-oss-120b. Configured with TOLLGATE_* environment variables.",
        subcommands = {KeysCommand.class, AuditCommands.Usage.class, AuditCommands.Requests.class})
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
            config = config.withUpstream(config.upstream().withBaseUrl(mockUrl != null ? mockUrl : mock.openAiBaseUrl(),
                    List.of(new Secret("offline-mock"))));
        }
        Proxy proxy;
        try {
            proxy = Proxy.start(config, Clock.systemUTC());
        } catch (IllegalArgumentException e) { // e.g. a fixture in TOLLGATE_RECORD_DIR that does not load
            System.err.println("Configuration error: " + e.getMessage());
            if (mock != null) mock.close();
            return 2;
        }
        System.out.printf("Tollgate proxy listening on http://%s:%d/v1 (upstream: %s)%n", config.server().host(), proxy.port(),
                mock == null ? config.upstream().baseUrl() : "offline mock");
        if (mock != null) {
            System.out.printf("No GROQ_API_KEY set: running offline in front of an embedded mock server (%d fixtures from %s; %s answers to anything else).%n",
                    mock.fixtures().size(), config.offline().fixtures(), config.offline().mode());
            System.out.println("Set GROQ_API_KEY (several keys: comma-separated) to forward to Groq instead.");
        } else if (mockUrl != null) {
            System.out.printf("No GROQ_API_KEY set: running offline in front of the mock server at %s (TOLLGATE_MOCK_URL).%n", mockUrl);
            System.out.println("Set GROQ_API_KEY (several keys: comma-separated) to forward to Groq instead.");
        }
        System.out.println("Get a client key: java -jar proxy/target/proxy.jar keys create --name my-app"
                + (config.adminToken() == null ? "   (or set TOLLGATE_ADMIN_TOKEN and POST /admin/keys)" : "   or POST /admin/keys with your admin token"));
        CountDownLatch stopped = new CountDownLatch(1);
        MockServer offlineMock = mock;
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) return;
            proxy.close();
            if (offlineMock != null) offlineMock.close();
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) logs.stop(); // drains the async log queue
            stopped.countDown();
        };
        // SIGTERM and Ctrl-C stop the proxy here, before the JVM's shutdown hooks run: H2 closes its
        // database in a hook of its own, which would race the last request-log rows being written.
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> Thread.ofPlatform().name("shutdown").start(stop));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop)); // any other exit
        stopped.await();
        return 0;
    }

    private static MockServer startOfflineMock(ProxyConfig config) {
        MockConfig mockConfig = MockConfig.defaults()
                .withMode("strict".equalsIgnoreCase(config.offline().mode()) ? MockConfig.Mode.STRICT : MockConfig.Mode.SYNTHETIC);
        if (Files.isDirectory(config.offline().fixtures())) mockConfig = mockConfig.withFixtures(config.offline().fixtures());
        return MockServer.start(mockConfig);
    }
}
