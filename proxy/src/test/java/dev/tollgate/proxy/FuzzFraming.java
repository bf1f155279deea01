package dev.tollgate.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** The fuzz's requests that break HTTP itself, sent as bytes over a socket: framing that lies, request lines and headers out of spec. */
final class FuzzFraming {
    private static final List<String> ROUTES =
            List.of("/v1/chat/completions", "/openai/v1/chat/completions", "/v1/responses", "/admin/keys");

    private FuzzFraming() {}

    static FuzzCase make(int index, Random random, String secret, byte[] validChat) {
        String route = ROUTES.get(random.nextInt(ROUTES.size()));
        String head = "POST " + route
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " + secret
                + "\r\n";
        String body = new String(validChat, StandardCharsets.ISO_8859_1);
        int cut = random.nextInt(body.length());
        return switch (random.nextInt(14)) {
            case 0 ->
                FuzzCase.socket(
                        index,
                        "a body shorter than its Content-Length",
                        "POST",
                        route,
                        head + "Content-Length: " + (body.length() + 1 + random.nextInt(1000)) + "\r\n\r\n"
                                + body.substring(0, cut));
            case 1 -> {
                String size =
                        pick(random, "zz", "-1", "ffffffffffffffffff", "1000", "1", "0x10", "10;ext=\u0001", " 5", "");
                yield FuzzCase.socket(
                        index,
                        "chunk size '" + size + "'",
                        "POST",
                        route,
                        head + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n");
            }
            case 2 ->
                FuzzCase.socket(
                        index,
                        "Content-Length and chunked",
                        "POST",
                        route,
                        head + "Content-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
            case 3 ->
                FuzzCase.socket(
                        index,
                        "two Content-Lengths",
                        "POST",
                        route,
                        head + "Content-Length: " + body.length() + "\r\nContent-Length: " + cut + "\r\n\r\n" + body);
            case 4 -> {
                String length = pick(random, "abc", "-5", "1e3", "99999999999999999999", "5, 5", "");
                yield FuzzCase.socket(
                        index,
                        "Content-Length '" + length + "'",
                        "POST",
                        route,
                        head + "Content-Length: " + length + "\r\n\r\n" + body);
            }
            case 5 ->
                FuzzCase.socket(
                        index,
                        "a body longer than its Content-Length",
                        "POST",
                        route,
                        head + "Content-Length: " + cut + "\r\n\r\n" + body + "\r\n\r\n");
            case 6 -> {
                String version = pick(
                        random, "HTTP/9.9", "HTTP/1.2", "HTTP/2.0", "HTTP/1.1x", "http/1.1", "HTTP/1", "HTTP/01.1");
                yield FuzzCase.socket(
                        index,
                        "HTTP version " + version,
                        "GET",
                        "/v1/models",
                        "GET /v1/models " + version + "\r\nHost: 127.0.0.1\r\n\r\n");
            }
            case 7 -> {
                String line = pick(
                        random,
                        "GARBAGE",
                        "GET  /v1/models  HTTP/1.1",
                        "GET /v1/models HTTP/1.1 extra",
                        "\r\nGET /v1/models HTTP/1.1",
                        "/v1/models HTTP/1.1",
                        "G\u00e9T /v1/models HTTP/1.1",
                        "GET v1/models HTTP/1.1",
                        "GET /v1/models\tHTTP/1.1");
                yield FuzzCase.socket(
                        index,
                        "request line '" + line + "'",
                        "GET",
                        "/v1/models",
                        line + "\r\nHost: 127.0.0.1\r\n\r\n");
            }
            case 8 -> {
                String header = pick(
                        random,
                        "X-A: b\u0001c",
                        "Bad Header: y",
                        "X-A: b\r\n c",
                        "X-A: \u00ff\u00fe",
                        "Authorization: Bearer \u0000",
                        ": empty-name",
                        "X-A\r\n",
                        "Host: 127.0.0.1",
                        "Transfer-Encoding: gzip",
                        "Content-Type: \u0000");
                yield FuzzCase.socket(
                        index,
                        "header '" + header + "'",
                        "POST",
                        route,
                        head + header + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            }
            case 9 ->
                FuzzCase.socket(
                        index,
                        "no Host",
                        "GET",
                        "/v1/models",
                        "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer " + secret + "\r\n\r\n");
            case 10 -> {
                int count = 100 + random.nextInt(400);
                yield FuzzCase.socket(
                        index,
                        count + " headers",
                        "GET",
                        "/v1/models",
                        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-N: v\r\n".repeat(count) + "\r\n");
            }
            case 11 ->
                FuzzCase.socket(
                        index,
                        "Expect: 100-continue, a wrong key and no body",
                        "POST",
                        route,
                        "POST " + route
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-tg-wrong\r\nExpect: 100-continue\r\nContent-Length: "
                                + body.length() + "\r\n\r\n");
            case 12 ->
                FuzzCase.socket(
                        index,
                        "invalid UTF-8 in the path",
                        "GET",
                        "/v1/models/",
                        bytes(
                                "GET /v1/models/",
                                new byte[] {(byte) 0xff, (byte) 0xc3, 0x28},
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + secret + "\r\n\r\n"));
            default -> {
                int size =
                        70_000 + random.nextInt(180_000); // at most 4 × the limit: read and dropped, then answered 413
                yield FuzzCase.socket(
                        index,
                        "a body of " + size + " bytes, over the limit",
                        "POST",
                        route,
                        head + "Content-Length: " + size + "\r\n\r\n" + body + " ".repeat(size - body.length()));
            }
        };
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
