package dev.tollgate.mock.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import org.junit.jupiter.api.Test;

class SyntheticToolsAndFormatsTest {
    private static final String WEATHER = """
            {"type":"object","additionalProperties":false,"required":["location","unit","days"],
             "properties":{"location":{"type":"string","description":"City and country"},
                           "unit":{"type":"string","enum":["celsius","fahrenheit"]},
                           "days":{"type":"integer","minimum":1,"maximum":7}}}""";
    private static final String JOKE = """
            {"type":"object","properties":{"topic":{"type":"string"},"tags":{"type":"array","items":{"type":"string"},"minItems":2}}}""";
    private final SyntheticAnswers answers = new SyntheticAnswers();

    private static ObjectNode withTools(Object toolChoice) {
        ObjectNode body = SyntheticAnswersTest.chat("What's the weather like in Paris?");
        ArrayNode tools = body.putArray("tools");
        tools.addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", "get_weather")
                .set("parameters", Json.parse(WEATHER));
        tools.addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", "tell_joke")
                .set("parameters", Json.parse(JOKE));
        if (toolChoice instanceof String s) body.put("tool_choice", s);
        else if (toolChoice instanceof JsonNode n) body.set("tool_choice", n);
        return body;
    }

    @Test
    void requiredCallsTheFirstFunctionWithValidArguments() {
        JsonNode answer = answers.answer(withTools("required"));
        JsonNode message = answer.at("/choices/0/message");
        JsonNode call = message.path("tool_calls").get(0);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(SyntheticAnswersTest.keys(message)).containsExactly("role", "reasoning", "tool_calls");
        assertThat(SyntheticAnswersTest.keys(call)).containsExactly("id", "type", "function");
        assertThat(call.path("id").asText())
                .matches("fc_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        String arguments = call.at("/function/arguments").asText();
        assertThat(SchemaCheck.errors(Json.parse(WEATHER), arguments)).isEmpty();
        assertThat(answer.at("/usage/completion_tokens").asInt())
                .isEqualTo(
                        SyntheticAnswers.countTokens(message.path("reasoning").asText())
                                + SyntheticAnswers.countTokens("get_weather")
                                + SyntheticAnswers.countTokens(arguments));
    }

    @Test
    void aNamedFunctionIsTheOneCalled() {
        JsonNode choice = Json.parse("{\"type\":\"function\",\"function\":{\"name\":\"tell_joke\"}}");
        JsonNode call = answers.answer(withTools(choice)).at("/choices/0/message/tool_calls/0");

        assertThat(call.at("/function/name").asText()).isEqualTo("tell_joke");
        assertThat(SchemaCheck.errors(
                        Json.parse(JOKE), call.at("/function/arguments").asText()))
                .isEmpty();
    }

    @Test
    void autoCallsOnTheUsersTurnAndNoneNever() {
        assertThat(answers.answer(withTools(null))
                        .at("/choices/0/finish_reason")
                        .asText())
                .isEqualTo("tool_calls");
        assertThat(answers.answer(withTools("auto"))
                        .at("/choices/0/finish_reason")
                        .asText())
                .isEqualTo("tool_calls");
        JsonNode none = answers.answer(withTools("none"));
        assertThat(none.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(none.at("/choices/0/message/content").asText()).startsWith("Synthetic answer to:");
        assertThat(none.at("/choices/0/message").has("tool_calls")).isFalse();
    }

    @Test
    void aToolRoundTripEndsInTextAboutTheResult() {
        ObjectNode first = withTools("auto");
        JsonNode call = answers.answer(first).at("/choices/0/message/tool_calls/0");
        ObjectNode second = first.deepCopy();
        ArrayNode messages = (ArrayNode) second.path("messages");
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putArray("tool_calls").add(call.deepCopy());
        messages.addObject()
                .put("role", "tool")
                .put("tool_call_id", call.path("id").asText())
                .put("content", "{\"temperature\":21,\"unit\":\"celsius\"}");

        JsonNode answer = answers.answer(second);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.at("/choices/0/message/content").asText())
                .isEqualTo("The tool returned: {\"temperature\":21,\"unit\":\"celsius\"}");
        assertThat(answer.path("id")).isNotEqualTo(answers.answer(first).path("id"));
        assertThat(answer.at("/usage/prompt_tokens").asInt())
                .isGreaterThan(answers.answer(first).at("/usage/prompt_tokens").asInt());
    }

    @Test
    void aToolCallThatDoesNotFitTheBudgetIsCutToLength() {
        ObjectNode body = withTools("required");
        int reasoning = answers.answer(body)
                .at("/usage/completion_tokens_details/reasoning_tokens")
                .asInt();
        body.put("max_completion_tokens", reasoning + 2);
        JsonNode answer = answers.answer(body);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(answer.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(reasoning);
    }

    @Test
    void jsonSchemaContentIsValidAgainstTheSchema() {
        String schema = """
                {"$defs":{"step":{"type":"object","additionalProperties":false,"required":["explanation","output"],
                   "properties":{"explanation":{"type":"string"},"output":{"type":"string"}}}},
                 "type":"object","additionalProperties":false,"required":["steps","final_answer","confidence","source"],
                 "properties":{"steps":{"type":"array","items":{"$ref":"#/$defs/step"}},
                               "final_answer":{"type":"string"},
                               "confidence":{"type":"number","minimum":0,"maximum":1},
                               "source":{"anyOf":[{"type":"string","format":"uri"},{"type":"null"}]}}}""";
        ObjectNode body = SyntheticAnswersTest.chat("Solve 8x + 7 = -23");
        body.putObject("response_format")
                .put("type", "json_schema")
                .putObject("json_schema")
                .put("name", "math_response")
                .put("strict", true)
                .set("schema", Json.parse(schema));

        JsonNode answer = answers.answer(body);
        String content = answer.at("/choices/0/message/content").asText();

        assertThat(SchemaCheck.errors(Json.parse(schema), content)).as(content).isEmpty();
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.at("/usage/completion_tokens").asInt())
                .isEqualTo(SyntheticAnswers.countTokens(content)
                        + answer.at("/usage/completion_tokens_details/reasoning_tokens")
                                .asInt());
    }

    @Test
    void jsonObjectContentIsAnObject() {
        ObjectNode body = SyntheticAnswersTest.chat("List three colours");
        body.putObject("response_format").put("type", "json_object");

        JsonNode content =
                Json.parse(answers.answer(body).at("/choices/0/message/content").asText());

        assertThat(content.isObject()).isTrue();
        assertThat(content.path("answer").asText()).isEqualTo("Synthetic answer to: List three colours");
    }
}
