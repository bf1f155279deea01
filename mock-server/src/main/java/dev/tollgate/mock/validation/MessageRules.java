package dev.tollgate.mock.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The checks on {@code messages}: each message has a known role, and carries only properties a
 * message of that role may carry. Groq validates each role's message against a closed schema: it has
 * refused assistant {@code reasoning_content}, user {@code timestamp}, {@code metadata} and {@code id},
 * system {@code id} (see {@link GroqMessages#unsupportedProperty}).
 *
 * <p>A property is accepted when Groq's SDK types define it for the role (groq-python
 * {@code chat_completion_*_message_param.py}, Aug 2026), when OpenAI's published schema does (nothing shows
 * Groq refuses those, e.g. assistant {@code refusal}, {@code audio}), when Groq's own answer message carries it
 * (clients send it back: {@code annotations}, {@code executed_tools}), or when a recording shows Groq
 * accepting it (tool {@code name}: groq-recordings/req_llm/openai_gpt_oss_120b/tool_round_trip_2.json).
 * Everything else is refused. Content types are not checked: the evidence disagrees (a 2025 refusal of
 * array content on a tool message, CherryHQ/cherry-studio#3307, against the 2026 SDK allowing it).
 */
final class MessageRules {
    private static final Set<String> SPEAKER = Set.of("role", "content", "name");
    /** The roles Groq's SDK knows ({@code developer} is a system message there), with their properties. */
    private static final Map<String, Set<String>> PROPERTIES = Map.of(
            "system",
            SPEAKER,
            "developer",
            SPEAKER,
            "user",
            SPEAKER,
            "assistant",
            Set.of(
                    "role",
                    "content",
                    "name",
                    "reasoning",
                    "tool_calls",
                    "function_call",
                    "refusal",
                    "audio",
                    "annotations",
                    "executed_tools"),
            "tool",
            Set.of("role", "content", "tool_call_id", "name"),
            "function",
            Set.of("role", "content", "name"));

    private MessageRules() {}

    /** The first refusal among the messages, in order; null when all pass. */
    static Refusal check(JsonNode messages) {
        if (!messages.isArray()) return null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) continue; // a message that is no object: no quoted answer, so accepted
            JsonNode role = message.get("role");
            Set<String> allowed = role != null && role.isTextual() ? PROPERTIES.get(role.asText()) : null;
            if (allowed == null) return GroqMessages.invalidRole(i);
            for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) return GroqMessages.unsupportedProperty(i, role.asText(), name);
            }
        }
        return null;
    }
}
