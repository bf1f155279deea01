package dev.tollgate.mock.importer;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * A YAML document as a JSON tree, with its anchors and aliases resolved ({@code body: *request_body} is the
 * body the anchor names) and merge keys applied ({@code <<: *defaults}). Jackson's own YAML tree reading
 * does neither: it turns {@code *request_body} into the string {@code "request_body"}, so a cassette that
 * shares a body between interactions imported the anchor's name as the body. Jackson's
 * {@code YAMLAnchorReplayingFactory} (2.22.1) is no answer: it replays {@code c: [*b, *b]} as {@code [[],[]]} when
 * {@code b} holds aliases itself, and lets merged keys override the mapping's own.
 *
 * <p>An alias is a copy of what its anchor names, so nine aliases of nine aliases of … ("billion laughs")
 * grow a small file without bound: what aliases add is capped ({@link #MAX_ALIAS_VALUES} values,
 * {@link #MAX_ALIAS_CHARS} characters of text), past which the document is refused. Scalars are typed as
 * Jackson's YAML parser types them, decimals kept exact, as {@link Json#MAPPER} keeps them.
 */
final class YamlTree {
    static final int MAX_ALIAS_VALUES = 1_000_000;
    static final long MAX_ALIAS_CHARS = 64L << 20;
    private static final YAMLFactory FACTORY = new AnchorsFactory();
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final String MERGE_KEY = "<<";

    private final AnchoredParser parser;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private long valuesLeft = MAX_ALIAS_VALUES;
    private long charsLeft = MAX_ALIAS_CHARS;

    private YamlTree(AnchoredParser parser) {
        this.parser = parser;
    }

    /** The first document of {@code content}; a missing node for an empty one. */
    static JsonNode read(String content) throws IOException {
        try (AnchoredParser parser = (AnchoredParser) FACTORY.createParser(new StringReader(content))) {
            if (parser.nextToken() == null) return MissingNode.getInstance();
            return new YamlTree(parser).value();
        }
    }

    /** The value at the current token (consumed up to its last token), registered under its anchor if it has one. */
    private JsonNode value() throws IOException {
        if (parser.isCurrentAlias()) return alias(parser.getText());
        String anchor = parser.anchor();
        JsonNode node = switch (parser.currentToken()) {
            case START_OBJECT -> object();
            case START_ARRAY -> array();
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_EMBEDDED_OBJECT ->
                parser.getEmbeddedObject() instanceof byte[] bytes
                        ? NODES.binaryNode(bytes)
                        : NODES.pojoNode(parser.getEmbeddedObject());
            default -> NODES.nullNode();
        };
        if (anchor != null) anchors.put(anchor, node);
        return node;
    }

    private ObjectNode object() throws IOException {
        ObjectNode out = NODES.objectNode();
        List<JsonNode> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (parser.isCurrentAlias())
                throw new ImportException("an alias as a mapping key (*" + parser.getText() + ") is not supported");
            String name = parser.currentName();
            parser.nextToken();
            JsonNode value = value();
            if (name.equals(MERGE_KEY) && (value.isObject() || value.isArray())) merged.add(value);
            else out.set(name, value);
        }
        // Keys written in the mapping win over merged ones; of several merged mappings, the first wins (YAML's merge
        // key type).
        for (JsonNode source : merged) {
            for (JsonNode mapping : source.isArray() ? source : List.of(source)) {
                mapping.properties().forEach(e -> {
                    if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
                });
            }
        }
        return out;
    }

    private ArrayNode array() throws IOException {
        ArrayNode out = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) out.add(value());
        return out;
    }

    private JsonNode alias(String name) {
        JsonNode target = anchors.get(name);
        // An alias inside the very node its anchor names (&a [*a]) is unknown here too: a tree cannot hold that cycle.
        if (target == null) throw new ImportException("the alias *" + name + " names no anchor before it");
        charge(target);
        return target.deepCopy();
    }

    /** Takes what a copy of {@code node} adds from the budget; refuses the document once it is spent. */
    private void charge(JsonNode node) {
        valuesLeft--;
        if (node.isTextual()) charsLeft -= node.textValue().length();
        else if (node.isBinary())
            charsLeft -= ((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue().length;
        if (valuesLeft < 0 || charsLeft < 0) {
            throw new ImportException("its aliases expand to more than " + MAX_ALIAS_VALUES + " values or "
                    + (MAX_ALIAS_CHARS >> 20) + " MB of text (a \"billion laughs\" document?); nothing was imported");
        }
        if (node.isContainerNode()) for (JsonNode child : node) charge(child);
        if (node.isObject())
            node.properties().forEach(e -> charsLeft -= e.getKey().length());
    }

    /** Jackson's YAML parser, telling the anchor of every node (its own {@code getCurrentAnchor()} misses a scalar's). */
    private static final class AnchoredParser extends YAMLParser {
        AnchoredParser(
                IOContext context,
                int features,
                int yamlFeatures,
                org.yaml.snakeyaml.LoaderOptions options,
                Reader reader) {
            super(context, features, yamlFeatures, options, null, reader);
        }

        /** The anchor of the node the current token starts or is; null when it has none. */
        String anchor() {
            return _lastEvent instanceof NodeEvent node ? node.getAnchor() : null;
        }
    }

    private static final class AnchorsFactory extends YAMLFactory {
        @Override
        protected YAMLParser _createParser(Reader reader, IOContext context) {
            return new AnchoredParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, reader);
        }
    }
}
