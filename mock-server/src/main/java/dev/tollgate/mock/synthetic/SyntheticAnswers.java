package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.List;
import java.util.Set;

/**
 * The mock's {@code --mode synthetic}: a deterministic, Groq-shaped {@code chat.completion} for any
 * chat-completions body. The same request (by its match key) always gets byte-identical JSON.
 *
 * <p>To stream an answer consistently with its {@code usage}, send one delta per element of
 * {@link #splitTokens} of {@code message.reasoning}, then of {@code message.content}, and a tool call
 * whole in one delta: {@code completion_tokens} = reasoning pieces + content pieces +
 * {@code countTokens(name) + countTokens(arguments)} of the tool call.
 */
public final class SyntheticAnswers {
    private static final Set<String> SERVICE_TIERS = Set.of("on_demand", "flex", "performance");

    public ObjectNode answer(JsonNode request) {
        ChatRequest chat = new ChatRequest(request);
        AnswerSeed seed = new AnswerSeed(request);
        AnswerDraft draft = AnswerDraft.compose(chat, seed);

        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("id", seed.completionId());
        answer.put("object", "chat.completion");
        answer.put("created", seed.created());
        answer.put("model", chat.model());
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (draft.content() != null) message.put("content", draft.content());
        if (draft.reasoning() != null) message.put("reasoning", draft.reasoning());
        if (draft.toolCall() != null) message.putArray("tool_calls").add(draft.toolCall());
        if (draft.executedTool() != null) message.putArray("executed_tools").add(draft.executedTool());
        choice.putNull("logprobs");
        choice.put("finish_reason", draft.finishReason());
        answer.set(
                "usage",
                SyntheticUsage.of(
                        chat.promptTokens(), draft.completionTokens(), draft.reasoningTokens(), seed.queueTime()));
        answer.putNull("usage_breakdown");
        answer.put("system_fingerprint", AnswerSeed.fingerprint(chat.model()));
        answer.putObject("x_groq").put("id", seed.requestId());
        String tier = request == null ? "" : request.path("service_tier").asText("");
        answer.put("service_tier", SERVICE_TIERS.contains(tier) ? tier : "on_demand");
        return answer;
    }

    /** The number of tokens the synthetic mode counts in {@code text}: {@code splitTokens(text).size()}. */
    public static int countTokens(String text) {
        return Tokens.count(text);
    }

    /** {@code text} cut into its tokens; they concatenate back to {@code text} exactly. */
    public static List<String> splitTokens(String text) {
        return Tokens.split(text);
    }
}
