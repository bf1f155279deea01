package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.replay.Pacing;
import dev.tollgate.proxy.limits.BudgetPeriod;
import dev.tollgate.proxy.limits.PeriodUsage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's billing table, row by row, through the real proxy in front of the real mock: for each
 * way a request can end, what the client receives, what its request-log row says, and what its key is
 * billed — and that the key's ledger agrees with the row to the nano-dollar.
 */
class BillingPolicyIT {
    static final String LONG_PROMPT =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "Tell me everything about the history of the printing press, in detail. ".repeat(50) + "\"}]}";
    static final String BIG_ANSWER =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"a very long answer\"}]}";
    static final String NOT_A_COMPLETION =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"not a completion\"}]}";
    static final String CACHED =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"a cached prompt\"}]}";
    static final String SLOW_STREAM = UpstreamIT.STREAM;

    @TempDir
    static Path fixtures;

    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        for (String name : new String[] {
            "chat/basic-reasoning", "chat/streaming-reasoning", "errors/stream-error", "errors/rate-limited-429"
        }) {
            Path target = fixtures.resolve(name + ".json");
            Files.createDirectories(target.getParent());
            Files.copy(Gateway.fixtures().resolve(name + ".json"), target);
        }
        // Larger than the kernel's largest send buffer (4 MB here), so the proxy cannot finish writing it
        // into socket buffers before the client's reset (the client's own receive buffer is kept small).
        ObjectNode big = completion("x".repeat(8_000_000), 80, 0, 500_000);
        writeFixture("big", BIG_ANSWER, big);
        writeFixture("not-a-completion", NOT_A_COMPLETION, Json.parse("{\"object\":\"list\",\"data\":[]}"));
        writeFixture("cached", CACHED, completion("ok", 1000, 600, 10));
        writeFixture("long-prompt", LONG_PROMPT, completion("ok", 700, 0, 5));
        gateway = Gateway.start(
                fixtures,
                new Pacing.TokensPerSecond(50, 0),
                Map.of("TOLLGATE_FIRST_BYTE_TIMEOUT_MS", "3000", "TOLLGATE_UPSTREAM_RETRIES", "0"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aCompletedAnswerIsBilledGroqsUsage() {
        Row row = send(UpstreamIT.HELLO);
        assertThat(row.answer.status()).isEqualTo(200);
        row.is(200, null, "groq").billed(74, 27);
    }

    @Test
    void cachedPromptTokensCostHalfTheInputPrice() {
        Row row = send(CACHED);
        row.is(200, null, "groq").billed(1000, 10);
        assertThat(row.json.get("cached_tokens").asLong()).isEqualTo(600);
        assertThat(row.costNanos()).isEqualTo(400 * 150 + 600 * 75 + 10 * 750);
    }

    @Test
    void aClientThatLeavesDuringAJsonAnswerIsStillBilledGroqsUsage() throws Exception {
        String requestId;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024); // before connecting: no window autotuning to swallow the answer
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.proxy.port()));
            send(socket, BIG_ANSWER);
            requestId = readHeaders(socket.getInputStream())
                    .replaceAll("(?s).*x-tollgate-request-id: (tg_[a-z0-9]+).*", "$1");
            socket.setSoLinger(true, 0); // a reset, with most of the answer unread
        }
        Row row = row(requestId, null);
        row.is(499, "client_disconnected", "groq").billed(80, 500_000);
    }

    @Test
    void aClientThatLeavesDuringAStreamIsBilledThePromptByTokenizerAndTheOutputRelayed() throws Exception {
        String requestId;
        try (Socket socket = new Socket("127.0.0.1", gateway.proxy.port())) {
            send(socket, SLOW_STREAM);
            InputStream in = socket.getInputStream();
            String head = readHeaders(in);
            requestId = head.replaceAll("(?s).*x-tollgate-request-id: (tg_[a-z0-9]+).*", "$1");
            byte[] some = new byte[600];
            assertThat(in.read(some)).isPositive();
        }
        Row row = row(requestId, null);
        row.is(499, "client_disconnected", "estimated");
        long prompt = row.json.get("prompt_tokens").asLong();
        assertThat(prompt)
                .as("Groq counted 91 for this prompt; bytes ÷ 3 would be %d", SLOW_STREAM.length() / 3)
                .isBetween(85L, 100L);
        assertThat(row.json.get("completion_tokens").asLong()).isLessThan(50); // Groq's whole answer is 50
        row.ledgerAgrees();
    }

    @Test
    void aClientThatLeavesBeforeTheFirstByteCancelsTheCallAndIsBilledThePrompt() throws Exception {
        gateway.mock.faults().arm(new Fault(0, 6_000, 0, false), 1);
        String body = LONG_PROMPT;
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", gateway.proxy.port())) {
            send(socket, body);
            Thread.sleep(1_300); // past the watch's arming (1 s), before Groq's first byte and the proxy's first-byte
            // timeout (3 s)
        }
        Row row = row(null, body);
        double seconds = (System.nanoTime() - start) / 1e9;
        row.is(499, "client_disconnected", "estimated");
        assertThat(row.json.get("completion_tokens").asLong()).isZero();
        assertThat(row.json.get("prompt_tokens").asLong())
                .as("counted (Groq would say about 700), not bytes ÷ 3 (%d)", body.length() / 3)
                .isBetween(600L, 800L);
        assertThat(seconds)
                .as("logged when the client left, not when Groq would have answered")
                .isLessThan(2.8);
        row.ledgerAgrees();
    }

    @Test
    void aSlowAnswerAndTheNextOneReachAPooledClient() {
        gateway.mock.faults().arm(new Fault(0, 1_500, 0, false), 1); // long enough for the watch to arm
        Row slow = send(UpstreamIT.HELLO);
        assertThat(slow.answer.status()).isEqualTo(200);
        assertThat(slow.answer.header("connection"))
                .as("the watch still waits on the connection: it closes after")
                .isEqualTo("close");
        slow.is(200, null, "groq").billed(74, 27);
        Row next = send(UpstreamIT.HELLO);
        assertThat(next.answer.status()).isEqualTo(200);
        assertThat(next.answer.header("connection")).isNull();
    }

    @Test
    void aRefusalBillsNothing() {
        Row row = send(
                "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"trigger a 429 rate limit\"}]}");
        assertThat(row.answer.status()).isEqualTo(429);
        row.is(429, "tokens", "none").billedNothing();
    }

    @Test
    void aGroqFailureBeforeAnyByteBillsNothing() {
        gateway.mock.faults().arm(new Fault(503, 0, 0, false), 1);
        Row row = send(UpstreamIT.HELLO);
        assertThat(row.answer.status()).isEqualTo(503);
        row.is(503, null, "none").billedNothing();
    }

    @Test
    void noFirstByteInTimeBillsNothing() {
        gateway.mock.faults().arm(new Fault(0, 5_000, 0, false), 1);
        Row row = send(UpstreamIT.HELLO);
        assertThat(row.answer.status()).isEqualTo(504);
        assertThat(row.answer.json().at("/error/code").asText()).isEqualTo("upstream_timeout");
        row.is(504, "upstream_error", "none").billedNothing();
    }

    @Test
    void aCutStreamIsAFailureBilledForWhatWasRelayed() {
        gateway.mock.faults().arm(new Fault(0, 0, 6, false), 1);
        Row row = send(SLOW_STREAM);
        assertThat(row.answer.status()).isEqualTo(200);
        assertThat(row.answer.body()).endsWith("event: error\ndata: " + errorJson("upstream_stream_error") + "\n\n");
        row.is(502, "upstream_error", "estimated");
        assertThat(row.json.get("error_code").asText()).isEqualTo("upstream_stream_error");
        assertThat(row.json.get("completion_tokens").asLong()).isBetween(1L, 6L);
        row.ledgerAgrees();
    }

    @Test
    void aMalformedEventEndsTheStreamWithAnErrorEventAndIsAFailure() {
        gateway.mock.faults().arm(new Fault(0, 0, 0, true), 1);
        Row row = send(SLOW_STREAM);
        assertThat(row.answer.body()).contains("upstream_malformed").doesNotContain("[DONE]");
        assertThat(row.answer.body().strip()).startsWith("data: {").endsWith("}");
        row.is(502, "upstream_error", null);
        assertThat(row.json.get("error_code").asText()).isEqualTo("upstream_malformed");
        row.ledgerAgrees();
    }

    @Test
    void anInBandErrorIsRecordedWithGroqsStatusTypeAndCode() {
        Row row = send(Json.compact(
                Json.parse(readFixture("errors/stream-error")).path("request").path("body")));
        assertThat(row.answer.body())
                .contains("event: error")
                .contains("tool_use_failed")
                .doesNotContain("[DONE]");
        row.is(400, "invalid_request_error", "estimated");
        assertThat(row.json.get("error_code").asText()).isEqualTo("tool_use_failed");
        row.ledgerAgrees();
    }

    @Test
    void aJsonAnswerThatIsNotACompletionIsA502AndBillsNothing() {
        Row row = send(NOT_A_COMPLETION);
        assertThat(row.answer.status()).isEqualTo(502);
        assertThat(row.answer.json().at("/error/code").asText()).isEqualTo("upstream_malformed");
        row.is(502, "upstream_error", "none").billedNothing();
    }

    @Test
    void aTruncatedJsonAnswerIsA502() {
        gateway.mock.faults().arm(new Fault(0, 0, 0, true), 1);
        Row row = send(UpstreamIT.HELLO);
        assertThat(row.answer.status()).isEqualTo(502);
        assertThat(row.answer.json().at("/error/code").asText()).isEqualTo("upstream_malformed");
        row.is(502, "upstream_error", "none").billedNothing();
    }

    // ---- helpers

    private static Row send(String body) {
        Http.Answer answer = Http.post(gateway.baseUrl() + "/v1/chat/completions", gateway.clientSecret, body);
        return row(answer.header("x-tollgate-request-id"), null).with(answer);
    }

    /** The row of {@code requestId} (or the newest whose request body is {@code body}), once the log has written it. */
    private static Row row(String requestId, String body) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Http.Answer page = null;
        while (System.nanoTime() < deadline) {
            page = Http.get(gateway.baseUrl() + "/admin/requests?order=desc&limit=20", Gateway.ADMIN_TOKEN);
            for (JsonNode r : page.json().get("data")) {
                if (requestId != null && requestId.equals(r.get("request_id").asText())) return new Row(r);
                if (requestId == null
                        && r.get("status").asInt() == 499
                        && r.get("endpoint").asText().equals("/v1/chat/completions")
                        && !r.get("stream").asBoolean()
                        && r.get("prompt_tokens").asLong() > 100) return new Row(r);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(
                "no request-log row for " + (requestId != null ? requestId : "the request") + " in " + page.body());
    }

    static final class Row {
        final JsonNode json;
        Http.Answer answer;

        Row(JsonNode json) {
            this.json = json;
        }

        Row with(Http.Answer answer) {
            this.answer = answer;
            return this;
        }

        Row is(int status, String errorType, String usageSource) {
            assertThat(json.get("status").asInt()).as(json.toString()).isEqualTo(status);
            if (errorType != null)
                assertThat(json.get("error_type").asText()).as(json.toString()).isEqualTo(errorType);
            if (usageSource != null)
                assertThat(json.get("usage_source").asText())
                        .as(json.toString())
                        .isEqualTo(usageSource);
            return this;
        }

        void billed(long prompt, long completion) {
            assertThat(json.get("prompt_tokens").asLong()).isEqualTo(prompt);
            assertThat(json.get("completion_tokens").asLong()).isEqualTo(completion);
            ledgerAgrees();
        }

        void billedNothing() {
            assertThat(json.get("prompt_tokens").isNull()).as(json.toString()).isTrue();
            assertThat(json.get("cost_usd").isNull()).as(json.toString()).isTrue();
        }

        long costNanos() {
            return json.get("cost_usd").decimalValue().movePointRight(9).longValueExact();
        }

        /** The key's total spend changed by exactly this row's cost (each test's request is the only one in flight). */
        void ledgerAgrees() {
            PeriodUsage total =
                    gateway.proxy.ledger().usage(gateway.clientKeyId, null).period(BudgetPeriod.TOTAL);
            assertThat(total.reservedRequests()).as("nothing left reserved").isZero();
            long rows = 0;
            for (JsonNode r : Http.get(
                            gateway.baseUrl() + "/admin/requests?limit=1000&key=" + gateway.clientKeyId,
                            Gateway.ADMIN_TOKEN)
                    .json()
                    .get("data")) {
                if (!r.get("cost_usd").isNull())
                    rows += r.get("cost_usd").decimalValue().movePointRight(9).longValueExact();
            }
            assertThat(total.costNanos())
                    .as("the ledger's spend equals the rows' costs")
                    .isEqualTo(rows);
        }
    }

    private static String errorJson(String code) {
        return "{\"error\":{\"message\":\"The upstream stream broke off before it finished.\",\"type\":\"upstream_error\",\"param\":null,\"code\":\""
                + code + "\"}}";
    }

    private static ObjectNode completion(String content, long prompt, long cached, long completion) {
        ObjectNode body = (ObjectNode)
                Json.parse("{\"id\":\"chatcmpl-billing\",\"object\":\"chat.completion\",\"created\":1760389847,"
                        + "\"model\":\"openai/gpt-oss-120b\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"logprobs\":null,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":{}}");
        ((ObjectNode) body.at("/choices/0/message")).put("content", content);
        ObjectNode usage = (ObjectNode) body.get("usage");
        usage.put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
        return body;
    }

    private static void writeFixture(String name, String request, JsonNode answer) throws Exception {
        ObjectNode fixture = Json.MAPPER.createObjectNode();
        fixture.putObject("request")
                .put("method", "POST")
                .put("path", "/v1/chat/completions")
                .set("body", Json.parse(request));
        ObjectNode response = fixture.putObject("response").put("status", 200);
        response.putObject("headers").put("content-type", "application/json").put("x-request-id", "req_" + name);
        response.set("body", answer);
        Files.writeString(fixtures.resolve("chat/" + name + ".json"), Json.compact(fixture));
    }

    private static String readFixture(String name) {
        try {
            return Files.readString(fixtures.resolve(name + ".json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void send(Socket socket, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + gateway.clientSecret + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
    }

    /** Reads up to the blank line after the headers, lower-casing their names. */
    private static String readHeaders(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        return head.toString().toLowerCase(java.util.Locale.ROOT);
    }
}
