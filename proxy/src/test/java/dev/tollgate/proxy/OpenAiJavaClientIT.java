package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.fixture.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** openai-java (the official SDK), its stream accumulator included, through the proxy and against the mock directly. */
class OpenAiJavaClientIT {
    static List<ClientTarget> targets;

    @BeforeAll
    static void start() {
        targets = ClientTarget.both();
    }

    @AfterAll
    static void stop() {
        targets.forEach(ClientTarget::close);
    }

    @BeforeEach
    void reset() {
        targets.forEach(ClientTarget::reset);
    }

    static List<ClientTarget> targets() {
        return targets;
    }

    static OpenAIClient client(ClientTarget target, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(target.v1())
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    static ChatCompletionCreateParams.Builder ask(String question) {
        return ChatCompletionCreateParams.builder()
                .model(ClientTarget.MODEL)
                .addUserMessage(question)
                .maxCompletionTokens(2000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void plain(ClientTarget target) {
        ChatCompletion completion = client(target, target.key())
                .chat()
                .completions()
                .create(ask("Hello there").build());
        assertThat(completion.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).isNotBlank());
        assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void streamAssembledByTheAccumulator(ClientTarget target) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        ChatCompletionCreateParams params = ask("Tell me a story")
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        Runnable assemble = () -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                    client(target, target.key()).chat().completions().createStreaming(params)) {
                stream.stream().forEach(accumulator::accumulate);
            }
        };
        if (!target.viaProxy()) {
            // Groq's finish chunk carries choices and a top-level usage; the accumulator refuses it (README: Clients in
            // Tollgate's own tests)
            assertThatThrownBy(assemble::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("choices");
            return;
        }
        assemble.run();
        ChatCompletion whole = accumulator.chatCompletion();
        assertThat(whole.choices().get(0).message().content())
                .hasValueSatisfying(c -> assertThat(c).isNotBlank());
        assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(whole.usage().orElseThrow().totalTokens())
                .as("from the one choices: [] chunk")
                .isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void streamWithoutUsageAsked(ClientTarget target) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        int[] usages = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client(target, target.key())
                .chat()
                .completions()
                .createStreaming(ask("Hi").build())) {
            stream.stream().forEach(chunk -> {
                if (chunk.usage().isPresent()) usages[0]++;
                if (target.viaProxy()) accumulator.accumulate(chunk);
            });
        }
        if (target.viaProxy()) {
            assertThat(usages[0]).as("no usage when not asked for").isZero();
            assertThat(accumulator.chatCompletion().usage()).isEmpty();
        } else {
            assertThat(usages[0])
                    .as("Groq's finish chunk has usage, asked or not")
                    .isEqualTo(1);
        }
    }

    static ChatCompletionFunctionTool addTool() {
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void toolCallAndRoundTrip(ClientTarget target) {
        OpenAIClient client = client(target, target.key());
        ChatCompletionCreateParams.Builder base =
                ask("Add 2 and 3 with the tool").addTool(addTool());
        ChatCompletion call = client.chat()
                .completions()
                .create(base.toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                        .build());
        ChatCompletionMessage message = call.choices().get(0).message();
        ChatCompletionMessageToolCall toolCall =
                message.toolCalls().orElseThrow().get(0);
        assertThat(toolCall.asFunction().function().name()).isEqualTo("add");
        assertThat(Json.parse(toolCall.asFunction().function().arguments())
                        .path("a")
                        .isInt())
                .isTrue();
        assertThat(call.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);

        ChatCompletionCreateParams followUp = ask("Add 2 and 3 with the tool")
                .addTool(addTool())
                .addMessage(message)
                .addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(toolCall.asFunction().id())
                        .content("5")
                        .build())
                .build();
        // openai-java echoes the message as it parsed it: through the proxy with the refusal: null the proxy added to
        // the
        // answer (removed again before Groq); Groq's own answer has none, so the echo is accepted directly too
        assertThat(EchoedHistory.roundTrip(
                        target,
                        () -> {
                            HttpResponseFor<ChatCompletion> answer = client.chat()
                                    .completions()
                                    .withRawResponse()
                                    .create(followUp);
                            assertThat(answer.parse().choices().get(0).message().content())
                                    .hasValueSatisfying(c -> assertThat(c).isNotBlank());
                            if (target.viaProxy()) {
                                assertThat(answer.headers().values("x-tollgate-request-changes"))
                                        .as("openai-java echoes refusal: null")
                                        .containsExactly("messages.1.refusal removed");
                            }
                        },
                        BadRequestException.class))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void structuredOutput(ClientTarget target) {
        ChatCompletion completion = client(target, target.key())
                .chat()
                .completions()
                .create(ask("Largest city in Mexico?")
                        .responseFormat(ResponseFormatJsonSchema.builder()
                                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                        .name("CityLocation")
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
        var answer = Json.parse(completion.choices().get(0).message().content().orElseThrow());
        assertThat(answer.path("city").isTextual()).isTrue();
        assertThat(answer.path("country").isTextual()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void reasoningEffort(ClientTarget target) {
        OpenAIClient client = client(target, target.key());
        String low = reasoning(client.chat()
                .completions()
                .create(ask("Why is the sky blue?")
                        .reasoningEffort(ReasoningEffort.LOW)
                        .build()));
        String high = reasoning(client.chat()
                .completions()
                .create(ask("Why is the sky blue?")
                        .reasoningEffort(ReasoningEffort.HIGH)
                        .build()));
        assertThat(low).isNotBlank();
        assertThat(high.length()).as("more reasoning with more effort").isGreaterThan(low.length());
        assertThat(target.lastSentToGroq().path("reasoning_effort").asText()).isEqualTo("high");
    }

    private static String reasoning(ChatCompletion completion) {
        return completion
                .choices()
                .get(0)
                .message()
                ._additionalProperties()
                .get("reasoning")
                .asString()
                .orElseThrow()
                .toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorsAreTheClientsOwnExceptions(ClientTarget target) {
        assertThatThrownBy(() -> client(target, target.refusedKey())
                        .chat()
                        .completions()
                        .create(ask("Hi").build()))
                .isInstanceOfSatisfying(
                        UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
        target.reset();
        // n > 1: the proxy refuses it (param "n"); Groq (the mock) too, naming it only in its message
        assertThatThrownBy(() -> client(target, target.key())
                        .chat()
                        .completions()
                        .create(ask("Hi").n(2).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining(target.viaProxy() ? "only n=1" : "'n' : number must be at most 1");
        target.rateLimited();
        assertThatThrownBy(() -> client(target, target.key())
                        .chat()
                        .completions()
                        .create(ask("Hi").build()))
                .isInstanceOfSatisfying(
                        RateLimitException.class, e -> assertThat(e.code()).hasValue("rate_limit_exceeded"));
    }
}
