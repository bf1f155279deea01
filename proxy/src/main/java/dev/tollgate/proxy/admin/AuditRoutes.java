package dev.tollgate.proxy.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.audit.AuditTables;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.RequestRecord;
import dev.tollgate.proxy.audit.UsageQuery;
import dev.tollgate.proxy.openai.ApiError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The audit API under {@code /admin/}: the raw request log, filtered and paged; every matching row
 * as a CSV or JSON download; and usage grouped by key, model and day from the daily roll-up.
 */
public final class AuditRoutes {
    private static final CSVFormat CSV =
            CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private final RequestLogQuery log;
    private final UsageQuery usage;
    private final AdminAuth auth;
    private final ZoneId zone;

    public AuditRoutes(RequestLogQuery log, UsageQuery usage, AdminAuth auth, ZoneId zone) {
        this.log = log;
        this.usage = usage;
        this.auth = auth;
        this.zone = zone;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/requests", auth.guardedRead(this::page));
        routes.get("/admin/requests/export", auth.guardedRead(this::export));
        routes.get("/admin/usage", auth.guardedRead(this::usage));
    }

    /**
     * One page of rows: oldest first, the next page {@code after} the last id; or with
     * {@code order=desc} newest first, the next page {@code before} the last id.
     */
    private void page(Context ctx) throws IOException {
        AuditParams params = new AuditParams(ctx, zone);
        RequestLogQuery.Filter filter = params.requestFilter();
        int limit = params.limit();
        boolean newestFirst = params.newestFirst();
        List<RequestRecord> rows = newestFirst
                ? log.latest(filter, limit + 1, params.before())
                : log.find(filter, limit + 1, params.after());
        boolean more = rows.size() > limit;
        if (more) rows = rows.subList(0, limit);
        if (params.csv()) {
            writeCsv(
                    ctx,
                    "requests.csv",
                    AuditTables.REQUEST_COLUMNS,
                    rows.stream().map(AuditTables::values).toList());
            return;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        rows.forEach(r -> data.add(AuditTables.json(AuditTables.REQUEST_COLUMNS, AuditTables.values(r))));
        answer.put("has_more", more);
        String next = newestFirst ? "next_before" : "next_after";
        if (rows.isEmpty()) answer.putNull(next);
        else answer.put(next, rows.get(rows.size() - 1).id());
        ctx.contentType("application/json").result(Json.compact(answer));
    }

    /** Every matching row (from {@code after} on), streamed page by page as CSV or a JSON array. */
    private void export(Context ctx) throws IOException {
        AuditParams params = new AuditParams(ctx, zone);
        RequestLogQuery.Filter filter = params.requestFilter();
        boolean csv = params.csv();
        ctx.contentType(csv ? "text/csv; charset=utf-8" : "application/json")
                .header("Content-Disposition", "attachment; filename=\"requests." + (csv ? "csv" : "json") + "\"")
                .header("Cache-Control", "no-store");
        long after = params.after();
        Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
        if (csv) {
            CSVPrinter printer = new CSVPrinter(out, CSV);
            printer.printRecord(AuditTables.REQUEST_COLUMNS);
            for (List<RequestRecord> rows = log.find(filter, RequestLogQuery.MAX_LIMIT, after);
                    !rows.isEmpty();
                    rows = log.find(filter, RequestLogQuery.MAX_LIMIT, after)) {
                for (RequestRecord r : rows) printer.printRecord(AuditTables.csvCells(AuditTables.values(r)));
                after = rows.get(rows.size() - 1).id();
            }
            printer.flush();
        } else {
            JsonGenerator json = Json.MAPPER.createGenerator(out);
            json.writeStartArray();
            for (List<RequestRecord> rows = log.find(filter, RequestLogQuery.MAX_LIMIT, after);
                    !rows.isEmpty();
                    rows = log.find(filter, RequestLogQuery.MAX_LIMIT, after)) {
                for (RequestRecord r : rows)
                    json.writeTree(AuditTables.json(AuditTables.REQUEST_COLUMNS, AuditTables.values(r)));
                after = rows.get(rows.size() - 1).id();
            }
            json.writeEndArray();
            json.flush();
        }
        out.flush();
    }

    /** Usage grouped by any of key, model and day ({@code group_by}), with a grand total. */
    private void usage(Context ctx) throws IOException {
        AuditParams params = new AuditParams(ctx, zone);
        Set<UsageQuery.GroupBy> groupBy = params.groupBy();
        UsageQuery.Filter filter = params.usageFilter();
        List<UsageQuery.Line> lines = usage.report(filter, groupBy);
        if (params.csv()) {
            writeCsv(
                    ctx,
                    "usage.csv",
                    AuditTables.USAGE_COLUMNS,
                    lines.stream().map(AuditTables::values).toList());
            return;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("object", "usage_report");
        ArrayNode by = answer.putArray("group_by");
        groupBy.forEach(g -> by.add(g.name().toLowerCase(Locale.ROOT)));
        answer.put("time_zone", zone.getId());
        if (filter.from() == null) answer.putNull("from");
        else answer.put("from", filter.from().toString());
        if (filter.to() == null) answer.putNull("to");
        else answer.put("to", filter.to().toString());
        ArrayNode data = answer.putArray("data");
        lines.forEach(l -> data.add(AuditTables.json(AuditTables.USAGE_COLUMNS, AuditTables.values(l))));
        List<UsageQuery.Line> total = groupBy.isEmpty() ? lines : usage.report(filter, Set.of());
        answer.set(
                "total",
                total.isEmpty() ? null : AuditTables.json(AuditTables.USAGE_COLUMNS, AuditTables.values(total.get(0))));
        ctx.contentType("application/json").result(Json.compact(answer));
    }

    private static void writeCsv(Context ctx, String filename, List<String> columns, List<List<Object>> rows)
            throws IOException {
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Cache-Control", "no-store");
        Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(out, CSV);
        printer.printRecord(columns);
        for (List<Object> row : rows) printer.printRecord(AuditTables.csvCells(row));
        printer.flush();
    }

    /** Refuses a bad query parameter in OpenAI's error shape. */
    static ApiError badParam(String param, String message) {
        return new ApiError(400, message, "invalid_request_error", param, "invalid_parameter");
    }
}
