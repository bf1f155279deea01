package dev.tollgate.mock.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.record.RecordedBodies;
import dev.tollgate.fixture.record.RecordedHeaders;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads HAR 1.2 files (browser devtools, mitmproxy, Charles exports). Only entries for an OpenAI/Groq
 * API path are imported, so a whole-page capture can be fed in as it is.
 */
final class HarReader {
    private static final Pattern API_PATH = Pattern.compile("^/(openai/)?v1(/.*)?$");

    private HarReader() {}

    static List<RecordedExchange> read(String content) {
        JsonNode entries = Json.parse(content).path("log").path("entries");
        List<RecordedExchange> out = new ArrayList<>();
        int n = 0;
        for (JsonNode entry : entries) {
            n++;
            String url = entry.path("request").path("url").asText("");
            if (!isApiCall(url)) continue;
            try {
                out.add(exchange(entry, url));
            } catch (IllegalArgumentException e) {
                throw new ImportException("entry " + n + " (" + url + "): " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) throw new ImportException("no entry calls an OpenAI/Groq API path (/v1/… or /openai/v1/…)");
        return out;
    }

    static boolean isApiCall(String url) {
        return !url.isEmpty() && API_PATH.matcher(pathOf(url)).matches();
    }

    private static RecordedExchange exchange(JsonNode entry, String url) {
        JsonNode req = entry.path("request");
        JsonNode postData = req.path("postData");
        JsonNode body = postData.has("text")
                ? RecordedBodies.requestBody(postData.get("text").asText())
                : null;
        FixtureRequest request =
                new FixtureRequest(req.path("method").asText("GET"), FixtureRequest.normalisePath(url), body);

        JsonNode res = entry.path("response");
        RecordedHeaders headers = new RecordedHeaders();
        for (JsonNode h : res.path("headers"))
            headers.add(h.path("name").asText(null), h.path("value").asText(null));
        JsonNode content = res.path("content");
        if (headers.first("content-type") == null
                && content.hasNonNull("mimeType")
                && !content.get("mimeType").asText().isEmpty()) {
            headers.add("content-type", content.get("mimeType").asText());
        }
        String text = content.hasNonNull("text") ? content.get("text").asText() : null;
        if (text != null && "base64".equalsIgnoreCase(content.path("encoding").asText())) {
            text = RecordedBodies.text(Base64.getMimeDecoder().decode(text));
        }
        FixtureResponse response = RecordedBodies.response(res.path("status").asInt(), headers.kept(), text);
        if (response.isStream())
            response = spread(response, entry.path("timings").path("receive").asDouble(0));
        return new RecordedExchange(
                request,
                response,
                url,
                RecordedHeaders.isoInstant(entry.path("startedDateTime").asText(null)));
    }

    /** HAR only times the whole body: spread the events evenly over the receive time (the replay's pacing does not rely on it). */
    private static FixtureResponse spread(FixtureResponse response, double receiveMs) {
        List<SseEvent> events = response.events();
        if (receiveMs <= 0 || events.size() < 2) return response;
        List<SseEvent> timed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++)
            timed.add(events.get(i).at(Math.round(receiveMs * i / (events.size() - 1))));
        return FixtureResponse.stream(response.status(), response.headers(), timed);
    }

    /** The path part of a URL (no origin, no query). */
    private static String pathOf(String url) {
        String path = url.replaceFirst("^[a-zA-Z]+://[^/]+", "");
        int query = path.indexOf('?');
        return query >= 0 ? path.substring(0, query) : path;
    }
}
