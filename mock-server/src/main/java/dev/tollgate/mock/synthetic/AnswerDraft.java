package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What the synthetic assistant says, before it is dressed as a Groq answer.
 *
 * @param reasoning    null when the request hides reasoning
 * @param content      null when the answer is a tool call
 * @param toolCall     a complete {@code tool_calls[]} entry, or null
 * @param finishReason {@code stop}, {@code tool_calls} or {@code length}
 * @param executedTool the {@code executed_tools[]} entry of a built-in tool Groq ran itself, or null
 */
record AnswerDraft(
        String reasoning, String content, ObjectNode toolCall, String finishReason, ObjectNode executedTool) {
    private static final int SNIPPET = 60;

    static AnswerDraft compose(ChatRequest chat, AnswerSeed seed) {
        BuiltInTool builtIn = chat.builtInTool();
        if (builtIn != null) {
            String question = snippet(chat.lastText("user"));
            String reasoning =
                    chat.showsReasoning() ? reasoning(chat, null).replace(plan(chat, null), builtIn.plan) : null;
            String content = "Synthetic answer to: " + question + " (from the " + builtIn.type + " tool).";
            return new AnswerDraft(reasoning, content, null, "stop", builtIn.executed(question, true))
                    .within(chat.tokenBudget());
        }
        JsonNode function = chat.functionToCall();
        String reasoning = chat.showsReasoning() ? reasoning(chat, function) : null;
        if (function != null) {
            return new AnswerDraft(reasoning, null, toolCall(function, seed), "tool_calls", null)
                    .within(chat.tokenBudget());
        }
        return new AnswerDraft(reasoning, content(chat), null, "stop", null).within(chat.tokenBudget());
    }

    int reasoningTokens() {
        return Tokens.count(reasoning);
    }

    /** Reasoning, content and the tool call's name and arguments, the way {@link Tokens} counts them. */
    int completionTokens() {
        return reasoningTokens() + Tokens.count(content) + toolCallTokens(toolCall);
    }

    /** Cut to {@code budget} completion tokens (0 = unlimited); reasoning spends the budget first, as on Groq. */
    private AnswerDraft within(int budget) {
        if (budget <= 0 || completionTokens() <= budget) return this;
        int thinking = reasoningTokens();
        if (thinking >= budget)
            return new AnswerDraft(Tokens.prefix(reasoning, budget), "", null, "length", executedTool);
        String cut = content == null ? "" : Tokens.prefix(content, budget - thinking); // a tool call is all or nothing
        return new AnswerDraft(reasoning, cut, null, "length", executedTool);
    }

    private static int toolCallTokens(JsonNode call) {
        if (call == null) return 0;
        JsonNode function = call.path("function");
        return Tokens.count(function.path("name").asText(""))
                + Tokens.count(function.path("arguments").asText(""));
    }

    private static ObjectNode toolCall(JsonNode function, AnswerSeed seed) {
        JsonNode parameters = function.path("parameters");
        JsonNode arguments =
                parameters.isObject() ? JsonSchemaSampler.sample(parameters) : Json.MAPPER.createObjectNode();
        ObjectNode call = Json.MAPPER.createObjectNode();
        call.put("id", seed.toolCallId(0));
        call.put("type", "function");
        call.putObject("function")
                .put("name", function.path("name").asText("function"))
                .put("arguments", Json.compact(arguments));
        return call;
    }

    private static String content(ChatRequest chat) {
        String format = chat.responseFormat();
        if (format.equals("json_schema") && chat.responseSchema().isObject()) {
            return Json.compact(JsonSchemaSampler.sample(chat.responseSchema()));
        }
        String text = chat.lastRole().equals("tool")
                ? "The tool returned: " + snippet(chat.lastText("tool"))
                : snippet(chat.lastText("user")).isEmpty()
                        ? "Synthetic answer."
                        : "Synthetic answer to: " + snippet(chat.lastText("user"));
        if (format.equals("json_object") || format.equals("json_schema")) {
            return Json.compact(Json.MAPPER.createObjectNode().put("answer", text));
        }
        return text;
    }

    /** One sentence per step of thought: two at low effort, three at medium, five at high. */
    private static String reasoning(ChatRequest chat, JsonNode function) {
        String user = snippet(chat.lastText("user"));
        String effort = chat.reasoningEffort();
        List<String> sentences = new ArrayList<>();
        sentences.add(
                chat.lastRole().equals("tool")
                        ? "The tool has answered the user's request."
                        : user.isEmpty() ? "The user sent a message." : "The user asks: \"" + user + "\".");
        if (!effort.equals("low")) sentences.add("Let me check the request for constraints first.");
        if (effort.equals("high")) sentences.add("There are no further constraints, so the plan is simple.");
        sentences.add(plan(chat, function));
        if (effort.equals("high")) sentences.add("I will answer now, concisely.");
        return String.join(" ", sentences);
    }

    private static String plan(ChatRequest chat, JsonNode function) {
        if (function != null)
            return "I should call " + function.path("name").asText("the function") + " with suitable arguments.";
        if (chat.lastRole().equals("tool")) return "I will pass the tool's result on.";
        return switch (chat.responseFormat()) {
            case "json_schema" -> "The answer must be JSON that matches the given schema.";
            case "json_object" -> "The answer must be a JSON object.";
            default -> "A short, direct answer is enough.";
        };
    }

    /** The text on one line, cut to {@value #SNIPPET} characters. */
    static String snippet(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        if (line.codePointCount(0, line.length()) <= SNIPPET) return line;
        return line.substring(0, line.offsetByCodePoints(0, SNIPPET)).stripTrailing() + "...";
    }
}
