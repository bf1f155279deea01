package dev.tollgate.proxy.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.store.Database;
import dev.tollgate.proxy.store.DatabaseLogin;
import dev.tollgate.proxy.store.Dialect;
import dev.tollgate.proxy.store.StorageException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code db}: tasks on the database itself. */
@Command(
        name = "db",
        description = "Database tasks: copy an H2 database into PostgreSQL.",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        subcommands = {DbCommand.Copy.class})
public class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code db copy}: an H2 database's keys, limits, counters, log and roll-ups into an empty PostgreSQL database. */
    @Command(
            name = "copy",
            description = {
                "Copy an H2 database (keys, limits, usage counters, the request log with its bodies, the daily roll-ups)"
                        + " into an empty PostgreSQL database, migrating it first. Stop the proxy first: it writes its last"
                        + " counters and log rows when it stops.",
                "Ids are kept: the same client keys work against the new database."
            })
    static final class Copy implements Callable<Integer> {
        @Option(
                names = "--from",
                paramLabel = "URL",
                description = "JDBC URL of the H2 database (default: " + Database.DEFAULT_URL
                        + "); its password is read from the credentials file beside it")
        String from = Database.DEFAULT_URL;

        @Option(
                names = "--to",
                paramLabel = "URL",
                description =
                        "JDBC URL of the PostgreSQL database, jdbc:postgresql://HOST:PORT/DB (default: $TOLLGATE_DB_URL)")
        String to;

        @Option(names = "--to-user", paramLabel = "USER", description = "Its user (default: $TOLLGATE_DB_USER)")
        String user;

        @Option(
                names = "--to-password",
                arity = "0..1",
                interactive = true,
                paramLabel = "PASSWORD",
                description = "Ask for its password (default: $TOLLGATE_DB_PASSWORD)")
        String password;

        @Option(
                names = "--batch",
                paramLabel = "N",
                defaultValue = "1000",
                description = "Rows per insert batch (default: ${DEFAULT-VALUE})")
        int batch;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, String> env = System.getenv();
            String url = to != null ? to : env.get(DatabaseLogin.URL_VARIABLE);
            if (url == null || Dialect.of(url) != Dialect.POSTGRESQL) {
                err.println(
                        "db copy: give the PostgreSQL database to copy into with --to jdbc:postgresql://HOST:PORT/DB"
                                + " (or TOLLGATE_DB_URL)");
                return 2;
            }
            if (Dialect.of(from) != Dialect.H2) {
                err.println("db copy: --from must be an H2 database (jdbc:h2:…)");
                return 2;
            }
            if (batch < 1) {
                err.println("db copy: --batch must be at least 1");
                return 2;
            }
            DatabaseLogin target = new DatabaseLogin(
                    url,
                    user != null ? user : env.get(DatabaseLogin.USER_VARIABLE),
                    password != null ? password : env.get(DatabaseLogin.PASSWORD_VARIABLE));
            try (HikariDataSource h2 = Database.open(from, 2);
                    HikariDataSource pg = Database.open(target, 2)) {
                Map<String, Long> copied = new DatabaseCopy(h2, pg, batch).run();
                out.printf("Copied %s into %s:%n", withoutParameters(from), withoutParameters(url));
                copied.forEach(
                        (table, rows) -> out.printf("  %-15s %,d %s%n", table, rows, rows == 1 ? "row" : "rows"));
                out.println("Point the proxy at it: TOLLGATE_DB_URL=" + withoutParameters(url)
                        + " (with TOLLGATE_DB_USER and TOLLGATE_DB_PASSWORD).");
                return 0;
            } catch (DatabaseCopy.NotEmpty e) {
                err.println("db copy: " + e.getMessage());
                return 1;
            } catch (StorageException e) {
                err.println("db copy: " + e.getMessage());
                return 1;
            } catch (SQLException e) {
                err.println("db copy failed, nothing was copied: SQL state " + e.getSQLState() + ": " + e.getMessage());
                return 1;
            }
        }

        /** The URL without its parameters (a PostgreSQL URL may carry ?password=…). */
        private static String withoutParameters(String url) {
            return url.replaceAll("[?;].*", "");
        }
    }
}
