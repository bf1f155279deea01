package dev.tollgate.proxy.admin;

import dev.tollgate.proxy.keys.KeySecrets;
import dev.tollgate.proxy.metrics.ProxyMetrics;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;

/**
 * The admin token guard shared by every {@code /admin/…} route: {@code Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>}.
 * Read-only routes ({@link #guardedRead}) also take the dashboard's session cookie; routes that change
 * anything take only the header, so a page on another site can never make a signed-in browser change them.
 * Wrong tokens, at sign-in or in the header, are throttled per client address ({@link AdminTokenThrottle}) and counted.
 */
public final class AdminAuth {
    private final byte[] tokenHash; // null when the admin API is disabled
    private final AdminSessions sessions = new AdminSessions(Clock.systemUTC(), AdminSessions.LIFETIME);
    private final AdminTokenThrottle throttle = new AdminTokenThrottle();
    private final ProxyMetrics metrics;

    public AdminAuth(String adminToken, ProxyMetrics metrics) {
        this.tokenHash = adminToken == null || adminToken.isBlank()
                ? null
                : KeySecrets.sha256(adminToken.getBytes(StandardCharsets.UTF_8));
        this.metrics = metrics;
    }

    /** {@code handler}, run only for a request that presents the admin token. */
    public Handler guarded(Handler handler) {
        return ctx -> {
            require(ctx);
            handler.handle(ctx);
        };
    }

    /** {@code handler}, run only for a request that presents the admin token or a dashboard session cookie. */
    public Handler guardedRead(Handler handler) {
        return ctx -> {
            if (!signedIn(ctx)) require(ctx);
            handler.handle(ctx);
        };
    }

    /** Whether the request carries a live dashboard session (the cookie {@link AdminSessions#COOKIE}). */
    public boolean signedIn(Context ctx) {
        return tokenHash != null && sessions.valid(ctx.cookie(AdminSessions.COOKIE));
    }

    public AdminSessions sessions() {
        return sessions;
    }

    public void require(Context ctx) {
        if (tokenHash == null) {
            throw new ApiError(
                    403,
                    "The admin API is disabled: set TOLLGATE_ADMIN_TOKEN to enable it",
                    "invalid_request_error",
                    null,
                    "admin_disabled");
        }
        if (!verify(ctx, bearer(ctx.header("Authorization")), "bearer")) {
            throw new ApiError(
                    401,
                    "Missing or wrong admin token: send 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'",
                    "invalid_request_error",
                    null,
                    "invalid_admin_token");
        }
    }

    /**
     * Whether {@code token}, sent by the client {@code via} the dashboard's sign-in or the bearer header, is the admin
     * token. A wrong one counts against the client's address; while that address waits, no token it sends is checked.
     *
     * @throws ApiError 429 with {@code retry-after} while the client's address waits
     */
    public boolean verify(Context ctx, String token, String via) {
        if (tokenHash == null || token == null || token.isEmpty()) return false; // no guess: nothing to count
        long wait = throttle.secondsToWait(ctx.ip());
        if (wait > 0) {
            metrics.adminTokenRefused(via, "throttled");
            throw new ApiError(
                    429,
                    "Too many wrong admin tokens from " + ctx.ip() + ": try again in " + wait + " s",
                    "requests",
                    null,
                    "rate_limit_exceeded",
                    Map.of("retry-after", Long.toString(wait), "x-tollgate-limit", "admin-token"));
        }
        // Comparing hashes keeps it constant-time whatever the lengths.
        if (MessageDigest.isEqual(KeySecrets.sha256(token.getBytes(StandardCharsets.UTF_8)), tokenHash)) return true;
        throttle.wrongToken(ctx.ip());
        metrics.adminTokenRefused(via, "wrong_token");
        return false;
    }

    public boolean enabled() {
        return tokenHash != null;
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : "";
    }
}
