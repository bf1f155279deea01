package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fault;
import dev.tollgate.mock.Journal;
import dev.tollgate.mock.replay.Pacing;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Talking to Groq: key failover, retries, timeouts, streams relayed as they arrive, disconnects passed upstream. */
class UpstreamIT {
    static final String HELLO =
            "{\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":2000,\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world!\"}]}";
    static final String STREAM =
            "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"max_tokens\":2000,\"temperature\":0.9,\"top_p\":0.8,\"messages\":["
                    + "{\"role\":\"system\",\"content\":\"You are a helpful, creative assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short, imaginative sentence.\"}]}";

    @Test
    void a401Or429FromGroqMovesToTheNextKey() {
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT, Map.of("GROQ_API_KEY", Gateway.UPSTREAM_KEY_1 + "," + Gateway.UPSTREAM_KEY_2))) {
            for (int status : new int[] {401, 429}) {
                gateway.mock.reset();
                gateway.mock.faults().arm(new Fault(status, 0, 0, false), 1);
                Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
                assertThat(answer.status()).isEqualTo(200);
                List<Journal.Entry> upstream = gateway.mock.journal().entries();
                assertThat(upstream).extracting(Journal.Entry::status).containsExactly(status, 200);
                assertThat(upstream.get(0).apiKey())
                        .isNotEqualTo(upstream.get(1).apiKey());
            }
        }
    }

    @Test
    void requestsTakeTheAccountKeysInTurn() {
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT, Map.of("GROQ_API_KEY", Gateway.UPSTREAM_KEY_1 + "," + Gateway.UPSTREAM_KEY_2))) {
            for (int i = 0; i < 4; i++)
                Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
            assertThat(gateway.mock.journal().entries())
                    .extracting(Journal.Entry::apiKey)
                    .containsExactly("gsk_…1111", "gsk_…2222", "gsk_…1111", "gsk_…2222");
        }
    }

    @Test
    void serverErrorsAreRetriedThenPassedOn() {
        try (Gateway gateway = Gateway.start(Pacing.INSTANT, Map.of("TOLLGATE_UPSTREAM_RETRIES", "2"))) {
            gateway.mock.faults().arm(new Fault(503, 0, 0, false), 2);
            assertThat(Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO)
                            .status())
                    .isEqualTo(200);
            assertThat(gateway.mock.journal().entries())
                    .extracting(Journal.Entry::status)
                    .containsExactly(503, 503, 200);

            gateway.mock.reset();
            gateway.mock.faults().arm(new Fault(500, 0, 0, false), 0);
            Http.Answer failed = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.json().path("error").fieldNames())
                    .toIterable()
                    .contains("message", "type", "param", "code");
            assertThat(gateway.mock.journal().entries()).hasSize(3);
        }
    }

    @Test
    void aJsonAnswerCutShortIsRetried() {
        try (Gateway gateway = Gateway.start()) {
            gateway.mock.faults().arm(new Fault(0, 0, 1, false), 1);
            Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().at("/choices/0/message/content").asText()).startsWith("Hello, world!");
            assertThat(gateway.mock.journal().entries()).hasSize(2);
        }
    }

    @Test
    void unreachableGroqIs502AndSlowGroqIs504() {
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT,
                Map.of("TOLLGATE_UPSTREAM_URL", "http://127.0.0.1:1/v1", "TOLLGATE_UPSTREAM_RETRIES", "1"))) {
            Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.json().at("/error/code").asText()).isEqualTo("upstream_unreachable");
        }
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT, Map.of("TOLLGATE_FIRST_BYTE_TIMEOUT_MS", "300", "TOLLGATE_UPSTREAM_RETRIES", "0"))) {
            gateway.mock.faults().arm(new Fault(0, 2000, 0, false), 1);
            Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, HELLO);
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.json().at("/error/code").asText()).isEqualTo("upstream_timeout");
        }
    }

    @Test
    void aStreamThatFallsSilentIsEndedWithAnErrorEventAfterTheIdleTimeout() {
        // One token a second upstream, but only 300 ms of silence allowed between events.
        try (Gateway gateway =
                Gateway.start(new Pacing.TokensPerSecond(1, 0), Map.of("TOLLGATE_STREAM_IDLE_TIMEOUT_MS", "300"))) {
            long start = System.nanoTime();
            Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, STREAM);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body())
                    .contains("event: error")
                    .contains("upstream_timeout")
                    .doesNotContain("[DONE]");
            assertThat(seconds).as("the whole stream would take about a minute").isLessThan(10);
        }
    }

    @Test
    void aBrokenStreamEndsWithAnErrorEvent() {
        try (Gateway gateway = Gateway.start()) {
            gateway.mock.faults().arm(new Fault(0, 0, 4, false), 1);
            Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, STREAM);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body())
                    .contains("event: error")
                    .contains("upstream_stream_error")
                    .doesNotContain("[DONE]");
        }
    }

    @Test
    void pacedStreamArrivesSpreadOverTime() throws Exception {
        try (Gateway gateway = Gateway.start(new Pacing.TokensPerSecond(100, 50), Map.of())) {
            List<Double> arrivals = new ArrayList<>();
            long start = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", gateway.proxy.port())) {
                send(socket, gateway.clientSecret, STREAM);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                StringBuilder all = new StringBuilder();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    String piece = new String(buffer, 0, n, StandardCharsets.UTF_8);
                    all.append(piece);
                    int events = piece.split("\n\n", -1).length - 1;
                    for (int i = 0; i < events; i++) arrivals.add((System.nanoTime() - start) / 1e6);
                    if (all.indexOf("[DONE]") >= 0) break;
                }
            }
            // about 40 one-token chunks at 100 tokens/s: roughly 400 ms from first to last
            assertThat(arrivals.size()).isGreaterThan(20);
            assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).isGreaterThan(150);
            long distinctMoments =
                    arrivals.stream().map(t -> Math.round(t / 3)).distinct().count();
            assertThat(distinctMoments)
                    .as("events arrive in many separate moments, not one burst")
                    .isGreaterThan(10);
        }
    }

    @Test
    void aClientThatLeavesCancelsTheUpstreamCall() throws Exception {
        try (Gateway gateway = Gateway.start(new Pacing.TokensPerSecond(20, 0), Map.of())) {
            try (Socket socket = new Socket("127.0.0.1", gateway.proxy.port())) {
                send(socket, gateway.clientSecret, STREAM);
                byte[] first = new byte[1024];
                assertThat(socket.getInputStream().read(first)).isPositive();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            String outcome = "";
            while (System.nanoTime() < deadline) {
                outcome = gateway.mock.journal().entries().get(0).outcome();
                if (outcome.startsWith("client disconnected")) break;
                Thread.sleep(25);
            }
            assertThat(outcome)
                    .as("the mock saw its client (the proxy) go away mid-stream")
                    .startsWith("client disconnected after");
        }
    }

    private static void send(Socket socket, String key, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream()
                .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }
}
