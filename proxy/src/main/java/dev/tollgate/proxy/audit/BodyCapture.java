package dev.tollgate.proxy.audit;

import dev.tollgate.proxy.config.SecretMask;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request's prompt and answer bodies for its request-log row, when bodies are logged: each kept
 * up to a byte cap (the rest counted, not kept), with anything shaped like a key and the proxy's own
 * secrets masked before it is stored.
 */
public final class BodyCapture {
    private final int maxBytes;
    private final SecretMask mask;
    private String request;
    private final Capped response;

    /** @param mask the values never to store (the upstream keys, the admin token) */
    public BodyCapture(int maxBytes, SecretMask mask) {
        this.maxBytes = maxBytes;
        this.mask = mask;
        this.response = new Capped(maxBytes);
    }

    public void request(byte[] body) {
        Capped capped = new Capped(maxBytes);
        capped.write(body, 0, body.length);
        request = capped.text();
    }

    /** A whole answer as sent to the client. */
    public void response(byte[] body) {
        response.write(body, 0, body.length);
    }

    /** {@code client}, copying the first bytes written to it into the answer body. */
    public OutputStream tee(OutputStream client) {
        return new FilterOutputStream(client) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                response.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                response.write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }

    public String requestText() {
        return masked(request);
    }

    public String responseText() {
        return response.size() == 0 ? null : masked(response.text());
    }

    private String masked(String text) {
        return mask.secretsAndKeys(text);
    }

    /** Keeps the first {@code max} bytes and counts the rest. */
    private static final class Capped extends ByteArrayOutputStream {
        private final int max;
        private long dropped;

        Capped(int max) {
            super(Math.min(max, 1024));
            this.max = max;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int keep = Math.max(0, Math.min(len, max - count));
            super.write(b, off, keep);
            dropped += len - keep;
        }

        String text() {
            // A cut in the middle of a character decodes as one replacement character: acceptable in an audit copy.
            String text = new String(buf, 0, count, StandardCharsets.UTF_8);
            return dropped == 0 ? text : text + "…[" + dropped + " more bytes not kept]";
        }
    }
}
