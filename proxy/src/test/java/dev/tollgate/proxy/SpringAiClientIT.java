package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.openai.api.ResponseFormat;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.retry.support.RetryTemplate;

/** Spring AI's OpenAI chat model ({@code spring-ai-openai}, built by hand, no Spring Boot), through the proxy and against the mock directly. */
class SpringAiClientIT {
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

    static OpenAiChatModel model(ClientTarget target, String key) {
        OpenAiApi api =
                OpenAiApi.builder().baseUrl(target.root()).apiKey(key).build(); // Spring AI adds /v1/chat/completions
        return OpenAiChatModel.builder()
                .openAiApi(api)
                .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
                .defaultOptions(options().build())
                .build();
    }

    static OpenAiChatModel model(ClientTarget target) {
        return model(target, target.key());
    }

    static OpenAiChatOptions.Builder options() {
        return OpenAiChatOptions.builder().model(ClientTarget.MODEL).maxCompletionTokens(2000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void plain(ClientTarget target) {
        ChatResponse response = model(target).call(new Prompt("Hello there"));
        assertThat(response.getResult().getOutput().getText()).isNotBlank();
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void streamed(ClientTarget target) {
        List<ChatResponse> chunks = model(target).stream(new Prompt(
                        "Tell me a story", options().streamUsage(true).build()))
                .collectList()
                .block(java.time.Duration.ofSeconds(10));
        String text = chunks.stream()
                .flatMap(c -> c.getResults().stream())
                .map(g -> g.getOutput().getText())
                .filter(t -> t != null)
                .reduce("", String::concat);
        assertThat(text).isNotBlank();
        assertThat(chunks)
                .anySatisfy(c ->
                        assertThat(c.getMetadata().getUsage().getTotalTokens()).isPositive());
        assertThat(target.lastSentToGroq()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .isTrue();
    }

    record Addends(int a, int b) {}

    static ToolCallback addTool() {
        return FunctionToolCallback.builder("add", (Addends x) -> x.a() + x.b())
                .description("Add two integers")
                .inputType(Addends.class)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void toolCall(ClientTarget target) {
        ChatResponse response = model(target)
                .call(new Prompt(
                        "Add 2 and 3 with the tool",
                        options()
                                .toolCallbacks(addTool())
                                .internalToolExecutionEnabled(false)
                                .toolChoice("required")
                                .build()));
        AssistantMessage.ToolCall call =
                response.getResult().getOutput().getToolCalls().get(0);
        assertThat(call.name()).isEqualTo("add");
        assertThat(Json.parse(call.arguments()).path("a").isInt()).isTrue();
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void roundTripRunsTheToolAndSendsItsOwnHistoryBack(ClientTarget target) {
        // Spring AI runs the tool itself and sends back only role and tool_calls of its assistant message: nothing to
        // clean
        Optional<String> refused = EchoedHistory.roundTrip(
                target,
                () -> {
                    ChatResponse answer = model(target)
                            .call(new Prompt(
                                    "Add 2 and 3 with the tool",
                                    options().toolCallbacks(addTool()).build()));
                    assertThat(answer.getResult().getOutput().getText()).isNotBlank();
                },
                NonTransientAiException.class);
        assertThat(refused).isEmpty();
        List<JsonNode> sent = target.sentToGroq();
        JsonNode call = sent.get(0).path("messages"), followUp = sent.get(1).path("messages");
        assertThat(sent).hasSize(2);
        assertThat(followUp).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "tool");
        JsonNode args = Json.parse(followUp.get(1)
                .path("tool_calls")
                .get(0)
                .path("function")
                .path("arguments")
                .asText());
        assertThat(followUp.get(2).path("content").asText())
                .isEqualTo(
                        String.valueOf(args.path("a").asInt() + args.path("b").asInt()));
        assertThat(followUp.get(2).path("tool_call_id").asText())
                .isEqualTo(followUp.get(1).path("tool_calls").get(0).path("id").asText());
        assertThat(call).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void structuredOutput(ClientTarget target) {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "properties",
                Map.of("city", Map.of("type", "string"), "country", Map.of("type", "string")),
                "required",
                List.of("city", "country"),
                "additionalProperties",
                false);
        ResponseFormat format = ResponseFormat.builder()
                .type(ResponseFormat.Type.JSON_SCHEMA)
                .jsonSchema(ResponseFormat.JsonSchema.builder()
                        .name("CityLocation")
                        .schema(schema)
                        .strict(true)
                        .build())
                .build();
        ChatResponse response = model(target)
                .call(new Prompt(
                        "Largest city in Mexico?",
                        options().responseFormat(format).build()));
        JsonNode answer = Json.parse(response.getResult().getOutput().getText());
        assertThat(answer.path("city").isTextual()).isTrue();
        assertThat(answer.path("country").isTextual()).isTrue();
        assertThat(target.lastSentToGroq().path("response_format").path("type").asText())
                .isEqualTo("json_schema");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void reasoningEffort(ClientTarget target) {
        ChatResponse response = model(target)
                .call(new Prompt(
                        "Why is the sky blue?",
                        options().reasoningEffort("high").build()));
        assertThat(response.getResult().getOutput().getText()).isNotBlank();
        assertThat(target.lastSentToGroq().path("reasoning_effort").asText()).isEqualTo("high");
        // Spring AI reads only reasoning_content: Groq's reasoning is dropped, the client cannot see it (README:
        // Clients in Tollgate's own tests)
        assertThat(response.getResult().getOutput().getMetadata()).doesNotContainKey("reasoningContent");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorsAreTheClientsOwnExceptions(ClientTarget target) {
        assertThatThrownBy(() -> model(target, target.refusedKey()).call(new Prompt("Hi")))
                .isInstanceOf(NonTransientAiException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("invalid_api_key");
        target.reset();
        // temperature 3: the proxy lets it through, Groq (the mock) refuses it, and its 400 reaches the client
        assertThatThrownBy(() -> model(target)
                        .call(new Prompt("Hi", options().temperature(3.0).build())))
                .isInstanceOf(NonTransientAiException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("'temperature' : number must be at most 2");
        target.rateLimited();
        assertThatThrownBy(() -> model(target).call(new Prompt("Hi")))
                .isInstanceOf(NonTransientAiException.class)
                .hasMessageContaining("429")
                .hasMessageContaining("rate_limit_exceeded");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aRateLimitIsNotRetriedByItsDefaultRetryTemplate(ClientTarget target) {
        // its default error handler makes every 4xx non-transient, and the default template retries only transient ones
        OpenAiApi api =
                OpenAiApi.builder().baseUrl(target.root()).apiKey(target.key()).build();
        OpenAiChatModel withDefaults = OpenAiChatModel.builder()
                .openAiApi(api)
                .defaultOptions(options().build())
                .build();
        target.rateLimited();
        assertThatThrownBy(() -> withDefaults.call(new Prompt("Hi"))).isInstanceOf(NonTransientAiException.class);
        assertThat(target.sentToGroq())
                .as(target.viaProxy() ? "the proxy does not retry a 429 either" : "one attempt")
                .hasSize(1);
    }
}
