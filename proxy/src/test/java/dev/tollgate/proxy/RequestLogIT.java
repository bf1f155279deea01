package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.store.Database;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** One request-log row per request, refused ones included, all written by the time the proxy has shut down. */
class RequestLogIT {
    @Test
    void everyRequestBecomesOneRowWithWhatHappened() {
        String dbUrl;
        String keyId;
        int sent = 0;
        try (Gateway gateway = Gateway.start()) {
            dbUrl = gateway.dbUrl;
            keyId = gateway.clientKeyId;
            String url = gateway.baseUrl() + "/v1/chat/completions";
            assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.HELLO).status())
                    .isEqualTo(200);
            assertThat(Http.post(url, gateway.clientSecret, UpstreamIT.STREAM).status())
                    .isEqualTo(200);
            assertThat(Http.post(url, "sk-tg-wrong0000000000000000000000000000000000", UpstreamIT.HELLO)
                            .status())
                    .isEqualTo(401);
            assertThat(Http.post(
                                    url,
                                    gateway.clientSecret,
                                    "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                            .status())
                    .isEqualTo(404);
            assertThat(Http.post(
                                    url,
                                    gateway.clientSecret,
                                    "{\"model\":\"openai/gpt-oss-120b\",\"user\":\"u-42\",\"messages\":[{\"role\":\"user\",\"content\":\"trigger a 429 rate limit\"}]}")
                            .status())
                    .isEqualTo(429);
            assertThat(Http.post(
                                    gateway.baseUrl() + "/v1/responses",
                                    gateway.clientSecret,
                                    "{\"model\":\"gpt-oss-120b\",\"input\":\"Tell me a three sentence bedtime story about a unicorn.\",\"reasoning\":{\"effort\":\"low\"}}")
                            .status())
                    .isEqualTo(200);
            Http.Answer unknown =
                    Http.call("POST", gateway.baseUrl() + "/openai/v1/embeddings", gateway.clientSecret, "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.header("x-tollgate-request-id")).startsWith("tg_");
            assertThat(Http.call("GET", gateway.baseUrl() + "/health", null, null)
                            .status())
                    .as("not an API request: no row")
                    .isEqualTo(200);
            sent = 7;
        } // a graceful shutdown: the log is drained before the database closes

        try (HikariDataSource db = Database.open(dbUrl)) {
            List<RequestRecord> rows = new RequestLogQuery(db).find(RequestLogQuery.Filter.ALL, 100, 0);
            assertThat(rows).hasSize(sent);
            RequestRecord ok =
                    only(rows, r -> r.endpoint().equals("/v1/chat/completions") && !r.stream() && r.status() == 200);
            assertThat(ok.keyId()).isEqualTo(keyId);
            assertThat(ok.modelServed()).isEqualTo("openai/gpt-oss-120b");
            assertThat(ok.upstreamRequestId()).isEqualTo("req_01k7fpjp17fk592mgr4x7tmyvm");
            assertThat(ok.promptTokens()).isEqualTo(74);
            assertThat(ok.completionTokens()).isEqualTo(27);
            assertThat(ok.costNanos()).isEqualTo(74 * 150 + 27 * 750);
            assertThat(ok.usageSource()).isEqualTo("groq");
            assertThat(ok.upstreamMs()).isNotNull();
            RequestRecord streamed = only(rows, r -> r.stream() && r.status() == 200);
            assertThat(streamed.promptTokens()).isEqualTo(91);
            assertThat(streamed.completionTokens()).isEqualTo(50);
            assertThat(streamed.reasoningTokens()).isEqualTo(29);
            assertThat(streamed.firstTokenMs()).isNotNull();
            RequestRecord badKey = only(rows, r -> r.status() == 401);
            assertThat(badKey.keyId()).isNull();
            assertThat(badKey.errorCode()).isEqualTo("invalid_api_key");
            assertThat(only(rows, r -> r.status() == 404 && r.endpoint().equals("/v1/chat/completions"))
                            .errorCode())
                    .isEqualTo("model_not_found");
            RequestRecord groq429 = only(rows, r -> r.status() == 429);
            assertThat(groq429.errorCode()).isEqualTo("rate_limit_exceeded");
            assertThat(groq429.user()).isEqualTo("u-42");
            assertThat(groq429.usageSource()).isEqualTo("none");
            RequestRecord responses = only(rows, r -> r.endpoint().equals("/v1/responses"));
            assertThat(responses.promptTokens()).isEqualTo(82);
            assertThat(responses.completionTokens()).isEqualTo(61);
            RequestRecord unknownUrl = only(rows, r -> r.endpoint().equals("/v1/embeddings"));
            assertThat(unknownUrl.status()).isEqualTo(404);
            assertThat(unknownUrl.errorCode()).isEqualTo("unknown_url");
            assertThat(rows).allSatisfy(r -> assertThat(r.requestId()).startsWith("tg_"));
        }
    }

    private static RequestRecord only(List<RequestRecord> rows, Predicate<RequestRecord> which) {
        List<RequestRecord> found = rows.stream().filter(which).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
