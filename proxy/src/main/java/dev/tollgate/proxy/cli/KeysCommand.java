package dev.tollgate.proxy.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.limits.LimitStore;
import dev.tollgate.proxy.limits.LimitsConfig;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.store.Database;
import dev.tollgate.proxy.store.DatabaseLogin;
import dev.tollgate.proxy.store.StorageException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code keys}: manage client keys in the database, the same one a running proxy uses. */
@Command(
        name = "keys",
        description =
                "Create, list, show, update (limits included), revoke and rotate client keys, and show their usage.",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // subcommands get --help too
        subcommands = {
            KeyCommands.Create.class,
            KeyCommands.ListAll.class,
            KeyCommands.Show.class,
            KeyCommands.Update.class,
            KeyCommands.Revoke.class,
            KeyCommands.Rotate.class,
            KeyUsageCommand.class
        })
public class KeysCommand implements Runnable {
    @Option(
            names = "--db",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "JDBC URL of the database (default: $TOLLGATE_DB_URL, else " + Database.DEFAULT_URL
                    + "); user and password from $TOLLGATE_DB_USER and $TOLLGATE_DB_PASSWORD")
    String db;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public KeysCommand() {
        this(Clock.systemUTC());
    }

    public KeysCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The database: {@code --db}, else {@code TOLLGATE_DB_URL}; user and password from the environment. */
    DatabaseLogin login() {
        return DatabaseLogin.from(System.getenv()).withUrl(db);
    }

    /** A subcommand that works on the key store; refusals end in exit code 1 and one line on stderr. */
    abstract static class Action implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        private HikariDataSource pool;

        abstract void run(KeyStore store, PrintWriter out);

        /** The keys' limits, in the same database. */
        LimitStore limits() {
            return new LimitStore(pool, keys.clock);
        }

        /** Limits configuration (defaults for new keys, prices, time zone) from the environment, as the proxy reads it. */
        LimitsConfig limitsConfig() {
            return LimitsConfig.fromEnv(System.getenv());
        }

        HikariDataSource pool() {
            return pool;
        }

        Clock clock() {
            return keys.clock;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (HikariDataSource opened = Database.open(keys.login(), 2)) {
                pool = opened;
                run(new KeyStore(pool, keys.clock), out);
                return 0;
            } catch (TypeConversionException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            } catch (ApiError | StorageException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                spec.commandLine().getErr().flush();
            }
        }

        Instant now() {
            return keys.clock.instant();
        }
    }

    private static final Pattern AMOUNT = Pattern.compile("(\\d+)([smhdw]?)");

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 30d}, {@code 2w}; a bare number is seconds. */
    static Duration duration(String text) {
        Matcher m = AMOUNT.matcher(text.strip());
        if (!m.matches()) throw new TypeConversionException("'" + text + "' is not a duration such as 30d, 24h or 90s");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** An ISO-8601 instant, a date (midnight UTC), or a duration from now such as {@code 30d}. */
    static Instant expiry(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                try {
                    return now.plus(duration(text));
                } catch (TypeConversionException notDuration) {
                    throw new TypeConversionException(
                            "'" + text + "' is not an expiry such as 2027-01-01T00:00:00Z, 2027-01-01 or 30d");
                }
            }
        }
    }

    /** {@code k=v} pairs, in order. */
    static Map<String, String> pairs(List<String> entries) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) throw new TypeConversionException("'" + entry + "' is not key=value");
            pairs.put(entry.substring(0, eq).strip(), entry.substring(eq + 1));
        }
        return pairs;
    }
}
