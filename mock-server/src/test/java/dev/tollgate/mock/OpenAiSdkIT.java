package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
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
import dev.tollgate.mock.junit.MockGroqExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK against the mock serving the default fixtures, as a user's test suite would use it. */
class OpenAiSdkIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.withFixtures(TestFixtures.defaultFixtures());

    OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(groq.openAiBaseUrl())
                .apiKey("gsk_test")
                .maxRetries(0)
                .build();
    }

    @Test
    void plainAnswerWithReasoning() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addUserMessage("Hello world!")
                        .maxTokens(2000)
                        .reasoningEffort(ReasoningEffort.LOW)
                        .seed(42)
                        .temperature(0.0)
                        .build());
        assertThat(completion.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).startsWith("Hello, world!"));
        assertThat(completion
                        .choices()
                        .get(0)
                        .message()
                        ._additionalProperties()
                        .get("reasoning")
                        .asString())
                .hasValue("We just respond.");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(101);
        assertThat(completion._additionalProperties()).containsKey("x_groq");
    }

    @Test
    void streamedAnswerWithReasoningAndUsage() {
        StringBuilder content = new StringBuilder(), reasoning = new StringBuilder();
        long[] usage = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addSystemMessage("You are a helpful, creative assistant.")
                        .addUserMessage("Say hello in one short, imaginative sentence.")
                        .maxTokens(2000)
                        .temperature(0.9)
                        .topP(0.8)
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(content::append);
                    JsonValue r = c.delta()._additionalProperties().get("reasoning");
                    if (r != null) r.asString().ifPresent(reasoning::append);
                });
                chunk.usage().ifPresent(u -> usage[0] = u.totalTokens());
            });
        }
        assertThat(content.toString()).isNotBlank();
        assertThat(reasoning.toString()).isNotBlank();
        assertThat(usage[0]).isPositive();
        assertThat(groq.server().journal().entries().get(0).fixture()).isEqualTo("chat/streaming-reasoning");
    }

    @Test
    void toolCallThenToolRoundTrip() {
        ChatCompletionCreateParams first = roundTripBase()
                .addTool(addTool())
                .toolChoice(ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder()
                                .name("add")
                                .build())
                        .build()))
                .build();
        ChatCompletion call = client.chat().completions().create(first);
        ChatCompletionMessageToolCall toolCall =
                call.choices().get(0).message().toolCalls().orElseThrow().get(0);
        assertThat(toolCall.asFunction().function().name()).isEqualTo("add");
        assertThat(Json.parse(toolCall.asFunction().function().arguments())
                        .path("a")
                        .asInt())
                .isEqualTo(2);
        assertThat(call.choices().get(0).finishReason()).hasToString("tool_calls");

        ChatCompletion answer = client.chat()
                .completions()
                .create(roundTripBase()
                        .addMessage(call.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(toolCall.asFunction().id())
                                .content("5")
                                .build())
                        .build());
        assertThat(answer.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).contains("sum=5"));
    }

    private ChatCompletionCreateParams.Builder roundTripBase() {
        return ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .maxTokens(3276)
                .seed(42)
                .temperature(0.0)
                .addUserMessage(
                        "Use the add tool to compute 2 + 3. After the tool result arrives, respond with 'sum=<value>'.");
    }

    /** The recorded client sent the tool definition only with the first request. */
    private static ChatCompletionFunctionTool addTool() {
        return ChatCompletionFunctionTool.builder()
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
    }

    @Test
    void jsonSchemaStructuredOutput() {
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
        var city = Json.parse(completion.choices().get(0).message().content().orElseThrow());
        assertThat(city.path("city").asText()).isEqualTo("Mexico City");
        assertThat(city.path("country").asText()).isEqualTo("Mexico");
    }

    @Test
    void jsonObjectOutput() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .n(1)
                        .addSystemMessage(
                                "Always respond with a JSON object that's compatible with this schema:\n\n{\"properties\": {\"city\": {\"type\": \"string\"}, \"country\": {\"type\": \"string\"}}, \"required\": [\"city\", \"country\"], \"title\": \"CityLocation\", \"type\": \"object\"}\n\nDon't include any text or Markdown fencing before or after.")
                        .addUserMessage("What is the largest city in Mexico?")
                        .responseFormat(ResponseFormatJsonObject.builder().build())
                        .build());
        assertThat(Json.parse(completion.choices().get(0).message().content().orElseThrow())
                        .has("city"))
                .isTrue();
    }

    @Test
    void modelsListAndRetrieve() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("openai/gpt-oss-120b");
        Model model = client.models().retrieve("openai/gpt-oss-120b");
        assertThat(model._additionalProperties().get("context_window").toString())
                .isEqualTo("131072");
    }

    @Test
    void errorsSurfaceAsTheSdksExceptions() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("gemma2-9b-it")
                                .addUserMessage("Hello world!")
                                .maxTokens(50)
                                .seed(42)
                                .temperature(0.0)
                                .build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                });
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("non-existent")
                                .addUserMessage("hello")
                                .n(1)
                                .build()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("llama3-70b-8192")
                                .addUserMessage("Hello world!")
                                .maxTokens(50)
                                .seed(42)
                                .temperature(0.0)
                                .build()))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.code()).hasValue("model_decommissioned"));
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("trigger a 429 rate limit")
                                .build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("retry-after")).isNotEmpty();
                    assertThat(e.headers().values("x-ratelimit-remaining-tokens"))
                            .isNotEmpty();
                });
    }

    @Test
    void unmatchedRequestExplainsItself() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("Hello world?")
                                .maxTokens(2000)
                                .build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).hasValue("no_fixture_match");
                    assertThat(e.getMessage()).contains("chat/basic-reasoning").contains("messages.0.content");
                });
    }
}
