package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Synthetic mode for the Responses API: the request is restated as a chat request
 * ({@link ResponsesRequest}), answered by {@link SyntheticAnswers}, and the chat answer dressed as a
 * {@code response} object in the shape of Groq's documented example (console.groq.com/docs/responses-api,
 * "Reasoning" result; {@code groq-api.md} §8): the same keys in the same order, a {@code reasoning} item
 * with {@code reasoning_text} content, a {@code message} item with {@code output_text}, and a
 * {@code function_call} item (OpenAI's {@code FunctionToolCall}) where the chat answer calls a function.
 */
public final class SyntheticResponses {
    private static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
    private final SyntheticAnswers chat = new SyntheticAnswers();

    public ObjectNode answer(JsonNode request) {
        ObjectNode completion = chat.answer(ResponsesRequest.toChat(request));
        JsonNode message = completion.path("choices").path(0).path("message");
        String ulid = completion
                .path("x_groq")
                .path("id")
                .asText("req_00000000000000000000000000")
                .substring(4);

        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("id", "resp_" + ulid);
        response.put("object", "response");
        boolean cut = completion
                .path("choices")
                .path(0)
                .path("finish_reason")
                .asText()
                .equals("length");
        response.put("status", cut ? "incomplete" : "completed");
        response.put("created_at", completion.path("created").asLong());
        ArrayNode output = response.putArray("output");
        if (message.path("reasoning").isTextual()) {
            ObjectNode item = output.addObject()
                    .put("type", "reasoning")
                    .put("id", "resp_" + sibling(ulid, "reasoning"))
                    .put("status", "completed");
            item.putArray("content")
                    .addObject()
                    .put("type", "reasoning_text")
                    .put("text", message.path("reasoning").textValue());
            item.putArray("summary");
        }
        for (JsonNode call : message.path("tool_calls")) {
            output.addObject()
                    .put("type", "function_call")
                    .put("id", call.path("id").asText())
                    .put("status", "completed")
                    .put("call_id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText())
                    .put("arguments", call.path("function").path("arguments").asText());
        }
        if (message.path("content").isTextual()) {
            ObjectNode item = output.addObject()
                    .put("type", "message")
                    .put("id", "msg_" + sibling(ulid, "message"))
                    .put("status", cut ? "incomplete" : "completed")
                    .put("role", "assistant");
            ObjectNode text = item.putArray("content")
                    .addObject()
                    .put("type", "output_text")
                    .put("text", message.path("content").textValue());
            text.putArray("annotations");
            text.putNull("logprobs");
        }
        response.putNull("previous_response_id");
        response.set("model", completion.path("model"));
        echo(response, request, "reasoning", null);
        echo(response, request, "max_output_tokens", null);
        echo(response, request, "instructions", null);
        echo(
                response,
                request,
                "text",
                Json.MAPPER
                        .createObjectNode()
                        .set("format", Json.MAPPER.createObjectNode().put("type", "text")));
        echo(response, request, "tools", Json.MAPPER.createArrayNode());
        echo(response, request, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"));
        response.put("truncation", "disabled");
        echo(response, request, "metadata", Json.MAPPER.createObjectNode());
        echo(response, request, "temperature", Json.MAPPER.getNodeFactory().numberNode(1));
        echo(response, request, "top_p", Json.MAPPER.getNodeFactory().numberNode(1));
        echo(response, request, "user", null);
        response.put("service_tier", "default");
        response.put("background", false);
        response.putNull("error");
        if (cut) response.putObject("incomplete_details").put("reason", "max_output_tokens");
        else response.putNull("incomplete_details");
        response.set("usage", usage(completion.path("usage")));
        echo(
                response,
                request,
                "parallel_tool_calls",
                Json.MAPPER.getNodeFactory().booleanNode(true));
        response.put("store", false);
        response.put("top_logprobs", 0);
        response.putNull("max_tool_calls");
        return response;
    }

    /** Groq's documented usage: both details objects carry both counters. */
    private static ObjectNode usage(JsonNode chatUsage) {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("input_tokens", chatUsage.path("prompt_tokens").asInt());
        usage.putObject("input_tokens_details").put("cached_tokens", 0).put("reasoning_tokens", 0);
        usage.put("output_tokens", chatUsage.path("completion_tokens").asInt());
        usage.putObject("output_tokens_details")
                .put("cached_tokens", 0)
                .put(
                        "reasoning_tokens",
                        chatUsage
                                .path("completion_tokens_details")
                                .path("reasoning_tokens")
                                .asInt());
        usage.put("total_tokens", chatUsage.path("total_tokens").asInt());
        return usage;
    }

    private static void echo(ObjectNode response, JsonNode request, String field, JsonNode fallback) {
        JsonNode value = request.path(field);
        if (!value.isMissingNode() && !value.isNull()) response.set(field, value);
        else if (fallback == null) response.putNull(field);
        else response.set(field, fallback);
    }

    /** Another id of the same moment: Groq's ids in one answer share the ULID's time part (its first 10 characters). */
    private static String sibling(String ulid, String salt) {
        byte[] random = sha256(salt + " " + ulid);
        StringBuilder id = new StringBuilder(ulid.substring(0, Math.min(10, ulid.length())));
        for (int i = 0; id.length() < 26; i++) id.append(CROCKFORD.charAt(random[i] & 31));
        return id.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
