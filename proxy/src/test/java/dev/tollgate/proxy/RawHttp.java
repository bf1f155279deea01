package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client never sends: a body a moment after its headers,
 * framing that lies, a request line or headers out of any spec. One connection; answers are read one at a time.
 * A read that waits longer than the timeout throws {@link java.net.SocketTimeoutException}: no test hangs.
 */
final class RawHttp implements AutoCloseable {
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.parse(body);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(int port, Duration timeout) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(
                    true); // each send goes out at once: no 40 ms wait for a delayed ACK between headers and body
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Ends what this client sends (a half close): the server sees the end of input, and can still answer. */
    void endOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next answer; null when the server closed the connection before one began. {@code head}: an answer to HEAD has no body. */
    Answer read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) return null;
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/"))
            throw new IOException("not an HTTP status line: " + statusLine);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.merge(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        int status = Integer.parseInt(parts[1]);
        byte[] body;
        if (head || status == 204 || status == 304 || status < 200) body = new byte[0];
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = chunked();
        else if (headers.containsKey("content-length"))
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        else body = in.readAllBytes(); // delimited by the end of the connection
        return new Answer(status, headers, body);
    }

    Answer read() throws IOException {
        return read(false);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(); size != null; size = line()) {
            int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (length == 0) {
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    /* skipped */
                }
                break;
            }
            body.write(in.readNBytes(length));
            line();
        }
        return body.toByteArray();
    }

    /** One line without its CRLF; null at the end of the connection. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
