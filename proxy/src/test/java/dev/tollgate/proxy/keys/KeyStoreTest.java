package dev.tollgate.proxy.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.MutableClock;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00.123456789Z"));
    HikariDataSource pool;
    KeyStore store;

    @BeforeEach
    void open() {
        pool = Database.open(url());
        store = new KeyStore(pool, clock);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    String url() {
        return "jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE";
    }

    @Test
    void createdSecretAuthenticatesAsItsKey() {
        CreatedKey created = store.create("ci", List.of(), null, null);

        assertThat(created.secret()).startsWith("sk-tg-").hasSize(46).matches("sk-tg-[0-9A-Za-z]{40}");
        assertThat(created.key().id()).matches("key_[0-9a-f]{16}");
        assertThat(created.key().prefix()).isEqualTo(created.secret().substring(0, 10) + "…");
        assertThat(created.key().createdAt()).isEqualTo(Instant.parse("2026-11-24T12:00:00.123Z"));
        assertThat(store.authenticate(created.secret())).contains(created.key());
        assertThat(created.toString()).doesNotContain(created.secret());
    }

    @Test
    void wrongSecretsAreRefused() {
        CreatedKey created = store.create("ci", List.of(), null, null);

        assertThat(store.authenticate(created.secret() + "x")).isEmpty();
        assertThat(store.authenticate(KeySecrets.newSecret())).isEmpty();
        assertThat(store.authenticate(created.secret().substring(6))).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
    }

    @Test
    void theDatabaseFileHoldsTheHashNotTheSecret() throws IOException {
        CreatedKey created = store.create("ci", List.of(), null, null);
        store.rotate(created.key().id(), Duration.ofHours(1));
        pool.close();

        String file = databaseBytes();
        assertThat(file).contains(KeySecrets.hash(created.secret()));
        assertThat(file)
                .doesNotContain(created.secret())
                .doesNotContain(created.secret().substring(10));
        pool = Database.open(url()); // for @AfterEach
    }

    private String databaseBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList())
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    @Test
    void revokedKeyIsRefusedOnTheVeryNextCall() {
        CreatedKey created = store.create("ci", List.of(), null, null);
        assertThat(store.authenticate(created.secret())).isPresent();

        ClientKey revoked = store.revoke(created.key().id());

        assertThat(store.authenticate(created.secret())).isEmpty();
        assertThat(revoked.revokedAt()).isEqualTo(store.now());
        assertThat(revoked.status(store.now())).isEqualTo("revoked");
        clock.advance(Duration.ofMinutes(5));
        assertThat(store.revoke(created.key().id()).revokedAt()).isEqualTo(revoked.revokedAt());
    }

    @Test
    void keyExpiresWhenTheClockReachesItsExpiry() {
        Instant expiry = store.now().plus(Duration.ofHours(1));
        CreatedKey created = store.create("ci", List.of(), expiry, null);

        clock.advance(Duration.ofMinutes(59));
        assertThat(store.authenticate(created.secret())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.authenticate(created.secret())).isEmpty();
        assertThat(store.find(created.key().id()).orElseThrow().status(store.now()))
                .isEqualTo("expired");
    }

    @Test
    void rotationKeepsTheOldSecretForTheGracePeriodOnly() {
        CreatedKey created = store.create("ci", List.of(), null, null);

        CreatedKey rotated = store.rotate(created.key().id(), Duration.ofHours(1));

        assertThat(rotated.secret()).isNotEqualTo(created.secret());
        assertThat(rotated.key().prefix()).isEqualTo(KeySecrets.displayPrefix(rotated.secret()));
        assertThat(rotated.key().previousExpiresAt()).isEqualTo(store.now().plus(Duration.ofHours(1)));
        assertThat(store.authenticate(rotated.secret()))
                .map(ClientKey::id)
                .contains(created.key().id());
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.authenticate(created.secret()))
                .map(ClientKey::id)
                .contains(created.key().id());
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.authenticate(created.secret())).isEmpty();
        assertThat(store.authenticate(rotated.secret())).isPresent();
    }

    @Test
    void aSecondRotationEndsTheFirstSecretAtOnce() {
        CreatedKey created = store.create("ci", List.of(), null, null);
        CreatedKey second = store.rotate(created.key().id(), Duration.ofHours(1));
        CreatedKey third = store.rotate(created.key().id(), Duration.ZERO);

        assertThat(store.authenticate(created.secret())).isEmpty();
        assertThat(store.authenticate(second.secret())).isEmpty(); // zero grace
        assertThat(store.authenticate(third.secret())).isPresent();
    }

    @Test
    void updateChangesOnlyWhatIsGiven() {
        ObjectNode metadata = Json.MAPPER.createObjectNode().put("team", "web").put("ticket", "T-1");
        CreatedKey created = store.create("ci", List.of(), store.now().plusSeconds(60), metadata);
        assertThat(created.key().mayUse("openai/gpt-oss-120b")).isTrue();
        clock.advance(Duration.ofSeconds(5));

        ClientKey updated = store.update(
                created.key().id(),
                new KeyChanges(
                        null,
                        List.of("openai/gpt-oss-120b", " a "),
                        null,
                        true,
                        (ObjectNode) Json.parse("{\"ticket\":null,\"owner\":\"ana\"}"),
                        null));

        assertThat(updated.name()).isEqualTo("ci");
        assertThat(updated.models()).containsExactly("openai/gpt-oss-120b", "a");
        assertThat(updated.mayUse("openai/gpt-oss-120b")).isTrue();
        assertThat(updated.mayUse("llama-3.1-8b-instant")).isFalse();
        assertThat(updated.expiresAt()).isNull();
        assertThat(Json.compact(updated.metadata())).isEqualTo("{\"team\":\"web\",\"owner\":\"ana\"}");
        assertThat(updated.updatedAt()).isAfter(created.key().updatedAt());
        assertThat(store.find(created.key().id())).contains(updated);

        ClientKey renamed =
                store.update(created.key().id(), new KeyChanges("deploy", List.of(), null, false, null, null));
        assertThat(renamed.name()).isEqualTo("deploy");
        assertThat(renamed.models()).isEmpty();
        assertThat(renamed.metadata()).isEqualTo(updated.metadata());
    }

    @Test
    void listAndFind() {
        CreatedKey first = store.create("first", List.of(), null, null);
        clock.advance(Duration.ofSeconds(1));
        CreatedKey second = store.create("second", List.of("m"), null, null);

        assertThat(store.list()).containsExactly(first.key(), second.key());
        assertThat(store.find(second.key().id())).contains(second.key());
        assertThat(store.find("key_0000000000000000")).isEmpty();
    }

    @Test
    void invalidInputIsA400NamingTheParameter() {
        assertInvalid(() -> store.create("  ", List.of(), null, null), "name");
        assertInvalid(() -> store.create(null, List.of(), null, null), "name");
        assertInvalid(() -> store.create("x".repeat(201), List.of(), null, null), "name");
        assertInvalid(() -> store.create("ci", List.of(" "), null, null), "models");
        assertInvalid(() -> store.create("ci", List.of(), store.now(), null), "expires_at");
        String id = store.create("ci", List.of(), null, null).key().id();
        assertInvalid(() -> store.rotate(id, Duration.ofSeconds(-1)), "grace_seconds");
        assertInvalid(() -> store.update(id, new KeyChanges("", null, null, false, null, null)), "name");
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void unknownIdsAre404AndRevokedKeysCannotChange() {
        for (Runnable call : List.<Runnable>of(
                () -> store.revoke("key_nope"),
                () -> store.update("key_nope", KeyChanges.NONE),
                () -> store.rotate("key_nope", Duration.ZERO))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.code()).isEqualTo("key_not_found");
            });
        }
        String id = store.create("ci", List.of(), null, null).key().id();
        store.revoke(id);
        assertThatThrownBy(() -> store.rotate(id, Duration.ZERO))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.code()).isEqualTo("key_revoked"));
    }

    @Test
    void aSecretPastedAsAnIdIsNotEchoed() {
        String secret = store.create("ci", List.of(), null, null).secret();

        assertThatThrownBy(() -> store.revoke(secret))
                .isInstanceOf(ApiError.class)
                .hasMessageNotContaining(secret)
                .hasMessageContaining(KeySecrets.mask(secret));
    }

    @Test
    void twoPoolsOnTheSameFileSeeEachOthersWrites() {
        try (HikariDataSource other = Database.open(url())) {
            KeyStore otherStore = new KeyStore(other, clock);
            CreatedKey created = store.create("ci", List.of(), null, null);

            assertThat(otherStore.authenticate(created.secret())).isPresent();
            otherStore.revoke(created.key().id());
            assertThat(store.authenticate(created.secret())).isEmpty();
        }
    }

    private static void assertInvalid(Runnable call, String param) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("invalid_request_error");
            assertThat(e.param()).isEqualTo(param);
        });
    }
}
