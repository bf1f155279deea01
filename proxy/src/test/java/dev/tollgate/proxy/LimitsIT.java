package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.cli.ProxyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Per-key limits, quotas and budgets through the running proxy: admission, headers, settlement, persistence. */
class LimitsIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass();

    static Http.Answer admin(String method, String path, String body) {
        return Http.call(method, gateways.get().baseUrl() + path, Gateway.ADMIN_TOKEN, body);
    }

    /** A new key with these limits (JSON); returns [id, secret]. */
    static String[] key(String limits) {
        JsonNode created = admin("POST", "/admin/keys", "{\"name\":\"limited\",\"limits\":" + limits + "}")
                .json();
        assertThat(created.path("key").asText()).as(created.toString()).startsWith("sk-tg-");
        return new String[] {created.path("id").asText(), created.path("key").asText()};
    }

    static Http.Answer hello(String secret) {
        return Http.post(gateways.get().baseUrl() + "/v1/chat/completions", secret, UpstreamIT.HELLO);
    }

    @Test
    void aQuotaHoldsExactlyUnderConcurrency() throws Exception {
        String[] key = key("{\"requests_per_month\":20}");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(100)) {
            for (int i = 0; i < 100; i++)
                answers.add(pool.submit(() -> {
                    go.await();
                    return hello(key[1]);
                }));
            go.countDown();
            int served = 0, refused = 0;
            for (Future<Http.Answer> f : answers) {
                Http.Answer a = f.get();
                if (a.status() == 200) served++;
                else {
                    refused++;
                    assertThat(a.status()).isEqualTo(429);
                    assertThat(a.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
                    assertThat(a.header("x-tollgate-limit")).isEqualTo("key");
                }
            }
            assertThat(served).isEqualTo(20);
            assertThat(refused).isEqualTo(80);
        }
        assertThat(gateways.get().mock.journal().entries())
                .as("refused requests never reach Groq")
                .hasSize(20);
        JsonNode usage = admin("GET", "/admin/keys/" + key[0] + "/usage", null).json();
        assertThat(usage.at("/month/requests").asLong()).isEqualTo(20);
        assertThat(usage.at("/month/limits/requests/remaining").asLong()).isZero();
    }

    @Test
    void everyAnswerCarriesTheKeysRateLimitHeadersAndGroqsUnderTheirOwnPrefix() {
        String[] key = key("{\"requests_per_minute\":10,\"tokens_per_minute\":1000000}");
        Http.Answer answer = hello(key[1]);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-ratelimit-limit-requests")).isEqualTo("10");
        assertThat(answer.header("x-ratelimit-remaining-requests")).isEqualTo("9");
        assertThat(answer.header("x-ratelimit-reset-requests")).matches("\\d+(\\.\\d+)?(ms|s)");
        assertThat(answer.header("x-ratelimit-limit-tokens")).isEqualTo("1000000");
        assertThat(Long.parseLong(answer.header("x-ratelimit-remaining-tokens")))
                .isLessThan(1000000);
        assertThat(answer.header("x-groq-ratelimit-limit-requests")).isEqualTo("1000");
        int served = 1;
        Http.Answer limited = hello(key[1]);
        while (limited.status() == 200 && served < 20) {
            served++;
            limited = hello(key[1]);
        }
        assertThat(served)
                .as("10 a minute, refilled greedily: one more at most in the time this takes")
                .isBetween(10, 11);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.json().at("/error/message").asText())
                .contains("limited")
                .contains("not Groq");
        assertThat(limited.header("retry-after")).matches("\\d+");
        assertThat(limited.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    }

    @Test
    void usageIsSettledFromTheAnswerAndFromTheStreamToTheMicroDollar() {
        String[] key = key("{}");
        assertThat(hello(key[1]).status()).isEqualTo(200); // Groq: 74 prompt + 27 completion tokens
        Http.Answer streamed =
                Http.post(gateways.get().baseUrl() + "/v1/chat/completions", key[1], UpstreamIT.STREAM); // 91 + 50
        assertThat(streamed.body()).contains("[DONE]");
        JsonNode day =
                admin("GET", "/admin/keys/" + key[0] + "/usage", null).json().path("day");
        assertThat(day.path("requests").asLong()).isEqualTo(2);
        assertThat(day.path("prompt_tokens").asLong()).isEqualTo(74 + 91);
        assertThat(day.path("completion_tokens").asLong()).isEqualTo(27 + 50);
        // (165 × $0.15 + 77 × $0.75) / 1M = $0.00008250 → 0.000083 at six decimals (half up)
        assertThat(day.path("spend_usd").decimalValue()).isEqualByComparingTo("0.000083");
        assertThat(day.at("/in_flight/requests").asLong()).isZero();
    }

    @Test
    void aBudgetTooSmallForTheRequestIsRefusedAsInsufficientQuota() {
        String[] key = key(
                "{\"budget_usd\":0.001,\"budget_period\":\"day\"}"); // the request may spend up to 2000 output tokens
        // ($0.0015)
        Http.Answer refused = hello(key[1]);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(refused.json().at("/error/message").asText()).contains("budget");
    }

    @Test
    void aSpentMonthIsStillRefusedAfterARestart() {
        String[] key = key("{\"requests_per_month\":2}");
        assertThat(hello(key[1]).status()).isEqualTo(200);
        assertThat(hello(key[1]).status()).isEqualTo(200);
        gateways.get().restartProxy();
        Http.Answer refused = hello(key[1]);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
    }

    @Test
    void limitsAreSetAndShownThroughTheCli() {
        String created = cli(
                "keys",
                "create",
                "--db",
                gateways.get().dbUrl,
                "--name",
                "cli-limited",
                "--requests-per-month",
                "1",
                "--rpm",
                "10");
        Matcher secret = Pattern.compile("(sk-tg-[A-Za-z0-9]+)").matcher(created);
        Matcher id = Pattern.compile("(key_[a-z0-9]+)").matcher(created);
        assertThat(secret.find() && id.find()).as(created).isTrue();
        try {
            Thread.sleep(1100); // another process's limits reach the running proxy within a second
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(hello(secret.group(1)).status()).isEqualTo(200);
        assertThat(hello(secret.group(1)).status()).isEqualTo(429);
        gateways.get().proxy.ledger().flush();
        String usage = cli("keys", "usage", "--db", gateways.get().dbUrl, id.group(1));
        assertThat(usage).contains("\"requests\": 1");
        String updated =
                cli("keys", "update", "--db", gateways.get().dbUrl, id.group(1), "--requests-per-month", "none");
        assertThat(updated).contains("\"requests_per_month\": null");
    }

    @Test
    void aDisconnectedStreamIsBilledForWhatItConsumed() throws Exception {
        try (Gateway slow = Gateway.start(new Pacing.TokensPerSecond(20, 0), Map.of())) {
            JsonNode created = Http.call(
                            "POST", slow.baseUrl() + "/admin/keys", Gateway.ADMIN_TOKEN, "{\"name\":\"leaver\"}")
                    .json();
            try (Socket socket = new Socket("127.0.0.1", slow.proxy.port())) {
                byte[] body = UpstreamIT.STREAM.getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream()
                        .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                        + created.path("key").asText()
                                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().write(body);
                byte[] buffer = new byte[8192];
                int read = 0;
                while (read < 3000) read += socket.getInputStream().read(buffer); // a few events, then hang up
            }
            JsonNode day = null;
            for (int i = 0; i < 200; i++) {
                day = Http.call(
                                "GET",
                                slow.baseUrl() + "/admin/keys/"
                                        + created.path("id").asText() + "/usage",
                                Gateway.ADMIN_TOKEN,
                                null)
                        .json()
                        .path("day");
                if (day.path("requests").asLong() == 1) break;
                Thread.sleep(25);
            }
            assertThat(day.path("requests").asLong()).isEqualTo(1);
            assertThat(day.path("completion_tokens").asLong())
                    .as("the tokens that were streamed")
                    .isBetween(1L, 49L);
            assertThat(day.path("prompt_tokens").asLong())
                    .as("the prompt as estimated")
                    .isPositive();
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ProxyCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(out));
        assertThat(cmd.execute(args)).as(out.toString()).isZero();
        return out.toString();
    }
}
