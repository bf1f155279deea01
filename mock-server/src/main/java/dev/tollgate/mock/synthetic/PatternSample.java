package dev.tollgate.mock.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A best-effort string matching a JSON-schema {@code pattern}: literals, classes, the usual escapes,
 * groups (first alternative) and quantifiers (their least count, at least one). Every result is
 * checked with {@link Pattern}, so an unsupported construct yields nothing rather than a wrong value.
 * Both are bounded, because the schema is the client's: a sample is at most {@link #MAX_SAMPLE} characters
 * ({@code ((a{1000}){1000}){21}} would be 21 million), and a check reads the value at most
 * {@link #MAX_STEPS} times (java.util.regex backtracks: {@code ((x+)+)+y} against 37 x's takes hours).
 * Past either bound the answer is "no sample" / "no match", and the caller keeps its plain value.
 */
final class PatternSample {
    private static final int MAX_REPEAT = 1000;
    static final int MAX_SAMPLE = 10_000;
    static final long MAX_STEPS = 1_000_000;
    private final String p;
    private int i;

    private PatternSample(String pattern) {
        this.p = pattern;
    }

    static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(new Budgeted(value)).find();
        } catch (PatternSyntaxException | OutOfSteps | StackOverflowError e) {
            return false;
        }
    }

    static Optional<String> of(String pattern) {
        try {
            String sample = new PatternSample(pattern).alternation();
            return matches(pattern, sample) ? Optional.of(sample) : Optional.empty();
        } catch (RuntimeException | StackOverflowError e) { // unsupported syntax, absurd nesting, or too long a sample
            return Optional.empty();
        }
    }

    /** The regex engine reads its input only through {@link #charAt}: counting the reads bounds its work. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private final long[] steps;

        Budgeted(String text) {
            this(text, new long[] {MAX_STEPS});
        }

        private Budgeted(String text, long[] steps) {
            this.text = text;
            this.steps = steps;
        }

        @Override
        public char charAt(int index) {
            if (--steps[0] < 0) throw new OutOfSteps();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), steps);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class OutOfSteps extends RuntimeException {
        OutOfSteps() {
            super("pattern check over budget", null, false, false);
        }
    }

    private String alternation() {
        String first = sequence();
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            sequence();
        }
        return first;
    }

    private String sequence() {
        StringBuilder out = new StringBuilder();
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            String atom = atom();
            int times = repeats();
            if ((long) atom.length() * times + out.length() > MAX_SAMPLE)
                throw new IllegalArgumentException("sample too long");
            out.append(atom.repeat(times));
        }
        return out.toString();
    }

    private String atom() {
        char c = p.charAt(i++);
        return switch (c) {
            case '^', '$' -> "";
            case '.' -> "a";
            case '[' -> String.valueOf(charClass());
            case '\\' -> escape();
            case '(' -> group();
            default -> String.valueOf(c);
        };
    }

    private String group() {
        boolean discard = false;
        if (p.startsWith("?:", i)) i += 2;
        else if (p.startsWith("?=", i) || p.startsWith("?!", i)) {
            i += 2;
            discard = true;
        } else if (p.startsWith("?<=", i) || p.startsWith("?<!", i)) {
            i += 3;
            discard = true;
        } else if (p.startsWith("?<", i)) i = after('>');
        String inner = alternation();
        i++; // ')'
        return discard ? "" : inner;
    }

    private int repeats() {
        if (i >= p.length()) return 1;
        char c = p.charAt(i);
        int count;
        if (c == '*' || c == '+' || c == '?') {
            i++;
            count = 1;
        } else if (c == '{'
                && p.indexOf('}', i) > i
                && p.substring(i + 1, p.indexOf('}', i)).matches("\\d+(,\\d*)?")) {
            String[] bounds = p.substring(i + 1, p.indexOf('}', i)).split(",", -1);
            i = p.indexOf('}', i) + 1;
            int min = Integer.parseInt(bounds[0]);
            int max = bounds.length > 1 && !bounds[1].isEmpty() ? Integer.parseInt(bounds[1]) : Integer.MAX_VALUE;
            count = Math.min(MAX_REPEAT, min > 0 ? min : Math.min(1, max));
        } else {
            return 1;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) i++; // lazy or possessive
        return count;
    }

    private String escape() {
        char c = p.charAt(i++);
        return switch (c) {
            case 'd' -> "1";
            case 'w', 'D', 'S' -> "a";
            case 'W' -> "-";
            case 's' -> " ";
            case 'b', 'B' -> "";
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'p', 'P' -> {
                i = after('}');
                yield "a";
            }
            case 'u' -> {
                i += 4;
                yield String.valueOf((char) Integer.parseInt(p.substring(i - 4, i), 16));
            }
            case 'x' -> {
                i += 2;
                yield String.valueOf((char) Integer.parseInt(p.substring(i - 2, i), 16));
            }
            default -> String.valueOf(c);
        };
    }

    /** The first member of a class, or for a negated class the first printable character outside it. */
    private char charClass() {
        boolean negated = i < p.length() && p.charAt(i) == '^';
        if (negated) i++;
        List<char[]> ranges = new ArrayList<>();
        boolean first = true;
        while (i < p.length() && (p.charAt(i) != ']' || first)) {
            first = false;
            char lo = p.charAt(i++);
            if (lo == '\\') {
                char e = p.charAt(i++);
                switch (e) {
                    case 'd' -> ranges.add(new char[] {'0', '9'});
                    case 'w' -> {
                        ranges.add(new char[] {'a', 'z'});
                        ranges.add(new char[] {'A', 'Z'});
                        ranges.add(new char[] {'0', '9'});
                    }
                    case 's' -> ranges.add(new char[] {' ', ' '});
                    default -> ranges.add(new char[] {e, e});
                }
                continue;
            }
            if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                char hi = p.charAt(i + 1);
                if (hi == '\\') {
                    hi = p.charAt(i + 2);
                    i++;
                }
                i += 2;
                ranges.add(new char[] {lo, hi});
            } else {
                ranges.add(new char[] {lo, lo});
            }
        }
        i++; // ']'
        if (!negated) return ranges.isEmpty() ? 'a' : ranges.getFirst()[0];
        for (char c : "aA0_-. ".toCharArray()) if (!inRanges(c, ranges)) return c;
        for (char c = '!'; c <= '~'; c++) if (!inRanges(c, ranges)) return c;
        return '~';
    }

    /** The index just past the next {@code c}; a pattern without one is not supported. */
    private int after(char c) {
        int at = p.indexOf(c, i);
        if (at < 0) throw new IllegalArgumentException("no " + c);
        return at + 1;
    }

    private static boolean inRanges(char c, List<char[]> ranges) {
        for (char[] r : ranges) if (c >= r[0] && c <= r[1]) return true;
        return false;
    }
}
