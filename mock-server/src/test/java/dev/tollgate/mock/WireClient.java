package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A raw HTTP client for tests that look at the wire: exact bodies, headers, and when each event arrived. */
final class WireClient {
    record Reply(int status, HttpResponse<?> raw, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** An event and the time it arrived, in ms after the request was sent. */
    record Arrival(SseEvent event, double atMs) {}

    record StreamReply(int status, HttpResponse<?> raw, List<Arrival> arrivals, Throwable failure) {
        List<SseEvent> events() {
            return arrivals.stream().map(Arrival::event).toList();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    WireClient(String base) {
        this.base = base;
    }

    Reply post(String path, String body, String... headers) {
        return send(request(path, headers)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    Reply get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** Posts and reads the answer as a stream, line by line as it arrives. A dropped connection ends up in {@code failure}. */
    StreamReply stream(String path, String body, String... headers) {
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> res;
        try {
            res = http.send(
                    request(path, headers)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        List<Arrival> arrivals = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        Throwable failure = null;
        try (Stream<String> lines = res.body()) {
            var it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.isEmpty()) {
                    pending.append(line).append('\n');
                    continue;
                }
                double at = (System.nanoTime() - sent) / 1e6;
                for (SseEvent e : SseFraming.parse(pending.toString())) arrivals.add(new Arrival(e, at));
                pending.setLength(0);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        if (!pending.isEmpty())
            for (SseEvent e : SseFraming.parse(pending.toString()))
                arrivals.add(new Arrival(e, (System.nanoTime() - sent) / 1e6));
        return new StreamReply(res.statusCode(), res, arrivals, failure);
    }

    /** Everything the server sends for one request on a fresh socket, read until the server closes it. */
    static String rawExchange(int port, String path, String body, String... headers) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(
                    "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2)
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(res.statusCode(), res, res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
