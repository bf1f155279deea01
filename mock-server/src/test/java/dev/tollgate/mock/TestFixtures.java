package dev.tollgate.mock;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds fixtures for tests, and finds the project's default fixtures folder. */
final class TestFixtures {
    private TestFixtures() {}

    /** The repository's {@code fixtures/} folder, found by walking up from the working directory. */
    static Path defaultFixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures"))
                    && Files.exists(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("mock-server"))) {
                return dir.resolve("fixtures");
            }
        }
        throw new IllegalStateException(
                "no fixtures/ folder above " + Path.of("").toAbsolutePath());
    }

    static FixtureRequest chat(String userMessage) {
        return new FixtureRequest(
                "POST",
                "/v1/chat/completions",
                Json.parse("{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + Json.compact(Json.MAPPER.getNodeFactory().textNode(userMessage)) + "}]}"));
    }

    static String chatBody(String userMessage, boolean stream) {
        return "{\"model\":\"openai/gpt-oss-120b\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + Json.compact(Json.MAPPER.getNodeFactory().textNode(userMessage)) + "}]}";
    }

    /** A Groq-shaped JSON answer saying {@code content}. */
    static FixtureResponse answer(String content) {
        return FixtureResponse.json(
                200,
                Map.of("content-type", "application/json", "x-ratelimit-remaining-requests", "999"),
                Json.parse(
                        """
                {"id":"chatcmpl-1","object":"chat.completion","created":1760389847,"model":"openai/gpt-oss-120b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"reasoning":"Think."},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"queue_time":0.1,"prompt_tokens":10,"prompt_time":0.01,"completion_tokens":5,"completion_time":0.01,"total_tokens":15,"total_time":0.02},
                 "usage_breakdown":null,"system_fingerprint":"fp_0123456789","x_groq":{"id":"req_01test"},"service_tier":"on_demand"}
                """.formatted(Json.compact(Json.MAPPER.getNodeFactory().textNode(content)))));
    }

    /** A Groq-shaped stream of {@code n} content chunks "w0 w1 …", with usage, recorded {@code gapMs} apart. */
    static FixtureResponse stream(int n, long gapMs) {
        List<SseEvent> events = new ArrayList<>();
        String head =
                "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-oss-120b\",\"system_fingerprint\":\"fp_0123456789\",";
        events.add(
                SseEvent.data(
                        0,
                        head
                                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"x_groq\":{\"id\":\"req_02test\"}}"));
        for (int i = 0; i < n; i++) {
            events.add(SseEvent.data(
                    (i + 1) * gapMs,
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + (i == 0 ? "" : " ") + "w" + i
                            + "\"},\"logprobs\":null,\"finish_reason\":null}]}"));
        }
        String usage = "{\"prompt_tokens\":7,\"completion_tokens\":" + n + ",\"total_tokens\":" + (7 + n) + "}";
        events.add(SseEvent.data(
                (n + 1) * gapMs,
                head
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_02test\",\"usage\":"
                        + usage + "},\"usage\":" + usage + "}"));
        events.add(SseEvent.data((n + 1) * gapMs, "[DONE]"));
        return FixtureResponse.stream(
                200, Map.of("content-type", "text/event-stream", "x-request-id", "req_02test"), events);
    }

    /** The journal entry at {@code index} once its answer has finished being written (the server may lag the client a little). */
    static Journal.Entry finished(MockServer server, int index, String expectedPrefix) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Journal.Entry entry = server.journal().entries().get(index);
        while (!entry.outcome().startsWith(expectedPrefix) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            entry = server.journal().entries().get(index);
        }
        return entry;
    }

    static void write(Path dir, String name, FixtureRequest request, FixtureResponse... responses) {
        FixtureFiles.write(
                dir.resolve(name + ".json"), new Fixture(name, request, null, List.of(responses), null, null));
    }
}
