package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.record.RecordedBodies;
import dev.tollgate.fixture.record.RecordedHeaders;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;

/**
 * Reads req_llm's JSON fixtures: {@code request{method,url,body.b64,canonical_json}},
 * {@code response{status,headers,body}} and, for streams, {@code chunks[].b64} with the raw SSE bytes
 * as received (one network read per chunk, so an event may span two chunks).
 */
final class ReqLlmReader {
    private ReqLlmReader() {}

    static List<RecordedExchange> read(String content) {
        JsonNode root = Json.parse(content);
        JsonNode req = root.path("request");
        JsonNode res = root.path("response");
        String url = req.path("url").asText(null);
        if (url == null) throw new ImportException("a req_llm fixture needs request.url");
        try {
            FixtureRequest request = new FixtureRequest(
                    req.path("method").asText("POST"), FixtureRequest.normalisePath(url), requestBody(req));
            RecordedHeaders headers = RecordedHeaders.fromObject(res.path("headers"));
            FixtureResponse response = response(root, res.path("status").asInt(), headers);
            String at = root.has("captured_at")
                    ? RecordedHeaders.isoInstant(root.get("captured_at").asText())
                    : headers.capturedAt();
            return List.of(new RecordedExchange(request, response, url, at));
        } catch (IllegalArgumentException e) {
            throw new ImportException(e.getMessage(), e);
        }
    }

    /** The body as sent ({@code body.b64}, original key order); {@code canonical_json} only as a fallback. */
    private static JsonNode requestBody(JsonNode req) {
        JsonNode b64 = req.path("body").path("b64");
        if (b64.isTextual())
            return RecordedBodies.requestBody(
                    RecordedBodies.text(Base64.getMimeDecoder().decode(b64.asText())));
        JsonNode canonical = req.get("canonical_json");
        return canonical == null || canonical.isNull() ? null : canonical;
    }

    private static FixtureResponse response(JsonNode root, int status, RecordedHeaders headers) {
        JsonNode chunks = root.path("chunks");
        if (chunks.isArray() && !chunks.isEmpty()) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (JsonNode chunk : chunks)
                raw.writeBytes(Base64.getMimeDecoder().decode(chunk.path("b64").asText()));
            return RecordedBodies.response(status, headers.kept(), RecordedBodies.text(raw.toByteArray()));
        }
        JsonNode body = root.path("response").path("body");
        if (body.isObject() || body.isArray()) return FixtureResponse.json(status, headers.kept(), body);
        return RecordedBodies.response(status, headers.kept(), body.isTextual() ? body.asText() : null);
    }
}
