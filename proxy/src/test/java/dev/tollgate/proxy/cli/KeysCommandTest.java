package dev.tollgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.MutableClock;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.keys.KeySecrets;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
    static final Pattern SECRET = Pattern.compile("sk-tg-[0-9A-Za-z]{40}");
    static final Pattern ID = Pattern.compile("key_[0-9a-f]{16}");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    String url;
    HikariDataSource pool; // the "running proxy" on the same database
    KeyStore store;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void open() {
        url = "jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE";
        pool = Database.open(url);
        store = new KeyStore(pool, clock);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    Run keys(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new KeysCommand(clock));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    @Test
    void createPrintsASecretTheStoreAccepts() {
        Run run = keys(
                "create",
                "--db",
                url,
                "--name",
                "ci",
                "--model",
                "openai/gpt-oss-120b",
                "--expires",
                "30d",
                "--metadata",
                "team=web");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("shown only now");
        String secret = find(SECRET, run.out);
        ClientKey key = store.authenticate(secret).orElseThrow();
        assertThat(run.out).contains(key.id());
        assertThat(key.name()).isEqualTo("ci");
        assertThat(key.models()).containsExactly("openai/gpt-oss-120b");
        assertThat(key.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        assertThat(key.metadata().path("team").asText()).isEqualTo("web");
    }

    @Test
    void listShowsKeysButNoSecret() {
        CreatedKey created = store.create("ci", java.util.List.of(), null, null);
        store.revoke(
                store.create("old", java.util.List.of("m"), null, null).key().id());

        Run run = keys("--db", url, "list"); // --db may come before the subcommand too

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains(created.key().id(), "ci", created.key().prefix(), "active", "(all)", "never")
                .contains("old", "revoked")
                .doesNotContain(created.secret());
        assertThat(run.out.lines()).hasSize(3);
    }

    @Test
    void showPrintsTheKeyAsJsonWithoutItsSecret() {
        CreatedKey created = store.create("ci", java.util.List.of(), null, null);

        Run run = keys("show", created.key().id(), "--db", url);

        assertThat(run.exit).as(run.err).isZero();
        JsonNode json = Json.parse(run.out);
        assertThat(json.path("id").asText()).isEqualTo(created.key().id());
        assertThat(json.has("key")).isFalse();
        assertThat(run.out).doesNotContain(created.secret()).doesNotContain(KeySecrets.hash(created.secret()));
    }

    @Test
    void updateChangesTheKey() {
        String id = store.create("ci", java.util.List.of(), clock.instant().plusSeconds(60), null)
                .key()
                .id();

        Run run = keys(
                "update",
                id,
                "--db",
                url,
                "--name",
                "deploy",
                "--model",
                "a",
                "--model",
                "b",
                "--no-expiry",
                "--metadata",
                "owner=ana");

        assertThat(run.exit).as(run.err).isZero();
        ClientKey key = store.find(id).orElseThrow();
        assertThat(key.name()).isEqualTo("deploy");
        assertThat(key.models()).containsExactly("a", "b");
        assertThat(key.expiresAt()).isNull();
        assertThat(key.metadata().path("owner").asText()).isEqualTo("ana");
        assertThat(keys("update", id, "--db", url, "--all-models").exit).isZero();
        assertThat(store.find(id).orElseThrow().models()).isEmpty();
    }

    @Test
    void revokeRefusesTheKeyOnTheNextRequest() {
        CreatedKey created = store.create("ci", java.util.List.of(), null, null);
        assertThat(store.authenticate(created.secret())).isPresent();

        Run run = keys("revoke", created.key().id(), "--db", url);

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("Revoked", created.key().id());
        assertThat(store.authenticate(created.secret())).isEmpty();
    }

    @Test
    void rotatePrintsANewSecretAndKeepsTheOldOneForTheGrace() {
        CreatedKey created = store.create("ci", java.util.List.of(), null, null);

        Run run = keys("rotate", created.key().id(), "--db", url, "--grace", "1h");

        assertThat(run.exit).as(run.err).isZero();
        String secret = find(SECRET, run.out);
        assertThat(secret).isNotEqualTo(created.secret());
        assertThat(run.out).contains("2026-11-24T13:00:00Z");
        assertThat(store.authenticate(secret)).isPresent();
        assertThat(store.authenticate(created.secret())).isPresent();
        clock.advance(Duration.ofHours(1));
        assertThat(store.authenticate(created.secret())).isEmpty();
    }

    @Test
    void unknownIdExitsWithOneLine() {
        Run run = keys("revoke", "key_0000000000000000", "--db", url);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err.strip()).isEqualTo("error: No client key with id 'key_0000000000000000'");
        assertThat(run.out).isEmpty();
    }

    @Test
    void aSecretGivenAsIdIsNotEchoed() {
        String secret = store.create("ci", java.util.List.of(), null, null).secret();

        Run run = keys("show", secret, "--db", url);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).doesNotContain(secret).contains(KeySecrets.mask(secret));
    }

    @Test
    void badInputIsRefused() {
        assertThat(keys("create", "--db", url, "--name", "ci", "--expires", "soon").exit)
                .isEqualTo(2);
        Run blank = keys("create", "--db", url, "--name", " ");
        assertThat(blank.exit).isEqualTo(1);
        assertThat(blank.err).contains("name");
        assertThat(keys("create", "--db", url, "--name", "ci", "--expires", "2020-01-01").exit)
                .isEqualTo(1);
        assertThat(store.list()).isEmpty();
    }
}
