package dev.tollgate.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groq's recorded answers (the default fixtures) against OpenAI's schemas, before and after {@link OpenAiShape}. */
class OpenAiShapeTest {
    private static final List<Fixture> FIXTURES =
            FixtureFiles.readAll(ProjectRoot.find().resolve("fixtures"));

    /** A recorded JSON answer or stream event, named after its fixture. */
    record Recorded(String name, int status, JsonNode json) {}

    @Test
    void recordedCompletionsAreInvalidAsGroqSendsThemAndValidAfterwards() {
        List<Recorded> completions = recorded(true).stream()
                .filter(r -> isObject(r, "chat.completion"))
                .toList();
        assertThat(completions).hasSizeGreaterThanOrEqualTo(5);
        for (Recorded r : completions) {
            // every recorded completion lacks message.refusal and says service_tier "on_demand"
            assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", r.json()))
                    .as(r.name())
                    .anyMatch(e -> e.contains("refusal"))
                    .anyMatch(e -> e.contains("service_tier"));
            ObjectNode normalised = r.json().deepCopy();
            OpenAiShape.completion(normalised);
            assertThat(OpenAiSchemas.errors("CreateChatCompletionResponse", normalised))
                    .as(r.name())
                    .isEmpty();
            assertKept(r.json(), normalised, r.name());
        }
    }

    @Test
    void recordedChunksAreValidAfterwards() {
        List<Recorded> chunks = recorded(false).stream()
                .filter(r -> isObject(r, "chat.completion.chunk"))
                .toList();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(100);
        int invalidAsSent = 0;
        for (Recorded r : chunks) {
            if (!OpenAiSchemas.errors("CreateChatCompletionStreamResponse", r.json())
                    .isEmpty()) invalidAsSent++;
            ObjectNode normalised = r.json().deepCopy();
            OpenAiShape.chunk(normalised);
            assertThat(OpenAiSchemas.errors("CreateChatCompletionStreamResponse", normalised))
                    .as(r.name())
                    .isEmpty();
            assertKept(r.json(), normalised, r.name());
        }
        assertThat(invalidAsSent).as("chunks with service_tier on_demand").isPositive();
    }

    @Test
    void recordedErrorsAreValidAfterwardsAndKeepGroqsWords() {
        List<Recorded> errors = new ArrayList<>(recorded(true).stream()
                .filter(r -> r.json().path("error").isObject())
                .toList());
        recorded(false).stream()
                .filter(r -> r.json().path("error").isObject())
                .forEach(errors::add); // in-band stream errors
        assertThat(errors).hasSizeGreaterThanOrEqualTo(8);
        for (Recorded r : errors) {
            assertThat(OpenAiSchemas.errors("ErrorResponse", r.json()))
                    .as(r.name())
                    .isNotEmpty(); // no param
            ObjectNode body = OpenAiShape.error(r.json(), r.status());
            assertThat(OpenAiSchemas.errors("ErrorResponse", body)).as(r.name()).isEmpty();
            assertKept(r.json(), body, r.name());
        }
    }

    @Test
    void groqExtrasSurvive() {
        ObjectNode body = recorded(true).stream()
                .filter(r -> r.name().equals("chat/basic-reasoning"))
                .findFirst()
                .orElseThrow()
                .json()
                .deepCopy();
        OpenAiShape.completion(body);
        assertThat(body.at("/choices/0/message/reasoning").asText()).isEqualTo("We just respond.");
        assertThat(body.at("/x_groq/id").asText()).isEqualTo("req_01k7fpjp17fk592mgr4x7tmyvm");
        assertThat(body.at("/usage/queue_time").decimalValue()).hasToString("0.200939743");
        assertThat(body.has("usage_breakdown")).isTrue();
        assertThat(body.get("service_tier").asText()).isEqualTo("default");
    }

    @Test
    void theMocksModelListIsAValidListModelsResponse() throws IOException {
        try (InputStream in = OpenAiShapeTest.class.getResourceAsStream("/dev/tollgate/mock/models.json")) {
            assertThat(in).as("mock-server's models.json on the class path").isNotNull();
            JsonNode models = Json.MAPPER.readTree(in);
            assertThat(OpenAiSchemas.errors("ListModelsResponse", models)).isEmpty();
            for (JsonNode model : models.get("data"))
                assertThat(OpenAiSchemas.errors("Model", model)).isEmpty();
        }
    }

    /** JSON answers ({@code json}) or the JSON payloads of stream events, from every fixture and turn. */
    private static List<Recorded> recorded(boolean json) {
        List<Recorded> out = new ArrayList<>();
        for (Fixture f : FIXTURES) {
            for (FixtureResponse r : f.responses()) {
                if (json && r.body() != null) out.add(new Recorded(f.name(), r.status(), r.body()));
                if (json || r.events() == null) continue;
                for (SseEvent e : r.events()) {
                    if (!e.data().startsWith("{")) continue;
                    JsonNode data = Json.parse(e.data());
                    out.add(new Recorded(f.name(), data.at("/error/status_code").asInt(r.status()), data));
                }
            }
        }
        return out;
    }

    private static boolean isObject(Recorded r, String object) {
        return object.equals(r.json().path("object").asText());
    }

    /**
     * Every value Groq sent is still there, at the same place and with its keys in the same order; only
     * {@code service_tier} may change.
     */
    static void assertKept(JsonNode groq, JsonNode normalised, String where) {
        if (groq.isObject()) {
            assertThat(normalised.isObject()).as(where).isTrue();
            List<String> order = new ArrayList<>();
            normalised.fieldNames().forEachRemaining(k -> {
                if (groq.has(k)) order.add(k);
            });
            List<String> groqOrder = new ArrayList<>();
            groq.fieldNames().forEachRemaining(groqOrder::add);
            assertThat(order).as(where + " key order").isEqualTo(groqOrder);
            for (Map.Entry<String, JsonNode> field : groq.properties()) {
                if (field.getKey().equals("service_tier")) continue;
                assertKept(field.getValue(), normalised.get(field.getKey()), where + "." + field.getKey());
            }
        } else if (groq.isArray()) {
            assertThat(normalised.size()).as(where).isEqualTo(groq.size());
            for (int i = 0; i < groq.size(); i++) assertKept(groq.get(i), normalised.get(i), where + "[" + i + "]");
        } else {
            assertThat(normalised).as(where).isEqualTo(groq);
        }
    }
}
