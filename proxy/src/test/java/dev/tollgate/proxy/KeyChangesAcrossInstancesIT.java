package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.mock.replay.Pacing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three proxies on one PostgreSQL database: a key revoked, rotated or re-limited through one of them (or the
 * CLI) is refused by every instance on its very next request — no polling window, no sleep in this test.
 */
class KeyChangesAcrossInstancesIT {
    static PostgresServer.Login login;
    static List<Gateway> instances = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        login = PostgresServer.newDatabase();
        for (int i = 0; i < 3; i++) instances.add(Gateway.start(Pacing.INSTANT, Gateway.postgres(login)));
    }

    @AfterAll
    static void stop() {
        instances.forEach(Gateway::close);
    }

    @Test
    void aRevocationThroughOneInstanceIsRefusedByTheOthersAtOnce() {
        Key key = create("{\"name\":\"revoked\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        assertThat(admin(0, "DELETE", "/admin/keys/" + key.id, null).status()).isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
    }

    @Test
    void aRotationWithoutGraceEndsTheOldSecretEverywhere() {
        Key key = create("{\"name\":\"rotated\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        Http.Answer rotated = admin(1, "POST", "/admin/keys/" + key.id + "/rotate", "{\"grace_seconds\":0}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
        assertThat(statuses(rotated.json().path("key").asText())).containsExactly(200, 200, 200);
    }

    @Test
    void modelsAndLimitsChangedThroughOneInstanceApplyEverywhereAtOnce() {
        Key key = create("{\"name\":\"re-limited\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        admin(2, "PATCH", "/admin/keys/" + key.id, "{\"models\":[\"some-other-model\"]}");
        assertThat(statuses(key.secret)).containsExactly(403, 403, 403);
        admin(2, "PATCH", "/admin/keys/" + key.id, "{\"models\":[]}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        // Each instance has answered this key: a quota of 1 a day is spent wherever the next request goes.
        assertThat(admin(0, "PATCH", "/admin/keys/" + key.id, "{\"limits\":{\"requests_per_day\":1}}")
                        .status())
                .isEqualTo(200);
        assertThat(statuses(key.secret)).containsExactly(429, 429, 429);
    }

    @Test
    void aRevocationByTheCliIsRefusedByEveryInstanceAtOnce() throws Exception {
        Key key = create("{\"name\":\"revoked-by-cli\"}");
        assertThat(statuses(key.secret)).containsExactly(200, 200, 200);
        assertThat(cli("keys", "revoke", key.id)).isZero();
        assertThat(statuses(key.secret)).containsExactly(401, 401, 401);
    }

    record Key(String id, String secret) {}

    private static Key create(String body) {
        Http.Answer created = admin(0, "POST", "/admin/keys", body);
        assertThat(created.status()).isEqualTo(201);
        return new Key(
                created.json().path("id").asText(), created.json().path("key").asText());
    }

    private static Http.Answer admin(int instance, String method, String path, String body) {
        return Http.call(method, instances.get(instance).baseUrl() + path, Gateway.ADMIN_TOKEN, body);
    }

    /** One request through each instance in turn, and what each answered. */
    private static List<Integer> statuses(String secret) {
        List<Integer> statuses = new ArrayList<>();
        for (Gateway g : instances) {
            statuses.add(Http.call("POST", g.baseUrl() + "/v1/chat/completions", secret, UpstreamIT.HELLO)
                    .status());
        }
        return statuses;
    }

    /** The CLI in its own JVM with the database's login in its environment; its exit code. */
    private static int cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tollgate.proxy.cli.ProxyCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("TOLLGATE_"));
        builder.environment().putAll(Gateway.postgres(login));
        Path out = Files.createTempFile(tmp, "cli", ".txt");
        Process process =
                builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI exits").isTrue();
        return process.exitValue();
    }
}
