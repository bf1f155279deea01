package dev.tollgate.proxy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAI's published component schemas ({@code openai/openai-schemas.json}, extracted from OpenAI's
 * OpenAPI document by {@link RegenerateOpenAiSchemas}) checked by an independent validator: draft 2020-12,
 * formats asserted.
 */
public final class OpenAiSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final ObjectNode DOCUMENT = load();
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenAiSchemas() {}

    /** The validator's complaints about {@code json} as the component {@code name} (e.g. {@code ErrorResponse}); empty when valid. */
    public static List<String> errors(String name, String json) {
        return SCHEMAS.computeIfAbsent(name, OpenAiSchemas::schema).validate(json, InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }

    public static List<String> errors(String name, JsonNode json) {
        return errors(name, Json.compact(json));
    }

    /** The whole document with a root {@code $ref} to one component, so references between components resolve. */
    private static Schema schema(String name) {
        if (!DOCUMENT.path("$defs").has(name))
            throw new IllegalArgumentException("no schema " + name + " in openai-schemas.json");
        ObjectNode root = DOCUMENT.deepCopy();
        root.put("$ref", "#/$defs/" + name);
        return REGISTRY.getSchema(Json.compact(root), InputFormat.JSON);
    }

    private static ObjectNode load() {
        try (InputStream in = OpenAiSchemas.class.getResourceAsStream("/openai/openai-schemas.json")) {
            if (in == null) throw new IllegalStateException("openai/openai-schemas.json is not on the test class path");
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
