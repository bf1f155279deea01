package dev.tollgate.proxy.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.tollgate.fixture.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request log's rows and the usage report's lines as the audit API, the CLI and the exports show
 * them: one JSON object per row, or one CSV record with the same columns in the same order. Costs
 * are exact decimals in USD.
 */
public final class AuditTables {
    public static final List<String> REQUEST_COLUMNS = List.of(
            "id",
            "time",
            "request_id",
            "upstream_request_id",
            "key_id",
            "key_name",
            "model_requested",
            "model_served",
            "endpoint",
            "stream",
            "status",
            "error_type",
            "error_code",
            "prompt_tokens",
            "completion_tokens",
            "reasoning_tokens",
            "cached_tokens",
            "cost_usd",
            "usage_source",
            "latency_ms",
            "first_token_ms",
            "upstream_ms",
            "overhead_us",
            "client_address",
            "user_agent",
            "user",
            "request_body",
            "response_body",
            "executed_tools");

    public static final List<String> USAGE_COLUMNS = List.of(
            "day",
            "key_id",
            "key_name",
            "model",
            "requests",
            "errors",
            "error_rate",
            "estimated_requests",
            "prompt_tokens",
            "completion_tokens",
            "reasoning_tokens",
            "cached_tokens",
            "total_tokens",
            "cost_usd",
            "latency_p50_ms",
            "latency_p95_ms",
            "latency_avg_ms");

    private AuditTables() {}

    /** The row's values in {@link #REQUEST_COLUMNS} order; {@code null} where unknown. */
    public static List<Object> values(RequestRecord r) {
        return Arrays.asList(
                r.id(),
                r.time().toString(),
                r.requestId(),
                r.upstreamRequestId(),
                r.keyId(),
                r.keyName(),
                r.modelRequested(),
                r.modelServed(),
                r.endpoint(),
                r.stream(),
                r.status(),
                r.errorType(),
                r.errorCode(),
                r.promptTokens(),
                r.completionTokens(),
                r.reasoningTokens(),
                r.cachedTokens(),
                usd(r.costNanos()),
                r.usageSource(),
                r.latencyMs(),
                r.firstTokenMs(),
                r.upstreamMs(),
                r.overheadMicros(),
                r.clientAddress(),
                r.userAgent(),
                r.user(),
                r.requestBody(),
                r.responseBody(),
                r.executedTools());
    }

    /** The line's values in {@link #USAGE_COLUMNS} order; the fields not grouped by are {@code null}. */
    public static List<Object> values(UsageQuery.Line l) {
        return Arrays.asList(
                l.day() == null ? null : l.day().toString(),
                l.keyId(),
                l.keyName(),
                l.model(),
                l.requests(),
                l.errors(),
                BigDecimal.valueOf(l.errorRate()).setScale(4, RoundingMode.HALF_EVEN),
                l.estimated(),
                l.promptTokens(),
                l.completionTokens(),
                l.reasoningTokens(),
                l.cachedTokens(),
                l.promptTokens() + l.completionTokens(),
                usd(l.costNanos()),
                l.latencyP50Ms(),
                l.latencyP95Ms(),
                l.requests() == 0 ? null : Math.round((double) l.latencyMsSum() / l.requests()));
    }

    public static ObjectNode json(List<String> columns, List<Object> values) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        for (int i = 0; i < columns.size(); i++) {
            Object v = values.get(i);
            // Plain decimals ("0.000001234"), never BigDecimal's "1.234E-6".
            if (v instanceof BigDecimal d) row.putRawValue(columns.get(i), new RawValue(d.toPlainString()));
            else row.set(columns.get(i), Json.MAPPER.valueToTree(v));
        }
        return row;
    }

    /**
     * The values as CSV cells: empty for unknown, and text that a spreadsheet would run as a formula
     * (client-supplied fields such as the user agent) prefixed with a quote, as OWASP advises.
     */
    public static List<String> csvCells(List<Object> values) {
        List<String> cells = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v == null) cells.add("");
            else if (v instanceof BigDecimal d) cells.add(d.toPlainString());
            else if (v instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) cells.add("'" + s);
            else cells.add(v.toString());
        }
        return cells;
    }

    static BigDecimal usd(Long nanos) {
        return nanos == null ? null : BigDecimal.valueOf(nanos, 9);
    }
}
