package dev.tollgate.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.MutableClock;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.KeySecrets;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.LimitsConfig;
import dev.tollgate.proxy.limits.UsageLedger;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.store.Database;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AdminKeyRoutesIT {
    static final String ADMIN = "admin-token-for-tests";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    final HttpClient http = HttpClient.newHttpClient();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level rootLevel;
    List<Appender<ILoggingEvent>> consoles = new java.util.ArrayList<>();
    HikariDataSource pool;
    KeyStore store;
    Javalin server;

    @BeforeEach
    void start() {
        // Capture everything a production log would hold (INFO), in place of the console, which stays quiet.
        rootLevel = root.getLevel();
        root.iteratorForAppenders().forEachRemaining(consoles::add);
        consoles.forEach(root::detachAppender);
        root.setLevel(Level.INFO);
        logs.start();
        root.addAppender(logs);
        pool = Database.open("jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE");
        store = new KeyStore(pool, clock);
        ledger = new UsageLedger(pool, clock, LimitsConfig.DEFAULTS);
        server = serve(ADMIN);
    }

    UsageLedger ledger;

    Javalin serve(String adminToken) {
        return Javalin.create(c -> {
                    new AdminKeyRoutes(
                                    store,
                                    new LimitStore(pool, clock),
                                    ledger,
                                    new dev.tollgate.proxy.admin.AdminAuth(
                                            adminToken, new dev.tollgate.proxy.metrics.ProxyMetrics()))
                            .register(c.routes);
                    c.routes.exception(
                            ApiError.class,
                            (e, ctx) -> ctx.status(e.status())
                                    .contentType("application/json")
                                    .result(Json.compact(e.body())));
                })
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
        ledger.close();
        pool.close();
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        consoles.forEach(root::addAppender);
    }

    @Test
    void keyLifecycle() throws Exception {
        Reply created = call(server, "POST", "/admin/keys", ADMIN, """
                {"name": "ci", "models": ["openai/gpt-oss-120b"], "expires_at": "2027-01-01T00:00:00Z",
                 "metadata": {"team": "web"}}""");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.headers.firstValue("Cache-Control")).contains("no-store");
        String secret = created.json.path("key").asText();
        String id = created.json.path("id").asText();
        assertThat(secret).startsWith("sk-tg-");
        assertThat(id).startsWith("key_");
        assertThat(fieldNames(created.json))
                .containsExactly(
                        "id",
                        "object",
                        "name",
                        "prefix",
                        "models",
                        "expires_at",
                        "metadata",
                        "log_bodies",
                        "created_at",
                        "updated_at",
                        "revoked_at",
                        "previous_key_expires_at",
                        "status",
                        "limits",
                        "key");
        assertThat(created.json.path("object").asText()).isEqualTo("client_key");
        assertThat(created.json.path("prefix").asText()).isEqualTo(secret.substring(0, 10) + "…");
        assertThat(created.json.path("expires_at").asText()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(created.json.path("status").asText()).isEqualTo("active");
        assertThat(store.authenticate(secret)).map(ClientKey::id).contains(id);

        Reply list = call(server, "GET", "/admin/keys", ADMIN, null);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.json.path("object").asText()).isEqualTo("list");
        assertThat(list.json.path("data").findValuesAsText("id")).containsExactly(id);
        Reply shown = call(server, "GET", "/admin/keys/" + id, ADMIN, null);
        assertThat(shown.status).isEqualTo(200);
        assertThat(shown.json.has("key")).isFalse();
        assertThat(shown.json.path("metadata").path("team").asText()).isEqualTo("web");
        for (Reply reply : List.of(list, shown)) {
            assertThat(reply.body).doesNotContain(secret).doesNotContain(KeySecrets.hash(secret));
        }

        Reply patched = call(
                server,
                "PATCH",
                "/admin/keys/" + id,
                ADMIN,
                "{\"name\": \"ci-2\", \"models\": [], \"expires_at\": null, \"metadata\": {\"team\": null}}");
        assertThat(patched.status).isEqualTo(200);
        assertThat(patched.body).isEqualTo(call(server, "GET", "/admin/keys/" + id, ADMIN, null).body);
        assertThat(patched.json.path("name").asText()).isEqualTo("ci-2");
        assertThat(patched.json.path("models")).isEmpty();
        assertThat(patched.json.path("expires_at").isNull()).isTrue();
        assertThat(patched.json.path("metadata")).isEmpty();

        Reply rotated = call(server, "POST", "/admin/keys/" + id + "/rotate", ADMIN, "{\"grace_seconds\": 60}");
        assertThat(rotated.status).isEqualTo(200);
        String newSecret = rotated.json.path("key").asText();
        assertThat(newSecret).startsWith("sk-tg-").isNotEqualTo(secret);
        assertThat(rotated.json.path("previous_key_expires_at").asText()).isEqualTo("2026-11-24T12:01:00Z");
        assertThat(store.authenticate(secret)).isPresent();
        assertThat(store.authenticate(newSecret)).isPresent();
        Reply defaultGrace = call(server, "POST", "/admin/keys/" + id + "/rotate", ADMIN, null);
        assertThat(defaultGrace.json.path("previous_key_expires_at").asText()).isEqualTo("2026-11-25T12:00:00Z");
        String lastSecret = defaultGrace.json.path("key").asText();

        Reply revoked = call(server, "DELETE", "/admin/keys/" + id, ADMIN, null);
        assertThat(revoked.status).isEqualTo(200);
        assertThat(revoked.json.path("status").asText()).isEqualTo("revoked");
        assertThat(revoked.json.path("revoked_at").asText()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(store.authenticate(lastSecret)).isEmpty();
        assertThat(store.authenticate(newSecret)).isEmpty();
        assertThat(call(server, "GET", "/admin/keys/" + id, ADMIN, null)
                        .json
                        .path("status")
                        .asText())
                .isEqualTo("revoked");
        assertError(call(server, "PATCH", "/admin/keys/" + id, ADMIN, "{\"name\": \"x\"}"), 400, "key_revoked");

        List<String> logged =
                logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).anyMatch(line -> line.contains("client key created id=" + id));
        for (String s : List.of(secret, newSecret, lastSecret)) {
            assertThat(logged).noneMatch(line -> line.contains(s) || line.contains(KeySecrets.hash(s)));
        }
    }

    @Test
    void missingOrWrongAdminTokenIs401() throws Exception {
        assertError(call(server, "GET", "/admin/keys", null, null), 401, "invalid_admin_token");
        Reply wrong = call(server, "POST", "/admin/keys", "not-the-token", "{\"name\": \"ci\"}");
        assertError(wrong, 401, "invalid_admin_token");
        assertThat(wrong.body).doesNotContain("not-the-token");
        assertError(call(server, "DELETE", "/admin/keys/key_x", ADMIN + "x", null), 401, "invalid_admin_token");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void withoutAnAdminTokenTheApiIsDisabled() throws Exception {
        for (String disabled : new String[] {null, " "}) {
            Javalin off = serve(disabled);
            try {
                Reply reply = call(off, "POST", "/admin/keys", "anything", "{\"name\": \"ci\"}");
                assertError(reply, 403, "admin_disabled");
                assertThat(reply.json.path("error").path("message").asText()).contains("TOLLGATE_ADMIN_TOKEN");
                assertError(call(off, "GET", "/admin/keys", null, null), 403, "admin_disabled");
            } finally {
                off.stop();
            }
        }
        assertThat(store.list()).isEmpty();
    }

    @Test
    void unknownIdIs404() throws Exception {
        assertError(call(server, "GET", "/admin/keys/key_0000000000000000", ADMIN, null), 404, "key_not_found");
        assertError(call(server, "PATCH", "/admin/keys/key_0000000000000000", ADMIN, "{}"), 404, "key_not_found");
        assertError(call(server, "DELETE", "/admin/keys/key_0000000000000000", ADMIN, null), 404, "key_not_found");
        assertError(call(server, "POST", "/admin/keys/key_0000000000000000/rotate", ADMIN, null), 404, "key_not_found");
    }

    @Test
    void badInputIs400() throws Exception {
        assertBadRequest("POST", "/admin/keys", "{not json", null);
        assertBadRequest("POST", "/admin/keys", "[1]", null);
        assertBadRequest("POST", "/admin/keys", "{}", "name");
        assertBadRequest("POST", "/admin/keys", "{\"name\": 7}", "name");
        assertBadRequest("POST", "/admin/keys", "{\"name\": \"ci\", \"model\": [\"m\"]}", "model");
        assertBadRequest("POST", "/admin/keys", "{\"name\": \"ci\", \"models\": \"m\"}", "models");
        assertBadRequest("POST", "/admin/keys", "{\"name\": \"ci\", \"expires_at\": \"tomorrow\"}", "expires_at");
        assertBadRequest(
                "POST", "/admin/keys", "{\"name\": \"ci\", \"expires_at\": \"2020-01-01T00:00:00Z\"}", "expires_at");
        assertBadRequest(
                "POST",
                "/admin/keys",
                "{\"name\": \"ci\", \"expires_at\": \"+10000-01-01T00:00:00Z\"}",
                "expires_at"); // a year the database cannot store
        assertBadRequest("POST", "/admin/keys", "{\"name\": \"ci\", \"metadata\": [1]}", "metadata");
        assertThat(store.list()).isEmpty();

        String id = store.create("ci", List.of(), null, null).key().id();
        assertBadRequest("PATCH", "/admin/keys/" + id, "{\"name\": null}", "name");
        assertBadRequest("PATCH", "/admin/keys/" + id, "{\"metadata\": null}", "metadata");
        assertBadRequest(
                "PATCH", "/admin/keys/" + id, "{\"expires_at\": \"+999999999-12-31T23:59:59Z\"}", "expires_at");
        assertBadRequest("POST", "/admin/keys/" + id + "/rotate", "{\"grace_seconds\": -1}", "grace_seconds");
        assertBadRequest("POST", "/admin/keys/" + id + "/rotate", "{\"grace_seconds\": \"1h\"}", "grace_seconds");
        assertThat(store.find(id).orElseThrow().previousExpiresAt()).isNull();
    }

    private void assertBadRequest(String method, String path, String body, String param) throws Exception {
        Reply reply = call(server, method, path, ADMIN, body);
        assertError(
                reply,
                400,
                reply.json.path("error").path("code").isNull()
                        ? null
                        : reply.json.path("error").path("code").asText());
        assertThat(reply.json.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        if (param == null)
            assertThat(reply.json.path("error").path("param").isNull())
                    .as(reply.body)
                    .isTrue();
        else
            assertThat(reply.json.path("error").path("param").asText())
                    .as(reply.body)
                    .isEqualTo(param);
    }

    private static void assertError(Reply reply, int status, String code) {
        assertThat(reply.status).as(reply.body).isEqualTo(status);
        assertThat(reply.headers.firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(fieldNames(reply.json)).containsExactly("error");
        JsonNode error = reply.json.path("error");
        assertThat(fieldNames(error)).containsExactly("message", "type", "param", "code");
        assertThat(error.path("message").asText()).isNotBlank();
        if (code == null) assertThat(error.path("code").isNull()).isTrue();
        else assertThat(error.path("code").asText()).isEqualTo(code);
    }

    private static List<String> fieldNames(JsonNode node) {
        Iterator<String> names = node.fieldNames();
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    record Reply(int status, String body, JsonNode json, java.net.http.HttpHeaders headers) {}

    private Reply call(Javalin target, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (body != null) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parse(response.body());
        return new Reply(response.statusCode(), response.body(), json, response.headers());
    }
}
