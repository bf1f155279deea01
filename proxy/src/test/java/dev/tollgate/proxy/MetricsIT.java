package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics} in Prometheus' text format, counting real traffic, with labels no client can inflate. */
class MetricsIT {
    static final String WEIRD_MODEL = "model-from-a-client-" + System.nanoTime();

    @Test
    void countsRequestsTokensCostAndTheLogQueueWithBoundedLabels() {
        try (Gateway gateway = Gateway.start()) {
            String url = gateway.baseUrl() + "/v1/chat/completions";
            for (int i = 0; i < 3; i++)
                assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.HELLO)
                                .status())
                        .isEqualTo(200);
            assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.STREAM).status())
                    .isEqualTo(200);
            assertThat(Http.post(
                                    url,
                                    gateway.clientSecret,
                                    "{\"model\":\"" + WEIRD_MODEL
                                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                            .status())
                    .isEqualTo(404);
            assertThat(Http.post(
                                    url,
                                    gateway.clientSecret,
                                    "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"trigger a 429 rate limit\"}]}")
                            .status())
                    .isEqualTo(429);

            Http.Answer metrics = Http.call("GET", gateway.baseUrl() + "/metrics", null, null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("content-type")).startsWith("text/plain");
            String text = metrics.body();
            assertThat(value(
                            text,
                            "tollgate_requests_total",
                            Map.of(
                                    "endpoint",
                                    "/v1/chat/completions",
                                    "status",
                                    "200",
                                    "stream",
                                    "false",
                                    "error_type",
                                    "none")))
                    .isEqualTo(3);
            assertThat(value(
                            text,
                            "tollgate_requests_total",
                            Map.of("endpoint", "/v1/chat/completions", "status", "200", "stream", "true")))
                    .isEqualTo(1);
            assertThat(value(
                            text,
                            "tollgate_requests_total",
                            Map.of("status", "404", "error_type", "invalid_request_error")))
                    .isEqualTo(1);
            assertThat(value(text, "tollgate_requests_total", Map.of("status", "429")))
                    .isEqualTo(1);
            // The fixtures' usage: 74 + 27 tokens per plain answer, 91 + 50 for the stream.
            assertThat(value(text, "tollgate_tokens_total", Map.of("kind", "prompt")))
                    .isEqualTo(3 * 74 + 91);
            assertThat(value(text, "tollgate_tokens_total", Map.of("kind", "completion")))
                    .isEqualTo(3 * 27 + 50);
            assertThat(value(text, "tollgate_cost_usd_total", Map.of()))
                    .isCloseTo(
                            ((3 * 74 + 91) * 0.15 + (3 * 27 + 50) * 0.75) / 1e6,
                            org.assertj.core.data.Offset.offset(1e-12));
            assertThat(value(
                            text,
                            "tollgate_request_duration_seconds_count",
                            Map.of("endpoint", "/v1/chat/completions", "stream", "false")))
                    .isEqualTo(5);
            assertThat(value(text, "tollgate_time_to_first_token_seconds_count", Map.of()))
                    .isEqualTo(1);
            assertThat(text).contains("tollgate_overhead_seconds_bucket");
            assertThat(text).contains("tollgate_request_log_queue_depth");
            assertThat(text).contains("tollgate_request_log_backpressure_total");
            assertThat(value(text, "tollgate_upstream_key_up", Map.of("key", "1")))
                    .isEqualTo(0); // its last answer was Groq's 429
            assertThat(value(text, "tollgate_upstream_responses_total", Map.of("key", "1", "outcome", "ok")))
                    .isEqualTo(4);
            assertThat(value(text, "tollgate_upstream_responses_total", Map.of("key", "1", "outcome", "rate_limited")))
                    .isEqualTo(1);
            assertThat(text)
                    .as("no client string becomes a label")
                    .doesNotContain(WEIRD_MODEL)
                    .doesNotContain(gateway.clientKeyId)
                    .doesNotContain(Gateway.UPSTREAM_KEY_1)
                    .doesNotContain(gateway.clientSecret);
        }
    }

    @Test
    void metricsCanRequireTheAdminToken() {
        try (Gateway gateway = Gateway.start(
                dev.tollgate.mock.replay.Pacing.INSTANT, Map.of("TOLLGATE_METRICS_REQUIRE_TOKEN", "true"))) {
            assertThat(Http.call("GET", gateway.baseUrl() + "/metrics", null, null)
                            .status())
                    .isEqualTo(401);
            assertThat(Http.call("GET", gateway.baseUrl() + "/metrics", Gateway.ADMIN_TOKEN, null)
                            .status())
                    .isEqualTo(200);
        }
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}. */
    static double value(String text, String name, Map<String, String> labels) {
        Double found = null;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$")
                .matcher(text);
        while (m.find()) {
            String labelText = m.group(1) == null ? "" : m.group(1);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (!all) continue;
            if (found != null) throw new AssertionError("several samples of " + name + " match " + labels);
            found = Double.parseDouble(m.group(2));
        }
        if (found == null) throw new AssertionError("no sample of " + name + " with " + labels + " in:\n" + text);
        return found;
    }
}
