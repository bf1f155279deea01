package dev.tollgate.mock.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticTokensTest {

    @Test
    void wordsAndPunctuationAreTokensWithTheirLeadingSpace() {
        assertThat(SyntheticAnswers.splitTokens("Hello, world!")).containsExactly("Hello", ",", " world", "!");
        assertThat(SyntheticAnswers.countTokens("Hello, world!")).isEqualTo(4);
        assertThat(SyntheticAnswers.splitTokens("{\"a\":1}")).containsExactly("{", "\"", "a", "\"", ":", "1", "}");
    }

    @Test
    void longWordsAreCutAndEmojiStandAlone() {
        assertThat(SyntheticAnswers.splitTokens("internationalisation 🌍!"))
                .containsExactly("internatio", "nalisation", " 🌍", "!");
    }

    @Test
    void piecesJoinBackToTheExactText() {
        for (String text : new String[] {
            "  leading and trailing  \n",
            "tab\tand\nnew line",
            "émigré — naïve 😀😀",
            "x",
            " ",
            "a_b-c.d",
            "https://example.com/a/very/long/path?with=query&and=more"
        }) {
            assertThat(String.join("", SyntheticAnswers.splitTokens(text))).isEqualTo(text);
            assertThat(SyntheticAnswers.countTokens(text))
                    .isEqualTo(SyntheticAnswers.splitTokens(text).size());
        }
    }

    @Test
    void aPrefixOfNTokensCountsN() {
        String text = "The user asks: \"What is 2+2?\". A short, direct answer is enough.";
        int total = Tokens.count(text);
        for (int n = 0; n <= total; n++) {
            String prefix = Tokens.prefix(text, n);
            assertThat(Tokens.count(prefix)).isEqualTo(n);
            assertThat(text).startsWith(prefix);
        }
        assertThat(Tokens.prefix(text, total + 5)).isEqualTo(text);
    }

    @Test
    void nothingCountsNothing() {
        assertThat(SyntheticAnswers.countTokens(null)).isZero();
        assertThat(SyntheticAnswers.countTokens("")).isZero();
        assertThat(SyntheticAnswers.splitTokens(null)).isEmpty();
    }
}
