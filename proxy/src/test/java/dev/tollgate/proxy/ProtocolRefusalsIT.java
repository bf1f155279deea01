package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Jetty and Javalin refuse before (or instead of) a route, and bodies that lie about their framing: each is
 * answered in OpenAI's error shape, as JSON, with a 4xx (505 for an HTTP version the proxy does not speak).
 */
class ProtocolRefusalsIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass(Map.of("TOLLGATE_MAX_BODY_BYTES", "4096"));

    private static final String CHAT =
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bad request line       | GARBAGE\\r\\n\\r\\n                                                     | 400 | bad_request",
                "unknown HTTP version   | GET /v1/models HTTP/9.9\\r\\nHost: x\\r\\n\\r\\n                       | 505 | http_version_not_supported",
                "HTTP/2 preface         | PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n                                | 426 | upgrade_required",
                "no Host                | GET /v1/models HTTP/1.1\\r\\n\\r\\n                                   | 400 | bad_request",
                "control in the URI     | GET /v1/models/a\\u0001b HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n               | 400 | bad_request",
                "length and chunked     | POST /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400 | bad_request",
                "OPTIONS on an API URL  | OPTIONS /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n         | 405 | method_not_allowed",
                "TRACE on an API URL    | TRACE /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n           | 405 | method_not_allowed",
                "a made-up method       | BREW /v1/models HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                      | 405 | method_not_allowed",
                "GET on a POST route    | GET /openai/v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n      | 405 | method_not_allowed",
                "unknown URL, any method| OPTIONS /v1/engines HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                  | 404 | unknown_url",
            })
    void refusedInOpenAiShape(String name, String request, int status, String code) throws Exception {
        assertRefused(send(request.replace("\\r\\n", "\r\n").replace("\\u0001", "\u0001"), false), status, code);
    }

    @Test
    void aHugeUriOrHeaderIsRefusedInOpenAiShapeAndClosesTheConnectionSayingSo() throws Exception {
        RawHttp.Answer uri = send("GET /v1/models/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", false);
        assertRefused(uri, 414, "uri_too_long");
        assertThat(uri.header("connection")).isEqualTo("close");
        RawHttp.Answer header =
                send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", false);
        assertRefused(header, 431, "request_header_fields_too_large");
        assertThat(header.header("connection")).isEqualTo("close");
    }

    @Test
    void headOnAnApiRouteIs405WithoutRunningIt() throws Exception {
        RawHttp.Answer models = send(
                "HEAD /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + gateways.get().clientSecret
                        + "\r\n\r\n",
                true);
        assertThat(models.status()).isEqualTo(405);
        assertThat(models.header("content-type")).startsWith("application/json");
        assertThat(send("HEAD /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n", true)
                        .status())
                .isEqualTo(405);
        assertThat(send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n", true).status())
                .as("a health check may use HEAD")
                .isEqualTo(200);
        assertThat(gateways.get().mock.journal().entries()).isEmpty();
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400() throws Exception {
        try (RawHttp connection = connect()) {
            connection.send(CHAT + "Authorization: Bearer " + gateways.get().clientSecret
                    + "\r\nContent-Length: 100\r\n\r\n{\"model\":");
            connection.endOutput();
            assertRefused(connection.read(), 400, "unreadable_body");
        }
    }

    @ParameterizedTest(name = "chunk size {0}")
    @CsvSource({"zz", "100", "-1", "ffffffffffffffffff"})
    void aChunkSizeThatLiesIs400(String size) throws Exception {
        try (RawHttp connection = connect()) {
            connection.send(CHAT + "Authorization: Bearer " + gateways.get().clientSecret
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\n{\"a\":1}\r\n0\r\n\r\n");
            connection.endOutput();
            RawHttp.Answer answer = connection.read();
            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            assertOpenAiShape(answer);
        }
    }

    @Test
    void anAdminBodyShorterThanItsContentLengthIs400() throws Exception {
        try (RawHttp connection = connect()) {
            connection.send("POST /admin/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Gateway.ADMIN_TOKEN
                    + "\r\nContent-Length: 50\r\n\r\n{\"name\":");
            connection.endOutput();
            assertRefused(connection.read(), 400, "unreadable_body");
        }
    }

    @Test
    void anAdminBodyOverTheLimitIs413InOpenAiShape() throws Exception {
        String body = "{\"name\":\"" + "x".repeat(5_000) + "\"}";
        try (RawHttp connection = connect()) {
            connection.send("POST /admin/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Gateway.ADMIN_TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertRefused(connection.read(), 413, "request_too_large");
        }
    }

    @Test
    void aBodySomewhatOverTheLimitIsReadSoThe413ArrivesAndTheConnectionStays() throws Exception {
        String key = "Authorization: Bearer " + gateways.get().clientSecret + "\r\n";
        String big = "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(12_000) + "\"}]}";
        try (RawHttp connection = connect()) {
            connection.send(CHAT + key + "Content-Length: " + big.length() + "\r\n\r\n" + big);
            RawHttp.Answer refused = connection.read();
            assertRefused(refused, 413, "request_too_large");
            assertThat(refused.header("connection")).isNull();
            connection.send(
                    CHAT + key + "Content-Length: " + UpstreamIT.HELLO.length() + "\r\n\r\n" + UpstreamIT.HELLO);
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    private static RawHttp connect() {
        return new RawHttp(gateways.get().proxy.port(), Duration.ofSeconds(10));
    }

    private static RawHttp.Answer send(String request, boolean head) throws Exception {
        try (RawHttp connection = connect()) {
            connection.send(request);
            return connection.read(head);
        }
    }

    private static void assertRefused(RawHttp.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertOpenAiShape(answer);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo(code);
    }

    static void assertOpenAiShape(RawHttp.Answer answer) {
        assertThat(answer.header("content-type")).as(answer.text()).startsWith("application/json");
        JsonNode error = answer.json().path("error");
        assertThat(error.fieldNames())
                .toIterable()
                .as(answer.text())
                .containsExactly("message", "type", "param", "code");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }
}
