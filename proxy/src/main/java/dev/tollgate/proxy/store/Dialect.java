package dev.tollgate.proxy.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Which SQL a database speaks, for the few statements that differ between H2 and PostgreSQL. */
public enum Dialect {
    H2,
    POSTGRESQL;

    /** The dialect of a JDBC URL: PostgreSQL for {@code jdbc:postgresql:…}, else H2. */
    public static Dialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }

    /** The folder of this dialect's own Flyway migrations, beside {@code db/migration/common}. */
    public String migrations() {
        return this == POSTGRESQL ? "postgresql" : "h2";
    }

    /** The dialect of the database behind {@code dataSource}, asked once of a connection. */
    public static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw new StorageException("cannot reach the database: " + e.getMessage(), e);
        }
    }
}
