package dev.tollgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.keys.KeyStore;
import dev.tollgate.proxy.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI in its own process, on the database file a running proxy holds open (H2 AUTO_SERVER). */
class KeysCliProcessIT {
    @TempDir
    Path dir;

    /** The child process's entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new KeysCommand()).execute(args));
    }

    record Result(int exit, String out) {}

    static Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeysCliProcessIT.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out);
    }

    @Test
    void anotherProcessCreatesAndRevokesKeysWhileTheProxyHoldsTheDatabase() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("tollgate") + ";AUTO_SERVER=TRUE";
        try (HikariDataSource proxyPool = Database.open(url)) {
            KeyStore proxy = new KeyStore(proxyPool, Clock.systemUTC());
            CreatedKey held = proxy.create("held", List.of(), null, null);

            Result created = cli("create", "--db", url, "--name", "from-cli");
            assertThat(created.exit).as(created.out).isZero();
            Matcher secret = KeysCommandTest.SECRET.matcher(created.out);
            assertThat(secret.find()).as(created.out).isTrue();
            assertThat(proxy.authenticate(secret.group())).map(ClientKey::name).contains("from-cli");

            assertThat(proxy.authenticate(held.secret()))
                    .as("now cached by the proxy")
                    .isPresent();
            Result revoked = cli("revoke", held.key().id(), "--db", url);
            assertThat(revoked.exit).as(revoked.out).isZero();
            assertThat(proxy.authenticate(held.secret())).isEmpty();
        }
    }
}
