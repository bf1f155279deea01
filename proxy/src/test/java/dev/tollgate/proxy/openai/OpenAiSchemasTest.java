package dev.tollgate.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The validator must reject what OpenAI's schemas reject, or the conformance tests would pass on anything. */
class OpenAiSchemasTest {
    private static final String MESSAGE = """
            {"role":"assistant","content":"Hi","refusal":null}""";
    private static final String CHOICE = """
            {"index":0,"message":%s,"logprobs":null,"finish_reason":"stop"}""";
    private static final String COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1760389847,"model":"m","choices":[%s]}""";
    private static final String CHUNK = """
            {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m",
             "choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":%s}]}""";

    private static String completion(String message) {
        return COMPLETION.formatted(CHOICE.formatted(message));
    }

    @Test
    void acceptsOpenAiShapedDocuments() {
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", completion(MESSAGE)))
                .isEmpty();
        assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", CHUNK.formatted("null")))
                .isEmpty();
        assertThat(OpenAiSchemas.errors("ErrorResponse", """
                {"error":{"message":"m","type":"t","param":null,"code":null}}""")).isEmpty();
        assertThat(OpenAiSchemas.errors("Model", """
                {"id":"m","object":"model","created":1,"owned_by":"o"}""")).isEmpty();
    }

    @Test
    void rejectsACompletionWithoutChoices() {
        String json = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m"}""";
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", json)).anyMatch(e -> e.contains("choices"));
    }

    @Test
    void rejectsMessagesWithoutRoleOrRefusal() {
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", completion("""
                {"content":"Hi","refusal":null}""")))
                .anyMatch(e -> e.contains("role"));
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", completion("""
                {"role":"assistant","content":"Hi"}""")))
                .anyMatch(e -> e.contains("refusal"));
    }

    @Test
    void rejectsServiceTiersOutsideOpenAisEnum() {
        String json = completion(MESSAGE).replace("\"model\":\"m\"", "\"model\":\"m\",\"service_tier\":\"on_demand\"");
        assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", json)).isNotEmpty();
    }

    @Test
    void rejectsUnknownFinishReasonsInChunksButAllowsNull() {
        assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", CHUNK.formatted("\"bored\"")))
                .isNotEmpty();
        assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", CHUNK.formatted("null")))
                .isEmpty();
    }

    @Test
    void rejectsErrorsWithoutMessageOrParam() {
        assertThat(OpenAiSchemas.errors("ErrorResponse", """
                {"error":{"type":"t","param":null,"code":null}}""")).anyMatch(e -> e.contains("message"));
        assertThat(OpenAiSchemas.errors("ErrorResponse", """
                {"error":{"message":"m","type":"t","code":"c"}}""")).anyMatch(e -> e.contains("param"));
        assertThat(OpenAiSchemas.errors("ErrorResponse", "{}")).isNotEmpty();
    }

    @Test
    void rejectsModelListsWithIncompleteModels() {
        assertThat(OpenAiSchemas.errors("ListModelsResponse", """
                {"object":"list","data":[{"id":"m","object":"model","created":1}]}""")).anyMatch(e -> e.contains("owned_by"));
    }

    @Test
    void theExtractHasNoOpenApiOnlyKeywordsLeft() throws IOException {
        try (InputStream in = OpenAiSchemas.class.getResourceAsStream("/openai/openai-schemas.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("#/components/", "\"nullable\"", "\"discriminator\"");
        }
    }

    @Test
    void unknownComponentNamesAreAnError() {
        assertThatThrownBy(() -> OpenAiSchemas.errors("NoSuchSchema", "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
