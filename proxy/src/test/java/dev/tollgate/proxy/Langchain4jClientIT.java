package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.tollgate.fixture.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** LangChain4j's OpenAI chat models ({@code langchain4j-open-ai}), through the proxy and against the mock directly. */
class Langchain4jClientIT {
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
        return OpenAiChatModel.builder()
                .baseUrl(target.v1())
                .apiKey(key)
                .modelName(ClientTarget.MODEL)
                .maxCompletionTokens(2000)
                .maxRetries(0)
                .returnThinking(true)
                .sendThinking(true)
                .build();
    }

    static OpenAiChatModel model(ClientTarget target) {
        return model(target, target.key());
    }

    static ChatRequest.Builder ask(String question) {
        return ChatRequest.builder().messages(UserMessage.from(question));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void plain(ClientTarget target) {
        ChatResponse response = model(target).chat(ask("Hello there").build());
        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void streamed(ClientTarget target) throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(target.v1())
                .apiKey(target.key())
                .modelName(ClientTarget.MODEL)
                .maxCompletionTokens(2000)
                .returnThinking(true)
                .build();
        StringBuilder parts = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ask("Tell me a story").build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String part) {
                parts.append(part);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(10, TimeUnit.SECONDS);
        assertThat(parts.toString()).isNotBlank().isEqualTo(response.aiMessage().text());
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().totalTokenCount()).isPositive();
        assertThat(target.lastSentToGroq()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .as("LangChain4j asks for usage itself")
                .isTrue();
    }

    static ToolSpecification addTool() {
        return ToolSpecification.builder()
                .name("add")
                .description("Add two integers")
                .parameters(JsonObjectSchema.builder()
                        .addIntegerProperty("a")
                        .addIntegerProperty("b")
                        .required("a", "b")
                        .build())
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void toolCallAndRoundTrip(ClientTarget target) {
        OpenAiChatModel model = model(target);
        UserMessage question = UserMessage.from("Add 2 and 3 with the tool");
        ChatResponse call = model.chat(ChatRequest.builder()
                .messages(question)
                .toolSpecifications(addTool())
                .toolChoice(ToolChoice.REQUIRED)
                .build());
        AiMessage message = call.aiMessage();
        ToolExecutionRequest toolCall = message.toolExecutionRequests().get(0);
        assertThat(toolCall.name()).isEqualTo("add");
        assertThat(Json.parse(toolCall.arguments()).path("a").isInt()).isTrue();
        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);

        Runnable followUp = () -> {
            ChatResponse answer = model.chat(ChatRequest.builder()
                    .toolSpecifications(addTool())
                    .messages(question, message, ToolExecutionResultMessage.from(toolCall, "5"))
                    .build());
            assertThat(answer.aiMessage().text()).isNotBlank();
        };
        // LangChain4j's sendThinking(true) sends the thinking back as reasoning_content, which Groq refuses with a 400
        // (README: Clients in Tollgate's own tests); the proxy moves it to reasoning.
        assertThat(EchoedHistory.roundTrip(target, followUp, InvalidRequestException.class))
                .isEqualTo(target.viaProxy() ? Optional.empty() : Optional.of("reasoning_content"));
        if (target.viaProxy()) {
            assertThat(target.lastSentToGroq()
                            .path("messages")
                            .get(1)
                            .path("reasoning")
                            .asText())
                    .isEqualTo(message.thinking());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void thinkingSentBackAsReasoningIsAcceptedEverywhere(ClientTarget target) {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(target.v1())
                .apiKey(target.key())
                .modelName(ClientTarget.MODEL)
                .maxCompletionTokens(2000)
                .maxRetries(0)
                .returnThinking(true)
                .sendThinking(true, "reasoning")
                .build();
        UserMessage question = UserMessage.from("Hello there");
        AiMessage first =
                model.chat(ChatRequest.builder().messages(question).build()).aiMessage();
        ChatResponse second = model.chat(ChatRequest.builder()
                .messages(question, first, UserMessage.from("And again"))
                .build());
        assertThat(second.aiMessage().text()).isNotBlank();
        assertThat(target.lastSentToGroq()
                        .path("messages")
                        .get(1)
                        .path("reasoning")
                        .asText())
                .isEqualTo(first.thinking());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void structuredOutput(ClientTarget target) {
        JsonSchema schema = JsonSchema.builder()
                .name("CityLocation")
                .rootElement(JsonObjectSchema.builder()
                        .addStringProperty("city")
                        .addStringProperty("country")
                        .required("city", "country")
                        .build())
                .build();
        ChatResponse response = model(target)
                .chat(ask("Largest city in Mexico?")
                        .responseFormat(ResponseFormat.builder()
                                .type(ResponseFormatType.JSON)
                                .jsonSchema(schema)
                                .build())
                        .build());
        var answer = Json.parse(response.aiMessage().text());
        assertThat(answer.path("city").isTextual()).isTrue();
        assertThat(answer.path("country").isTextual()).isTrue();
        assertThat(target.lastSentToGroq().path("response_format").path("type").asText())
                .isEqualTo("json_schema");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void reasoningEffort(ClientTarget target) {
        ChatResponse response = model(target)
                .chat(ask("Why is the sky blue?")
                        .parameters(OpenAiChatRequestParameters.builder()
                                .reasoningEffort("high")
                                .build())
                        .build());
        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(target.lastSentToGroq().path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(response.aiMessage().thinking())
                .as("returnThinking reads Groq's reasoning")
                .isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorsAreTheClientsOwnExceptions(ClientTarget target) {
        assertThatThrownBy(
                        () -> model(target, target.refusedKey()).chat(ask("Hi").build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid_api_key");
        target.reset();
        // temperature 3: the proxy lets it through, Groq (the mock) refuses it, and its 400 reaches the client
        assertThatThrownBy(() -> model(target).chat(ask("Hi").temperature(3.0).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'temperature' : number must be at most 2");
        target.rateLimited();
        assertThatThrownBy(() -> model(target).chat(ask("Hi").build()))
                .isInstanceOf(RateLimitException.class)
                .hasMessageContaining("rate_limit_exceeded");
    }
}
