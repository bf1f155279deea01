package dev.tollgate.proxy.relay;

import io.javalin.http.Context;
import java.util.Locale;
import okhttp3.Response;

/**
 * Which of Groq's response headers reach the client: its request id, its region, its rate-limit
 * state renamed {@code x-groq-ratelimit-*} (the {@code x-ratelimit-*} names carry the client key's own
 * limits), and on Groq's 429 its {@code retry-after}, marked {@code x-tollgate-limit: groq}.
 * Cookies, CDN and framing headers stay behind.
 */
final class UpstreamHeaders {
    private UpstreamHeaders() {}

    static void copy(Response upstream, Context ctx) {
        for (String name : upstream.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("x-request-id") || lower.equals("retry-after") || lower.equals("x-groq-region")) {
                ctx.header(lower, upstream.header(name));
            } else if (lower.startsWith("x-ratelimit-")) {
                ctx.header("x-groq-" + lower.substring(2), upstream.header(name));
            }
        }
        if (upstream.code() == 429) ctx.header("x-tollgate-limit", "groq");
    }
}
