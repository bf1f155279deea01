package dev.tollgate.proxy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.keys.KeyChanges;
import dev.tollgate.proxy.keys.KeyStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code keys} subcommands. Secrets are printed only by create and rotate, once. */
final class KeyCommands {
    private KeyCommands() {}

    @Command(name = "create", description = "Create a key and print its secret (shown only this once).")
    public static final class Create extends KeysCommand.Action {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "Who or what the key is for")
        String name;

        @Option(names = "--model", paramLabel = "MODEL", description = "A model the key may use (repeat; default: all)")
        List<String> models = new ArrayList<>();

        @Option(names = "--expires", paramLabel = "WHEN", description = "2027-01-01T00:00:00Z, 2027-01-01 or 30d")
        String expires;

        @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Free-form metadata (repeat)")
        List<String> metadata = new ArrayList<>();

        @Option(
                names = "--log-bodies",
                description = "Keep this key's prompt and answer bodies in the request log (capped, secrets masked)")
        boolean logBodies;

        @CommandLine.Mixin
        LimitOptions limitOptions = new LimitOptions();

        @Override
        void run(KeyStore store, PrintWriter out) {
            Instant expiresAt = expires == null ? null : KeysCommand.expiry(expires, now());
            var keyLimits = limitOptions.applyTo(limitsConfig().defaults()); // checked before the key exists
            CreatedKey created =
                    store.create(name, models, expiresAt, metadata(KeysCommand.pairs(metadata)), logBodies);
            limits().set(created.key().id(), keyLimits);
            out.println("Created client key " + created.key().id() + " ("
                    + created.key().name() + ").");
            if (!keyLimits.isEmpty()) out.println("Limits: " + Json.compact(keyLimits.toJson()));
            printSecret(out, created);
        }
    }

    @Command(name = "list", description = "List all keys (never their secrets).")
    public static final class ListAll extends KeysCommand.Action {
        @Override
        void run(KeyStore store, PrintWriter out) {
            Instant now = store.now();
            String format = "%-20s  %-30s  %-14s  %-7s  %-30s  %s%n";
            out.printf(format, "ID", "NAME", "PREFIX", "STATUS", "MODELS", "EXPIRES");
            for (ClientKey key : store.list()) {
                out.printf(
                        format,
                        key.id(),
                        cut(key.name()),
                        key.prefix(),
                        key.status(now),
                        key.models().isEmpty() ? "(all)" : cut(String.join(",", key.models())),
                        key.expiresAt() == null ? "never" : key.expiresAt());
            }
        }

        private static String cut(String text) {
            return text.length() <= 30 ? text : text.substring(0, 29) + "…";
        }
    }

    @Command(name = "show", description = "Print one key as JSON.")
    public static final class Show extends KeysCommand.Action {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(KeyStore store, PrintWriter out) {
            ObjectNode json = store.require(id).toJson(store.now());
            json.set("limits", limits().get(id).toJson());
            out.println(Json.pretty(json));
        }
    }

    @Command(name = "update", description = "Change a key's name, models, expiry, metadata or limits.")
    public static final class Update extends KeysCommand.Action {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--model", paramLabel = "MODEL", description = "Replaces the model list (repeat)")
        List<String> models;

        @Option(names = "--all-models", description = "Allow every model")
        boolean allModels;

        @Option(names = "--expires", paramLabel = "WHEN", description = "2027-01-01T00:00:00Z, 2027-01-01 or 30d")
        String expires;

        @Option(names = "--no-expiry", description = "Never expire")
        boolean noExpiry;

        @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Set a metadata entry (repeat)")
        List<String> metadata;

        @Option(
                names = "--log-bodies",
                paramLabel = "true|false",
                arity = "1",
                description = "Whether the request log keeps this key's prompt and answer bodies")
        Boolean logBodies;

        @CommandLine.Mixin
        LimitOptions limitOptions = new LimitOptions();

        @Override
        void run(KeyStore store, PrintWriter out) {
            Instant expiresAt = expires == null ? null : KeysCommand.expiry(expires, now());
            store.require(id);
            var keyLimits = limitOptions.applyTo(limits().get(id)); // checked before anything changes
            ClientKey key = store.update(
                    id,
                    new KeyChanges(
                            name,
                            allModels ? List.of() : models,
                            expiresAt,
                            noExpiry,
                            metadata == null ? null : metadata(KeysCommand.pairs(metadata)),
                            logBodies));
            limits().set(id, keyLimits);
            out.println("Updated client key " + key.id() + ".");
            ObjectNode json = key.toJson(store.now());
            json.set("limits", keyLimits.toJson());
            out.println(Json.pretty(json));
        }
    }

    @Command(name = "revoke", description = "Revoke a key: refused from its very next request on.")
    public static final class Revoke extends KeysCommand.Action {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(KeyStore store, PrintWriter out) {
            ClientKey key = store.revoke(id);
            out.println("Revoked client key " + key.id() + " (" + key.name() + ") at " + key.revokedAt() + ".");
        }
    }

    @Command(name = "rotate", description = "Give a key a new secret; the old one works for a grace period.")
    public static final class Rotate extends KeysCommand.Action {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(
                names = "--grace",
                paramLabel = "DURATION",
                defaultValue = "24h",
                description = "How long the old secret keeps working (default: ${DEFAULT-VALUE})")
        String grace;

        @Override
        void run(KeyStore store, PrintWriter out) {
            Duration duration = KeysCommand.duration(grace);
            CreatedKey rotated = store.rotate(id, duration);
            out.println("Rotated client key " + rotated.key().id() + " ("
                    + rotated.key().name() + ").");
            printSecret(out, rotated);
            out.println(
                    "The previous secret keeps working until " + rotated.key().previousExpiresAt() + ".");
        }
    }

    private static void printSecret(PrintWriter out, CreatedKey created) {
        out.println("Secret (shown only now; it cannot be retrieved later, store it safely):");
        out.println(created.secret());
    }

    private static ObjectNode metadata(Map<String, String> pairs) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        pairs.forEach(json::put);
        return json;
    }
}
