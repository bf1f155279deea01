package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guessing the admin token over HTTP: after 5 wrong tokens from one address, at the dashboard's sign-in or in the
 * bearer header, that address waits (429 with retry-after) and even the right token is not checked; other addresses
 * are not held up; every refusal is counted in {@code /metrics}. Each test uses its own loopback address.
 */
class AdminTokenThrottleIT {
    @RegisterExtension
    static final Gateway.PerClass gateway = new Gateway.PerClass();

    @Test
    void wrongSignInsSlowDownThatAddressOnly() throws Exception {
        HttpClient attacker = from("127.0.0.2");
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> wrong = send(attacker, signIn("guess-" + i));
            assertThat(wrong.statusCode()).as("guess %d", i).isEqualTo(401);
            assertThat(wrong.body()).contains("Wrong admin token.");
        }
        HttpResponse<String> throttled = send(attacker, signIn("guess-6"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(retryAfter(throttled)).isBetween(1L, 60L);
        assertThat(throttled.body())
                .contains("Too many wrong admin tokens from 127.0.0.2: try again in")
                .contains("name=\"token\"");

        HttpResponse<String> right = send(attacker, signIn(Gateway.ADMIN_TOKEN));
        assertThat(right.statusCode())
                .as("while it waits, not even the right token is checked")
                .isEqualTo(429);
        assertThat(right.headers().firstValue("set-cookie")).isEmpty();
        HttpResponse<String> bearer = send(attacker, adminKeys(Gateway.ADMIN_TOKEN));
        assertThat(bearer.statusCode()).as("the same wait for the admin API").isEqualTo(429);

        HttpClient admin = from("127.0.0.3");
        assertThat(send(admin, signIn(Gateway.ADMIN_TOKEN)).statusCode())
                .as("another address signs in")
                .isEqualTo(303);
        assertThat(send(admin, adminKeys(Gateway.ADMIN_TOKEN)).statusCode()).isEqualTo(200);

        String metrics = send(admin, HttpRequest.newBuilder(uri("/metrics"))).body();
        assertThat(count(metrics, "dashboard", "wrong_token")).isEqualTo(5);
        assertThat(count(metrics, "dashboard", "throttled")).isEqualTo(2);
        assertThat(count(metrics, "bearer", "throttled")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void wrongBearerTokensOnTheAdminApiAreThrottledInOpenAisShape() throws Exception {
        HttpClient script = from("127.0.0.4");
        double before =
                count(send(script, HttpRequest.newBuilder(uri("/metrics"))).body(), "bearer", "wrong_token");
        assertThat(send(script, HttpRequest.newBuilder(uri("/admin/keys"))).statusCode())
                .as("no token: no guess, not counted")
                .isEqualTo(401);
        for (int i = 1; i <= 5; i++)
            assertThat(send(script, adminKeys("guess-" + i)).statusCode())
                    .as("guess %d", i)
                    .isEqualTo(401);

        HttpResponse<String> throttled = send(script, adminKeys(Gateway.ADMIN_TOKEN));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(retryAfter(throttled)).isBetween(1L, 60L);
        assertThat(throttled.headers().firstValue("x-tollgate-limit")).hasValue("admin-token");
        JsonNode error = Json.MAPPER.readTree(throttled.body()).path("error");
        assertThat(error.path("message").asText())
                .startsWith("Too many wrong admin tokens from 127.0.0.4: try again in");
        assertThat(error.path("type").asText()).isEqualTo("requests");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.has("param")).isTrue();

        double after = count(
                send(from("127.0.0.5"), HttpRequest.newBuilder(uri("/metrics"))).body(), "bearer", "wrong_token");
        assertThat(after - before).isEqualTo(5);
    }

    private static HttpClient from(String address) throws IOException {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName(address))
                .build();
    }

    private static URI uri(String path) {
        return URI.create(gateway.get().baseUrl() + path);
    }

    private static HttpRequest.Builder signIn(String token) {
        return HttpRequest.newBuilder(uri("/admin/session"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    private static HttpRequest.Builder adminKeys(String token) {
        return HttpRequest.newBuilder(uri("/admin/keys")).header("Authorization", "Bearer " + token);
    }

    private static long retryAfter(HttpResponse<String> answer) {
        return Long.parseLong(answer.headers().firstValue("retry-after").orElseThrow());
    }

    /** {@code tollgate_admin_auth_failures_total{reason,via}} in a scrape. */
    private static double count(String scrape, String via, String reason) {
        Matcher m = Pattern.compile("(?m)^tollgate_admin_auth_failures_total\\{reason=\"" + reason + "\",via=\"" + via
                        + "\"} (\\S+)$")
                .matcher(scrape);
        assertThat(m.find()).as(scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
