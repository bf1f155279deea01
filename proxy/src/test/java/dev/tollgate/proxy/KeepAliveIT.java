package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.proxy.audit.RequestRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refusal leaves the client's keep-alive connection usable, also when the body comes a moment after the
 * headers (as Python's http.client and many pooled clients send it): no request sent on it is lost.
 */
class KeepAliveIT {
    private static final String BAD_KEY = "sk-tg-wrong0000000000000000000000000000000000";

    private record Call(String path, String key, int status) {}

    @Test
    void refusedAndServedRequestsAlternateOnOneConnection() throws Exception {
        List<String> requestIds = new ArrayList<>();
        String dbUrl;
        try (Gateway gateway = Gateway.start()) {
            dbUrl = gateway.dbUrl;
            List<Call> calls = List.of(
                    new Call("/v1/chat/completions", BAD_KEY, 401),
                    new Call("/v1/chat/completions", gateway.clientSecret, 200),
                    new Call("/v1/embeddings", gateway.clientSecret, 404),
                    new Call("/v1/chat/completions", null, 401),
                    new Call(
                            "/admin/keys",
                            null,
                            401)); // not an API request: no log row, but the same connection (no token: wrong ones are
            // throttled)
            byte[] body = UpstreamIT.HELLO.getBytes(StandardCharsets.UTF_8);
            try (RawHttp connection = new RawHttp(gateway.proxy.port(), Duration.ofSeconds(10))) {
                for (int i = 0; i < 100; i++) {
                    Call call = calls.get(i % calls.size());
                    RawHttp.Answer answer;
                    try {
                        connection.send("POST " + call.path()
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + (call.key() == null ? "" : "Authorization: Bearer " + call.key() + "\r\n")
                                + "Content-Length: " + body.length + "\r\n\r\n");
                        Thread.sleep(10); // the refusal is decided before the body arrives
                        connection.send(body);
                        answer = connection.read();
                    } catch (java.net.SocketException closed) {
                        throw new AssertionError(
                                "request " + i + " (" + call + "): the proxy closed the connection", closed);
                    }
                    assertThat(answer)
                            .as("request %d (%s) got an answer on the connection", i, call)
                            .isNotNull();
                    assertThat(answer.status())
                            .as("request %d: %s", i, answer.text())
                            .isEqualTo(call.status());
                    assertThat(answer.header("connection")).as("request %d", i).isNull();
                    if (call.path().startsWith("/v1/")) requestIds.add(answer.header("x-tollgate-request-id"));
                }
            }
        }
        assertThat(Gateway.logRows(dbUrl))
                .extracting(RequestRecord::requestId)
                .containsExactlyInAnyOrderElementsOf(requestIds);
    }
}
