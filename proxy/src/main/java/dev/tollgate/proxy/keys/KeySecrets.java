package dev.tollgate.proxy.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** How client key secrets and ids are made, hashed and shown in part. */
public final class KeySecrets {
    public static final String SECRET_PREFIX = "sk-tg-";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SECRET_CHARS = 40; // about 238 bits
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {}

    /** A fresh secret: {@code sk-tg-} and 40 base62 characters. */
    public static String newSecret() {
        StringBuilder secret = new StringBuilder(SECRET_PREFIX);
        for (int i = 0; i < SECRET_CHARS; i++) {
            secret.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return secret.toString();
    }

    /** A public id: {@code key_} and 16 lowercase hex characters. */
    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    /** The lowercase hex SHA-256 of a secret: the only form in which it is stored. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What lists show of a secret: its first 10 characters, e.g. {@code sk-tg-AbCd…}. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(10, secret.length())) + "…";
    }

    /**
     * A presented (possibly wrong) secret made safe for an error message or a log: {@code sk-tg-Ab…wxyz}.
     * Short strings reveal nothing; odd characters become {@code ?}.
     */
    public static String mask(String presented) {
        if (presented == null || presented.isEmpty()) return "(none)";
        if (presented.length() < 20) return "***";
        return printable(presented.substring(0, 8)) + "…" + printable(presented.substring(presented.length() - 4));
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c > 32 && c < 127 ? (char) c : '?'));
        return out.toString();
    }
}
