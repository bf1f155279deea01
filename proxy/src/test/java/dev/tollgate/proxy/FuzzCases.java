package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fuzz's requests, mutated from valid ones. Each is made from the seed and its index alone, so any one of them
 * can be made again by itself: {@code -Dfuzz.seed=S -Dfuzz.only=N}.
 */
final class FuzzCases {
    private static final List<ObjectNode> CHATS = objects(
            "{\"model\":\"openai/gpt-oss-120b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world!\"}]}",
            "{\"model\":\"openai/gpt-oss-120b\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":200,"
                    + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]}",
            "{\"model\":\"gpt-4o\",\"tool_choice\":\"auto\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}",
            "{\"model\":\"openai/gpt-oss-120b\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\","
                    + "\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}},\"temperature\":0.5,\"n\":1,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Give me a.\"}]}]}",
            "{\"model\":\"openai/gpt-oss-120b\",\"max_completion_tokens\":50,\"reasoning_effort\":\"low\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"greet\"},"
                    + "{\"role\":\"user\",\"content\":\"Again\"}]}");
    private static final List<String> CHAT_PATHS = List.of(
            "/model",
            "/messages",
            "/messages/0",
            "/messages/0/role",
            "/messages/0/content",
            "/messages/0/content/0",
            "/messages/0/content/0/type",
            "/messages/1",
            "/tools",
            "/tools/0",
            "/tools/0/function",
            "/tools/0/function/parameters",
            "/tool_choice",
            "/response_format",
            "/response_format/type",
            "/response_format/json_schema/schema",
            "/max_tokens",
            "/max_completion_tokens",
            "/stream",
            "/stream_options",
            "/stream_options/include_usage",
            "/n",
            "/temperature",
            "/top_p",
            "/user",
            "/seed",
            "/stop",
            "/reasoning_effort");
    private static final List<ObjectNode> RESPONSES = objects(
            "{\"model\":\"openai/gpt-oss-120b\",\"input\":\"Tell me a three sentence bedtime story about a unicorn.\"}",
            "{\"model\":\"gpt-oss-120b\",\"stream\":true,\"instructions\":\"Be brief.\",\"max_output_tokens\":100,\"reasoning\":{\"effort\":\"low\"},"
                    + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hi\"}]}]}");
    private static final List<String> RESPONSES_PATHS = List.of(
            "/model",
            "/input",
            "/input/0",
            "/input/0/content",
            "/instructions",
            "/max_output_tokens",
            "/stream",
            "/reasoning",
            "/reasoning/effort",
            "/tools",
            "/tool_choice",
            "/text",
            "/temperature",
            "/top_p",
            "/user",
            "/store",
            "/metadata",
            "/previous_response_id");
    private static final ObjectNode NEW_KEY = objects(
                    "{\"name\":\"fuzz\",\"models\":[\"openai/gpt-oss-120b\"],\"expires_at\":\"2030-01-01T00:00:00Z\","
                            + "\"metadata\":{\"team\":\"a\"},\"limits\":{\"requests_per_minute\":10,\"budget_usd\":5},\"log_bodies\":false}")
            .get(0);
    private static final List<String> KEY_PATHS = List.of(
            "/name",
            "/models",
            "/models/0",
            "/expires_at",
            "/metadata",
            "/metadata/team",
            "/limits",
            "/limits/requests_per_minute",
            "/limits/tokens_per_day",
            "/limits/budget_usd",
            "/limits/budget_period",
            "/log_bodies");
    private static final List<String> WEIRD_IDS = List.of(
            "key_nope",
            "..",
            "%2e%2e%2f",
            "x".repeat(300),
            "%C3%BC",
            "sk-tg-secret",
            "%00",
            "%0A",
            "a%20b",
            "%E2%80%A8",
            "%ff");
    private static final List<String> WEIRD_QUERY_VALUES = List.of(
            "-1",
            "0",
            "1001",
            "1e99",
            "abc",
            "",
            "2026-13-45",
            "2026-01-01T00:00:00Z",
            "2026-01-01",
            "99999999999999999999",
            "\u0000",
            "'; DROP TABLE request_log; --",
            "asc",
            "DESC",
            "csv",
            "key,model,day",
            "ü\u2028");
    private static final List<String> ODD_METHODS = List.of(
            "PUT",
            "PATCH",
            "DELETE",
            "OPTIONS",
            "TRACE",
            "HEAD",
            "BREW",
            "PROPFIND",
            "M-SEARCH",
            "GET",
            "POST",
            "CONNECT");
    private static final List<String> ODD_PATHS = List.of(
            "/v1/chat/completions",
            "/v1/responses",
            "/v1/models",
            "/v1/models/openai/gpt-oss-120b",
            "/openai/v1/chat/completions",
            "/v1/embeddings",
            "/v1",
            "/",
            "/health",
            "/admin/keys",
            "/admin/usage",
            "/v1/chat/completions/",
            "//v1//models",
            "/V1/MODELS",
            "/v1/models/%2F",
            "/v1/%00",
            "*");

    private final long seed;
    private final String clientSecret;
    private final String adminToken;
    private final String victimKeyId;

    FuzzCases(long seed, String clientSecret, String adminToken, String victimKeyId) {
        this.seed = seed;
        this.clientSecret = clientSecret;
        this.adminToken = adminToken;
        this.victimKeyId = victimKeyId;
    }

    FuzzCase make(int index) {
        Random random = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
        int kind = random.nextInt(100);
        if (kind < 40) return api(index, random, "chat", "/chat/completions", CHATS, CHAT_PATHS);
        if (kind < 52) return api(index, random, "responses", "/responses", RESPONSES, RESPONSES_PATHS);
        if (kind < 58) return models(index, random);
        if (kind < 70) return admin(index, random);
        if (kind < 78) return oddMethod(index, random);
        if (kind < 84) return oversized(index, random);
        return FuzzFraming.make(index, random, clientSecret, Json.bytes(CHATS.get(0)));
    }

    private FuzzCase api(
            int index, Random random, String name, String route, List<ObjectNode> valid, List<String> paths) {
        JsonMutations mutations = new JsonMutations(random);
        byte[] body = mutations.mutate(valid.get(random.nextInt(valid.size())), paths);
        String prefix = random.nextInt(5) == 0 ? "/openai/v1" : "/v1";
        return FuzzCase.http(
                index,
                name + ": " + mutations.what(),
                "POST",
                prefix + route,
                headers(random, clientSecret, true),
                body);
    }

    private FuzzCase models(int index, Random random) {
        String path = random.nextBoolean()
                ? "/v1/models"
                : "/v1/models/"
                        + (random.nextBoolean()
                                ? "openai/gpt-oss-120b"
                                : WEIRD_IDS.get(random.nextInt(WEIRD_IDS.size())));
        return FuzzCase.http(index, "models", "GET", path, headers(random, clientSecret, false), null);
    }

    private FuzzCase admin(int index, Random random) {
        Map<String, String> headers = headers(random, adminToken, true);
        String id = random.nextInt(3) == 0 ? WEIRD_IDS.get(random.nextInt(WEIRD_IDS.size())) : victimKeyId;
        JsonMutations mutations = new JsonMutations(random);
        int kind = random.nextInt(10);
        if (kind < 4) {
            byte[] body = mutations.mutate(NEW_KEY, KEY_PATHS);
            return FuzzCase.http(index, "new key: " + mutations.what(), "POST", "/admin/keys", headers, body);
        }
        if (kind < 6) {
            byte[] body = mutations.mutate(NEW_KEY, KEY_PATHS);
            return FuzzCase.http(index, "key change: " + mutations.what(), "PATCH", "/admin/keys/" + id, headers, body);
        }
        if (kind < 7) {
            byte[] body = mutations.mutate(
                    Json.MAPPER.createObjectNode().put("grace_seconds", 60), List.of("/grace_seconds"));
            return FuzzCase.http(
                    index, "rotation: " + mutations.what(), "POST", "/admin/keys/" + id + "/rotate", headers, body);
        }
        String path = random.nextInt(3) == 0
                ? "/admin/usage"
                : random.nextBoolean() ? "/admin/requests" : "/admin/requests/export";
        StringBuilder query = new StringBuilder();
        List<String> names = List.of(
                "key", "model", "status", "from", "to", "limit", "order", "before", "after", "format", "group_by");
        for (int i = random.nextInt(4); i >= 0; i--) {
            query.append(query.isEmpty() ? "?" : "&")
                    .append(names.get(random.nextInt(names.size())))
                    .append('=')
                    .append(URLEncoder.encode(
                            WEIRD_QUERY_VALUES.get(random.nextInt(WEIRD_QUERY_VALUES.size())), StandardCharsets.UTF_8));
        }
        return FuzzCase.http(index, "audit query", "GET", path + query, headers, null);
    }

    private FuzzCase oddMethod(int index, Random random) {
        String method = ODD_METHODS.get(random.nextInt(ODD_METHODS.size()));
        String path = ODD_PATHS.get(random.nextInt(ODD_PATHS.size()));
        return FuzzCase.socket(
                index,
                "method " + method + " on " + path,
                method,
                path,
                method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + clientSecret
                        + "\r\nContent-Length: 0\r\n\r\n");
    }

    private FuzzCase oversized(int index, Random random) {
        int size = 9_000 + random.nextInt(30_000);
        if (random.nextBoolean()) {
            Map<String, String> headers = headers(random, clientSecret, false);
            headers.put("X-Padding", "p".repeat(size));
            return FuzzCase.http(index, "a header of " + size + " bytes", "GET", "/v1/models", headers, null);
        }
        return FuzzCase.http(
                index,
                "a URL of " + size + " bytes",
                "GET",
                "/v1/models/" + "u".repeat(size),
                headers(random, clientSecret, false),
                null);
    }

    /** Mostly the right credentials and content type; sometimes none, wrong ones, or odd ones. */
    private static Map<String, String> headers(Random random, String secret, boolean json) {
        Map<String, String> headers = new LinkedHashMap<>();
        int auth = random.nextInt(20);
        String authorization = auth < 16
                ? "Bearer " + secret
                : switch (auth) {
                    case 16 -> null;
                    case 17 -> "Bearer sk-tg-wrong0000000000000000000000000000000000";
                    case 18 -> "Basic dXNlcjpwYXNz";
                    default -> "Bearer " + "k".repeat(3_000);
                };
        if (authorization != null) headers.put("Authorization", authorization);
        if (json) {
            String[] types = {
                "application/json",
                "application/json",
                "application/json",
                "application/json; charset=latin1",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                null
            };
            String type = types[random.nextInt(types.length)];
            if (type != null) headers.put("Content-Type", type);
        }
        return headers;
    }

    private static List<ObjectNode> objects(String... json) {
        return java.util.Arrays.stream(json)
                .map(text -> (ObjectNode) Json.parse(text))
                .toList();
    }
}
