package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The models the mock lists when no fixture answers {@code GET /v1/models}: Groq's entries for
 * gpt-oss-120b and gpt-oss-20b, with Groq's extra fields ({@code context_window}, {@code max_completion_tokens}, …).
 */
final class ModelCatalog {
    private final JsonNode list;

    ModelCatalog() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("models.json")) {
            list = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode list() {
        return list;
    }

    /** The entry for {@code id}, or null. */
    JsonNode find(String id) {
        for (JsonNode model : list.path("data")) if (model.path("id").asText().equals(id)) return model;
        return null;
    }
}
