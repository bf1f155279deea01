package dev.tollgate.mock.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticAnswersTest {
    private static final String UUID4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private final SyntheticAnswers answers = new SyntheticAnswers();

    static ObjectNode chat(String userText) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "openai/gpt-oss-120b");
        body.putArray("messages")
                .add(Json.MAPPER.createObjectNode().put("role", "system").put("content", "Be brief."))
                .add(Json.MAPPER.createObjectNode().put("role", "user").put("content", userText));
        return body;
    }

    static List<String> keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void hasGroqsShapeAndKeyOrder() {
        JsonNode answer = answers.answer(chat("What is the capital of France?"));

        assertThat(keys(answer))
                .containsExactly(
                        "id",
                        "object",
                        "created",
                        "model",
                        "choices",
                        "usage",
                        "usage_breakdown",
                        "system_fingerprint",
                        "x_groq",
                        "service_tier");
        assertThat(answer.path("id").asText()).matches("chatcmpl-" + UUID4);
        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.path("created").isIntegralNumber()).isTrue();
        assertThat(answer.path("model").asText()).isEqualTo("openai/gpt-oss-120b");
        JsonNode choice = answer.path("choices").get(0);
        assertThat(keys(choice)).containsExactly("index", "message", "logprobs", "finish_reason");
        assertThat(keys(choice.path("message"))).containsExactly("role", "content", "reasoning");
        assertThat(choice.path("logprobs").isNull()).isTrue();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(keys(answer.path("usage")))
                .containsExactly(
                        "queue_time",
                        "prompt_tokens",
                        "prompt_time",
                        "completion_tokens",
                        "completion_time",
                        "total_tokens",
                        "total_time",
                        "completion_tokens_details");
        assertThat(answer.path("usage_breakdown").isNull()).isTrue();
        assertThat(answer.path("system_fingerprint").asText()).matches("fp_[0-9a-f]{10}");
        assertThat(answer.path("x_groq").path("id").asText()).matches("req_01[0-9a-hjkmnp-tv-z]{24}");
        assertThat(answer.path("service_tier").asText()).isEqualTo("on_demand");
    }

    @Test
    void theSameRequestGetsByteIdenticalAnswers() {
        String body = Json.compact(chat("Tell me a joke"));
        String first = Json.compact(answers.answer(Json.parse(body)));

        assertThat(Json.compact(new SyntheticAnswers().answer(Json.parse(body))))
                .isEqualTo(first);
        ObjectNode streamed = (ObjectNode) Json.parse(body);
        streamed.put("stream", true).put("temperature", 0.2);
        assertThat(Json.compact(answers.answer(streamed)))
                .as("volatile fields do not change the answer")
                .isEqualTo(first);
    }

    @Test
    void differentRequestsGetDifferentIds() {
        JsonNode a = answers.answer(chat("Tell me a joke"));
        JsonNode b = answers.answer(chat("Tell me a joke!"));

        assertThat(b.path("id")).isNotEqualTo(a.path("id"));
        assertThat(b.path("x_groq").path("id")).isNotEqualTo(a.path("x_groq").path("id"));
        assertThat(b.path("system_fingerprint"))
                .as("one fingerprint per model")
                .isEqualTo(a.path("system_fingerprint"));
    }

    @Test
    void contentMentionsTheLastUserMessageBriefly() {
        String question =
                "Explain   the difference\nbetween TCP and UDP in detail, with examples for every case you know";
        String content =
                answers.answer(chat(question)).at("/choices/0/message/content").asText();

        assertThat(content)
                .startsWith("Synthetic answer to: Explain the difference between TCP and UDP")
                .endsWith("...");
        assertThat(content.length()).isLessThan(100);
    }

    @Test
    void usageCountsTheTokensProduced() {
        JsonNode answer = answers.answer(chat("How many tokens is this?"));
        JsonNode message = answer.at("/choices/0/message");
        JsonNode usage = answer.path("usage");

        int reasoning = SyntheticAnswers.countTokens(message.path("reasoning").asText());
        int content = SyntheticAnswers.countTokens(message.path("content").asText());
        assertThat(reasoning).isPositive();
        assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt())
                .isEqualTo(reasoning);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(reasoning + content);
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt()
                        + usage.path("completion_tokens").asInt());
        assertThat(usage.path("prompt_tokens").asInt())
                .isGreaterThan(SyntheticAnswers.countTokens("How many tokens is this?"));
        assertThat(usage.path("completion_time").decimalValue())
                .isEqualByComparingTo(
                        BigDecimal.valueOf(usage.path("completion_tokens").asInt())
                                .divide(BigDecimal.valueOf(500)));
        assertThat(usage.path("total_time").decimalValue())
                .isEqualByComparingTo(usage.path("prompt_time")
                        .decimalValue()
                        .add(usage.path("completion_time").decimalValue()));
        assertThat(usage.path("queue_time").decimalValue()).isBetween(new BigDecimal("0.01"), new BigDecimal("0.05"));
    }

    @Test
    void aSmallBudgetIsSpentOnReasoningFirst() {
        ObjectNode body = chat("Hello there");
        body.put("max_completion_tokens", 5);
        JsonNode answer = answers.answer(body);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(answer.at("/choices/0/message/content").asText()).isEmpty();
        assertThat(SyntheticAnswers.countTokens(
                        answer.at("/choices/0/message/reasoning").asText()))
                .isEqualTo(5);
        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(answer.at("/usage/completion_tokens_details/reasoning_tokens")
                        .asInt())
                .isEqualTo(5);
    }

    @Test
    void aBudgetBeyondTheReasoningCutsTheContent() {
        JsonNode full = answers.answer(chat("Hello there"));
        int reasoning =
                full.at("/usage/completion_tokens_details/reasoning_tokens").asInt();
        ObjectNode body = chat("Hello there");
        body.put("max_tokens", reasoning + 3);
        JsonNode answer = answers.answer(body);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Synthetic answer to");
        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(reasoning + 3);

        body.put("max_tokens", full.at("/usage/completion_tokens").asInt());
        assertThat(answers.answer(body).at("/choices/0/finish_reason").asText())
                .as("an exact fit is not cut")
                .isEqualTo("stop");
    }

    @Test
    void higherReasoningEffortThinksLonger() {
        int[] tokens = new int[3];
        String[] efforts = {"low", "medium", "high"};
        for (int i = 0; i < 3; i++) {
            ObjectNode body = chat("Why is the sky blue?");
            body.put("reasoning_effort", efforts[i]);
            tokens[i] = answers.answer(body)
                    .at("/usage/completion_tokens_details/reasoning_tokens")
                    .asInt();
        }
        assertThat(tokens[0]).isLessThan(tokens[1]);
        assertThat(tokens[1]).isLessThan(tokens[2]);
        assertThat(answers.answer(chat("Why is the sky blue?"))
                        .at("/usage/completion_tokens_details/reasoning_tokens")
                        .asInt())
                .as("medium is the default")
                .isEqualTo(tokens[1]);
    }

    @Test
    void includeReasoningFalseLeavesReasoningOut() {
        ObjectNode body = chat("Hi");
        body.put("include_reasoning", false);
        JsonNode answer = answers.answer(body);
        JsonNode message = answer.at("/choices/0/message");

        assertThat(message.has("reasoning")).isFalse();
        assertThat(answer.at("/usage/completion_tokens_details/reasoning_tokens")
                        .asInt())
                .isZero();
        assertThat(answer.at("/usage/completion_tokens").asInt())
                .isEqualTo(SyntheticAnswers.countTokens(message.path("content").asText()));
    }

    @Test
    void arrayContentAndOtherModelsAndTiersAreHandled() {
        ObjectNode body = (ObjectNode) Json.parse("""
                {"model":"llama-3.3-70b-versatile","service_tier":"flex","messages":[{"role":"user","content":
                  [{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"data:"}},{"type":"text","text":"this"}]}]}""");
        JsonNode answer = answers.answer(body);

        assertThat(answer.path("model").asText()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(answer.path("service_tier").asText()).isEqualTo("flex");
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Synthetic answer to: Describe this");
    }

    @Test
    void oddBodiesStillGetAnAnswer() {
        for (String odd : new String[] {
            "{}",
            "[]",
            "null",
            "{\"messages\":\"hi\"}",
            "{\"messages\":[{\"content\":5}]}",
            "{\"messages\":[{\"role\":\"user\"}],\"tools\":\"x\",\"tool_choice\":{\"type\":\"function\"}}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"ten\",\"response_format\":{\"type\":\"json_schema\"}}"
        }) {
            assertThatCode(() -> answers.answer(Json.parse(odd))).as(odd).doesNotThrowAnyException();
        }
        assertThat(answers.answer(null).at("/choices/0/message/content").asText())
                .isEqualTo("Synthetic answer.");
    }
}
