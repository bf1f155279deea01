package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.Json;
import org.junit.jupiter.api.Test;

class YamlTreeTest {
    private static String tree(String yaml) throws Exception {
        return Json.compact(YamlTree.read(yaml));
    }

    @Test
    void aliasesOfAnchorsThatHoldAliasesAreCopiedWhole() throws Exception {
        assertThat(tree("a: &a [x, 1.50]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
                .isEqualTo(
                        "{\"a\":[\"x\",1.50],\"b\":[[\"x\",1.50],[\"x\",1.50]],\"c\":[[[\"x\",1.50],[\"x\",1.50]],[[\"x\",1.50],[\"x\",1.50]]]}");
    }

    @Test
    void scalarAnchorsAndMergeKeysWhereTheMappingsOwnKeysWin() throws Exception {
        assertThat(tree("s: &s 'text'\nm: &m {c: 1, d: 2}\nx: {c: 9, <<: *m}\ny: {<<: [{e: 5}, *m], d: 3}\nz: *s\n"))
                .isEqualTo(
                        "{\"s\":\"text\",\"m\":{\"c\":1,\"d\":2},\"x\":{\"c\":9,\"d\":2},\"y\":{\"d\":3,\"e\":5,\"c\":1},\"z\":\"text\"}");
    }

    @Test
    void aSelfReferenceOrAnUnknownAliasIsRefusedByName() {
        assertThatThrownBy(() -> YamlTree.read("a: &a [1, *a]\n")).hasMessageContaining("*a names no anchor");
        assertThatThrownBy(() -> YamlTree.read("a: *nope\n")).hasMessageContaining("*nope names no anchor");
    }
}
