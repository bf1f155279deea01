package dev.tollgate.proxy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutations of a valid JSON request body: fields set to a value of the wrong type, size or sign (number literals
 * no Java number holds included), fields removed, deep nesting, and damage to the bytes (cut short, invalid UTF-8,
 * control bytes). {@link #what} says what was done, for the report.
 */
final class JsonMutations {
    /** JSON written as it is: numbers no Java number holds, and a string that is a lone UTF-16 surrogate. */
    private static final List<String> RAW_LITERALS = List.of(
            "1e999999999",
            "-1e999999999",
            "1E-999999999",
            "123456789012345678901234567890",
            "-9223372036854775809",
            "1" + "0".repeat(1_500),
            "0.00000000000000000000001",
            "\"\\ud800\"");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;
    private final List<String> raw = new ArrayList<>();
    private final StringBuilder what = new StringBuilder();

    JsonMutations(Random random) {
        this.random = random;
    }

    /** {@code valid} with one to three of {@code paths} (JSON pointers) changed or removed, and sometimes its bytes damaged. */
    byte[] mutate(ObjectNode valid, List<String> paths) {
        ObjectNode body = valid.deepCopy();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            String path = paths.get(random.nextInt(paths.size()));
            if (random.nextInt(6) == 0) {
                remove(body, path);
                note(path + " removed");
            } else {
                JsonNode value = weird();
                set(body, path, value);
                note(path + "="
                        + (value.isTextual() && value.asText().startsWith("@raw")
                                ? raw.get(Integer.parseInt(value.asText().substring(4)))
                                : abbreviated(value)));
            }
        }
        byte[] bytes = Json.bytes(body);
        for (int i = 0; i < raw.size(); i++) bytes = replace(bytes, "\"@raw" + i + "\"", raw.get(i));
        return random.nextInt(5) == 0 ? damaged(bytes) : bytes;
    }

    String what() {
        return what.toString();
    }

    private JsonNode weird() {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(0);
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(Long.MIN_VALUE);
            case 5 -> NODES.numberNode(new BigInteger("99999999999999999999999"));
            case 6 -> NODES.numberNode(1.5);
            case 7 -> NODES.numberNode(-0.0);
            case 8 -> NODES.numberNode(1e308);
            case 9 -> NODES.textNode("");
            case 10 -> NODES.textNode("openai/gpt-oss-120b");
            case 11 -> NODES.textNode("a".repeat(1 + random.nextInt(30_000)));
            case 12 -> NODES.textNode("x\u0000\u001b[31m\r\nFORGED\u007f\u0085");
            case 13 -> NODES.textNode("Zoë 日本 \u2028\u2029 \ud83e\udd16");
            case 14 -> NODES.arrayNode();
            case 15 -> NODES.arrayNode().add(1).add("a").addNull().add(NODES.objectNode());
            case 16 -> NODES.objectNode();
            case 17 -> NODES.objectNode().put("type", "text").put("text", 5);
            case 18 ->
                NODES.objectNode()
                        .put("type", "function")
                        .set("function", NODES.objectNode().put("name", 7));
            case 19 -> nested(1 + random.nextInt(1_200));
            case 20 ->
                NODES.arrayNode().add(NODES.objectNode().put("role", "user").put("content", "hi"));
            default -> {
                raw.add(RAW_LITERALS.get(random.nextInt(RAW_LITERALS.size())));
                yield NODES.textNode("@raw" + (raw.size() - 1));
            }
        };
    }

    private static JsonNode nested(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++)
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        return node;
    }

    private byte[] damaged(byte[] bytes) {
        int at = random.nextInt(bytes.length + 1);
        byte[][] inserts = {
            {(byte) 0xff},
            {(byte) 0xc3, 0x28},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {0},
            {0x1b},
            {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}
        };
        switch (random.nextInt(4)) {
            case 0 -> {
                note("cut at byte " + at);
                return java.util.Arrays.copyOf(bytes, at);
            }
            case 1 -> {
                byte[] insert = inserts[random.nextInt(inserts.length)];
                note("bytes " + java.util.HexFormat.of().formatHex(insert) + " inserted at " + at);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.writeBytes(insert);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            case 2 -> {
                int depth = 1 + random.nextInt(100_000);
                note("the body replaced by " + depth + " nested arrays");
                return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                String[] others = {
                    "",
                    "null",
                    "[]",
                    "\"text\"",
                    "{",
                    "{}}",
                    " ".repeat(50_000),
                    "{\"model\":\"openai/gpt-oss-120b\",\"model\":5}"
                };
                String other = others[random.nextInt(others.length)];
                note("the body replaced by " + abbreviated(NODES.textNode(other)));
                return other.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = root.at(pointer.head());
        String name = pointer.last().getMatchingProperty();
        int index = pointer.last().getMatchingIndex();
        if (parent instanceof ObjectNode object) object.set(name, value);
        else if (parent instanceof ArrayNode array && index >= 0 && index < array.size()) array.set(index, value);
        else root.set(name, value); // the parent was mutated away: the field at the top instead
    }

    private static void remove(ObjectNode root, String path) {
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = root.at(pointer.head());
        if (parent instanceof ObjectNode object) object.remove(pointer.last().getMatchingProperty());
        else if (parent instanceof ArrayNode array
                && pointer.last().getMatchingIndex() >= 0
                && pointer.last().getMatchingIndex() < array.size()) {
            array.remove(pointer.last().getMatchingIndex());
        }
    }

    private static byte[] replace(byte[] bytes, String target, String replacement) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.replace(target, replacement).getBytes(StandardCharsets.UTF_8);
    }

    private void note(String change) {
        if (!what.isEmpty()) what.append(", ");
        what.append(change);
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 40) + "…(" + text.length() + " chars)";
    }
}
