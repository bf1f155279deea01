package dev.tollgate.proxy.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.AuditTables;
import dev.tollgate.proxy.audit.AuditTimes;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.audit.UsageQuery;
import dev.tollgate.proxy.limits.LimitsConfig;
import dev.tollgate.proxy.store.Database;
import dev.tollgate.proxy.store.DatabaseLogin;
import dev.tollgate.proxy.store.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code usage} and {@code requests}: the audit API's reports, read straight from the database. */
final class AuditCommands {
    private AuditCommands() {}

    enum Format {
        table,
        csv,
        json
    }

    /** What both commands share: the database, the filters and the output format. */
    abstract static class Base implements Callable<Integer> {
        @Option(
                names = "--db",
                paramLabel = "URL",
                description = "JDBC URL of the database (default: $TOLLGATE_DB_URL, else " + Database.DEFAULT_URL
                        + "); user and password from $TOLLGATE_DB_USER and $TOLLGATE_DB_PASSWORD")
        String db;

        @Option(names = "--key", paramLabel = "ID", description = "Only this key's requests.")
        String key;

        @Option(names = "--model", paramLabel = "MODEL", description = "Only this model.")
        String model;

        @Option(
                names = "--from",
                paramLabel = "TIME",
                description = "From this day (2026-11-01) or instant (2026-11-01T10:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "To this day (included) or instant (excluded).")
        String to;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "table",
                description = "table, csv or json (default: ${DEFAULT-VALUE}).")
        Format format;

        @Spec
        CommandSpec spec;

        abstract void run(HikariDataSource pool, ZoneId zone, PrintWriter out) throws IOException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (HikariDataSource pool =
                    Database.open(DatabaseLogin.from(System.getenv()).withUrl(db), 2)) {
                run(pool, LimitsConfig.fromEnv(System.getenv()).zone(), out);
                out.flush();
                return 0;
            } catch (DateTimeParseException e) {
                err.println(AuditTimes.expected("--from and --to"));
                return 2;
            } catch (StorageException | IllegalArgumentException | IOException e) {
                err.println(e.getMessage());
                return 1;
            }
        }

        void print(PrintWriter out, List<String> columns, List<List<Object>> rows, List<String> tableColumns)
                throws IOException {
            switch (format) {
                case csv -> {
                    CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
                    csv.printRecord(columns);
                    for (List<Object> row : rows) csv.printRecord(AuditTables.csvCells(row));
                    csv.flush();
                }
                case json -> {
                    ArrayNode array = Json.MAPPER.createArrayNode();
                    rows.forEach(row -> array.add(AuditTables.json(columns, row)));
                    out.println(Json.pretty(array));
                }
                case table -> table(out, columns, rows, tableColumns);
            }
        }

        private static void table(PrintWriter out, List<String> columns, List<List<Object>> rows, List<String> shown) {
            List<List<String>> cells = new ArrayList<>();
            cells.add(shown);
            for (List<Object> row : rows) {
                List<String> line = new ArrayList<>();
                for (String name : shown) {
                    Object v = row.get(columns.indexOf(name));
                    line.add(v == null ? "-" : v instanceof BigDecimal d ? d.toPlainString() : v.toString());
                }
                cells.add(line);
            }
            int[] widths = new int[shown.size()];
            for (List<String> line : cells)
                for (int i = 0; i < line.size(); i++)
                    widths[i] = Math.max(widths[i], line.get(i).length());
            for (List<String> line : cells) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < line.size(); i++)
                    text.append(String.format("%-" + (widths[i] + 2) + "s", line.get(i)));
                out.println(text.toString().stripTrailing());
            }
            if (rows.isEmpty()) out.println("(nothing matches)");
        }
    }

    @Command(
            name = "usage",
            mixinStandardHelpOptions = true,
            description =
                    "Usage grouped by key, model and/or day: requests, errors, tokens, cost and latency percentiles (from the daily roll-up).")
    static final class Usage extends Base {
        @Option(
                names = "--group-by",
                paramLabel = "FIELDS",
                defaultValue = "key",
                description =
                        "Any of key, model, day, comma-separated (default: ${DEFAULT-VALUE}); empty for one total.")
        String groupBy;

        @Override
        void run(HikariDataSource pool, ZoneId zone, PrintWriter out) throws IOException {
            List<UsageQuery.Line> lines = new UsageQuery(pool)
                    .report(
                            new UsageQuery.Filter(key, model, AuditTimes.day(from, zone), AuditTimes.day(to, zone)),
                            UsageQuery.GroupBy.parse(groupBy));
            List<String> shown = new ArrayList<>();
            for (String g : List.of("day", "key_id", "key_name", "model")) {
                if (lines.stream()
                        .anyMatch(l -> AuditTables.values(l).get(AuditTables.USAGE_COLUMNS.indexOf(g)) != null))
                    shown.add(g);
            }
            shown.addAll(List.of(
                    "requests",
                    "errors",
                    "prompt_tokens",
                    "completion_tokens",
                    "cost_usd",
                    "latency_p50_ms",
                    "latency_p95_ms"));
            print(
                    out,
                    AuditTables.USAGE_COLUMNS,
                    lines.stream().map(AuditTables::values).toList(),
                    shown);
        }
    }

    @Command(
            name = "requests",
            mixinStandardHelpOptions = true,
            description =
                    "The request log, oldest first: the newest 100 rows as a table, or with --format csv/json every matching row (--limit N: the newest N).")
    static final class Requests extends Base {
        private static final List<String> SHOWN = List.of(
                "time",
                "request_id",
                "key_name",
                "model_requested",
                "status",
                "error_code",
                "prompt_tokens",
                "completion_tokens",
                "cost_usd",
                "latency_ms");

        @Option(names = "--status", paramLabel = "CODE", description = "Only answers with this HTTP status.")
        Integer status;

        @Option(names = "--limit", paramLabel = "N", description = "Only the newest N rows (default for a table: 100).")
        Integer limit;

        @Override
        void run(HikariDataSource pool, ZoneId zone, PrintWriter out) throws IOException {
            if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
            RequestLogQuery query = new RequestLogQuery(pool);
            RequestLogQuery.Filter filter = new RequestLogQuery.Filter(
                    key, model, status, AuditTimes.instant(from, false, zone), AuditTimes.instant(to, true, zone));
            Integer newest = limit != null ? limit : format == Format.table ? Integer.valueOf(100) : null;
            if (newest == null) {
                export(query, filter, out); // everything, page by page, never all in memory
                return;
            }
            List<RequestRecord> rows = new ArrayList<>();
            long before = Long.MAX_VALUE;
            while (rows.size() < newest) {
                List<RequestRecord> page =
                        query.latest(filter, Math.min(RequestLogQuery.MAX_LIMIT, newest - rows.size()), before);
                if (page.isEmpty()) break;
                rows.addAll(page);
                before = page.get(page.size() - 1).id();
            }
            Collections.reverse(rows);
            print(
                    out,
                    AuditTables.REQUEST_COLUMNS,
                    rows.stream().map(AuditTables::values).toList(),
                    SHOWN);
        }

        private void export(RequestLogQuery query, RequestLogQuery.Filter filter, PrintWriter out) throws IOException {
            CSVPrinter csv = format == Format.csv ? new CSVPrinter(out, CSVFormat.RFC4180) : null;
            if (csv != null) csv.printRecord(AuditTables.REQUEST_COLUMNS);
            else out.println("[");
            boolean first = true;
            for (List<RequestRecord> page = query.find(filter, RequestLogQuery.MAX_LIMIT, 0);
                    !page.isEmpty();
                    page = query.find(
                            filter,
                            RequestLogQuery.MAX_LIMIT,
                            page.get(page.size() - 1).id())) {
                for (RequestRecord r : page) {
                    if (csv != null) {
                        csv.printRecord(AuditTables.csvCells(AuditTables.values(r)));
                    } else {
                        out.print(first ? "  " : ",\n  ");
                        out.print(Json.compact(AuditTables.json(AuditTables.REQUEST_COLUMNS, AuditTables.values(r))));
                        first = false;
                    }
                }
            }
            if (csv != null) csv.flush();
            else out.println(first ? "]" : "\n]");
        }
    }
}
