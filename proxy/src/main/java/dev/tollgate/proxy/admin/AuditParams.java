package dev.tollgate.proxy.admin;

import dev.tollgate.proxy.audit.AuditTimes;
import dev.tollgate.proxy.audit.RequestLogQuery;
import dev.tollgate.proxy.audit.UsageQuery;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** The audit API's query parameters, each checked with a 400 naming it; times as {@link AuditTimes} reads them. */
final class AuditParams {
    private final Context ctx;
    private final ZoneId zone;

    AuditParams(Context ctx, ZoneId zone) {
        this.ctx = ctx;
        this.zone = zone;
    }

    RequestLogQuery.Filter requestFilter() {
        Instant from = instant("from", false);
        Instant to = instant("to", true);
        return new RequestLogQuery.Filter(text("key"), text("model"), status(), from, to);
    }

    UsageQuery.Filter usageFilter() {
        return new UsageQuery.Filter(text("key"), text("model"), day("from"), day("to"));
    }

    Set<UsageQuery.GroupBy> groupBy() {
        try {
            return UsageQuery.GroupBy.parse(ctx.queryParam("group_by"));
        } catch (IllegalArgumentException e) {
            throw AuditRoutes.badParam("group_by", e.getMessage());
        }
    }

    int limit() {
        String text = text("limit");
        if (text == null) return 100;
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= RequestLogQuery.MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw AuditRoutes.badParam(
                "limit", "limit must be a whole number from 1 to " + RequestLogQuery.MAX_LIMIT + ".");
    }

    /** {@code order=desc}: newest first (paged with {@code before}); oldest first by default (paged with {@code after}). */
    boolean newestFirst() {
        String order = text("order");
        if (order == null || order.equalsIgnoreCase("asc")) return false;
        if (order.equalsIgnoreCase("desc")) return true;
        throw AuditRoutes.badParam("order", "order must be asc or desc.");
    }

    long before() {
        String text = text("before");
        if (text == null) return Long.MAX_VALUE;
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AuditRoutes.badParam("before", "before must be a row id (next_before of the previous page).");
        }
    }

    long after() {
        String text = text("after");
        if (text == null) return 0;
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AuditRoutes.badParam("after", "after must be a row id (next_after of the previous page).");
        }
    }

    /** CSV when {@code format=csv}; JSON by default. */
    boolean csv() {
        String format = text("format");
        if (format == null || format.equalsIgnoreCase("json")) return false;
        if (format.equalsIgnoreCase("csv")) return true;
        throw AuditRoutes.badParam("format", "format must be json or csv.");
    }

    private Integer status() {
        String text = text("status");
        if (text == null) return null;
        try {
            int status = Integer.parseInt(text);
            if (status >= 100 && status <= 599) return status;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw AuditRoutes.badParam("status", "status must be an HTTP status code such as 200 or 429.");
    }

    private Instant instant(String name, boolean end) {
        try {
            return AuditTimes.instant(text(name), end, zone);
        } catch (DateTimeParseException e) {
            throw AuditRoutes.badParam(name, AuditTimes.expected(name));
        }
    }

    private LocalDate day(String name) {
        try {
            return AuditTimes.day(text(name), zone);
        } catch (DateTimeParseException e) {
            throw AuditRoutes.badParam(name, AuditTimes.expected(name));
        }
    }

    private String text(String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
