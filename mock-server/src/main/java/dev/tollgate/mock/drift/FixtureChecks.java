package dev.tollgate.mock.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.mock.drift.Finding.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What can be wrong with one fixture that loads: its request, and each of its answers. */
final class FixtureChecks {
    /** A finding before it is given its file. */
    record Problem(Kind kind, String reason) {}

    /** Groq's OpenAI-compatible routes (all under /openai/v1, which fixtures store as /v1) and the methods each takes. */
    private record Route(Pattern path, Set<String> methods) {}

    private static final List<Route> ROUTES = List.of(
            route("/v1/chat/completions", "POST"),
            route("/v1/responses", "POST"),
            route("/v1/models", "GET"),
            route("/v1/models/.+", "GET", "DELETE"),
            route("/v1/embeddings", "POST"),
            route("/v1/audio/(transcriptions|translations|speech)", "POST"),
            route("/v1/batches", "GET", "POST"),
            route("/v1/batches/[^/]+", "GET"),
            route("/v1/batches/[^/]+/cancel", "POST"),
            route("/v1/files", "GET", "POST"),
            route("/v1/files/[^/]+", "GET", "DELETE"),
            route("/v1/files/[^/]+/content", "GET"));

    /** The methods the mock server routes to fixtures; PUT and PATCH get its "unknown URL" 404. */
    private static final Set<String> SERVED_METHODS = Set.of("GET", "POST", "DELETE");

    private static final Set<String> RESPONSES_STREAM_ENDS =
            Set.of("response.completed", "response.failed", "response.incomplete", "error");

    private FixtureChecks() {}

    static List<Problem> check(Fixture f) {
        List<Problem> out = new ArrayList<>();
        request(f, out);
        for (int i = 0; i < f.responses().size(); i++) {
            String which = f.responses().size() == 1
                    ? "the answer"
                    : "answer " + (i + 1) + " of " + f.responses().size();
            answer(f.request().path(), f.responses().get(i), which, out);
        }
        return out;
    }

    private static void request(Fixture f, List<Problem> out) {
        String method = f.request().method();
        String path = f.request().path();
        if (!SERVED_METHODS.contains(method)) {
            out.add(new Problem(
                    Kind.UNREACHABLE, "the mock answers GET, POST and DELETE requests only, not " + method));
            return;
        }
        if (!path.startsWith("/v1/")) {
            out.add(new Problem(
                    Kind.UNREACHABLE,
                    "the mock answers API requests under /v1/ (and Groq's /openai/v1/) only, not " + path));
            return;
        }
        // A fixture whose answers are all errors may well record Groq refusing a bad request: that is its point.
        boolean answersSuccess = f.responses().stream().anyMatch(r -> r.status() >= 200 && r.status() < 300);
        if (!answersSuccess) return;
        Route route = ROUTES.stream()
                .filter(r -> r.path.matcher(path).matches())
                .findFirst()
                .orElse(null);
        if (route == null) {
            out.add(new Problem(
                    Kind.BAD_REQUEST,
                    "unknown route " + path + ": Groq has no such endpoint, yet the fixture answers it with success"));
            return;
        }
        if (!route.methods.contains(method)) {
            out.add(new Problem(
                    Kind.BAD_REQUEST,
                    method + " " + path + " is not a route: Groq takes "
                            + String.join(" or ", new java.util.TreeSet<>(route.methods)) + " there"));
            return;
        }
        JsonNode body = f.request().body();
        if (!method.equals("POST")) {
            if (body != null)
                out.add(new Problem(Kind.BAD_REQUEST, "a " + method + " request has no body, but this one has"));
            return;
        }
        switch (path) {
            case "/v1/chat/completions" -> chatRequest(body, out);
            case "/v1/responses" -> requires(body, "input", "a Responses request", out);
            case "/v1/embeddings" -> requires(body, "input", "an embeddings request", out);
            default -> {}
        }
    }

    private static void chatRequest(JsonNode body, List<Problem> out) {
        if (!requires(body, "messages", "a chat request", out)) return;
        JsonNode messages = body.get("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            out.add(new Problem(
                    Kind.BAD_REQUEST,
                    "a chat request needs at least one message; 'messages' is "
                            + (messages.isArray() ? "empty" : "not a list")));
            return;
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).path("role").isTextual()) {
                out.add(new Problem(Kind.BAD_REQUEST, "message " + (i + 1) + " has no role"));
                return;
            }
        }
    }

    /** Checks for a body object with a {@code model} and {@code field}; true when both are there. */
    private static boolean requires(JsonNode body, String field, String what, List<Problem> out) {
        String needs = what + " is a JSON object with 'model' and '" + field + "'";
        if (body == null || !body.isObject()) {
            out.add(new Problem(
                    Kind.BAD_REQUEST, (body == null ? "no body" : "the body is not an object") + ": " + needs));
            return false;
        }
        List<String> missing = new ArrayList<>();
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) missing.add("'model'");
        if (!body.hasNonNull(field)) missing.add("'" + field + "'");
        if (!missing.isEmpty())
            out.add(new Problem(Kind.BAD_REQUEST, "no " + String.join(" and no ", missing) + ": " + needs));
        return missing.isEmpty();
    }

    private static void answer(String path, FixtureResponse r, String which, List<Problem> out) {
        if (r.events() != null) {
            stream(path, r.events(), which, out);
        } else if (r.body() != null && !r.body().isContainerNode()) {
            out.add(new Problem(
                    Kind.BAD_BODY,
                    which + "'s body is a JSON " + r.body().getNodeType().name().toLowerCase(Locale.ROOT)
                            + ", not an object or array: a body that is not JSON belongs in \"text\""));
        } else if (r.text() != null && String.valueOf(r.header("content-type")).contains("json")) {
            try {
                Json.parse(r.text());
            } catch (IllegalArgumentException e) {
                out.add(new Problem(
                        Kind.BAD_BODY,
                        which + " is labelled " + r.header("content-type") + " but its text is not JSON: "
                                + e.getMessage()));
            }
        }
    }

    private static void stream(String path, List<SseEvent> events, String which, List<Problem> out) {
        boolean chat = path.equals("/v1/chat/completions");
        boolean responses = path.equals("/v1/responses");
        if (!chat && !responses) return; // no other route of Groq's streams
        if (events.isEmpty()) {
            out.add(new Problem(Kind.BAD_STREAM, which + " is a stream without events"));
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            SseEvent e = events.get(i);
            if (e.isDone()) continue;
            try {
                Json.parse(e.data());
            } catch (IllegalArgumentException ex) {
                out.add(new Problem(
                        Kind.BAD_STREAM,
                        which + ": event " + (i + 1) + " of " + events.size() + " is not JSON: " + ex.getMessage()));
                return;
            }
        }
        if (chat) chatStreamEnd(events, which, out);
        else responsesStreamEnd(events, which, out);
    }

    /** A chat stream ends with {@code data: [DONE]}, or (Groq's in-band error) with an {@code event: error} and no [DONE]. */
    private static void chatStreamEnd(List<SseEvent> events, String which, List<Problem> out) {
        SseEvent last = events.get(events.size() - 1);
        if (last.isDone() || last.isError()) return;
        for (int i = events.size() - 1; i >= 0; i--) {
            SseEvent e = events.get(i);
            if (e.isDone() || e.isError()) {
                out.add(new Problem(
                        Kind.BAD_STREAM,
                        which + ": " + (e.isDone() ? "[DONE]" : "the error event") + " is followed by "
                                + events(events.size() - 1 - i) + "; it ends the stream"));
                return;
            }
        }
        out.add(new Problem(
                Kind.BAD_STREAM,
                which + " ends after " + events(events.size()) + " without data: [DONE] and is not an error stream"
                        + " (no event: error): it was cut short"));
    }

    /** A Responses stream has no [DONE]: it ends with response.completed, .failed or .incomplete, or an error event. */
    private static void responsesStreamEnd(List<SseEvent> events, String which, List<Problem> out) {
        for (SseEvent e : events) {
            if (e.isDone()) continue;
            String type = e.event() != null
                    ? e.event()
                    : Json.parse(e.data()).path("type").asText("");
            if (RESPONSES_STREAM_ENDS.contains(type)) return;
        }
        out.add(new Problem(
                Kind.BAD_STREAM,
                which + " ends after " + events(events.size()) + " without response.completed, response.failed,"
                        + " response.incomplete or an error event: it was cut short"));
    }

    private static String events(int n) {
        return n == 1 ? "1 event" : n + " events";
    }

    private static Route route(String regex, String... methods) {
        return new Route(Pattern.compile(regex), Set.of(methods));
    }
}
