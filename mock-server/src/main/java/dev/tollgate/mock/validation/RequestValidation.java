package dev.tollgate.mock.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Groq's request validation, applied by the mock in every mode before a fixture is looked for, so an
 * offline suite fails where Groq would. Only chat completions are checked, and only what evidence shows
 * Groq refuses (each rule cites its source; README "What the mock refuses"); where the evidence is
 * unclear the request passes. Checks run in a fixed order and the first refusal is the answer:
 * messages (role, then properties), field types, tools, ranges.
 */
public final class RequestValidation {
    private final boolean enabled;

    /** @param enabled false: every request passes (MockConfig / {@code --no-validation}) */
    public RequestValidation(boolean enabled) {
        this.enabled = enabled;
    }

    /** Groq's refusal of this request, or null when Groq would accept it (or validation is off). */
    public Refusal check(String method, String path, JsonNode body) {
        if (!enabled
                || !"POST".equals(method)
                || !"/v1/chat/completions".equals(path)
                || body == null
                || !body.isObject()) return null;
        Refusal refusal = MessageRules.check(body.path("messages"));
        if (refusal == null) refusal = ChatFieldRules.checkTypes(body);
        if (refusal == null) refusal = ToolRules.checkTypes(body);
        if (refusal == null) refusal = ChatFieldRules.checkRanges(body);
        if (refusal == null) refusal = ToolRules.checkLimits(body);
        return refusal;
    }

    /**
     * Whether a fixture matching a refused request answers it all the same: one marked
     * {@code "match":{"validate":false}}, or one whose recorded answer is itself an error (that recording
     * is Groq's own answer to this very request, and better evidence than any rule here).
     */
    public static boolean exempts(Fixture fixture, FixtureResponse answer) {
        return !fixture.match().validate() || answer.status() >= 400;
    }

    /** The refusal as Groq sends it: JSON, its request-id and region headers, no {@code param}/{@code code} keys when Groq has none. */
    public static FixtureResponse answer(Refusal refusal) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", refusal.message());
        error.put("type", refusal.type());
        if (refusal.param() != null) error.put("param", refusal.param());
        if (refusal.code() != null) error.put("code", refusal.code());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-request-id", "req_mock" + Long.toHexString(System.nanoTime()));
        headers.put("x-groq-region", "mock");
        return FixtureResponse.json(refusal.status(), headers, body);
    }
}
