package dev.tollgate.proxy.cli;

import dev.tollgate.proxy.audit.RequestLogPartitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Copies Tollgate's tables from one database (an H2 file) into another, empty one (PostgreSQL), both already
 * migrated to the same schema: rows as they are, ids included, in one transaction on the target, so a failed copy
 * leaves it empty. The request log's day partitions are made first, so its rows land where retention can drop
 * them, and its id sequence continues after the copied ids.
 */
final class DatabaseCopy {
    /** What is copied, each table with the columns that order its rows. Derived state (leases, instances) is not. */
    private static final Map<String, String> TABLES = tables();

    private final DataSource source;
    private final DataSource target;
    private final int batchSize;

    /** The target already holds rows: nothing was copied. */
    static final class NotEmpty extends Exception {
        NotEmpty(String message) {
            super(message);
        }
    }

    DatabaseCopy(DataSource source, DataSource target, int batchSize) {
        this.source = source;
        this.target = target;
        this.batchSize = batchSize;
    }

    /** Copies every table; returns the rows copied per table, in copy order. */
    Map<String, Long> run() throws SQLException, NotEmpty {
        refuseNonEmptyTarget();
        try (Connection from = source.getConnection();
                Connection to = target.getConnection()) {
            from.setAutoCommit(false);
            from.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one view of every table
            logPartitions(from);
            to.setAutoCommit(false);
            try {
                Map<String, Long> copied = new LinkedHashMap<>();
                for (Map.Entry<String, String> t : TABLES.entrySet())
                    copied.put(t.getKey(), copy(from, to, t.getKey(), t.getValue()));
                try (Statement st = to.createStatement()) {
                    st.execute("SELECT setval('request_log_id_seq', (SELECT COALESCE(MAX(id), 0) + 1 FROM request_log),"
                            + " false)");
                }
                to.commit();
                return copied;
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            } finally {
                from.rollback();
            }
        }
    }

    private void refuseNonEmptyTarget() throws SQLException, NotEmpty {
        List<String> holding = new ArrayList<>();
        try (Connection c = target.getConnection();
                Statement st = c.createStatement()) {
            for (String table : TABLES.keySet()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    if (rs.getLong(1) > 0) holding.add(table + " (" + rs.getLong(1) + " rows)");
                }
            }
        }
        if (!holding.isEmpty()) {
            throw new NotEmpty("the target database is not empty: " + String.join(", ", holding)
                    + ". Copy into a new, empty database; nothing was copied.");
        }
    }

    /** The day partitions the source's log needs (UTC days, as the proxy makes them). */
    private void logPartitions(Connection from) throws SQLException {
        try (Statement st = from.createStatement();
                ResultSet rs = st.executeQuery("SELECT MIN(ts), MAX(ts) FROM request_log")) {
            rs.next();
            OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
            OffsetDateTime last = rs.getObject(2, OffsetDateTime.class);
            if (first == null) return;
            new RequestLogPartitions(target, Clock.systemUTC()).create(day(first), day(last));
        }
    }

    private long copy(Connection from, Connection to, String table, String order) throws SQLException {
        List<String> columns = new ArrayList<>(columns(from, table));
        columns.retainAll(columns(to, table));
        String list = String.join(", ", columns);
        String insert = "INSERT INTO " + table + " (" + list + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        long rows = 0;
        try (Statement st = from.createStatement();
                PreparedStatement ps = to.prepareStatement(insert)) {
            st.setFetchSize(batchSize);
            try (ResultSet rs = st.executeQuery("SELECT " + list + " FROM " + table + " ORDER BY " + order)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) bind(ps, i, rs, meta.getColumnType(i));
                    ps.addBatch();
                    if (++rows % batchSize == 0) ps.executeBatch();
                }
            }
            if (rows % batchSize != 0) ps.executeBatch();
        }
        return rows;
    }

    /** Binds the source's value as the target's driver takes it (text for a CLOB, java.time for times). */
    private static void bind(PreparedStatement ps, int i, ResultSet rs, int type) throws SQLException {
        Object value = switch (type) {
            case Types.CLOB, Types.NCLOB -> rs.getString(i);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class);
            case Types.DATE -> rs.getObject(i, LocalDate.class);
            default -> rs.getObject(i);
        };
        if (value == null) ps.setNull(i, type == Types.CLOB || type == Types.NCLOB ? Types.VARCHAR : type);
        else ps.setObject(i, value);
    }

    /** The table's column names, lower case, as the database lists them. */
    private static Set<String> columns(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            Set<String> names = new TreeSet<>();
            for (int i = 1; i <= meta.getColumnCount(); i++)
                names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            return names;
        }
    }

    private static LocalDate day(OffsetDateTime time) {
        return time.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    }

    private static Map<String, String> tables() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("client_keys", "id");
        tables.put("key_limits", "key_id");
        tables.put("usage_counters", "key_id, period, period_start");
        tables.put("usage_daily", "usage_day, key_id, model");
        tables.put("request_log", "id");
        return Collections.unmodifiableMap(tables);
    }
}
