package dev.tollgate.proxy.record;

import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.record.StreamCapture;
import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/**
 * The upstream body as the relay reads it, with a copy of every byte read: a JSON answer whole, a
 * stream event by event with arrival times. Nothing is read ahead of the relay. When the answer is
 * complete ({@code [DONE]}, an error event, or the end of the body) it is handed on once; an answer
 * closed before that (the client left, the stream broke) is reported as incomplete and not recorded.
 * A failure while copying only stops the copy: the relay never sees it.
 */
final class CapturingSource extends ForwardingSource {
    private final StreamCapture stream;
    private final Buffer body;
    private final boolean streamEndsAtEof;
    private final BiConsumer<byte[], List<SseEvent>> complete;
    private final Runnable incomplete;
    private boolean finished;

    /**
     * @param complete   gets the body bytes (null for a stream) and the events (null for a whole body)
     * @param incomplete runs when the answer closes before it was complete
     */
    CapturingSource(
            Source upstream,
            boolean isStream,
            boolean streamEndsAtEof,
            long startNanos,
            BiConsumer<byte[], List<SseEvent>> complete,
            Runnable incomplete) {
        super(upstream);
        this.stream = isStream ? new StreamCapture(startNanos) : null;
        this.body = isStream ? null : new Buffer();
        this.streamEndsAtEof = streamEndsAtEof;
        this.complete = complete;
        this.incomplete = incomplete;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
        long n = super.read(sink, byteCount);
        if (finished) return n;
        try {
            if (n == -1) {
                if (stream == null) finish(body.readByteArray(), null);
                else if (stream.ended() || streamEndsAtEof) finish(null, stream.finish());
                else abandon();
            } else if (stream == null) {
                sink.copyTo(body, sink.size() - n, n);
            } else {
                Buffer copy = new Buffer();
                sink.copyTo(copy, sink.size() - n, n);
                byte[] bytes = copy.readByteArray();
                stream.accept(bytes, 0, bytes.length, System.nanoTime());
                if (stream.ended()) finish(null, stream.finish());
            }
        } catch (RuntimeException e) {
            abandon();
        }
        return n;
    }

    private void finish(byte[] bytes, List<SseEvent> events) {
        finished = true;
        complete.accept(bytes, events);
    }

    private void abandon() {
        finished = true;
        incomplete.run();
    }

    @Override
    public void close() throws IOException {
        if (!finished) abandon();
        super.close();
    }
}
