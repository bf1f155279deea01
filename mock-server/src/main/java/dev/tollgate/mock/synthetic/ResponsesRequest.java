package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;

/**
 * A Responses API body ({@code POST /v1/responses}) restated as the chat-completions body that asks
 * the same, so synthetic mode answers both APIs with one set of rules: {@code instructions} and
 * {@code input} become messages (function calls and their outputs become assistant tool calls and
 * tool messages), flat function tools become chat tools, {@code text.format} becomes
 * {@code response_format}, {@code reasoning.effort} becomes {@code reasoning_effort} and
 * {@code max_output_tokens} becomes {@code max_completion_tokens}.
 */
final class ResponsesRequest {
    private ResponsesRequest() {}

    static ObjectNode toChat(JsonNode request) {
        ObjectNode chat = Json.MAPPER.createObjectNode();
        copy(chat, "model", request.path("model"));
        ArrayNode messages = chat.putArray("messages");
        if (request.path("instructions").isTextual()) {
            messages.addObject()
                    .put("role", "system")
                    .put("content", request.path("instructions").textValue());
        }
        JsonNode input = request.path("input");
        if (input.isTextual()) messages.addObject().put("role", "user").put("content", input.textValue());
        for (JsonNode item : input.isArray() ? input : Json.MAPPER.createArrayNode()) {
            if (!item.path("type").asText("").equals("reasoning")) messages.add(message(item));
        }

        ArrayNode tools = chat.putArray("tools");
        for (JsonNode tool : request.path("tools")) tools.add(chatTool(tool));
        if (tools.isEmpty()) chat.remove("tools");
        JsonNode choice = request.path("tool_choice");
        if (choice.path("type").asText("").equals("function")
                && choice.path("name").isTextual()) {
            chat.putObject("tool_choice")
                    .put("type", "function")
                    .putObject("function")
                    .put("name", choice.path("name").textValue());
        } else if (!choice.isMissingNode()) {
            chat.set("tool_choice", choice);
        }
        JsonNode format = request.path("text").path("format");
        if (format.path("type").asText("").equals("json_schema")) {
            ObjectNode schema =
                    chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
            copy(schema, "name", format.path("name"));
            copy(schema, "schema", format.path("schema"));
        } else if (format.path("type").asText("").equals("json_object")) {
            chat.putObject("response_format").put("type", "json_object");
        }
        if (request.path("reasoning").path("effort").isTextual())
            chat.set("reasoning_effort", request.path("reasoning").path("effort"));
        if (request.path("max_output_tokens").isNumber())
            chat.set("max_completion_tokens", request.path("max_output_tokens"));
        return chat;
    }

    /** One input item as a chat message (reasoning items from an earlier answer are left out: they say nothing new). */
    private static ObjectNode message(JsonNode item) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        switch (item.path("type").asText("message")) {
            case "function_call" -> {
                message.put("role", "assistant");
                ObjectNode call = message.putArray("tool_calls").addObject();
                copy(call, "id", item.path("call_id"));
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                copy(function, "name", item.path("name"));
                copy(function, "arguments", item.path("arguments"));
            }
            case "function_call_output" -> {
                message.put("role", "tool");
                copy(message, "tool_call_id", item.path("call_id"));
                copy(message, "content", item.path("output"));
            }
            default -> {
                message.put("role", item.path("role").asText("user"));
                copy(message, "content", item.path("content"));
            }
        }
        return message;
    }

    /** A flat Responses function tool nests under {@code function} in chat; built-in tools stay as they are. */
    private static JsonNode chatTool(JsonNode tool) {
        if (!tool.path("type").asText("").equals("function")) return tool;
        ObjectNode function = Json.MAPPER.createObjectNode();
        for (String field : new String[] {"name", "description", "parameters", "strict"}) {
            if (tool.has(field)) function.set(field, tool.get(field));
        }
        ObjectNode chat = Json.MAPPER.createObjectNode().put("type", "function");
        chat.set("function", function);
        return chat;
    }

    /** Copies a field only when the request has it: a missing one stays missing. */
    private static void copy(ObjectNode target, String field, JsonNode value) {
        if (!value.isMissingNode()) target.set(field, value);
    }
}
