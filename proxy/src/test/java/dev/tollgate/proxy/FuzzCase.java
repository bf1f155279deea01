package dev.tollgate.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One fuzzed request: sent with an HTTP client ({@code raw} null), or as {@code raw} bytes over a socket when it
 * breaks HTTP itself (framing that lies, a request line or headers out of any spec).
 */
record FuzzCase(
        int index, String what, String method, String path, Map<String, String> headers, byte[] body, byte[] raw) {
    static FuzzCase http(int index, String what, String method, String path, Map<String, String> headers, byte[] body) {
        return new FuzzCase(index, what, method, path, headers, body, null);
    }

    static FuzzCase socket(int index, String what, String method, String path, String raw) {
        return socket(index, what, method, path, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    static FuzzCase socket(int index, String what, String method, String path, byte[] raw) {
        return new FuzzCase(index, what, method, path, Map.of(), null, raw);
    }

    boolean overSocket() {
        return raw != null;
    }

    boolean head() {
        return "HEAD".equals(method);
    }

    /** Whether the request is for the OpenAI API, whose every answered request has a request-log row. */
    boolean api() {
        return path.startsWith("/v1/") || path.startsWith("/openai/v1/");
    }

    String describe() {
        StringBuilder out = new StringBuilder("#" + index + " " + what + "\n    ");
        if (overSocket()) return out.append(shown(raw)).toString();
        out.append(method).append(' ').append(shown(path.getBytes(StandardCharsets.UTF_8)));
        headers.forEach((name, value) ->
                out.append("\n    ").append(name).append(": ").append(shown(value.getBytes(StandardCharsets.UTF_8))));
        if (body != null) out.append("\n    ").append(shown(body));
        return out.toString();
    }

    /** At most 600 bytes, control bytes and non-ASCII as escapes, so that the report is one readable line. */
    private static String shown(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 600); i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') out.append("\\r");
            else if (b == '\n') out.append("\\n");
            else if (b < 0x20 || b >= 0x7f) out.append(String.format("\\x%02x", b));
            else out.append((char) b);
        }
        if (bytes.length > 600) out.append("… (").append(bytes.length).append(" bytes)");
        return out.toString();
    }
}
