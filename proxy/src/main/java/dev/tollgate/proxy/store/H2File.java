package dev.tollgate.proxy.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An H2 database in a local file (the default {@code ./data/tollgate}), kept the proxy's alone. Its folder
 * is owner-only (0700), which also covers what H2 creates there later ({@code .lock.db}, whose auto-server
 * key lets a process in, {@code .trace.db}, temporary files); its files are 0600; and it has a password,
 * made at first use and kept beside it in {@code <name>.credentials} (0600), which the proxy and the CLI
 * read. A database made by an earlier version, with no password, gets this one the first time it opens.
 */
final class H2File {
    private static final Logger log = LoggerFactory.getLogger(H2File.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;
    private final String name;

    /** The password in the credentials file; {@code created} when this process just made it. */
    record Password(String value, boolean created) {}

    private H2File(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /**
     * The local file database that {@code jdbcUrl} names, or null when it names none (another database, H2 in
     * memory or over TCP) or sets its own password ({@code ;PASSWORD=…}).
     */
    static H2File of(String jdbcUrl) {
        if (!jdbcUrl.regionMatches(true, 0, "jdbc:h2:", 0, 8)) return null;
        List<String> parts = List.of(jdbcUrl.substring(8).split(";"));
        if (parts.stream()
                .skip(1)
                .anyMatch(p -> p.strip().toUpperCase(Locale.ROOT).startsWith("PASSWORD="))) return null;
        String path = parts.getFirst();
        if (path.regionMatches(true, 0, "file:", 0, 5)) path = path.substring(5);
        else if (path.contains(":")) return null; // mem:, tcp:, ssl:, zip:, …
        if (path.startsWith("~")) path = System.getProperty("user.home") + path.substring(1);
        Path file = Path.of(path).toAbsolutePath().normalize();
        return new H2File(file.getParent(), file.getFileName().toString());
    }

    Path credentials() {
        return dir.resolve(name + ".credentials");
    }

    /**
     * Makes the folder owner-only: when it is created here, or holds nothing but this database's files
     * ({@code ./data} of an earlier version, made 0755). A folder shared with other files keeps its
     * permissions, with a warning. Then makes the database's files owner-only.
     */
    void protect() throws IOException {
        if (!POSIX) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else if (!OWNER_DIR.containsAll(Files.getPosixFilePermissions(dir))) {
            String why = "holds other files";
            if (files(dir).allMatch(this::ours)) {
                try {
                    Files.setPosixFilePermissions(dir, OWNER_DIR);
                    why = null;
                } catch (FileSystemException e) { // e.g. a volume owned by root that this user may write to
                    why = "cannot be changed by this user (" + e.getReason() + ")";
                }
            }
            if (why != null)
                log.warn(
                        "the database's folder {} is open to other users and {}: only the database's own files are made"
                                + " owner-only, not what H2 creates there later; give the database a folder of its own",
                        dir,
                        why);
        }
        protectFiles();
    }

    /** Makes every file of this database owner-only (H2 makes them as the umask says, often 0644). */
    void protectFiles() throws IOException {
        if (!POSIX) return;
        for (Path file : files(dir).filter(this::ours).toList()) Files.setPosixFilePermissions(file, OWNER_FILE);
    }

    /** The password from the credentials file, or a new one (256 random bits) saved there, owner-only, when there is none. */
    Password password() throws IOException {
        Path file = credentials();
        try {
            String made = Base64.getUrlEncoder().withoutPadding().encodeToString(random());
            try (Writer out = Files.newBufferedWriter(create(file), StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
                out.write(
                        "# The password of the H2 database beside this file, made by Tollgate. The proxy and its CLI read it.\n"
                                + "# Keep it readable by its owner only; without it the database does not open.\n"
                                + "password=" + made + "\n");
            }
            log.info("made a password for the database {}, kept in {} (owner-only)", dir.resolve(name), file);
            return new Password(made, true);
        } catch (FileAlreadyExistsException exists) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (AccessDeniedException e) {
                throw new AccessDeniedException(
                        file.toString(),
                        null,
                        "only the user who owns the database may read its password: run this as that user");
            }
            String value = properties.getProperty("password");
            if (value == null || value.isBlank()) throw new IOException(file + " holds no password= line");
            return new Password(value.strip(), false);
        }
    }

    /**
     * Gives the database {@code password} if it has none yet (made by an earlier version, or made before a crash
     * let this be done). False when the database refuses an empty password too.
     */
    boolean setPasswordWhereNone(String jdbcUrl, String password) throws SQLException {
        Properties empty = new Properties();
        empty.setProperty("password", "");
        try (Connection c = DriverManager.getConnection(jdbcUrl, empty);
                PreparedStatement alter = c.prepareStatement(
                        "ALTER USER \"" + c.getMetaData().getUserName().replace("\"", "\"\"") + "\" SET PASSWORD ?")) {
            alter.setString(1, password);
            alter.execute();
        } catch (SQLException e) {
            if (Database.wrongPassword(e)) return false;
            throw e;
        }
        log.info(
                "the database {} had no password: it has one now, kept in {} (owner-only)",
                dir.resolve(name),
                credentials());
        return true;
    }

    /** Forgets a password file this process made for a database that turned out to have another password. */
    void discard(Password password) throws IOException {
        if (password.created()) Files.deleteIfExists(credentials());
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A new file, owner-only from its first byte; FileAlreadyExistsException when another process made it first. */
    private static Path create(Path file) throws IOException {
        return POSIX
                ? Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE))
                : Files.createFile(file);
    }

    private boolean ours(Path file) {
        return file.getFileName().toString().startsWith(name + ".");
    }

    private static Stream<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList().stream();
        }
    }
}
