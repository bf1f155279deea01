package dev.tollgate.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ToolChoiceOptions;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.junit.MockGroqExtension;
import dev.tollgate.mock.synthetic.SchemaCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Synthetic mode's Responses API, over HTTP: through openai-java's responses client, and on the wire. */
class SyntheticResponsesIT {
    @RegisterExtension
    static MockGroqExtension groq = MockGroqExtension.synthetic();

    static final String WEATHER_TOOL = """
            {"type":"function","name":"get_weather","description":"Current weather",
             "parameters":{"type":"object","properties":{"city":{"type":"string","minLength":2}},"required":["city"],"additionalProperties":false}}""";

    OpenAIClient client;
    WireClient wire;

    @BeforeEach
    void clients() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(groq.openAiBaseUrl())
                .apiKey("test")
                .maxRetries(0)
                .build();
        wire = new WireClient(groq.baseUrl());
    }

    @Test
    void answersWithAReasoningItemAndAMessageTheSdkReads() {
        ResponseCreateParams params = ResponseCreateParams.builder()
                .model("openai/gpt-oss-120b")
                .input("What is the capital of Peru?")
                .build();
        Response response = client.responses().create(params);
        assertThat(response.id())
                .startsWith("resp_")
                .isEqualTo(client.responses().create(params).id());
        List<ResponseOutputItem> output = response.output();
        assertThat(output).hasSize(2);
        assertThat(output.get(0).isReasoning()).isTrue();
        assertThat(output.get(0).asReasoning().content().orElseThrow().get(0).text())
                .contains("capital of Peru");
        var text = output.get(1).asMessage().content().get(0).asOutputText().text();
        assertThat(text).contains("capital of Peru");
        var usage = response.usage().orElseThrow();
        assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
        assertThat(usage.outputTokensDetails().reasoningTokens()).isPositive().isLessThan(usage.outputTokens());
    }

    @Test
    void requiredToolChoiceGetsAFunctionCallWithArgumentsValidForItsSchema() {
        Response response = client.responses()
                .create(ResponseCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .input("Weather in Lima?")
                        .toolChoice(ToolChoiceOptions.REQUIRED)
                        .addTool(Json.MAPPER.convertValue(Json.parse(WEATHER_TOOL), FunctionTool.class))
                        .build());
        var call = response.output().stream()
                .filter(ResponseOutputItem::isFunctionCall)
                .findFirst()
                .orElseThrow()
                .asFunctionCall();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).startsWith("fc_");
        JsonNode schema = Json.parse(WEATHER_TOOL).path("parameters");
        assertThat(SchemaCheck.errors(schema, call.arguments())).isEmpty();
        assertThat(response.output()).noneMatch(ResponseOutputItem::isMessage);
    }

    @Test
    void aFunctionCallOutputInTheInputGetsTextBack() {
        JsonNode body = wire.post("/v1/responses", """
                {"model":"openai/gpt-oss-120b","tools":[%s],"input":[
                  {"role":"user","content":"Weather in Lima?"},
                  {"type":"function_call","call_id":"fc_1","name":"get_weather","arguments":"{\\"city\\":\\"Lima\\"}"},
                  {"type":"function_call_output","call_id":"fc_1","output":"18 degrees, cloudy"}]}""".formatted(WEATHER_TOOL)).json();
        JsonNode message = body.path("output").path(1);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").path(0).path("text").asText()).contains("18 degrees, cloudy");
    }

    @Test
    void streamsEveryEventInOrderWithSequenceNumbersAndTheSdkAssemblesTheText() {
        String body = """
                {"model":"openai/gpt-oss-120b","input":"Say hi.","stream":true,"reasoning":{"effort":"low"}}""";
        WireClient.StreamReply reply = wire.stream("/v1/responses", body);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).startsWith("text/event-stream");
        List<SseEvent> events = reply.events();
        List<String> types = events.stream().map(SseEvent::event).distinct().toList();
        assertThat(types)
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.reasoning_text.delta",
                        "response.reasoning_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.completed");
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = Json.parse(events.get(i).data());
            assertThat(data.path("type").asText()).isEqualTo(events.get(i).event());
            assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = Json.parse(events.getLast().data()).path("response");
        StringBuilder deltas = new StringBuilder();
        events.stream()
                .filter(e -> e.event().equals("response.output_text.delta"))
                .forEach(e -> deltas.append(Json.parse(e.data()).path("delta").asText()));
        assertThat(deltas.toString())
                .isEqualTo(completed
                        .path("output")
                        .path(1)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText());
        assertThat(completed.path("usage").path("output_tokens").asInt())
                .as("one delta per counted token")
                .isEqualTo(events.stream()
                        .filter(e -> e.event().endsWith("_text.delta"))
                        .count());
        assertThat(completed)
                .isEqualTo(wire.post("/v1/responses", body.replace("\"stream\":true", "\"stream\":false"))
                        .json());

        List<String> sdkTypes = new ArrayList<>();
        StringBuilder sdkText = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses()
                .createStreaming(ResponseCreateParams.builder()
                        .model("openai/gpt-oss-120b")
                        .input("Say hi.")
                        .build())) {
            stream.stream().forEach(e -> {
                e.outputTextDelta().ifPresent(d -> sdkText.append(d.delta()));
                e.completed().ifPresent(c -> sdkTypes.add("completed"));
            });
        }
        assertThat(sdkText.toString()).contains("Say hi.");
        assertThat(sdkTypes).containsExactly("completed");
    }

    @Test
    void aStreamedFunctionCallComesWholeInOneArgumentsDelta() {
        List<SseEvent> events =
                wire.stream("/v1/responses", """
                {"model":"openai/gpt-oss-120b","input":"Weather in Lima?","stream":true,"tool_choice":"required","tools":[%s]}""".formatted(WEATHER_TOOL)).events();
        List<SseEvent> deltas = events.stream()
                .filter(e -> e.event().equals("response.function_call_arguments.delta"))
                .toList();
        assertThat(deltas).hasSize(1);
        JsonNode done = Json.parse(events.stream()
                .filter(e -> e.event().equals("response.function_call_arguments.done"))
                .findFirst()
                .orElseThrow()
                .data());
        assertThat(done.path("name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(deltas.get(0).data()).path("delta").asText())
                .isEqualTo(done.path("arguments").asText());
        JsonNode added = Json.parse(events.stream()
                .filter(e -> e.event().equals("response.output_item.added"))
                .toList()
                .getLast()
                .data());
        assertThat(added.path("item").path("type").asText()).isEqualTo("function_call");
        assertThat(added.path("item").path("arguments").asText()).isEmpty();
    }

    @Test
    void refusesWhatGroqsBetaLacksInGroqsErrorShape() {
        WireClient.Reply previous = wire.post("/v1/responses", """
                {"model":"openai/gpt-oss-120b","input":"And then?","previous_response_id":"resp_01k3hgcytaf7vawfkph3pef9qk"}""");
        assertThat(previous.status()).isEqualTo(400);
        assertThat(previous.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(previous.json().path("error").path("param").asText()).isEqualTo("previous_response_id");
        WireClient.Reply store = wire.post("/v1/responses", """
                {"model":"openai/gpt-oss-120b","input":"Hi","store":true}""");
        assertThat(store.status()).isEqualTo(400);
        assertThat(store.json().path("error").path("param").asText()).isEqualTo("store");
        assertThat(wire.post("/v1/responses", """
                {"model":"openai/gpt-oss-120b","input":"Hi","store":false}""").status()).isEqualTo(200);
        assertThatThrownBy(() -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model("openai/gpt-oss-120b")
                                .input("Hi")
                                .previousResponseId("resp_x")
                                .build()))
                .isInstanceOf(BadRequestException.class);
        WireClient.Reply model = wire.post("/v1/responses", """
                {"model":"no-such-model","input":"Hi"}""");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.json().path("error").path("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void anUnansweredPathSaysWhatSyntheticModeAnswersInsteadOfSuggestingIt() {
        WireClient.Reply reply = wire.post("/v1/embeddings", """
                {"model":"openai/gpt-oss-120b","input":"Hi"}""");
        assertThat(reply.status()).isEqualTo(404);
        String message = reply.json().path("error").path("message").asText();
        assertThat(message)
                .doesNotContain("start the mock with --mode synthetic")
                .contains("/v1/responses");
    }
}
