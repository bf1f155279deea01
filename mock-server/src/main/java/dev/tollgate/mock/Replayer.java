package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.record.RecordingForwarder;
import dev.tollgate.mock.replay.ResponseStream;
import dev.tollgate.mock.replay.StreamAssembler;
import dev.tollgate.mock.replay.StreamSynthesizer;
import dev.tollgate.mock.replay.UsageChunk;
import dev.tollgate.mock.synthetic.SyntheticAnswers;
import dev.tollgate.mock.synthetic.SyntheticResponses;
import dev.tollgate.mock.usage.FixtureUsage;
import dev.tollgate.mock.validation.Refusal;
import dev.tollgate.mock.validation.RequestValidation;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers an API request the way Groq answered the recorded one: finds the fixture, applies faults,
 * converts between streamed and JSON answers when the request and the recording differ, and writes.
 */
final class Replayer {
    /** Larger request bodies are not kept in the journal, so a thousand long prompts cannot fill the heap. */
    private static final int JOURNAL_BODY_LIMIT = 256 * 1024;
    /**
     * Jackson reads bodies nested up to 1,000 levels, and writes no more than that either: a body near the limit,
     * inside a journal entry inside the journal's list, could not be written, and every later journal read would fail.
     */
    private static final int JOURNAL_DEPTH_LIMIT = 500;

    private final MockConfig config;
    private final Supplier<FixtureMatcher> matcher;
    private final Journal journal;
    private final ArmedFaults armedFaults;
    private final AnswerWriter writer;
    private final SyntheticAnswers synthetic = new SyntheticAnswers();
    private final SyntheticResponses syntheticResponses = new SyntheticResponses();
    private final ModelCatalog catalog;
    private final RecordingForwarder forwarder;
    private final FixtureUsage usage;
    private final RequestValidation validation;

    /** @param forwarder null, or where requests without a fixture (all requests in mode {@code all}) go to be recorded */
    Replayer(
            MockConfig config,
            Supplier<FixtureMatcher> matcher,
            Journal journal,
            ArmedFaults armedFaults,
            ModelCatalog catalog,
            RecordingForwarder forwarder,
            FixtureUsage usage) {
        this.config = config;
        this.usage = usage;
        this.forwarder = forwarder;
        this.catalog = catalog;
        this.matcher = matcher;
        this.journal = journal;
        this.armedFaults = armedFaults;
        this.writer = new AnswerWriter(config.pacing());
        this.validation = new RequestValidation(config.validation());
    }

    /** A request on an API path: answered from a fixture, synthesised, or refused as unmatched. */
    void handle(Context ctx, FixtureResponse fallback) {
        String method = ctx.method().name();
        String path = FixtureRequest.normalisePath(ctx.path());
        JsonNode body = null;
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > 0) {
            try {
                body = Json.parse(raw);
            } catch (IllegalArgumentException e) {
                respondOwnError(
                        ctx,
                        400,
                        "We could not parse the JSON body of your request: " + e.getMessage(),
                        "invalid_request_error",
                        null,
                        "invalid_json");
                return;
            }
        }
        JsonNode journalBody = raw.length > JOURNAL_BODY_LIMIT
                ? Json.MAPPER.getNodeFactory().textNode("(" + raw.length + " bytes, too large to keep)")
                : depth(body) > JOURNAL_DEPTH_LIMIT
                        ? Json.MAPPER
                                .getNodeFactory()
                                .textNode("(nested over " + JOURNAL_DEPTH_LIMIT + " levels deep, too deep to keep)")
                        : body;
        Refusal refusal = validation.check(method, path, body);
        if (refusal != null) {
            FixtureMatcher.Hit exempt = matcher.get().peek(method, path, body);
            if (exempt == null || !RequestValidation.exempts(exempt.fixture(), exempt.response())) {
                refuse(ctx, method, path, body, journalBody, RequestValidation.answer(refusal));
                return;
            }
        }
        Fault fault;
        try {
            String header = ctx.header("x-mock-fault");
            fault = armedFaults.take().overriddenBy(header == null ? Fault.NONE : Fault.parse(header));
        } catch (IllegalArgumentException e) {
            respondOwnError(
                    ctx,
                    400,
                    "Bad x-mock-fault header: " + e.getMessage(),
                    "invalid_request_error",
                    null,
                    "invalid_fault");
            return;
        }
        boolean stream = body != null && body.path("stream").asBoolean(false);
        boolean includeUsage = body != null
                && body.path("stream_options").path("include_usage").asBoolean(false);

        if (forwarder != null && fallback == null && forwarder.settings().forwardsEverything()) {
            forward(ctx, method, path, raw, stream, journalBody);
            return;
        }
        FixtureMatcher.Hit hit = matcher.get().find(method, path, body);
        FixtureResponse response;
        byte[] compactBody = null;
        String fixtureName = null;
        int turn = -1;
        if (hit != null) {
            response = hit.response();
            compactBody = hit.compactBody();
            fixtureName = hit.fixture().name();
            turn = hit.turn();
            usage.answered(fixtureName);
            fault = hit.fixture().fault().overriddenBy(fault);
        } else if (fallback != null) {
            response = fallback;
        } else if (forwarder != null) {
            forward(ctx, method, path, raw, stream, journalBody);
            return;
        } else if (config.mode() == MockConfig.Mode.SYNTHETIC && path.equals("/v1/chat/completions") && body != null) {
            response = SyntheticRequests.answer(synthetic, catalog, body);
            fixtureName = "(synthetic)";
        } else if (config.mode() == MockConfig.Mode.SYNTHETIC && path.equals("/v1/responses") && body != null) {
            response = SyntheticRequests.answerResponse(syntheticResponses, catalog, body);
            fixtureName = "(synthetic)";
        } else {
            FixtureMatcher.NearMiss miss = matcher.get().nearest(method, path, body);
            journal.add(entry(
                    journal.nextSeq(), ctx, method, path, stream, 404, null, -1, miss, null, journalBody, "complete"));
            respondNoMatch(ctx, method, path, miss, config.mode() == MockConfig.Mode.SYNTHETIC);
            return;
        }
        if (fault.status() != 0) {
            response = GroqErrors.forStatus(
                    fault.status(),
                    body == null ? "openai/gpt-oss-120b" : body.path("model").asText("openai/gpt-oss-120b"),
                    "req_mock" + Long.toHexString(System.nanoTime()));
            compactBody = null;
        }
        long seq = journal.nextSeq();
        journal.add(entry(
                seq,
                ctx,
                method,
                path,
                stream,
                response.status(),
                fixtureName,
                turn,
                null,
                fault,
                journalBody,
                "sending"));
        if (fault.delayMs() > 0) AnswerWriter.sleepUntil(System.nanoTime() + fault.delayMs() * 1_000_000);
        journal.finish(seq, write(ctx, response, compactBody, stream, includeUsage, fault));
    }

    /** How deeply {@code node} nests, counted without recursion (it may nest 1,000 deep), stopping past the journal's limit. */
    private static int depth(JsonNode node) {
        if (node == null) return 0;
        java.util.ArrayDeque<Map.Entry<JsonNode, Integer>> pending = new java.util.ArrayDeque<>();
        pending.push(Map.entry(node, 1));
        int deepest = 0;
        while (!pending.isEmpty() && deepest <= JOURNAL_DEPTH_LIMIT) {
            Map.Entry<JsonNode, Integer> next = pending.pop();
            deepest = Math.max(deepest, next.getValue());
            if (next.getKey().isContainerNode())
                for (JsonNode child : next.getKey())
                    if (child.isContainerNode()) pending.push(Map.entry(child, next.getValue() + 1));
        }
        return deepest;
    }

    /** Refused the way Groq refuses it: before any fixture, fault or upstream; journalled with no fixture. */
    private void refuse(
            Context ctx, String method, String path, JsonNode body, JsonNode journalBody, FixtureResponse answer) {
        long seq = journal.nextSeq();
        journal.add(entry(
                seq,
                ctx,
                method,
                path,
                body.path("stream").asBoolean(false),
                answer.status(),
                "(validation)",
                -1,
                null,
                null,
                journalBody,
                "sending"));
        journal.finish(seq, write(ctx, answer, null, false, false, Fault.NONE));
    }

    /** Forwarded to the upstream and recorded; the journal names the fixture it was recorded into. */
    private void forward(Context ctx, String method, String path, byte[] raw, boolean stream, JsonNode journalBody) {
        RecordingForwarder.Forwarded f =
                forwarder.forward(ctx.res(), method, path, raw, ctx.header("authorization"), stream);
        if (f.fixture() != null) usage.answered(f.fixture());
        journal.add(entry(
                journal.nextSeq(),
                ctx,
                method,
                path,
                stream,
                f.status(),
                f.fixture(),
                -1,
                null,
                null,
                journalBody,
                f.outcome()));
    }

    private String write(
            Context ctx, FixtureResponse r, byte[] compactBody, boolean stream, boolean includeUsage, Fault fault) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        if (r.isStream()) {
            if (stream) {
                return writer.stream(
                        ctx.req(), ctx.res(), r.status(), headers, UsageChunk.fitTo(r.events(), includeUsage), fault);
            }
            ObjectNode error = StreamAssembler.errorOf(r.events());
            int status = error != null ? StreamAssembler.errorStatus(r.events()) : r.status();
            JsonNode answer = error != null ? error : StreamAssembler.assemble(r.events());
            asJsonHeaders(headers, answer);
            return writer.json(
                    ctx.req(),
                    ctx.res(),
                    status,
                    headers,
                    Json.compact(answer).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    fault);
        }
        if (r.body() != null) {
            if (stream
                    && r.status() == 200
                    && "chat.completion".equals(r.body().path("object").asText())) {
                headers.remove("content-type");
                headers.put("cache-control", "no-cache");
                requestId(headers, r.body());
                return writer.stream(
                        ctx.req(),
                        ctx.res(),
                        200,
                        headers,
                        StreamSynthesizer.synthesize(r.body(), includeUsage),
                        fault);
            }
            if (stream
                    && r.status() == 200
                    && "response".equals(r.body().path("object").asText())) {
                headers.remove("content-type");
                headers.put("cache-control", "no-cache");
                return writer.stream(ctx.req(), ctx.res(), 200, headers, ResponseStream.synthesize(r.body()), fault);
            }
            requestId(headers, r.body());
            byte[] bytes = compactBody != null
                    ? compactBody
                    : Json.compact(r.body()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return writer.json(ctx.req(), ctx.res(), r.status(), headers, bytes, fault);
        }
        byte[] text = r.text() == null ? new byte[0] : r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        headers.putIfAbsent("content-type", "text/plain; charset=utf-8");
        return writer.json(ctx.req(), ctx.res(), r.status(), headers, text, fault);
    }

    private static void asJsonHeaders(Map<String, String> headers, JsonNode answer) {
        headers.put("content-type", "application/json");
        headers.put("cache-control", "private, max-age=0, no-store, no-cache, must-revalidate");
        requestId(headers, answer);
    }

    /** Groq's {@code x-request-id} header always equals the body's {@code x_groq.id}. */
    private static void requestId(Map<String, String> headers, JsonNode body) {
        String id = body.path("x_groq").path("id").asText(null);
        if (id != null) headers.put("x-request-id", id);
    }

    private void respondNoMatch(
            Context ctx, String method, String path, FixtureMatcher.NearMiss miss, boolean synthetic) {
        StringBuilder message = new StringBuilder("No fixture matches ")
                .append(method)
                .append(' ')
                .append(path)
                .append('.');
        if (miss != null) {
            message.append(" Nearest: ").append(miss.nearest().name());
            if (!miss.differences().isEmpty())
                message.append(", which differs at ").append(String.join(", ", miss.differences()));
            message.append('.');
        } else {
            message.append(" No fixtures are loaded.");
        }
        message.append(
                synthetic
                        ? " Synthetic mode answers POST /v1/chat/completions and POST /v1/responses with a JSON body; record this request or add a fixture."
                        : " Record this request, add a fixture, or start the mock with --mode synthetic.");
        ObjectNode body = GroqErrors.openAi(message.toString(), "invalid_request_error", null, "no_fixture_match");
        if (miss != null) {
            ((ObjectNode) body.get("error")).put("nearest", miss.nearest().name());
            miss.differences().forEach(((ObjectNode) body.get("error")).withArray("differences")::add);
        }
        ctx.status(404).contentType("application/json").result(Json.compact(body));
    }

    static void respondOwnError(Context ctx, int status, String message, String type, String param, String code) {
        ctx.status(status)
                .contentType("application/json")
                .result(Json.compact(GroqErrors.openAi(message, type, param, code)));
    }

    private static Journal.Entry entry(
            long seq,
            Context ctx,
            String method,
            String path,
            boolean stream,
            int status,
            String fixture,
            int turn,
            FixtureMatcher.NearMiss miss,
            Fault fault,
            JsonNode body,
            String outcome) {
        String faultText = fault == null || fault.isNone() ? null : describe(fault);
        return new Journal.Entry(
                seq,
                Instant.now().toString(),
                method,
                path,
                stream,
                status,
                fixture,
                turn,
                miss == null ? null : miss.nearest().name(),
                miss == null ? List.of() : miss.differences(),
                faultText,
                maskedKey(ctx.header("authorization")),
                outcome,
                body);
    }

    /** {@code Bearer gsk_abcdefgh1234} becomes {@code gsk_…1234}: enough to tell keys apart, never the secret. */
    static String maskedKey(String authorization) {
        if (authorization == null) return null;
        String token = authorization.replaceFirst("(?i)^bearer\\s+", "").trim();
        if (token.length() < 12) return "…";
        return token.substring(0, 4) + "…" + token.substring(token.length() - 4);
    }

    private static String describe(Fault f) {
        List<String> parts = new java.util.ArrayList<>();
        if (f.status() != 0) parts.add("status=" + f.status());
        if (f.delayMs() != 0) parts.add("delay=" + f.delayMs());
        if (f.cutAfter() != 0) parts.add("cut=" + f.cutAfter());
        if (f.malformed()) parts.add("malformed");
        return String.join(",", parts);
    }
}
