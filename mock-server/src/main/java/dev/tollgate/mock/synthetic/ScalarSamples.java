package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.fixture.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Strings and numbers for {@link JsonSchemaSampler}, derived from the property name and, for array
 * items, their index ({@code variant}) so that sibling items differ.
 */
final class ScalarSamples {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    /** No sensible answer needs a longer string; a larger minLength is left unmet rather than filling memory. */
    private static final int MAX_LENGTH = 100_000;
    /** Schema numbers past this many digits or this exponent are not computed with. */
    private static final int MAX_DIGITS = 1_000;

    private ScalarSamples() {}

    /** @param maxChars what is left of the answer's budget: a longer {@code minLength} is left unmet */
    static JsonNode string(JsonNode schema, String name, int variant, int maxChars) {
        String formatted = formatted(schema.path("format").asText(""), name, variant);
        if (formatted != null) return NODES.textNode(formatted);
        String value = fitLength(
                "example " + name + (variant > 0 ? " " + (variant + 1) : ""), schema, Math.min(MAX_LENGTH, maxChars));
        String pattern = schema.path("pattern").asText(null);
        if (pattern != null && !PatternSample.matches(pattern, value)) {
            value = PatternSample.of(pattern).orElse(value);
        }
        return NODES.textNode(value);
    }

    private static String formatted(String format, String name, int variant) {
        String slug = slug(name, '.');
        return switch (format) {
            case "date" -> date(variant);
            case "date-time" -> date(variant) + "T10:30:00Z";
            case "time" -> "10:30:00Z";
            case "email", "idn-email" -> slug + (variant > 0 ? variant + 1 : "") + "@example.com";
            case "uri", "url", "iri", "uri-reference", "iri-reference" ->
                "https://example.com/" + slug(name, '-') + (variant > 0 ? "/" + (variant + 1) : "");
            case "hostname", "idn-hostname" -> slug(name, '-') + (variant > 0 ? variant + 1 : "") + ".example.com";
            case "uuid" ->
                UUID.nameUUIDFromBytes((name + "#" + variant).getBytes(StandardCharsets.UTF_8))
                        .toString();
            case "ipv4" -> "192.0.2." + (1 + variant % 254);
            case "ipv6" -> "2001:db8::" + Integer.toHexString(1 + variant);
            case "duration" -> "P" + (1 + variant) + "D";
            case "json-pointer" -> "/" + slug(name, '_');
            case "regex" -> "^example$";
            default -> null;
        };
    }

    private static String date(int variant) {
        return "2025-01-%02d".formatted(15 + variant % 14);
    }

    /** Lowercase letters and digits of {@code name}, other runs replaced by {@code separator}. */
    private static String slug(String name, char separator) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", String.valueOf(separator));
        slug = slug.replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        return slug.isEmpty() ? "value" : slug;
    }

    /** Schema lengths count code points. */
    private static String fitLength(String value, JsonNode schema, int maxLength) {
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        int length = value.codePointCount(0, value.length());
        if (length > max) return value.substring(0, value.offsetByCodePoints(0, Math.max(0, max)));
        if (length < min) return value + "x".repeat(Math.max(0, Math.min(min, maxLength) - length));
        return value;
    }

    static JsonNode number(JsonNode schema, String name, int variant, boolean integer) {
        BigDecimal base = BigDecimal.valueOf(1 + Math.floorMod(name.hashCode(), 100) + variant);
        if (!integer) base = base.add(new BigDecimal("0.5"));
        NumberRange range = new NumberRange(schema, integer);
        // 1e999999999 as a bound or multipleOf: arithmetic on it would expand a billion digits (or overflow).
        // Such a schema gets its own bound back, written as it came (1E+999999999), not a computed value.
        if (!range.tame())
            return NODES.numberNode(range.lo() != null ? range.lo() : range.hi() != null ? range.hi() : base);
        BigDecimal value = range.closestTo(base, variant);
        if (integer)
            return NODES.numberNode(value.setScale(0, RoundingMode.HALF_UP).toBigInteger());
        BigDecimal plain = value.stripTrailingZeros();
        return NODES.numberNode(plain.scale() < 0 ? plain.setScale(0) : plain);
    }

    /** minimum/maximum (inclusive or exclusive, draft 4 booleans too) and multipleOf. */
    private record NumberRange(
            BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive, BigDecimal step) {
        NumberRange(JsonNode s, boolean integer) {
            this(
                    bound(s, "minimum", "exclusiveMinimum", true),
                    exclusive(s, "minimum", "exclusiveMinimum", true),
                    bound(s, "maximum", "exclusiveMaximum", false),
                    exclusive(s, "maximum", "exclusiveMaximum", false),
                    s.path("multipleOf").isNumber()
                                    && s.path("multipleOf").decimalValue().signum() > 0
                            ? s.path("multipleOf").decimalValue()
                            : integer ? BigDecimal.ONE : null);
        }

        private static BigDecimal bound(JsonNode s, String inclusive, String exclusive, boolean lower) {
            BigDecimal in = s.path(inclusive).isNumber() ? s.path(inclusive).decimalValue() : null;
            BigDecimal ex = s.path(exclusive).isNumber() ? s.path(exclusive).decimalValue() : null;
            if (in == null) return ex;
            if (ex == null) return in;
            return lower ? in.max(ex) : in.min(ex);
        }

        private static boolean exclusive(JsonNode s, String inclusive, String exclusive, boolean lower) {
            if (s.path(exclusive).isBoolean()) return s.path(exclusive).booleanValue();
            if (!s.path(exclusive).isNumber()) return false;
            BigDecimal ex = s.path(exclusive).decimalValue();
            return !s.path(inclusive).isNumber()
                    || (lower
                            ? ex.compareTo(s.path(inclusive).decimalValue()) >= 0
                            : ex.compareTo(s.path(inclusive).decimalValue()) <= 0);
        }

        /** Every number small enough in digits and exponent to compute with. */
        boolean tame() {
            for (BigDecimal d : new BigDecimal[] {lo, hi, step}) {
                if (d != null
                        && (Math.abs((long) d.scale()) > MAX_DIGITS
                                || d.precision() - (long) d.scale() > MAX_DIGITS
                                || d.precision() > MAX_DIGITS)) return false;
            }
            return true;
        }

        /** {@code value} when in range; otherwise a value near the violated bound, moved inwards by {@code variant}. */
        BigDecimal closestTo(BigDecimal value, int variant) {
            BigDecimal shift = BigDecimal.valueOf(variant);
            if (step != null) {
                BigDecimal k = value.divide(step, 0, RoundingMode.HALF_UP);
                BigDecimal kLo = lo == null
                        ? null
                        : loExclusive
                                ? lo.divide(step, 0, RoundingMode.FLOOR).add(BigDecimal.ONE)
                                : lo.divide(step, 0, RoundingMode.CEILING);
                BigDecimal kHi = hi == null
                        ? null
                        : hiExclusive
                                ? hi.divide(step, 0, RoundingMode.CEILING).subtract(BigDecimal.ONE)
                                : hi.divide(step, 0, RoundingMode.FLOOR);
                if (kLo != null && k.compareTo(kLo) < 0) k = kLo.add(shift);
                if (kHi != null && k.compareTo(kHi) > 0) k = kHi.subtract(shift);
                if (kLo != null) k = k.max(kLo);
                return k.multiply(step);
            }
            boolean tooLow = lo != null && (value.compareTo(lo) < 0 || (loExclusive && value.compareTo(lo) == 0));
            boolean tooHigh = hi != null && (value.compareTo(hi) > 0 || (hiExclusive && value.compareTo(hi) == 0));
            if (!tooLow && !tooHigh) return value;
            if (lo != null && hi != null) { // strictly inside, a different point for each variant
                BigDecimal fraction = BigDecimal.valueOf(variant + 1)
                        .divide(BigDecimal.valueOf(variant + 2), 12, RoundingMode.HALF_UP);
                return lo.add(hi.subtract(lo).multiply(fraction));
            }
            if (tooLow) return lo.add(shift).add(loExclusive ? BigDecimal.ONE : BigDecimal.ZERO);
            return hi.subtract(shift).subtract(hiExclusive ? BigDecimal.ONE : BigDecimal.ZERO);
        }
    }
}
