package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.junit.MockGroqExtension;
import dev.tollgate.mock.synthetic.SchemaCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Synthetic mode through the official SDK: answers to anything, honouring tools and schemas, stable across calls. */
class SyntheticModeIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.synthetic();

    static final Map<String, Object> WEATHER_SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    "location", Map.of("type", "string", "minLength", 2),
                    "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")),
                    "days", Map.of("type", "integer", "minimum", 1, "maximum", 7)),
            "required",
            List.of("location", "unit", "days"),
            "additionalProperties",
            false);

    OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(groq.openAiBaseUrl())
                .apiKey("test")
                .maxRetries(0)
                .build();
    }

    @Test
    void answersAnyQuestionTheSameWayEveryTime() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .addUserMessage("What is the capital of Peru?")
                .build();
        ChatCompletion first = client.chat().completions().create(params);
        ChatCompletion second = client.chat().completions().create(params);
        assertThat(first.id()).isEqualTo(second.id()).startsWith("chatcmpl-");
        assertThat(first.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).contains("capital of Peru"));
        assertThat(first.choices().get(0).message()._additionalProperties()).containsKey("reasoning");
        var usage = first.usage().orElseThrow();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void requiredToolChoiceGetsArgumentsValidForTheFunctionSchema() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addUserMessage("Weather in Lima?")
                        .addTool(ChatCompletionFunctionTool.builder()
                                .function(FunctionDefinition.builder()
                                        .name("get_weather")
                                        .parameters(FunctionParameters.builder()
                                                .putAllAdditionalProperties(jsonValues(WEATHER_SCHEMA))
                                                .build())
                                        .build())
                                .build())
                        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                        .build());
        var call = completion
                .choices()
                .get(0)
                .message()
                .toolCalls()
                .orElseThrow()
                .get(0)
                .asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(SchemaCheck.errors(
                        Json.MAPPER.valueToTree(WEATHER_SCHEMA), call.function().arguments()))
                .isEmpty();
        assertThat(completion.choices().get(0).finishReason()).hasToString("tool_calls");
    }

    @Test
    void jsonSchemaContentIsValidForTheSchema() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addUserMessage("A forecast, please.")
                        .responseFormat(ResponseFormatJsonSchema.builder()
                                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                        .name("Forecast")
                                        .strict(true)
                                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                                .putAllAdditionalProperties(jsonValues(WEATHER_SCHEMA))
                                                .build())
                                        .build())
                                .build())
                        .build());
        String content = completion.choices().get(0).message().content().orElseThrow();
        assertThat(SchemaCheck.errors(Json.MAPPER.valueToTree(WEATHER_SCHEMA), content))
                .isEmpty();
    }

    @Test
    void streamedChunksAgreeWithTheUsage() {
        StringBuilder content = new StringBuilder();
        int[] contentChunks = {0};
        long[] completionTokens = {-1};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .addUserMessage("Tell me about streams.")
                        .putAdditionalBodyProperty("include_reasoning", JsonValue.from(false))
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices()
                        .forEach(c -> c.delta()
                                .content()
                                .filter(s -> !s.isEmpty())
                                .ifPresent(s -> {
                                    content.append(s);
                                    contentChunks[0]++;
                                }));
                chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens());
            });
        }
        assertThat(content.toString()).contains("Tell me about streams.");
        assertThat(completionTokens[0]).isEqualTo(contentChunks[0]);
    }

    @Test
    void refusesWhatGroqRefuses() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("gpt-4o")
                                .addUserMessage("hi")
                                .build()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("hi")
                                .n(2)
                                .build()))
                .isInstanceOfSatisfying(
                        BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("'n' : number must be at most 1"));
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .addUserMessage("hi")
                                .maxCompletionTokens(70_000)
                                .build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void fixturesStillWinOverSynthesis() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fixtures");
        TestFixtures.write(dir, "known", TestFixtures.chat("known question"), TestFixtures.answer("recorded answer"));
        try (MockServer server =
                MockServer.start(MockConfig.defaults().withFixtures(dir).withMode(MockConfig.Mode.SYNTHETIC))) {
            WireClient wire = new WireClient(server.baseUrl());
            JsonNode recorded = wire.post("/v1/chat/completions", TestFixtures.chatBody("known question", false))
                    .json();
            JsonNode generated = wire.post("/v1/chat/completions", TestFixtures.chatBody("unknown question", false))
                    .json();
            assertThat(recorded.at("/choices/0/message/content").asText()).isEqualTo("recorded answer");
            assertThat(generated.at("/choices/0/message/content").asText()).contains("unknown question");
            assertThat(server.journal().entries())
                    .extracting(Journal.Entry::fixture)
                    .containsExactly("known", "(synthetic)");
        }
    }

    private static Map<String, JsonValue> jsonValues(Map<String, Object> map) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, JsonValue.from(v)));
        return out;
    }
}
