package dev.tollgate.mock.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSchemaSamplerTest {

    static Stream<String> schemas() {
        return Stream.of("""
                {"type":"object","additionalProperties":false,"required":["name","age","email"],
                 "properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":18,"maximum":20},
                               "email":{"type":"string","format":"email"}}}""", """
                {"$defs":{"address":{"type":"object","additionalProperties":false,"required":["street","zip"],
                   "properties":{"street":{"type":"string","maxLength":8},"zip":{"type":"string","pattern":"^[0-9]{5}$"}}}},
                 "type":"object","required":["home","work"],
                 "properties":{"home":{"$ref":"#/$defs/address"},"work":{"$ref":"#/$defs/address","description":"office"}}}""", """
                {"definitions":{"colour":{"type":"string","enum":["red","green","blue"]}},
                 "type":"array","items":{"$ref":"#/definitions/colour"},"minItems":3,"uniqueItems":true}""", """
                {"type":"object","required":["nickname","score","tags"],
                 "properties":{"nickname":{"anyOf":[{"type":"null"},{"type":"string","minLength":30}]},
                               "score":{"type":["number","null"],"exclusiveMinimum":0,"exclusiveMaximum":1},
                               "tags":{"type":["array","null"],"items":{"type":"string"}}}}""", """
                {"type":"array","minItems":2,"uniqueItems":true,
                 "items":{"type":"array","minItems":2,"maxItems":3,"items":{"type":"integer","multipleOf":7,"minimum":50}}}""", """
                {"type":"object","properties":{
                   "day":{"type":"string","format":"date"},"at":{"type":"string","format":"date-time"},
                   "clock":{"type":"string","format":"time"},"site":{"type":"string","format":"uri"},
                   "ref":{"type":"string","format":"uuid"},"v4":{"type":"string","format":"ipv4"},
                   "v6":{"type":"string","format":"ipv6"},"host":{"type":"string","format":"hostname"},
                   "span":{"type":"string","format":"duration"},"mail":{"type":"string","format":"email"}}}""", """
                {"oneOf":[{"type":"string","maxLength":3},{"type":"integer"}]}""", """
                {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                          {"properties":{"b":{"type":"boolean"},"a":{"minLength":20}},"required":["b"]}]}""", """
                {"$defs":{"node":{"type":"object","required":["name","children"],
                   "properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}},
                 "$ref":"#/$defs/node"}""", """
                {"$defs":{"item":{"type":"object","additionalProperties":false,"required":["value","next"],
                   "properties":{"value":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/item"},{"type":"null"}]}}}},
                 "$ref":"#/$defs/item"}""", """
                {"type":"object","properties":{"kind":{"const":"event"},"level":{"type":"integer","default":3}}}""", """
                {"type":"array","prefixItems":[{"type":"string"},{"type":"number"},{"type":"boolean"}],"items":false}""", """
                {"type":"object","properties":{
                   "code":{"type":"string","pattern":"^[A-Z]{3}-\\\\d{4}$"},
                   "word":{"type":"string","pattern":"^(foo|bar)+_[a-z]?x$"},
                   "free":{"type":"string","pattern":"[^a-z ]{2,}"}}}""", """
                {"type":"object","additionalProperties":{"type":"integer"},"minProperties":2}""", """
                {"type":"object","properties":{
                   "ratio":{"type":"number","minimum":0.1,"maximum":0.2},
                   "debt":{"type":"integer","exclusiveMaximum":0},
                   "price":{"type":"number","multipleOf":0.25,"minimum":1000},
                   "tiny":{"type":"number","exclusiveMinimum":5,"exclusiveMaximum":5.001}}}""", "{}", "true", """
                {"type":"object","properties":{"when":{"type":["string","null"],"format":"date"}},
                 "required":["when"],"additionalProperties":false}""");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void samplesAreValidAndStable(String text) {
        JsonNode schema = Json.parse(text);
        JsonNode sample = JsonSchemaSampler.sample(schema);

        assertThat(SchemaCheck.errors(schema, sample))
                .as("sample %s", Json.compact(sample))
                .isEmpty();
        assertThat(Json.compact(JsonSchemaSampler.sample(Json.parse(text)))).isEqualTo(Json.compact(sample));
    }

    @Test
    void valuesFollowTheSchemaHints() {
        JsonNode sample = JsonSchemaSampler.sample(Json.parse("""
                {"type":"object","properties":{
                   "colour":{"type":"string","enum":["red","green"]},
                   "kind":{"const":"event"},"level":{"type":"integer","default":3},
                   "city":{"type":"string"},"maybe":{"type":["null","boolean"]}}}"""));

        assertThat(Json.compact(sample))
                .isEqualTo(
                        "{\"colour\":\"red\",\"kind\":\"event\",\"level\":3,\"city\":\"example city\",\"maybe\":true}");
    }

    @Test
    void arrayItemsDifferSoUniqueItemsHolds() {
        JsonNode sample = JsonSchemaSampler.sample(Json.parse("""
                {"type":"array","minItems":3,"uniqueItems":true,
                 "items":{"type":"object","properties":{"id":{"type":"integer"},"label":{"type":"string"}}}}"""));

        assertThat(sample).hasSize(3);
        assertThat(sample.get(0)).isNotEqualTo(sample.get(1)).isNotEqualTo(sample.get(2));
    }

    @Test
    void recursiveSchemasEnd() {
        JsonNode sample = JsonSchemaSampler.sample(Json.parse("""
                {"type":"object","required":["name","children"],
                 "properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#"}}}}"""));

        assertThat(Json.compact(sample)).contains("\"children\":[]");
    }

    @Test
    void patternsAreMatchedWhenThePlainValueDoesNot() {
        JsonNode sample = JsonSchemaSampler.sample(Json.parse("""
                {"type":"string","pattern":"^[A-Z]{2}\\\\d{3}(-[a-f0-9]{4})?$"}"""));

        assertThat(sample.textValue()).matches("[A-Z]{2}\\d{3}(-[a-f0-9]{4})?");
    }

    @Test
    void oddSchemasDoNotThrow() {
        for (String odd : new String[] {
            "false",
            "[]",
            "42",
            "{\"$ref\":\"https://example.com/x.json\"}",
            "{\"$ref\":\"#/$defs/missing\"}",
            "{\"type\":\"string\",\"pattern\":\"(unclosed\"}",
            "{\"type\":\"object\",\"required\":\"name\"}",
            "{\"anyOf\":[]}",
            "{\"type\":[]}",
            "{\"$ref\":\"#\"}",
            "{\"type\":\"string\",\"pattern\":\"(?<open\"}",
            "{\"type\":\"string\",\"pattern\":\"\\\\p{L\"}",
            "{\"type\":\"string\",\"minLength\":2000000000}",
            "{\"type\":\"array\",\"minItems\":2000000000}"
        }) {
            JsonSchemaSampler.sample(Json.parse(odd));
        }
    }

    @Test
    void schemasWithNoFiniteInstanceStayBounded() {
        JsonNode sample = JsonSchemaSampler.sample(Json.parse("""
                {"type":"object","required":["a","b","c"],
                 "properties":{"a":{"$ref":"#"},"b":{"$ref":"#"},"c":{"$ref":"#"}}}"""));

        assertThat(Json.compact(sample).length()).isLessThan(1_000_000);
    }

    @Test
    void theValidatorUsedHereRejectsWrongInstances() {
        assertThat(SchemaCheck.errors(Json.parse("{\"type\":\"string\",\"format\":\"email\"}"), "\"nope\""))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(Json.parse("{\"required\":[\"a\"]}"), "{}"))
                .isNotEmpty();
    }
}
