package dev.tollgate.proxy.admin;

import dev.tollgate.proxy.keys.KeySecrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-in sessions: a random id in an HttpOnly cookie, kept in memory until it
 * expires or the admin signs out (a restart signs everyone out). Only the ids' SHA-256 is held, so a
 * lookup's timing says nothing about a guessed id.
 */
public final class AdminSessions {
    public static final String COOKIE = "tollgate_admin_session";
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration lifetime;
    private final Map<String, Instant> expiryByHash = new ConcurrentHashMap<>();

    public AdminSessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A new session's id (256 random bits, URL-safe Base64), valid for {@link #lifetime()}. */
    public String open() {
        Instant now = clock.instant();
        expiryByHash.values().removeIf(expiry -> !expiry.isAfter(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiryByHash.put(KeySecrets.hash(id), now.plus(lifetime));
        return id;
    }

    /** Whether {@code id} (a cookie's value, possibly null or forged) is a session that has not expired. */
    public boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) return false;
        Instant expiry = expiryByHash.get(KeySecrets.hash(id));
        return expiry != null && expiry.isAfter(clock.instant());
    }

    /** Ends the session, if there is one. */
    public void close(String id) {
        if (id != null) expiryByHash.remove(KeySecrets.hash(id));
    }

    public Duration lifetime() {
        return lifetime;
    }
}
