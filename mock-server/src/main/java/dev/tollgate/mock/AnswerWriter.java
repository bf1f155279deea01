package dev.tollgate.mock;

import dev.tollgate.fixture.Fault;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import dev.tollgate.mock.replay.Pacing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Writes answers to the servlet response directly: a stream event by event, each flushed on its
 * own at the time the pacing gives (never buffered whole), and the faults that act on the wire
 * (a truncated body, a dropped connection, a malformed event).
 */
final class AnswerWriter {
    /** Headers that describe one particular transfer and must not be replayed. */
    private static final Set<String> HOP_BY_HOP =
            Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding", "date");

    private final Pacing pacing;

    AnswerWriter(Pacing pacing) {
        this.pacing = pacing;
    }

    /** Writes a whole body; returns how it ended (see {@link Journal.Entry#outcome()}). */
    String json(
            HttpServletRequest req,
            HttpServletResponse res,
            int status,
            Map<String, String> headers,
            byte[] body,
            Fault fault) {
        start(res, status, headers, "application/json");
        byte[] bytes = fault.malformed() ? java.util.Arrays.copyOf(body, Math.max(1, body.length / 2)) : body;
        try {
            if (fault.cutAfter() > 0) {
                OutputStream out = res.getOutputStream();
                out.write(bytes, 0, Math.max(1, bytes.length / 2));
                out.flush();
                dropConnection(req);
                return "cut halfway (fault)";
            }
            res.setContentLength(bytes.length);
            res.getOutputStream().write(bytes);
            res.getOutputStream().flush();
            return "complete";
        } catch (IOException e) {
            return "client disconnected";
        }
    }

    /** Writes a stream event by event; returns how it ended (see {@link Journal.Entry#outcome()}). */
    String stream(
            HttpServletRequest req,
            HttpServletResponse res,
            int status,
            Map<String, String> headers,
            List<SseEvent> events,
            Fault fault) {
        start(res, status, headers, "text/event-stream");
        if (!headers.containsKey("cache-control")) res.setHeader("cache-control", "no-cache");
        List<SseEvent> toSend = fault.malformed() ? withMalformedEvent(events) : events;
        long start = System.nanoTime();
        double offset = 0;
        int sent = 0;
        try {
            OutputStream out = res.getOutputStream();
            for (int i = 0; i < toSend.size(); i++) {
                if (fault.cutAfter() > 0 && i == fault.cutAfter()) {
                    dropConnection(req);
                    return "cut after " + i + " events (fault)";
                }
                SseEvent event = toSend.get(i);
                offset = pacing.offset(i, event, offset);
                sleepUntil(start + (long) (offset * 1_000_000));
                out.write(SseFraming.encode(event).getBytes(StandardCharsets.UTF_8));
                out.flush();
                sent++;
            }
            return "complete";
        } catch (IOException e) {
            return "client disconnected after " + sent + " events";
        }
    }

    private static void start(HttpServletResponse res, int status, Map<String, String> headers, String defaultType) {
        res.setStatus(status);
        headers.forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name)) res.setHeader(name, value);
        });
        if (!headers.containsKey("content-type")) res.setContentType(defaultType);
    }

    /** A copy of the stream with the second event's JSON cut in half, as a broken upstream would send it. */
    private static List<SseEvent> withMalformedEvent(List<SseEvent> events) {
        List<SseEvent> out = new ArrayList<>(events);
        int at = Math.min(1, out.size() - 1);
        if (at < 0) return out;
        SseEvent e = out.get(at);
        out.set(
                at,
                new SseEvent(
                        e.at(),
                        e.event(),
                        e.data().substring(0, Math.max(1, e.data().length() / 2))));
        return out;
    }

    /** Closes the TCP connection under the response: the client sees the body end without its terminating chunk. */
    private static void dropConnection(HttpServletRequest req) {
        ServletContextRequest.getServletContextRequest(req)
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint()
                .close();
    }

    static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait <= 0) return;
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
