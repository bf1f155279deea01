package dev.tollgate.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.proxy.keys.ClientKey;
import dev.tollgate.proxy.keys.CreatedKey;
import dev.tollgate.proxy.keys.KeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file database on disk: an owner-only folder and files, a password kept beside it, and a database of an
 * earlier version (folder 0755, files 0644, no password) brought to that on its first open, its data kept.
 */
class DatabaseFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aNewDatabaseIsOwnerOnlyAndHasAPasswordBesideIt() throws Exception {
        Path dir = tmp.resolve("data");
        String url = "jdbc:h2:file:" + dir.resolve("tollgate");
        try (HikariDataSource pool = Database.open(url)) {
            new KeyStore(pool, Clock.systemUTC()).create("ci", List.of(), null, null);
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(names(dir)).contains("tollgate.mv.db", "tollgate.credentials");
            for (String name : names(dir))
                assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
        }
        String password = password(dir);
        assertThat(password).hasSizeGreaterThanOrEqualTo(40);
        assertThatThrownBy(() -> connect(url, ""))
                .as("no password")
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
        try (Connection c = connect(url, password)) {
            assertThat(count(c, "client_keys")).isEqualTo(1);
        }
        try (HikariDataSource again = Database.open(url)) {
            assertThat(new KeyStore(again, Clock.systemUTC()).list()).hasSize(1);
        }
        assertThat(password(dir)).as("made once").isEqualTo(password);
    }

    @Test
    void aDatabaseWithoutAPasswordGetsOneAndKeepsItsData() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        String url = "jdbc:h2:file:" + dir.resolve("tollgate");
        // What an earlier version made: the schema and a key, with empty credentials.
        org.flywaydb.core.Flyway.configure()
                .dataSource(url, "", "")
                .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load()
                .migrate();
        CreatedKey key;
        try (HikariDataSource old = new HikariDataSource(hikari(url))) {
            key = new KeyStore(old, Clock.systemUTC()).create("from-before", List.of(), null, null);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("tollgate.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        try (HikariDataSource pool = Database.open(url)) {
            assertThat(new KeyStore(pool, Clock.systemUTC()).authenticate(key.secret()))
                    .map(ClientKey::name)
                    .contains("from-before");
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("tollgate.mv.db"))).isEqualTo("rw-------");
        assertThatThrownBy(() -> connect(url, "")).isInstanceOf(SQLException.class);
        try (Connection c = connect(url, password(dir))) {
            assertThat(count(c, "client_keys")).isEqualTo(1);
        }
    }

    private static com.zaxxer.hikari.HikariConfig hikari(String url) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(url);
        return config;
    }

    @Test
    void aPasswordFileThatDoesNotFitIsAClearErrorAndIsKept() throws Exception {
        Path dir = tmp.resolve("data");
        String url = "jdbc:h2:file:" + dir.resolve("tollgate");
        Database.open(url).close();
        Path credentials = dir.resolve("tollgate.credentials");
        Files.writeString(credentials, "password=not-the-one\n");

        assertThatThrownBy(() -> Database.open(url))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("refuses the password in " + credentials)
                .hasMessageNotContaining("not-the-one");
        assertThat(credentials).hasContent("password=not-the-one");

        Files.delete(credentials);
        assertThatThrownBy(() -> Database.open(url))
                .as("lost")
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("refuses the password");
        assertThat(credentials)
                .as("no new password file for a database that has another")
                .doesNotExist();
    }

    @Test
    void aFolderSharedWithOtherFilesKeepsItsPermissionsButTheDatabaseFilesAreOwnerOnly() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.writeString(shared.resolve("notes.txt"), "someone else's");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (HikariDataSource pool = Database.open("jdbc:h2:file:" + shared.resolve("tollgate"))) {
            assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
            assertThat(mode(shared.resolve("tollgate.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(shared.resolve("tollgate.credentials"))).isEqualTo("rw-------");
        }
    }

    @Test
    void onlyLocalH2FilesWithoutAPasswordOfTheirOwnAreManaged() {
        assertThat(H2File.of("jdbc:h2:file:./data/tollgate;AUTO_SERVER=TRUE").credentials())
                .isEqualTo(Path.of("data/tollgate.credentials").toAbsolutePath());
        assertThat(H2File.of("jdbc:h2:~/tg/db").credentials())
                .isEqualTo(Path.of(System.getProperty("user.home"), "tg", "db.credentials"));
        assertThat(H2File.of("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).isNull();
        assertThat(H2File.of("jdbc:h2:tcp://localhost:9092/~/db")).isNull();
        assertThat(H2File.of("jdbc:h2:file:/srv/db;PASSWORD=mine")).isNull();
        assertThat(H2File.of("jdbc:postgresql://localhost/tollgate")).isNull();
    }

    static String password(Path dir) throws Exception {
        Properties p = new Properties();
        p.load(Files.newBufferedReader(dir.resolve("tollgate.credentials"), StandardCharsets.UTF_8));
        return p.getProperty("password");
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
