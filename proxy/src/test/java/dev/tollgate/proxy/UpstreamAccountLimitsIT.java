package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.replay.Pacing;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Groq account's own limits, kept per upstream key so the proxy refuses (or moves on) before Groq would answer 429. */
class UpstreamAccountLimitsIT {
    static final String TRIGGER_429 =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"trigger a 429 rate limit\"}]}";

    @Test
    void localPerKeyRpmRefusesBeforeGroqAndSpreadsOverKeys() {
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT, Map.of("TOLLGATE_UPSTREAM_RPM", "2", "TOLLGATE_UPSTREAM_MAX_WAIT_MS", "50"))) {
            String url = gateway.baseUrl() + "/v1/chat/completions";
            assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.HELLO).status())
                    .isEqualTo(200);
            assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.HELLO).status())
                    .isEqualTo(200);
            Http.Answer refused = Http.post(url, gateway.clientSecret, UpstreamIT.HELLO);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("x-tollgate-limit")).isEqualTo("upstream-account");
            assertThat(refused.header("retry-after")).isNotNull();
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(refused.json().at("/error/message").asText()).contains("Groq account");
            assertThat(gateway.mock.journal().entries())
                    .as("the refused request never reached Groq")
                    .hasSize(2);
        }
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT,
                Map.of(
                        "TOLLGATE_UPSTREAM_RPM",
                        "2",
                        "TOLLGATE_UPSTREAM_MAX_WAIT_MS",
                        "50",
                        "GROQ_API_KEY",
                        Gateway.UPSTREAM_KEY_1 + "," + Gateway.UPSTREAM_KEY_2))) {
            for (int i = 0; i < 4; i++) {
                assertThat(Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO)
                                .status())
                        .isEqualTo(200);
            }
            assertThat(Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, UpstreamIT.HELLO)
                            .status())
                    .isEqualTo(429);
        }
    }

    @Test
    void followsWhatGroqsHeadersSayRemains() {
        try (Gateway gateway = Gateway.start(
                Pacing.INSTANT,
                Map.of("TOLLGATE_UPSTREAM_FOLLOW_HEADERS", "true", "TOLLGATE_UPSTREAM_MAX_WAIT_MS", "100"))) {
            String url = gateway.baseUrl() + "/v1/chat/completions";
            // Groq's recorded 429 says 689 tokens remain for the next 31 s.
            assertThat(Http.post(url, gateway.clientSecret, TRIGGER_429).status())
                    .isEqualTo(429);
            Http.Answer big = Http.post(url, gateway.clientSecret, UpstreamIT.HELLO); // reserves 2000 output tokens
            assertThat(big.status()).isEqualTo(429);
            assertThat(big.header("x-tollgate-limit")).isEqualTo("upstream-account");
            assertThat(gateway.mock.journal().entries()).hasSize(1);
            String small =
                    "{\"model\":\"openai/gpt-oss-120b\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            Http.post(url, gateway.clientSecret, small);
            assertThat(gateway.mock.journal().entries())
                    .as("a request that fits what remains still goes")
                    .hasSize(2);
        }
    }
}
