package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Folding several schemas into one ({@code allOf}, or a {@code $ref}/{@code anyOf} branch with its siblings). */
final class SchemaMerge {
    private static final Set<String> LOWER_BOUNDS =
            Set.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
    private static final Set<String> UPPER_BOUNDS =
            Set.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");

    private SchemaMerge() {}

    /** Adds {@code source}'s constraints to {@code target}: properties and required are combined, bounds tightened, types intersected. */
    static void into(ObjectNode target, JsonNode source) {
        if (!source.isObject()) return;
        for (var field : source.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (existing == null) {
                target.set(key, value.deepCopy());
            } else if (key.equals("properties") && existing.isObject() && value.isObject()) {
                ObjectNode properties = (ObjectNode) existing;
                for (var p : value.properties()) {
                    JsonNode mine = properties.get(p.getKey());
                    properties.set(
                            p.getKey(),
                            mine == null
                                    ? p.getValue().deepCopy()
                                    : Json.MAPPER
                                            .createObjectNode()
                                            .set(
                                                    "allOf",
                                                    Json.MAPPER
                                                            .createArrayNode()
                                                            .add(mine)
                                                            .add(p.getValue().deepCopy())));
                }
            } else if (key.equals("required") && existing.isArray() && value.isArray()) {
                Set<String> names = new LinkedHashSet<>();
                existing.forEach(n -> names.add(n.asText()));
                value.forEach(n -> names.add(n.asText()));
                ArrayNode union = target.putArray("required");
                names.forEach(union::add);
            } else if (key.equals("type")) {
                List<String> both = withInteger(types(existing));
                both.retainAll(withInteger(types(value)));
                if (!both.isEmpty()) {
                    ArrayNode type = target.putArray("type");
                    both.forEach(type::add);
                }
            } else if (existing.isNumber() && value.isNumber() && LOWER_BOUNDS.contains(key)) {
                if (value.decimalValue().compareTo(existing.decimalValue()) > 0) target.set(key, value);
            } else if (existing.isNumber() && value.isNumber() && UPPER_BOUNDS.contains(key)) {
                if (value.decimalValue().compareTo(existing.decimalValue()) < 0) target.set(key, value);
            }
        }
    }

    /** The type to generate: the first non-null one named, else what the keywords present imply. */
    static String type(JsonNode schema) {
        List<String> named = types(schema.path("type"));
        for (String t : named) if (!t.equals("null")) return t;
        if (!named.isEmpty()) return "null";
        if (has(schema, "properties", "required", "additionalProperties", "minProperties", "maxProperties"))
            return "object";
        if (has(schema, "items", "prefixItems", "minItems", "maxItems", "uniqueItems")) return "array";
        if (has(schema, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) return "number";
        return "string";
    }

    private static List<String> types(JsonNode type) {
        List<String> names = new ArrayList<>();
        if (type.isTextual()) names.add(type.textValue());
        else type.forEach(t -> names.add(t.asText()));
        return names;
    }

    /** An integer is also a number, so {@code number} and {@code integer} intersect in {@code integer}. */
    private static List<String> withInteger(List<String> types) {
        if (types.contains("number") && !types.contains("integer")) types.add("integer");
        return types;
    }

    private static boolean has(JsonNode schema, String... keywords) {
        for (String k : keywords) if (schema.has(k)) return true;
        return false;
    }
}
