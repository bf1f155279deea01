package dev.tollgate.proxy.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.proxy.store.ChangeSignal;
import dev.tollgate.proxy.store.ChangeSync;
import dev.tollgate.proxy.store.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Client keys in the database. Nothing is cached: every call reads the table, so a revocation made by
 * another process (the CLI) refuses the very next request. Secrets exist only as SHA-256 hashes.
 */
public final class KeyStore {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    private static final String BY_ID = "SELECT " + KeyRows.COLUMNS + " FROM client_keys WHERE id = ?";
    // Two indexed lookups rather than one OR, which a database may answer with a full scan.
    private static final String BY_SECRET = "SELECT " + KeyRows.COLUMNS + ", FALSE AS by_previous"
            + " FROM client_keys WHERE secret_hash = ? UNION ALL SELECT " + KeyRows.COLUMNS
            + ", TRUE AS by_previous FROM client_keys WHERE previous_secret_hash = ?";

    private final DataSource db;
    private final Clock clock;
    private final AuthCache cache = new AuthCache();

    public KeyStore(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public CreatedKey create(String name, List<String> models, Instant expiresAt, ObjectNode metadata) {
        return create(name, models, expiresAt, metadata, false);
    }

    /** A new key; with {@code logBodies} the request log keeps its prompt and answer bodies. */
    public CreatedKey create(
            String name, List<String> models, Instant expiresAt, ObjectNode metadata, boolean logBodies) {
        Instant now = now();
        String secret = KeySecrets.newSecret();
        ClientKey key = new ClientKey(
                KeySecrets.newId(),
                KeyRules.name(name),
                KeySecrets.displayPrefix(secret),
                KeyRules.models(models),
                KeyRules.expiry(expiresAt, now),
                KeyRules.metadata(metadata),
                now,
                now,
                null,
                null,
                logBodies);
        run(c -> KeyRows.insert(c, key, KeySecrets.hash(secret)));
        return new CreatedKey(key, secret);
    }

    /** All keys, oldest first, revoked ones included. */
    public List<ClientKey> list() {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT " + KeyRows.COLUMNS + " FROM client_keys ORDER BY created_at, id");
                    ResultSet rs = ps.executeQuery()) {
                return KeyRows.readAll(rs);
            }
        });
    }

    public Optional<ClientKey> find(String id) {
        return run(c -> find(c, id, false));
    }

    /** The key with this id; a 404 in OpenAI's shape when there is none. */
    public ClientKey require(String id) {
        return find(id).orElseThrow(() -> KeyRules.notFound(id));
    }

    public ClientKey update(String id, KeyChanges changes) {
        Instant now = now();
        return inTransaction(c -> {
            ClientKey old = editable(c, id);
            ObjectNode metadata = changes.metadata() == null
                    ? old.metadata()
                    : KeyRules.metadata(KeyRules.merge(old.metadata(), changes.metadata()));
            Instant expiresAt = changes.clearExpiry()
                    ? null
                    : changes.expiresAt() != null ? KeyRules.expiry(changes.expiresAt(), now) : old.expiresAt();
            ClientKey key = new ClientKey(
                    id,
                    changes.name() == null ? old.name() : KeyRules.name(changes.name()),
                    old.prefix(),
                    changes.models() == null ? old.models() : KeyRules.models(changes.models()),
                    expiresAt,
                    metadata,
                    old.createdAt(),
                    now,
                    null,
                    old.previousExpiresAt(),
                    changes.logBodies() == null ? old.logBodies() : changes.logBodies());
            KeyRows.update(c, key);
            return key;
        });
    }

    /** Revokes the key at once; revoking a revoked key changes nothing. */
    public ClientKey revoke(String id) {
        Instant now = now();
        return inTransaction(c -> {
            ClientKey old = find(c, id, true).orElseThrow(() -> KeyRules.notFound(id));
            if (old.revokedAt() != null) return old;
            KeyRows.revoke(c, id, now);
            return find(c, id, false).orElseThrow();
        });
    }

    /**
     * Gives the key a new secret. The current one keeps working until now + grace; a secret replaced
     * by an earlier rotation stops working now (one previous secret at a time).
     */
    public CreatedKey rotate(String id, Duration grace) {
        Instant now = now();
        Instant previousExpiresAt = now.plus(KeyRules.grace(grace));
        String secret = KeySecrets.newSecret();
        ClientKey key = inTransaction(c -> {
            editable(c, id);
            KeyRows.rotate(c, id, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), previousExpiresAt, now);
            return find(c, id, false).orElseThrow();
        });
        return new CreatedKey(key, secret);
    }

    /**
     * The active key this secret belongs to (its current one, or its previous one within the grace
     * period). Served from a cache that any change to a key invalidates, so a revocation applies to
     * the very next request.
     */
    public Optional<ClientKey> authenticate(String presentedSecret) {
        if (presentedSecret == null || !presentedSecret.startsWith(KeySecrets.SECRET_PREFIX)) return Optional.empty();
        Instant now = now();
        return cache.get(KeySecrets.hash(presentedSecret), this::match)
                .filter(m -> m.secretValidUntil().isAfter(now))
                .map(AuthCache.Match::key)
                .filter(key -> key.isActive(now));
    }

    private Optional<AuthCache.Match> match(String hash) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(BY_SECRET)) {
                ps.setString(1, hash);
                ps.setString(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    Optional<AuthCache.Match> found = Optional.empty();
                    while (rs.next()) {
                        ClientKey key = KeyRows.read(rs);
                        boolean byPrevious = rs.getBoolean("by_previous");
                        AuthCache.Match match =
                                new AuthCache.Match(key, byPrevious ? key.previousExpiresAt() : Instant.MAX);
                        if (!byPrevious) return Optional.of(match); // the current secret wins over an old one
                        found = Optional.of(match);
                    }
                    return found;
                }
            }
        });
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the database keeps
    }

    private ClientKey editable(Connection c, String id) throws SQLException {
        ClientKey key = find(c, id, true).orElseThrow(() -> KeyRules.notFound(id));
        if (key.revokedAt() != null) throw KeyRules.revoked(id);
        return key;
    }

    private static Optional<ClientKey> find(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(forUpdate ? BY_ID + " FOR UPDATE" : BY_ID)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(KeyRows.read(rs)) : Optional.empty();
            }
        }
    }

    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StorageException("key database: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction; once committed, every proxy instance has seen it ({@link ChangeSync}). */
    private <T> T inTransaction(Work<T> work) {
        T done = run(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
        ChangeSignal.changed(); // this instance's own caches, whatever its listener is doing
        ChangeSync.await(db);
        return done;
    }
}
