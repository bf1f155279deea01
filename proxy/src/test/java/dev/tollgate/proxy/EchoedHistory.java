package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.proxy.relay.HistoryCleanup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's round trip (its own assistant message sent back into the history): through the proxy it
 * must succeed with nothing Groq refuses reaching Groq; against the mock directly it either succeeds or
 * gets Groq's 400 naming a property the proxy's clean-up would have removed — what the client would get
 * from Groq itself.
 */
final class EchoedHistory {
    private static final Pattern UNSUPPORTED = Pattern.compile("property '([a-z_]+)' is unsupported");

    private EchoedHistory() {}

    /** Runs {@code call}; returns the property Groq's 400 named (only against the mock directly), or empty when it succeeded. */
    static Optional<String> roundTrip(ClientTarget target, Runnable call, Class<? extends Throwable> badRequest) {
        if (target.viaProxy()) {
            call.run();
            assertThat(refused(target.lastSentToGroq())).as("what reached Groq").isEmpty();
            return Optional.empty();
        }
        try {
            call.run();
            return Optional.empty();
        } catch (Throwable e) {
            if (!badRequest.isInstance(e)) throw e;
            Matcher m = UNSUPPORTED.matcher(String.valueOf(e.getMessage()));
            assertThat(m.find())
                    .as("Groq's 400 names the property: " + e.getMessage())
                    .isTrue();
            assertThat(HistoryCleanup.RULES)
                    .extracting(HistoryCleanup.Rule::property)
                    .contains(m.group(1));
            return Optional.of(m.group(1));
        }
    }

    /** The {@code messages.N.property} in {@code body} that a clean-up rule covers. */
    static List<String> refused(JsonNode body) {
        List<String> found = new ArrayList<>();
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            for (HistoryCleanup.Rule rule : HistoryCleanup.RULES) {
                boolean applies = rule.roles().isEmpty() || rule.roles().contains(role);
                if (applies && messages.get(i).has(rule.property())) found.add("messages." + i + "." + rule.property());
            }
        }
        return found;
    }
}
