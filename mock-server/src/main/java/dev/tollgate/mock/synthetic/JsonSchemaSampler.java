package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds one deterministic instance valid against a JSON schema (best effort for {@code pattern}
 * and for combinations no instance can satisfy). Strings read {@code "example <property>"}; objects
 * carry every listed property; arrays hold one item unless {@code minItems} asks for more.
 * {@code default}, {@code const} and the first {@code enum} value win; {@code anyOf}/{@code oneOf}
 * take the first non-null branch; {@code allOf} is merged; {@code $ref} follows local JSON pointers.
 */
public final class JsonSchemaSampler {
    /** Past this nesting, objects keep only required properties and arrays only {@code minItems}, so recursive schemas end. */
    private static final int SHALLOW_FROM = 8;
    /** A schema that recurses through required properties has no finite instance; stop with null. */
    private static final int GIVE_UP_AT = 32;

    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    /** Values generated at most; beyond it everything is null, so no schema can make the sample explode. */
    private static final int MAX_VALUES = 10_000;

    /**
     * Characters of strings and copied values at most (about 1 MB of answer): 10,000 values of a
     * {@code minLength} of 100,000 would otherwise be a gigabyte. Past it, strings are cut and values null.
     */
    static final int MAX_CHARS = 1_000_000;

    private final JsonNode root;
    private int valuesLeft = MAX_VALUES;
    private long charsLeft = MAX_CHARS;
    private final java.util.Map<JsonNode, Integer> copiedSizes = new java.util.IdentityHashMap<>();

    private JsonSchemaSampler(JsonNode root) {
        this.root = root;
    }

    public static JsonNode sample(JsonNode schema) {
        return new JsonSchemaSampler(schema).value(schema, "value", 0, 0);
    }

    private JsonNode value(JsonNode schema, String name, int variant, int depth) {
        if (depth >= GIVE_UP_AT || --valuesLeft < 0 || charsLeft <= 0) return NODES.nullNode();
        if (schema == null
                || schema.isMissingNode()
                || schema.isNull()
                || schema.isBoolean() && schema.booleanValue()) {
            return charged(ScalarSamples.string(MissingNode.getInstance(), name, variant, (int) charsLeft));
        }
        if (!schema.isObject()) return NODES.nullNode(); // the false schema: nothing is valid
        if (schema.path("$ref").isTextual()) {
            ObjectNode merged = without(schema, "$ref");
            SchemaMerge.into(merged, resolve(schema.path("$ref").textValue()));
            return value(merged, name, variant, depth + 1);
        }
        if (schema.has("default")) return copy(schema.get("default"));
        if (schema.has("const")) return copy(schema.get("const"));
        JsonNode choices = schema.path("enum");
        if (choices.isArray() && !choices.isEmpty()) return copy(choices.get(variant % choices.size()));
        if (schema.path("allOf").isArray()) {
            ObjectNode merged = without(schema, "allOf");
            for (JsonNode part : schema.path("allOf"))
                SchemaMerge.into(
                        merged,
                        part.path("$ref").isTextual()
                                ? resolve(part.path("$ref").textValue())
                                : part);
            return value(merged, name, variant, depth + 1);
        }
        for (String keyword : new String[] {"anyOf", "oneOf"}) {
            if (schema.path(keyword).isArray() && !schema.path(keyword).isEmpty()) {
                ObjectNode merged = without(schema, keyword);
                SchemaMerge.into(merged, branch(schema.path(keyword), depth));
                return value(merged, name, variant, depth + 1);
            }
        }
        return switch (SchemaMerge.type(schema)) {
            case "object" -> object(schema, variant, depth);
            case "array" -> array(schema, name, variant, depth);
            case "integer" -> ScalarSamples.number(schema, name, variant, true);
            case "number" -> ScalarSamples.number(schema, name, variant, false);
            case "boolean" -> NODES.booleanNode(variant % 2 == 0);
            case "null" -> NODES.nullNode();
            default -> charged(ScalarSamples.string(schema, name, variant, (int) charsLeft));
        };
    }

    private JsonNode charged(JsonNode text) {
        charsLeft -= text.textValue().length();
        return text;
    }

    /** A value from the schema itself, charged by its size (measured once per node: it may be copied into every item). */
    private JsonNode copy(JsonNode value) {
        int size = copiedSizes.computeIfAbsent(value, v -> Json.compact(v).length());
        if (size > charsLeft) return NODES.nullNode();
        charsLeft -= size;
        return value.deepCopy();
    }

    /** The first branch that is not just null; when deep, the first that does not recurse. */
    private JsonNode branch(JsonNode branches, int depth) {
        if (depth >= SHALLOW_FROM) {
            for (JsonNode b : branches) if (!b.has("$ref")) return b;
        }
        for (JsonNode b : branches)
            if (!SchemaMerge.type(
                            b.path("$ref").isTextual() ? resolve(b.path("$ref").textValue()) : b)
                    .equals("null")) return b;
        return branches.get(0);
    }

    private JsonNode object(JsonNode schema, int variant, int depth) {
        ObjectNode out = NODES.objectNode();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        int optionalRoom = schema.path("maxProperties").asInt(Integer.MAX_VALUE) - required.size();
        boolean shallow = depth >= SHALLOW_FROM;
        for (var property : schema.path("properties").properties()) {
            boolean optional = !required.contains(property.getKey());
            if (optional && (shallow || optionalRoom <= 0)) continue;
            if (optional) optionalRoom--;
            out.set(property.getKey(), value(property.getValue(), property.getKey(), variant, depth + 1));
        }
        JsonNode extra = schema.path("additionalProperties");
        JsonNode extraSchema = extra.isObject() ? extra : MissingNode.getInstance();
        for (String name : required) {
            if (!out.has(name)) out.set(name, value(extraSchema, name, variant, depth + 1));
        }
        int minProperties = schema.path("minProperties").asInt(0);
        for (int n = 1;
                out.size() < minProperties && !(extra.isBoolean() && !extra.booleanValue()) && valuesLeft > 0;
                n++) {
            String name = "property_" + n;
            if (!out.has(name)) out.set(name, value(extraSchema, name, variant, depth + 1));
        }
        return out;
    }

    private JsonNode array(JsonNode schema, String name, int variant, int depth) {
        JsonNode tuple = schema.path("prefixItems").isArray()
                ? schema.path("prefixItems")
                : schema.path("items").isArray() ? schema.path("items") : NODES.arrayNode();
        JsonNode rest = schema.path("prefixItems").isArray()
                ? schema.path("items")
                : schema.path("items").isArray() ? schema.path("additionalItems") : schema.path("items");
        int min = schema.path("minItems").asInt(0);
        int max = schema.path("maxItems").asInt(Integer.MAX_VALUE);
        int wanted = depth >= SHALLOW_FROM ? min : Math.max(min, Math.max(1, tuple.size()));
        if (rest.isBoolean() && !rest.booleanValue()) wanted = Math.min(wanted, tuple.size());
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < Math.min(wanted, max) && valuesLeft > 0; i++) {
            out.add(value(i < tuple.size() ? tuple.get(i) : rest, name, variant + i, depth + 1));
        }
        return out;
    }

    /** A local reference ({@code #}, {@code #/$defs/x}, {@code #/definitions/x}, any JSON pointer); anything else is an empty schema. */
    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) return NODES.objectNode();
        try {
            JsonNode target = root.at(ref.substring(1));
            return target.isMissingNode() ? NODES.objectNode() : target;
        } catch (IllegalArgumentException e) {
            return NODES.objectNode();
        }
    }

    private static ObjectNode without(JsonNode schema, String keyword) {
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove(keyword);
        return copy;
    }
}
