package dev.tollgate.mock.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.record.RecordedBodies;
import dev.tollgate.fixture.record.RecordedHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads VCR.py YAML cassettes. Bodies come in several shapes depending on the recorder's serializer:
 * {@code body: '<text>'}, {@code body: {string: '<text>'}}, {@code !!binary} (often gzip), or
 * pydantic-ai's {@code parsed_body:} (the JSON as a YAML tree; its keys are already re-sorted). Anchors and aliases
 * (a body written once, {@code &body}, and used again, {@code *body}) are resolved by {@link YamlTree}.
 */
final class VcrCassetteReader {
    private VcrCassetteReader() {}

    static List<RecordedExchange> read(String content) {
        JsonNode root;
        try {
            root = YamlTree.read(content); // anchors and aliases resolved; numbers exact, as Json.MAPPER keeps them
        } catch (JsonProcessingException e) {
            throw new ImportException("not valid YAML: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new ImportException("not valid YAML: " + e.getMessage(), e);
        } catch (ImportException e) {
            throw new ImportException("not importable YAML: " + e.getMessage(), e);
        }
        JsonNode interactions = root.path("interactions");
        if (!interactions.isArray()) throw new ImportException("a VCR cassette needs an 'interactions' list");
        List<RecordedExchange> out = new ArrayList<>();
        int n = 0;
        for (JsonNode interaction : interactions) {
            n++;
            try {
                out.add(exchange(interaction));
            } catch (IllegalArgumentException e) {
                throw new ImportException("interaction " + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static RecordedExchange exchange(JsonNode interaction) {
        JsonNode req = interaction.path("request");
        JsonNode res = interaction.path("response");
        String url = req.path("uri").asText(null);
        if (url == null) throw new IllegalArgumentException("request.uri is missing");
        JsonNode requestBody = req.has("parsed_body")
                ? nullIfEmpty(req.get("parsed_body"))
                : RecordedBodies.requestBody(bodyText(req.get("body")));
        FixtureRequest request =
                new FixtureRequest(req.path("method").asText("POST"), FixtureRequest.normalisePath(url), requestBody);

        RecordedHeaders headers = RecordedHeaders.fromObject(res.path("headers"));
        int status = res.path("status").isObject()
                ? res.path("status").path("code").asInt()
                : res.path("status").asInt();
        FixtureResponse response =
                res.has("parsed_body") && !res.get("parsed_body").isNull()
                        ? FixtureResponse.json(status, headers.kept(), res.get("parsed_body"))
                        : RecordedBodies.response(status, headers.kept(), bodyText(res.get("body")));
        return new RecordedExchange(request, response, url, headers.capturedAt());
    }

    /** The text of a VCR body in any of its shapes, or null when there is none. */
    private static String bodyText(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) return null;
        if (body.isBinary()) {
            try {
                return RecordedBodies.text(body.binaryValue());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("unreadable binary body", e);
            }
        }
        if (body.isObject()) {
            if (body.has("string")) return bodyText(body.get("string"));
            if (body.has("base64_string"))
                return RecordedBodies.text(java.util.Base64.getMimeDecoder()
                        .decode(body.get("base64_string").asText()));
            return null;
        }
        return body.asText();
    }

    private static JsonNode nullIfEmpty(JsonNode node) {
        return node == null
                        || node.isNull()
                        || (node.isTextual() && node.asText().isEmpty())
                ? null
                : node;
    }
}
