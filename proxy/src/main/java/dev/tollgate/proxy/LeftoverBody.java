package dev.tollgate.proxy;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * What a refused request left unread of its body. Many clients send the headers first and the body a moment
 * later; a refusal answered before the body arrived made Jetty close the connection after the answer, without
 * {@code Connection: close}, and a pooled client lost the next request it had already sent on it. Reading the
 * rest keeps the connection usable; a body that cannot be read (too large, broken, or awaiting
 * {@code 100-continue}) closes it instead, saying so.
 *
 * <p>A body somewhat over the size limit is read too: closing a connection with unread data makes the kernel
 * reset it, and a client still sending then loses the 413 it was answered.
 */
final class LeftoverBody {
    /** How much more than the size limit is read and dropped, rather than reset. */
    private static final int OVER_LIMIT_READ = 4;

    private LeftoverBody() {}

    static void discard(Context ctx, long maxBytes) {
        long readable = OVER_LIMIT_READ * maxBytes;
        HttpServletRequest req = ctx.req();
        boolean hasBody = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        if (!hasBody) return;
        try {
            ServletInputStream in = req.getInputStream();
            if (in.isFinished()) return;
            // Reading would ask a 100-continue client for a body no one wants; it sends none when told to close.
            if (req.getContentLengthLong() > readable || "100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
                closeAfterAnswer(ctx);
                return;
            }
            byte[] sink = new byte[4_096];
            long left = readable + 1;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1; ) left -= n;
            if (left <= 0) closeAfterAnswer(ctx);
        } catch (IOException | RuntimeException unreadable) { // Jetty's BadMessageException is a RuntimeException
            closeAfterAnswer(ctx);
        }
    }

    private static void closeAfterAnswer(Context ctx) {
        ctx.header("Connection", "close");
    }
}
