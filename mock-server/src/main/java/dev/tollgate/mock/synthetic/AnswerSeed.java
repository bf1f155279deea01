package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.MatchKey;
import dev.tollgate.fixture.MatchRules;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Everything an answer needs that a real server would draw at random, derived instead from the
 * request's match key (default ignored fields left out, so the streamed and the plain form of one
 * request, or two runs differing only in {@code temperature}/{@code seed}, get the same answer, as
 * a fixture would give them).
 */
final class AnswerSeed {
    /** 2025-10-01T00:00:00Z; {@code created} falls within the 100 days after it. */
    private static final long EPOCH = 1_759_276_800L;

    private static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

    private final String canonical;
    private final byte[] digest;

    AnswerSeed(JsonNode request) {
        this.canonical = MatchKey.canonical(request, MatchRules.DEFAULT_IGNORED);
        this.digest = sha256(canonical);
    }

    /** {@code chatcmpl-} plus a UUID shaped like Groq's version 4 ones. */
    String completionId() {
        return "chatcmpl-" + uuid(digest);
    }

    /** {@code fc_} plus a UUID for the {@code index}th tool call. */
    String toolCallId(int index) {
        return "fc_" + uuid(sha256("tool_call " + index + " " + canonical));
    }

    long created() {
        return EPOCH + Integer.toUnsignedLong(ByteBuffer.wrap(digest, 16, 4).getInt()) % 8_640_000L;
    }

    /** {@code req_} plus a lowercase ULID whose time part is {@link #created()}. */
    String requestId() {
        long millis = created() * 1000
                + Short.toUnsignedInt(ByteBuffer.wrap(digest, 20, 2).getShort()) % 1000;
        StringBuilder ulid = new StringBuilder(26);
        for (int shift = 45; shift >= 0; shift -= 5) ulid.append(CROCKFORD.charAt((int) (millis >>> shift) & 31));
        byte[] random = sha256("request " + canonical);
        for (int i = 0; i < 16; i++) ulid.append(CROCKFORD.charAt(random[i] & 31));
        return "req_" + ulid;
    }

    /** One fingerprint per model, as one deployment serves many requests. */
    static String fingerprint(String model) {
        return "fp_" + HexFormat.of().formatHex(sha256("fingerprint " + model), 0, 5);
    }

    /** Between 0.01 and 0.05 s, with nanosecond digits like Groq's. */
    BigDecimal queueTime() {
        long nanos = 10_000_000L
                + Integer.toUnsignedLong(ByteBuffer.wrap(digest, 24, 4).getInt()) % 40_000_000L;
        return BigDecimal.valueOf(nanos, 9);
    }

    private static UUID uuid(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, 16);
        long high = (b.getLong() & ~0xF000L) | 0x4000L;
        long low = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
