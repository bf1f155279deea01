package dev.tollgate.mock.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic mode's tokenizer: a piece is optional leading whitespace followed by either a run of
 * up to {@value #MAX_WORD} letters/digits/underscores or one other character (punctuation, emoji).
 * Trailing whitespace joins the last piece. Pieces concatenate back to the exact text, so a stream
 * can send one piece per chunk and its usage agrees with {@link #count}.
 */
public final class Tokens {
    /** Long words are cut like a real tokenizer would, so a URL or base64 blob is not one token. */
    static final int MAX_WORD = 10;

    private Tokens() {}

    public static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        if (text == null || text.isEmpty()) return pieces;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && Character.isWhitespace(text.codePointAt(i))) i += Character.charCount(text.codePointAt(i));
            if (i == n) {
                if (pieces.isEmpty()) pieces.add(text.substring(start));
                else pieces.set(pieces.size() - 1, pieces.getLast() + text.substring(start));
                break;
            }
            int cp = text.codePointAt(i);
            if (isWordChar(cp)) {
                int letters = 0;
                while (i < n && letters < MAX_WORD && isWordChar(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                    letters++;
                }
            } else {
                i += Character.charCount(cp);
            }
            pieces.add(text.substring(start, i));
        }
        return pieces;
    }

    public static int count(String text) {
        return split(text).size();
    }

    /** The first {@code n} pieces of {@code text} joined; {@code count(prefix(t, n)) == min(n, count(t))}. */
    public static String prefix(String text, int n) {
        List<String> pieces = split(text);
        if (n >= pieces.size()) return text == null ? "" : text;
        return String.join("", pieces.subList(0, Math.max(0, n)));
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
