package dev.tollgate.proxy.relay;

import io.javalin.http.Context;
import okhttp3.Response;

/**
 * Which of Groq's response headers reach the client: its request id, its rate-limit state and
 * {@code retry-after}, and its region. Cookies, CDN and framing headers stay behind.
 */
final class UpstreamHeaders {
    private UpstreamHeaders() {}

    static void copy(Response upstream, Context ctx) {
        for (String name : upstream.headers().names()) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("x-request-id") || lower.startsWith("x-ratelimit-") || lower.equals("retry-after") || lower.equals("x-groq-region")) {
                ctx.header(lower, upstream.header(name));
            }
        }
    }
}
