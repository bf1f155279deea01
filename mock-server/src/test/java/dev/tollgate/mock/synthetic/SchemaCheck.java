package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tollgate.fixture.Json;
import java.util.List;

/** Validates instances with an independent validator (draft 2020-12, formats asserted). */
public final class SchemaCheck {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private SchemaCheck() {}

    /** The validator's complaints about {@code instance}; empty when it is valid. */
    public static List<String> errors(JsonNode schema, String instance) {
        List<Error> errors =
                REGISTRY.getSchema(Json.compact(schema), InputFormat.JSON).validate(instance, InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }

    static List<String> errors(JsonNode schema, JsonNode instance) {
        return errors(schema, Json.compact(instance));
    }
}
