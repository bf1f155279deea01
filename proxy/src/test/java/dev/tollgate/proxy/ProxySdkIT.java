package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK pointed at the proxy, which forwards to the mock server standing in for Groq. */
class ProxySdkIT {
    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass();

    OpenAIClient client;

    @BeforeEach
    void client() {
        client = gateways.get().client();
    }

    static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .addUserMessage("Hello world!")
                .maxTokens(2000)
                .reasoningEffort(ReasoningEffort.LOW)
                .seed(42)
                .temperature(0.0);
    }

    @Test
    void plainAnswerWithReasoning() {
        ChatCompletion completion = client.chat().completions().create(hello().build());
        var message = completion.choices().get(0).message();
        assertThat(message.content()).hasValueSatisfying(c -> assertThat(c).startsWith("Hello, world!"));
        assertThat(message._additionalProperties().get("reasoning").asString()).hasValue("We just respond.");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(101);
        Journal.Entry upstream = gateways.get().mock.journal().entries().get(0);
        assertThat(upstream.fixture()).isEqualTo("chat/basic-reasoning");
        assertThat(upstream.apiKey()).as("the proxy uses its own Groq key").isEqualTo("gsk_…1111");
    }

    @Test
    void aliasesReachGroqAsTheUpstreamModel() {
        client.chat().completions().create(hello().model("gpt-4o").build());
        client.chat().completions().create(hello().model("gpt-oss-120b").build());
        assertThat(gateways.get().mock.journal().entries())
                .extracting(e -> e.body().path("model").asText())
                .containsExactly("openai/gpt-oss-120b", "openai/gpt-oss-120b");
    }

    @Test
    void streamedAnswerWithReasoningAndUsage() {
        StringBuilder content = new StringBuilder(), reasoning = new StringBuilder();
        List<Long> usages = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(streaming(true))) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(content::append);
                    JsonValue r = c.delta()._additionalProperties().get("reasoning");
                    if (r != null) r.asString().ifPresent(reasoning::append);
                });
                if (chunk.choices().isEmpty()) chunk.usage().ifPresent(u -> usages.add(u.totalTokens()));
            });
        }
        assertThat(content.toString()).isNotBlank();
        assertThat(reasoning.toString()).isNotBlank();
        assertThat(usages).as("one usage-only chunk, as asked").hasSize(1);
    }

    @Test
    void streamWithoutIncludeUsageStillAsksGroqButHidesTheUsageChunk() {
        int[] usageOnly = {0};
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(streaming(false))) {
            stream.stream().forEach(chunk -> {
                if (chunk.choices().isEmpty()) usageOnly[0]++;
            });
        }
        assertThat(usageOnly[0]).isZero();
        JsonNode sent = gateways.get().mock.journal().entries().get(0).body();
        assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    private static ChatCompletionCreateParams streaming(boolean includeUsage) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .addSystemMessage("You are a helpful, creative assistant.")
                .addUserMessage("Say hello in one short, imaginative sentence.")
                .maxTokens(2000)
                .temperature(0.9)
                .topP(0.8);
        if (includeUsage)
            b.streamOptions(
                    ChatCompletionStreamOptions.builder().includeUsage(true).build());
        return b.build();
    }

    @Test
    void toolRoundTrip() {
        ChatCompletionFunctionTool add = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("add")
                        .description("Add two integers")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties",
                                        JsonValue.from(
                                                Map.of("a", Map.of("type", "integer"), "b", Map.of("type", "integer"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("a", "b")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .build())
                        .build())
                .build();
        ChatCompletion call = client.chat()
                .completions()
                .create(roundTrip()
                        .addTool(add)
                        .toolChoice(
                                ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                                        .function(ChatCompletionNamedToolChoice.Function.builder()
                                                .name("add")
                                                .build())
                                        .build()))
                        .build());
        ChatCompletionMessageToolCall toolCall =
                call.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertThat(toolCall.asFunction().function().name()).isEqualTo("add");
        ChatCompletion answer = client.chat()
                .completions()
                .create(roundTrip()
                        .addMessage(call.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(toolCall.asFunction().id())
                                .content("5")
                                .build())
                        .build());
        assertThat(answer.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).contains("sum=5"));
    }

    private static ChatCompletionCreateParams.Builder roundTrip() {
        return ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .maxTokens(3276)
                .seed(42)
                .temperature(0.0)
                .addUserMessage(
                        "Use the add tool to compute 2 + 3. After the tool result arrives, respond with 'sum=<value>'.");
    }

    @Test
    void jsonSchemaOutput() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addUserMessage("What is the largest city in Mexico?")
                        .n(1)
                        .responseFormat(ResponseFormatJsonSchema.builder()
                                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                        .name("CityLocation")
                                        .description("A city and its country.")
                                        .strict(true)
                                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                                .putAdditionalProperty("type", JsonValue.from("object"))
                                                .putAdditionalProperty(
                                                        "properties",
                                                        JsonValue.from(Map.of(
                                                                "city",
                                                                Map.of("type", "string"),
                                                                "country",
                                                                Map.of("type", "string"))))
                                                .putAdditionalProperty(
                                                        "required", JsonValue.from(List.of("city", "country")))
                                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                                .build())
                                        .build())
                                .build())
                        .build());
        assertThat(Json.parse(completion.choices().get(0).message().content().orElseThrow())
                        .path("city")
                        .asText())
                .isEqualTo("Mexico City");
    }

    @Test
    void modelsListWhatTheKeyMayUse() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("openai/gpt-oss-120b", "gpt-oss-120b", "gpt-4o");
        Model model = client.models().retrieve("openai/gpt-oss-120b");
        assertThat(model._additionalProperties().get("context_window").toString())
                .isEqualTo("131072");
        assertThat(gateways.get().mock.journal().entries())
                .as("answered locally")
                .isEmpty();
    }

    @Test
    void badKeyIs401AndNeverReachesGroq() {
        assertThatThrownBy(() -> gateways.get()
                        .client("sk-tg-notARealKey0000000000000000000000000000")
                        .chat()
                        .completions()
                        .create(hello().build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.code()).hasValue("invalid_api_key");
                    assertThat(e.getMessage()).doesNotContain("notARealKey0000000000000000000000000000");
                });
        assertThat(gateways.get().mock.journal().entries()).isEmpty();
    }

    @Test
    void unknownModelIs404WithoutSpendingUpstream() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(hello().model("llama-9000").build()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThat(gateways.get().mock.journal().entries()).isEmpty();
    }

    @Test
    void groqs429IsPassedOnWithItsHeaders() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("trigger a 429 rate limit")
                                .build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.code()).hasValue("rate_limit_exceeded");
                    assertThat(e.headers().values("retry-after")).isNotEmpty();
                    assertThat(e.headers().values("x-groq-ratelimit-remaining-tokens"))
                            .as("Groq's own limits, under their own prefix")
                            .isNotEmpty();
                    assertThat(e.headers().values("x-tollgate-limit")).containsExactly("groq");
                });
    }
}
