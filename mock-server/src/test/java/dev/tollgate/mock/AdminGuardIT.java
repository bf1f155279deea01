package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.junit.MockGroqExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API answers this machine's own tools, not a web page (DNS rebinding, a cross-site form posting a fault). */
class AdminGuardIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.synthetic();

    static final String FAULT = "{\"fault\":\"status=503\"}";

    String send(String method, String path, String body, String... headers) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
        for (String h : headers) request.append(h).append("\r\n");
        request.append("Content-Length: ")
                .append(body.length())
                .append("\r\n\r\n")
                .append(body);
        return HostileInputIT.raw(groq.server().port(), request.toString());
    }

    String own() {
        return "Host: 127.0.0.1:" + groq.server().port();
    }

    @Test
    void ownHostNamesAreAnswered() {
        int port = groq.server().port();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "127.0.0.1"}) {
            assertThat(send("GET", "/__admin/journal", "", "Host: " + host))
                    .as(host)
                    .startsWith("HTTP/1.1 200 ");
        }
        assertThat(send(
                        "POST",
                        "/__admin/faults",
                        FAULT,
                        own(),
                        "Content-Type: application/json",
                        "Origin: http://127.0.0.1:" + port,
                        "Sec-Fetch-Site: same-origin"))
                .startsWith("HTTP/1.1 201 ");
        assertThat(groq.server().faults().current()).isNotNull();
    }

    @Test
    void aRebindingNameOrAnotherPortIsRefused() {
        int port = groq.server().port();
        for (String host : new String[] {
            "attacker.example:" + port,
            "localhost.attacker.example:" + port,
            "127.0.0.1:" + (port == 1 ? 2 : port - 1),
            ""
        }) {
            String exchange = send("GET", "/__admin/journal", "", "Host: " + host);
            HostileInputIT.assertOpenAiError(
                    exchange,
                    exchange.startsWith("HTTP/1.1 400") ? 400 : 403,
                    exchange.startsWith("HTTP/1.1 400") ? "bad_request" : "admin_forbidden");
        }
        HostileInputIT.assertOpenAiError(
                send(
                        "POST",
                        "/__admin/faults",
                        FAULT,
                        "Host: attacker.example:" + port,
                        "Content-Type: application/json"),
                403,
                "admin_forbidden");
        assertThat(groq.server().faults().current()).isNull();
        // The API itself does not care: a tool calling the mock by any name still gets answers.
        assertThat(send("GET", "/v1/models", "", "Host: mock-server:" + port)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void crossSiteRequestsAreRefused() {
        int port = groq.server().port();
        String[][] attempts = {
            {"Content-Type: application/json", "Origin: http://attacker.example"},
            {"Content-Type: application/json", "Origin: http://localhost:3000"},
            {"Content-Type: application/json", "Sec-Fetch-Site: cross-site"},
            {"Content-Type: application/json", "Sec-Fetch-Site: same-site"},
            {"Content-Type: application/x-www-form-urlencoded"},
            {"Content-Type: text/plain;charset=UTF-8"},
            {"Content-Type: multipart/form-data; boundary=x"}
        };
        for (String[] headers : attempts) {
            String[] all = new String[headers.length + 1];
            all[0] = own();
            System.arraycopy(headers, 0, all, 1, headers.length);
            HostileInputIT.assertOpenAiError(send("POST", "/__admin/faults", FAULT, all), 403, "admin_forbidden");
            HostileInputIT.assertOpenAiError(send("POST", "/__admin/reset", "", all), 403, "admin_forbidden");
        }
        assertThat(groq.server().faults().current()).isNull();
        assertThat(send("GET", "/__admin/journal", "", own(), "Origin: http://attacker.example"))
                .startsWith("HTTP/1.1 403 ");
    }
}
