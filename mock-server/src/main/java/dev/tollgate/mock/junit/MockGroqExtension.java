package dev.tollgate.mock.junit;

import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a mock Groq server for a test class, in process, on a free port:
 * <pre>{@code
 * @RegisterExtension
 * static MockGroqExtension groq = MockGroqExtension.withFixtures(Path.of("fixtures"));
 *
 * @Test void answers(MockServer server) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(groq.openAiBaseUrl()).apiKey("test").build();
 *     …
 * }
 * }</pre>
 * A static field starts one server for the class and resets its journal, turns and faults before
 * each test; an instance field starts a fresh server per test. Streams are instant unless
 * {@link #pacing(Pacing)} says otherwise. Test methods can take the {@link MockServer} as a parameter.
 */
public final class MockGroqExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private MockConfig config;
    private MockServer server;
    private boolean perTest;

    private MockGroqExtension(MockConfig config) {
        this.config = config;
    }

    public static MockGroqExtension withFixtures(Path dir) {
        return new MockGroqExtension(MockConfig.defaults().withFixtures(dir).withPacing(Pacing.INSTANT));
    }

    /** No fixtures: every chat request gets a generated answer. */
    public static MockGroqExtension synthetic() {
        return new MockGroqExtension(
                MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC).withPacing(Pacing.INSTANT));
    }

    public MockGroqExtension pacing(Pacing pacing) {
        config = config.withPacing(pacing);
        return this;
    }

    public MockGroqExtension mode(MockConfig.Mode mode) {
        config = config.withMode(mode);
        return this;
    }

    /** {@code validation(false)}: accept every request, even what Groq refuses (on by default). */
    public MockGroqExtension validation(boolean on) {
        config = config.withValidation(on);
        return this;
    }

    /**
     * Adds how many requests each fixture answered to {@code file} when the server stops; every
     * extension of a test run can share one file, which {@code mock-server drift --usage FILE} reads.
     */
    public MockGroqExtension usageReport(Path file) {
        config = config.withUsageReport(file);
        return this;
    }

    public MockServer server() {
        if (server == null) throw new IllegalStateException("the mock server starts before the first test");
        return server;
    }

    public String openAiBaseUrl() {
        return server().openAiBaseUrl();
    }

    public String baseUrl() {
        return server().baseUrl();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MockServer.start(config);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perTest = true;
            server = MockServer.start(config);
        } else {
            server.reset();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) stop();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (server != null) server.close();
        server = null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
