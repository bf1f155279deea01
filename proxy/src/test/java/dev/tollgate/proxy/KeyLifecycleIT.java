package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.proxy.cli.ProxyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Client keys managed through the running proxy's admin API and through the CLI on the same database. */
class KeyLifecycleIT {
    static final String HELLO =
            "{\"model\":\"%s\",\"max_tokens\":2000,\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world!\"}]}";

    @RegisterExtension
    static Gateway.PerClass gateways = new Gateway.PerClass();

    static Http.Answer admin(String method, String path, String body) {
        return Http.call(method, gateways.get().baseUrl() + path, Gateway.ADMIN_TOKEN, body);
    }

    static int chat(String secret, String model) {
        return Http.post(gateways.get().baseUrl() + "/v1/chat/completions", secret, HELLO.formatted(model))
                .status();
    }

    @Test
    void createUseRestrictRotateRevoke() {
        Http.Answer created = admin("POST", "/admin/keys", "{\"name\":\"team-a\",\"metadata\":{\"owner\":\"ana\"}}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("key").asText();
        String id = created.json().path("id").asText();
        assertThat(secret).startsWith("sk-tg-");
        assertThat(chat(secret, "openai/gpt-oss-120b")).isEqualTo(200);

        JsonNode listed = admin("GET", "/admin/keys", null).json();
        assertThat(listed.toString()).contains(id).doesNotContain(secret);

        assertThat(admin("PATCH", "/admin/keys/" + id, "{\"models\":[\"gpt-4o\"]}")
                        .status())
                .isEqualTo(200);
        assertThat(chat(secret, "gpt-4o")).isEqualTo(200);
        Http.Answer refused = Http.post(
                gateways.get().baseUrl() + "/v1/chat/completions", secret, HELLO.formatted("openai/gpt-oss-120b"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("model_not_allowed");

        Http.Answer rotated = admin("POST", "/admin/keys/" + id + "/rotate", "{\"grace_seconds\":3600}");
        assertThat(rotated.status()).isEqualTo(200);
        String newSecret = rotated.json().path("key").asText();
        assertThat(newSecret).startsWith("sk-tg-").isNotEqualTo(secret);
        assertThat(chat(newSecret, "gpt-4o")).isEqualTo(200);
        assertThat(chat(secret, "gpt-4o"))
                .as("the old secret works during the grace period")
                .isEqualTo(200);

        assertThat(admin("DELETE", "/admin/keys/" + id, null).status()).isEqualTo(200);
        assertThat(chat(newSecret, "gpt-4o"))
                .as("refused on the very next request")
                .isEqualTo(401);
        assertThat(chat(secret, "gpt-4o")).isEqualTo(401);
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        // 4 s: creating the key and its first answer must come before the expiry on a loaded CI machine too.
        Instant soon = Instant.now().plusSeconds(4);
        Http.Answer created =
                admin("POST", "/admin/keys", "{\"name\":\"short-lived\",\"expires_at\":\"" + soon + "\"}");
        String secret = created.json().path("key").asText();
        assertThat(chat(secret, "openai/gpt-oss-120b")).isEqualTo(200);
        Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 100);
        assertThat(chat(secret, "openai/gpt-oss-120b")).isEqualTo(401);
    }

    @Test
    void adminApiNeedsTheToken() {
        assertThat(Http.call("GET", gateways.get().baseUrl() + "/admin/keys", "wrong-token", null)
                        .status())
                .isEqualTo(401);
        assertThat(Http.call("GET", gateways.get().baseUrl() + "/admin/keys", gateways.get().clientSecret, null)
                        .status())
                .isEqualTo(401);
        assertThat(Http.call("GET", gateways.get().baseUrl() + "/admin/keys", null, null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void theCliManagesKeysOfTheRunningProxy() {
        String created = cli("keys", "create", "--db", gateways.get().dbUrl, "--name", "ci");
        Matcher m = Pattern.compile("(sk-tg-[A-Za-z0-9]+)").matcher(created);
        assertThat(m.find()).as(created).isTrue();
        String secret = m.group(1);
        assertThat(chat(secret, "openai/gpt-oss-120b")).isEqualTo(200);

        Matcher id = Pattern.compile("(key_[a-z0-9]+)").matcher(created);
        assertThat(id.find()).as(created).isTrue();
        assertThat(cli("keys", "list", "--db", gateways.get().dbUrl))
                .contains(id.group(1))
                .doesNotContain(secret);
        cli("keys", "revoke", "--db", gateways.get().dbUrl, id.group(1));
        assertThat(chat(secret, "openai/gpt-oss-120b")).isEqualTo(401);
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ProxyCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(out));
        int exit = cmd.execute(args);
        assertThat(exit).as(out.toString()).isZero();
        return out.toString();
    }
}
