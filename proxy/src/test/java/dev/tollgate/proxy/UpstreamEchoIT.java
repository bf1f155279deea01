package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An upstream that echoes the proxy's own upstream key — one not shaped like a Groq key — in an error
 * body, a header ({@code x-request-id}) and an in-band stream error: the key reaches neither the
 * client, nor a log line, nor the request log, nor a recorded fixture.
 */
class UpstreamEchoIT {
    static final String KEY = "corp-vault-upstream-credential-42";
    static final String ERROR =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"echo the key in an error\"}]}";
    static final String STREAM =
            "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"echo the key in a stream\"}]}";
    static final String OK =
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"echo the key in a header\"}]}";

    @TempDir
    Path fixtures;

    @TempDir
    Path recorded;

    @Test
    void anEchoedUpstreamKeyIsMaskedEverywhere() throws Exception {
        write(
                "error",
                ERROR,
                401,
                "application/json",
                Json.parse(
                        "{\"error\":{\"message\":\"Invalid API Key: " + KEY
                                + " (and gsk_abcdefghijklmnopqrstuvwxyz0123)\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"),
                null);
        ArrayNode events = Json.MAPPER.createArrayNode();
        events.addObject()
                .put("at", 0)
                .put(
                        "data",
                        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-oss-120b\","
                                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        events.addObject()
                .put("at", 0)
                .put("event", "error")
                .put(
                        "data",
                        "{\"error\":{\"message\":\"upstream auth " + KEY
                                + " failed\",\"type\":\"server_error\",\"status_code\":500}}");
        write("stream", STREAM, 200, "text/event-stream", null, events);
        write(
                "header",
                OK,
                200,
                "application/json",
                Json.parse(
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
                                + "\"model\":\"openai/gpt-oss-120b\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}"),
                null);

        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        List<String> seen = new ArrayList<>();
        Path dataDir;
        try (Gateway gateway = Gateway.start(
                fixtures, Pacing.INSTANT, Map.of("GROQ_API_KEY", KEY, "TOLLGATE_RECORD_DIR", recorded.toString()))) {
            dataDir = gateway.dataDir;
            String url = gateway.baseUrl() + "/v1/chat/completions";
            Http.Answer error = Http.post(url, gateway.clientSecret, ERROR);
            assertThat(error.status()).isEqualTo(401);
            assertThat(error.json().at("/error/message").asText())
                    .isEqualTo("Invalid API Key: [redacted] (and [redacted])");
            Http.Answer stream = Http.post(url, gateway.clientSecret, STREAM);
            assertThat(stream.body()).contains("event: error").contains("upstream auth [redacted] failed");
            Http.Answer header = Http.post(url, gateway.clientSecret, OK);
            assertThat(header.status()).isEqualTo(200);
            assertThat(header.header("x-request-id")).isEqualTo("req_[redacted]");
            for (Http.Answer a : List.of(error, stream, header)) {
                seen.add(a.body());
                seen.add(a.raw().headers().map().toString());
            }
            JsonNode rows = Http.get(gateway.baseUrl() + "/admin/requests?limit=100", Gateway.ADMIN_TOKEN)
                    .json();
            for (int i = 0; i < 400 && rows.get("data").size() < 3; i++) { // the log writes off the request path
                Thread.sleep(25);
                rows = Http.get(gateway.baseUrl() + "/admin/requests?limit=100", Gateway.ADMIN_TOKEN)
                        .json();
            }
            assertThat(rows.get("data")).hasSize(3);
            seen.add(rows.toString());
            assertThat(rows.toString()).contains("req_[redacted]");
        } finally {
            root.detachAppender(logs);
        }
        for (ILoggingEvent e : logs.list) seen.add(e.getFormattedMessage());
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("FIXTURE REFUSED"));
        for (Path dir : List.of(recorded, dataDir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList())
                    seen.add(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        for (String text : seen) assertThat(text).doesNotContain(KEY);
    }

    private void write(String name, String request, int status, String type, JsonNode body, ArrayNode events)
            throws Exception {
        ObjectNode fixture = Json.MAPPER.createObjectNode();
        fixture.putObject("request")
                .put("method", "POST")
                .put("path", "/v1/chat/completions")
                .set("body", Json.parse(request));
        ObjectNode response = fixture.putObject("response").put("status", status);
        response.putObject("headers").put("content-type", type).put("x-request-id", "req_" + KEY);
        if (body != null) response.set("body", body);
        if (events != null) response.set("events", events);
        Files.createDirectories(fixtures.resolve("chat"));
        Files.writeString(fixtures.resolve("chat/" + name + ".json"), Json.compact(fixture));
    }
}
