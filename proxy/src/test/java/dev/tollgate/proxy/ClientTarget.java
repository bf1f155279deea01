package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fault;
import dev.tollgate.mock.Journal;
import dev.tollgate.mock.MockConfig;
import dev.tollgate.mock.MockServer;
import dev.tollgate.mock.replay.Pacing;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a real client library is pointed in the client tests: the proxy (in front of the synthetic mock
 * standing in for Groq), or the synthetic mock directly — each test runs against both. Start them once
 * per class with {@link #both()}, {@link #close()} them after.
 */
record ClientTarget(String name, String root, String key, MockServer mock, Gateway gateway) {
    static final String MODEL = "openai/gpt-oss-120b";

    static MockConfig synthetic() {
        return MockConfig.defaults().withMode(MockConfig.Mode.SYNTHETIC).withPacing(Pacing.INSTANT);
    }

    /** The proxy and the mock, each with its own synthetic mock. */
    static List<ClientTarget> both() {
        Gateway gateway = Gateway.start(synthetic(), Map.of());
        ClientTarget proxy = new ClientTarget("proxy", gateway.baseUrl(), gateway.clientSecret, gateway.mock, gateway);
        MockServer mock = MockServer.start(synthetic());
        return List.of(proxy, new ClientTarget("mock", mock.baseUrl(), "gsk_anyKeyTheMockIgnores", mock, null));
    }

    static Stream<ClientTarget> stream(List<ClientTarget> targets) {
        return targets.stream();
    }

    boolean viaProxy() {
        return gateway != null;
    }

    /** The OpenAI base URL ({@code …/v1}). */
    String v1() {
        return root + "/v1";
    }

    /** A key the target refuses with a 401: the proxy a wrong client key; the mock a key, with Groq's 401 armed. */
    String refusedKey() {
        if (viaProxy()) return "sk-tg-notARealKey0000000000000000000000000000";
        mock.faults().arm(Fault.parse("status=401"), 0);
        return key;
    }

    /** Groq's 429 for every request until {@link #reset()}. */
    void rateLimited() {
        mock.faults().arm(Fault.parse("status=429"), 0);
    }

    void reset() {
        mock.reset();
    }

    /** The bodies Groq (the mock) received, oldest first. */
    List<JsonNode> sentToGroq() {
        return mock.journal().entries().stream().map(Journal.Entry::body).toList();
    }

    JsonNode lastSentToGroq() {
        List<JsonNode> sent = sentToGroq();
        return sent.get(sent.size() - 1);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Not AutoCloseable: JUnit would close a parameter after each test. */
    void close() {
        if (gateway != null) gateway.close();
        else mock.close();
    }
}
