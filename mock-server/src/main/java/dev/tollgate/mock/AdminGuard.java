package dev.tollgate.mock;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages away from {@code /__admin/}: the mock runs on developers' machines and in CI, and a page the
 * developer's browser opens must not arm faults or read the journal (which holds request bodies). So the admin API
 * answers only a {@code Host} that names this server by address or loopback name, on its port — a DNS-rebound name
 * is refused — and refuses what only a cross-site page sends: an {@code Origin} other than the server's own, a
 * {@code Sec-Fetch-Site} other than same-origin / none, and the content types a plain HTML form can post.
 */
final class AdminGuard {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> FORM_TYPES =
            Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

    private final String boundHost;
    private final java.util.function.IntSupplier port;

    AdminGuard(String boundHost, java.util.function.IntSupplier port) {
        this.boundHost = boundHost.toLowerCase(Locale.ROOT);
        this.port = port;
    }

    void check(Context ctx) {
        String refusal = refusal(ctx);
        if (refusal == null) return;
        Replayer.respondOwnError(
                ctx,
                403,
                "The admin API refused this request: " + refusal + ".",
                "invalid_request_error",
                null,
                "admin_forbidden");
        ctx.skipRemainingHandlers();
    }

    private String refusal(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || !isOwnHost(host))
            return "its Host header '" + (host == null ? "" : host)
                    + "' does not name this server (use 127.0.0.1 or localhost and port " + port.getAsInt() + ")";
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host))
            return "it comes from another site (Origin " + origin + ")";
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none"))
            return "it comes from another site (Sec-Fetch-Site " + fetchSite + ")";
        String type = ctx.header("Content-Type");
        if (ctx.method() != HandlerType.GET
                && type != null
                && FORM_TYPES.contains(type.split(";")[0].trim().toLowerCase(Locale.ROOT))) {
            return "a form's content type (" + type + ") is not accepted; send JSON or no body";
        }
        return null;
    }

    /** A loopback name, the address the server is bound to, or (bound to all interfaces) any IP address; with this port when one is given. */
    private boolean isOwnHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = h;
        if (colon > h.lastIndexOf(']')) {
            name = h.substring(0, colon);
            if (!h.substring(colon + 1).equals(Integer.toString(port.getAsInt()))) return false;
        }
        if (LOOPBACK.contains(name) || name.equals(boundHost) || name.equals("[" + boundHost + "]")) return true;
        boolean allInterfaces = boundHost.equals("0.0.0.0") || boundHost.equals("::") || boundHost.equals("[::]");
        // An address literal cannot be rebound by DNS, unlike a name.
        return allInterfaces && (name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.matches("\\[[0-9a-f:.]+]"));
    }
}
