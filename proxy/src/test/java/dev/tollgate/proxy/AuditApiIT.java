package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.AuditTables;
import dev.tollgate.proxy.keys.CreatedKey;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit API over HTTP, against rows made by real traffic: OpenAI SDK calls through the proxy to
 * the mock, from several threads, with two keys, successes and refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiIT {
    static final int PER_KEY = 40;

    final Gateway gateway = Gateway.start();
    String second;
    String secondId;
    final ConcurrentLinkedQueue<CompletionUsage> usages = new ConcurrentLinkedQueue<>();
    int rows;

    @BeforeAll
    void traffic() throws Exception {
        CreatedKey other = gateway.proxy.keys().create("second app", List.of(), null, null);
        second = other.secret();
        secondId = other.key().id();
        OpenAIClient first = gateway.client();
        OpenAIClient two = gateway.client(second);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            calls.add(pool.submit(() -> usages.add(
                    first.chat().completions().create(hello()).usage().orElseThrow())));
            calls.add(pool.submit(() -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                        two.chat().completions().createStreaming(streamed())) {
                    // OpenAI clients read usage from the usage-only chunk (no choices) at the end.
                    stream.stream()
                            .filter(chunk -> chunk.choices().isEmpty())
                            .forEach(chunk -> chunk.usage().ifPresent(usages::add));
                }
            }));
        }
        for (Future<?> call : calls) call.get();
        pool.shutdown();
        // Refusals and the models route are logged too.
        assertThat(Http.post(
                                gateway.baseUrl() + "/v1/chat/completions",
                                "sk-tg-wrong0000000000000000000000000000000000",
                                UpstreamIT.HELLO)
                        .status())
                .isEqualTo(401);
        assertThat(Http.call("GET", gateway.baseUrl() + "/v1/models", second, null)
                        .status())
                .isEqualTo(200);
        HttpResponse<String> formula = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                                .header("Authorization", "Bearer " + gateway.clientSecret)
                                .header("User-Agent", "=HYPERLINK(\"http://evil\")")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(formula.statusCode()).isEqualTo(200);
        rows = 2 * PER_KEY + 3;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (gateway.proxy.requestLog().written() < rows && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(gateway.proxy.requestLog().written()).isEqualTo(rows);
    }

    @org.junit.jupiter.api.AfterAll
    void close() {
        gateway.close();
    }

    static ChatCompletionCreateParams hello() {
        return ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .addUserMessage("Hello world!")
                .maxTokens(2000)
                .reasoningEffort(ReasoningEffort.LOW)
                .build();
    }

    static ChatCompletionCreateParams streamed() {
        return ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .addSystemMessage("You are a helpful, creative assistant.")
                .addUserMessage("Say hello in one short, imaginative sentence.")
                .maxTokens(2000)
                .temperature(0.9)
                .topP(0.8)
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
    }

    JsonNode admin(String pathAndQuery) {
        Http.Answer answer = Http.call("GET", gateway.baseUrl() + pathAndQuery, Gateway.ADMIN_TOKEN, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void usageTotalsEqualTheSumOfTheUsageInTheAnswers() {
        long prompt = usages.stream().mapToLong(CompletionUsage::promptTokens).sum();
        long completion =
                usages.stream().mapToLong(CompletionUsage::completionTokens).sum();
        assertThat(usages).hasSize(2 * PER_KEY);
        BigDecimal cost = BigDecimal.valueOf(prompt)
                .multiply(new BigDecimal("0.00000015"))
                .add(BigDecimal.valueOf(completion).multiply(new BigDecimal("0.00000075")));

        JsonNode report = admin("/admin/usage?group_by=key");
        JsonNode total = report.get("total");
        assertThat(total.get("requests").asLong()).isEqualTo(rows);
        assertThat(total.get("errors").asLong()).isEqualTo(1);
        assertThat(total.get("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(total.get("completion_tokens").asLong()).isEqualTo(completion);
        assertThat(total.get("cost_usd").decimalValue()).isEqualByComparingTo(cost);

        JsonNode byKey = report.get("data");
        JsonNode mine = find(byKey, "key_id", gateway.clientKeyId);
        JsonNode theirs = find(byKey, "key_id", secondId);
        assertThat(mine.get("key_name").asText()).isEqualTo("tests");
        assertThat(theirs.get("key_name").asText()).isEqualTo("second app");
        assertThat(mine.get("requests").asLong()).isEqualTo(PER_KEY + 1); // + the models call
        assertThat(theirs.get("requests").asLong()).isEqualTo(PER_KEY + 1);
        assertThat(mine.get("prompt_tokens").asLong()
                        + theirs.get("prompt_tokens").asLong())
                .isEqualTo(prompt);
        assertThat(find(byKey, "key_id", "").get("errors").asLong())
                .as("the bad key's 401 has no key")
                .isEqualTo(1);
        assertThat(mine.get("latency_p50_ms").isNumber()).isTrue();

        JsonNode byDay = admin("/admin/usage?group_by=day&from="
                + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&to=" + LocalDate.now(ZoneOffset.UTC));
        assertThat(byDay.get("data")).hasSize(1);
        assertThat(byDay.get("data").get(0).get("day").asText())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(admin("/admin/usage?group_by=day&from=2020-01-01&to=2020-01-31")
                        .get("data"))
                .isEmpty();
        JsonNode oneKey = admin("/admin/usage?key=" + secondId + "&group_by=model");
        assertThat(oneKey.get("data")).hasSize(2);
        assertThat(find(oneKey.get("data"), "model", "openai/gpt-oss-120b")
                        .get("requests")
                        .asLong())
                .isEqualTo(PER_KEY);
        assertThat(find(oneKey.get("data"), "model", "").get("requests").asLong())
                .as("the models list names no model")
                .isEqualTo(1);
    }

    @Test
    void theRawLogPagesThroughEveryRowOnceAndFilters() {
        Set<Long> seen = new HashSet<>();
        String after = "0";
        int pages = 0;
        while (true) {
            JsonNode page = admin("/admin/requests?limit=7&after=" + after);
            page.get("data")
                    .forEach(r -> assertThat(seen.add(r.get("id").asLong())).isTrue());
            pages++;
            if (!page.get("has_more").asBoolean()) break;
            after = page.get("next_after").asText();
        }
        assertThat(seen).hasSize(rows);
        assertThat(pages).isEqualTo((rows + 6) / 7);

        JsonNode newest = admin("/admin/requests?order=desc&limit=2");
        assertThat(newest.get("data").get(0).get("id").asLong())
                .isGreaterThan(newest.get("data").get(1).get("id").asLong());
        assertThat(newest.get("data").get(0).get("endpoint").asText()).isEqualTo("/v1/models");

        JsonNode refused = admin("/admin/requests?status=401");
        assertThat(refused.get("data")).hasSize(1);
        assertThat(refused.get("data").get(0).get("error_code").asText()).isEqualTo("invalid_api_key");
        JsonNode theirs = admin("/admin/requests?limit=1000&key=" + secondId);
        assertThat(theirs.get("data")).hasSize(PER_KEY + 1);
        theirs.get("data").forEach(r -> assertThat(r.get("key_name").asText()).isEqualTo("second app"));
        JsonNode streamRow = find(theirs.get("data"), "endpoint", "/v1/chat/completions");
        assertThat(streamRow.get("stream").asBoolean()).isTrue();
        assertThat(streamRow.get("usage_source").asText()).isEqualTo("groq");
        assertThat(streamRow.get("cost_usd").isNumber()).isTrue();
        assertThat(admin("/admin/requests?from=2020-01-01&to=2020-01-02").get("data"))
                .isEmpty();
        assertThat(admin("/admin/requests?model=gpt-4o").get("data")).isEmpty();
    }

    @Test
    void exportsHoldEveryMatchingRowAsCsvOrJson() throws Exception {
        Http.Answer csv =
                Http.call("GET", gateway.baseUrl() + "/admin/requests/export?format=csv", Gateway.ADMIN_TOKEN, null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("content-type")).startsWith("text/csv");
        assertThat(csv.header("content-disposition")).contains("requests.csv");
        List<CSVRecord> records = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv.body()))
                .getRecords();
        assertThat(records).hasSize(rows);
        assertThat(records.get(0).getParser().getHeaderNames()).isEqualTo(AuditTables.REQUEST_COLUMNS);
        assertThat(records).anySatisfy(r -> assertThat(r.get("user_agent")).isEqualTo("'=HYPERLINK(\"http://evil\")"));

        Http.Answer json = Http.call(
                "GET",
                gateway.baseUrl() + "/admin/requests/export?format=json&key=" + gateway.clientKeyId,
                Gateway.ADMIN_TOKEN,
                null);
        assertThat(json.header("content-disposition")).contains("requests.json");
        JsonNode array = Json.parse(json.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(PER_KEY + 1);

        Http.Answer usageCsv = Http.call(
                "GET", gateway.baseUrl() + "/admin/usage?group_by=day,key,model&format=csv", Gateway.ADMIN_TOKEN, null);
        List<CSVRecord> lines = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(usageCsv.body()))
                .getRecords();
        assertThat(lines.get(0).getParser().getHeaderNames()).isEqualTo(AuditTables.USAGE_COLUMNS);
        assertThat(lines.stream()
                        .mapToLong(l -> Long.parseLong(l.get("requests")))
                        .sum())
                .isEqualTo(rows);
    }

    @Test
    void badQueriesAreClearOpenAiErrors() {
        for (String[] bad : new String[][] {
            {"/admin/requests?limit=0", "limit"},
            {"/admin/requests?limit=5000", "limit"},
            {"/admin/requests?from=yesterday", "from"},
            {"/admin/requests?status=abc", "status"},
            {"/admin/requests?format=xml", "format"},
            {"/admin/requests?order=up", "order"},
            {"/admin/usage?group_by=week", "group_by"},
            {"/admin/usage?to=2026-13-01", "to"}
        }) {
            Http.Answer answer = Http.call("GET", gateway.baseUrl() + bad[0], Gateway.ADMIN_TOKEN, null);
            assertThat(answer.status()).as(bad[0]).isEqualTo(400);
            JsonNode error = answer.json().get("error");
            assertThat(error.get("param").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("message").asText()).contains(bad[1]);
        }
        assertThat(Http.call("GET", gateway.baseUrl() + "/admin/usage", null, null)
                        .status())
                .isEqualTo(401);
        assertThat(Http.call("GET", gateway.baseUrl() + "/admin/requests", gateway.clientSecret, null)
                        .status())
                .isEqualTo(401);
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) if (value.equals(item.path(field).asText(null))) return item;
        throw new AssertionError("no item with " + field + "=" + value + " in " + array);
    }
}
