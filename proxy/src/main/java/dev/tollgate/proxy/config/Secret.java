package dev.tollgate.proxy.config;

/** A secret value (an API key, a token) that never prints itself. */
public record Secret(String value) {
    public Secret {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("a secret cannot be blank");
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
