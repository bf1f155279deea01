package dev.tollgate.proxy.store;

import java.util.Map;

/**
 * Where the database is and who logs in to it: {@code TOLLGATE_DB_URL}, {@code TOLLGATE_DB_USER} and
 * {@code TOLLGATE_DB_PASSWORD}. An H2 file needs neither user nor password (it keeps its own password beside
 * it); a PostgreSQL server does. The password never appears in {@link #toString()}.
 *
 * @param user     null for the driver's default
 * @param password null for none
 */
public record DatabaseLogin(String url, String user, String password) {
    public static final String URL_VARIABLE = "TOLLGATE_DB_URL";
    public static final String USER_VARIABLE = "TOLLGATE_DB_USER";
    public static final String PASSWORD_VARIABLE = "TOLLGATE_DB_PASSWORD";

    public DatabaseLogin {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("a database URL cannot be blank");
        url = url.strip();
        user = blankToNull(user);
        password = blankToNull(password);
    }

    /** The login from the environment; {@link Database#DEFAULT_URL} when no URL is set. */
    public static DatabaseLogin from(Map<String, String> env) {
        String url = blankToNull(env.get(URL_VARIABLE));
        return new DatabaseLogin(
                url == null ? Database.DEFAULT_URL : url, env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE));
    }

    /** The same user and password on another database ({@code --db} of the CLI); {@code url} null or blank keeps this one. */
    public DatabaseLogin withUrl(String url) {
        return url == null || url.isBlank() ? this : new DatabaseLogin(url, user, password);
    }

    /** Whether this is a PostgreSQL server, which several proxy instances may share. */
    public boolean isPostgres() {
        return Dialect.of(url) == Dialect.POSTGRESQL;
    }

    @Override
    public String toString() {
        return "DatabaseLogin[url=" + url + ", user=" + user + ", password="
                + (password == null ? "none" : "[redacted]") + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
