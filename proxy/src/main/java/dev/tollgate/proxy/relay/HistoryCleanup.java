package dev.tollgate.proxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.openai.OpenAiShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The clean-up of a chat request's history before it goes to Groq: message properties that clients
 * commonly send back and Groq refuses with a 400 (it validates each message against its role's schema
 * and names the first property it does not know, e.g. {@code 'messages.1' : for 'role:assistant' the
 * following must be satisfied[('messages.1' : property 'reasoning_content' is unsupported)]}), among
 * them what the proxy itself adds to answers ({@link OpenAiShape}) and
 * clients echo into the history. Every rule is listed, with its evidence, in the README's
 * "History clean-up" table (a test keeps the two equal). Off ({@code TOLLGATE_HISTORY_CLEANUP=false}),
 * messages are forwarded as the client sent them.
 */
public final class HistoryCleanup {
    /** What a rule does with the property. */
    public enum Action {
        /** Removed from the message. */
        REMOVE("removed"),
        /** Its text becomes {@code reasoning} (which Groq accepts on gpt-oss) unless the message has one; then removed. */
        MOVE_TO_REASONING("moved to `reasoning` (when text and no `reasoning` is set), else removed");

        public final String readme;

        Action(String readme) {
            this.readme = readme;
        }
    }

    /**
     * One rule.
     *
     * @param roles    the message roles it applies to; empty: every role
     * @param evidence where Groq's refusal (or the proxy's own addition) is documented, as in the README
     */
    public record Rule(String property, Set<String> roles, Action action, String evidence) {
        boolean appliesTo(String role) {
            return roles.isEmpty() || roles.contains(role);
        }
    }

    private static final Set<String> ASSISTANT = Set.of("assistant");

    /** Groq's assistant message accepts role, content, name, reasoning, tool_calls, function_call (groq-python's ChatCompletionAssistantMessageParam). */
    public static final List<Rule> RULES = List.of(
            new Rule(
                    "reasoning_content",
                    ASSISTANT,
                    Action.MOVE_TO_REASONING,
                    "Groq's 400 quoted in janhq/jan#8136, SimonSchubert/Kai#265, tashfeenahmed/freellmapi#1070"),
            new Rule(
                    "reasoning_details",
                    ASSISTANT,
                    Action.REMOVE,
                    "not in Groq's assistant message (groq-python); reported with reasoning_content (shared/reference/groq-api.md §2)"),
            new Rule(
                    "refusal",
                    ASSISTANT,
                    Action.REMOVE,
                    "the proxy adds `refusal: null` to every answer; not in Groq's assistant message (groq-python)"),
            new Rule(
                    "annotations",
                    ASSISTANT,
                    Action.REMOVE,
                    "an answer-only field of Groq's message (groq-python ChatCompletionMessage), not in its assistant message"),
            new Rule(
                    "groq_annotations",
                    ASSISTANT,
                    Action.REMOVE,
                    "the proxy's own name for Groq's citations in answers"),
            new Rule(
                    "executed_tools",
                    ASSISTANT,
                    Action.REMOVE,
                    "an answer-only field of Groq's message (groq-python ChatCompletionMessage), not in its assistant message"),
            new Rule("status", ASSISTANT, Action.REMOVE, "Groq's 400 quoted in run-llama/llama_index#14701"),
            new Rule("timestamp", Set.of(), Action.REMOVE, "Groq's 400 quoted in ServiceStack/llms#17"),
            new Rule("metadata", Set.of(), Action.REMOVE, "Groq's 400 quoted in odysseus-dev/odysseus#200"),
            new Rule("id", Set.of(), Action.REMOVE, "Groq's 400 quoted in chatboxai/chatbox#2081 and #2083"));

    /** The longest {@code x-tollgate-request-changes} value; what does not fit is counted. */
    static final int MAX_HEADER_CHARS = 512;

    private final boolean enabled;

    public HistoryCleanup(boolean enabled) {
        this.enabled = enabled;
    }

    /** Applies the rules to {@code messages} in place; returns what changed ({@code messages.1.refusal removed}, …). */
    List<String> apply(JsonNode messages) {
        List<String> changes = new ArrayList<>();
        if (!enabled) return changes;
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof ObjectNode message)) continue;
            String role = message.path("role").asText("");
            for (Rule rule : RULES) {
                if (!rule.appliesTo(role) || !message.has(rule.property())) continue;
                JsonNode value = message.remove(rule.property());
                String where = "messages." + i + "." + rule.property();
                if (rule.action() == Action.MOVE_TO_REASONING
                        && value.isTextual()
                        && !message.hasNonNull("reasoning")) {
                    message.set("reasoning", value);
                    changes.add(where + " moved to reasoning");
                } else {
                    changes.add(where + " removed");
                }
            }
        }
        return changes;
    }

    /** The header value saying what changed, at most {@link #MAX_HEADER_CHARS} long ({@code …; and 12 more}). */
    static String header(List<String> changes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < changes.size(); i++) {
            String next = (i == 0 ? "" : "; ") + changes.get(i);
            String rest = "; and " + (changes.size() - i) + " more";
            boolean last = i == changes.size() - 1;
            if (out.length() + next.length() + (last ? 0 : rest.length()) > MAX_HEADER_CHARS) {
                return out.append(i == 0 ? "and " + changes.size() + " more" : rest)
                        .toString();
            }
            out.append(next);
        }
        return out.toString();
    }
}
