package dev.tollgate.mock;

import static dev.tollgate.mock.TestFixtures.chat;
import static dev.tollgate.mock.TestFixtures.chatBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams are written event by event over time, not in one burst. Bounds are generous: they check
 * the shape of the timing (spread, order), not its precision, which bench/ measures.
 */
class PacingIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() {
        TestFixtures.write(dir, "stream-40", chat("forty"), TestFixtures.stream(40, 20));
    }

    @Test
    void tokensPerSecondSpreadsEventsOverTime() {
        // 40 one-token chunks at 200 tokens/s: about 200 ms between the first and the last content chunk.
        try (MockServer server = MockServer.start(
                MockConfig.defaults().withFixtures(dir).withPacing(new Pacing.TokensPerSecond(200, 100)))) {
            List<WireClient.Arrival> arrivals = new WireClient(server.baseUrl())
                    .stream("/v1/chat/completions", chatBody("forty", true)).arrivals();
            assertThat(arrivals).hasSize(43);
            assertThat(arrivals.get(0).atMs()).as("time to first token").isGreaterThanOrEqualTo(90);
            double spread = arrivals.get(40).atMs() - arrivals.get(1).atMs();
            assertThat(spread).as("about 195 ms expected").isBetween(95.0, 3000.0);
            assertSpreadOut(arrivals);
        }
    }

    @Test
    void recordedOffsetsPlayAtTheChosenSpeed() {
        // Recorded 20 ms apart, played twice as fast: about 10 ms apart, 400 ms in all.
        try (MockServer server =
                MockServer.start(MockConfig.defaults().withFixtures(dir).withPacing(new Pacing.Recorded(2)))) {
            List<WireClient.Arrival> arrivals = new WireClient(server.baseUrl())
                    .stream("/v1/chat/completions", chatBody("forty", true)).arrivals();
            double total =
                    arrivals.get(arrivals.size() - 1).atMs() - arrivals.get(0).atMs();
            assertThat(total).as("about 400 ms expected").isBetween(200.0, 4000.0);
            assertSpreadOut(arrivals);
        }
    }

    @Test
    void aClientThatHangsUpIsNoticedAndJournaled() throws Exception {
        try (MockServer server = MockServer.start(
                MockConfig.defaults().withFixtures(dir).withPacing(new Pacing.TokensPerSecond(50, 0)))) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                String body = chatBody("forty", true);
                socket.getOutputStream()
                        .write(
                                ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer gsk_secretsecret1234\r\n"
                                                + "Content-Type: application/json\r\nContent-Length: " + body.length()
                                                + "\r\n\r\n" + body)
                                        .getBytes());
                socket.getInputStream().read(new byte[512]);
            }
            Journal.Entry entry = TestFixtures.finished(server, 0, "client disconnected");
            assertThat(entry.outcome()).startsWith("client disconnected after");
            assertThat(entry.apiKey()).isEqualTo("gsk_…1234");
        }
    }

    /** At least a quarter of the consecutive gaps are visible (over 2 ms): the events were not bunched together. */
    private static void assertSpreadOut(List<WireClient.Arrival> arrivals) {
        long visibleGaps = 0;
        for (int i = 2; i < 41; i++)
            if (arrivals.get(i).atMs() - arrivals.get(i - 1).atMs() > 2) visibleGaps++;
        assertThat(visibleGaps).isGreaterThanOrEqualTo(10);
    }
}
