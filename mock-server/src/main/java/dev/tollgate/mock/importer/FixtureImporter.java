package dev.tollgate.mock.importer;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.MatchKey;
import dev.tollgate.fixture.MatchRules;
import dev.tollgate.fixture.Recording;
import dev.tollgate.fixture.record.SecretFoundException;
import dev.tollgate.fixture.record.SecretScan;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a recording made by another tool (VCR.py cassette, HAR, raw SSE capture, req_llm fixture)
 * into fixtures. Exchanges with the same request (same match key) become the turns of one fixture,
 * in recorded order; distinct requests become separate fixtures {@code <base>-1}, {@code <base>-2}, …
 */
public final class FixtureImporter {
    static final String GROQ_UPSTREAM = "https://api.groq.com/openai/v1";

    private FixtureImporter() {}

    /** Imports {@code file}, naming fixtures after the file (without extension). */
    public static List<Fixture> importFile(Path file) {
        return importFile(file, baseName(file));
    }

    /** Imports {@code file}, naming fixtures {@code baseName} (or {@code baseName-1}, {@code -2}, … for several). */
    public static List<Fixture> importFile(Path file, String baseName) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        try {
            return importContent(content, fileName, baseName);
        } catch (ImportException | IllegalArgumentException e) {
            throw new ImportException(file + ": " + e.getMessage(), e);
        }
    }

    /** Imports recording text; {@code fileName} is only used in {@code recorded.source} and placeholders. */
    public static List<Fixture> importContent(String content, String fileName, String baseName) {
        ImportFormat format = ImportFormat.detect(content);
        List<RecordedExchange> exchanges = switch (format) {
            case VCR -> VcrCassetteReader.read(content);
            case HAR -> HarReader.read(content);
            case SSE -> SseCaptureReader.read(content, fileName);
            case REQ_LLM -> ReqLlmReader.read(content);
        };
        if (exchanges.isEmpty()) throw new ImportException("the recording holds no exchanges");
        String source = "imported from " + fileName + " (" + format.label() + ")";
        List<Fixture> fixtures = group(exchanges, baseName, source);
        try {
            fixtures.forEach(SecretScan::check);
        } catch (SecretFoundException e) {
            throw new ImportException(e.getMessage() + "; remove it from the recording and import again", e);
        }
        return fixtures;
    }

    private static List<Fixture> group(List<RecordedExchange> exchanges, String baseName, String source) {
        Map<String, List<RecordedExchange>> byRequest = new LinkedHashMap<>();
        for (RecordedExchange e : exchanges)
            byRequest.computeIfAbsent(requestKey(e), k -> new ArrayList<>()).add(e);
        List<Fixture> fixtures = new ArrayList<>();
        int n = 0;
        for (List<RecordedExchange> turns : byRequest.values()) {
            n++;
            RecordedExchange first = turns.get(0);
            String name = byRequest.size() == 1 ? baseName : baseName + "-" + n;
            List<FixtureResponse> responses =
                    turns.stream().map(RecordedExchange::response).toList();
            Recording recorded = new Recording(first.at(), upstream(first.url()), source);
            fixtures.add(new Fixture(name, first.request(), MatchRules.NONE, responses, null, recorded));
        }
        return fixtures;
    }

    private static String requestKey(RecordedExchange e) {
        return e.request().method() + " " + e.request().path() + " "
                + MatchKey.canonical(e.request().body(), MatchRules.DEFAULT_IGNORED);
    }

    /** Groq's OpenAI base URL when the host is Groq's, else the origin ({@code scheme://host[:port]}). */
    static String upstream(String url) {
        if (url == null) return null;
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) return null;
            if (uri.getHost().equalsIgnoreCase("api.groq.com")) return GROQ_UPSTREAM;
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code test_chat[system].yaml} becomes {@code test_chat-system}: a name safe as a file name. */
    static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) name = name.substring(0, dot);
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return safe.isEmpty() ? "imported" : safe;
    }
}
