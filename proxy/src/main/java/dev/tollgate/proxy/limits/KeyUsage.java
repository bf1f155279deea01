package dev.tollgate.proxy.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A key's usage for the admin API: the per-minute buckets it has (null when none) and the current
 * day, ISO week, month and total — each with requests, tokens, spend, what is in flight, and the
 * limits on it with what remains. Spend is always reported, limits or not.
 */
public record KeyUsage(
        String keyId,
        ZoneId zone,
        Instant at,
        BucketUsage requestsPerMinute,
        BucketUsage tokensPerMinute,
        List<PeriodUsage> periods) {

    static KeyUsage of(KeyAccount a, KeyLimits l, Windows w, long now, ZoneId zone) {
        Long budget = l.budgetUsd() == null ? null : a.budgetNanos;
        BudgetPeriod bp = l.budgetPeriod();
        List<PeriodUsage> periods = List.of(
                PeriodUsage.of(a.day, w, l.requestsPerDay(), l.tokensPerDay(), bp == BudgetPeriod.DAY ? budget : null),
                PeriodUsage.of(a.week, w, null, null, bp == BudgetPeriod.WEEK ? budget : null),
                PeriodUsage.of(
                        a.month, w, l.requestsPerMonth(), l.tokensPerMonth(), bp == BudgetPeriod.MONTH ? budget : null),
                PeriodUsage.of(a.total, w, null, null, bp == BudgetPeriod.TOTAL ? budget : null));
        return new KeyUsage(
                a.keyId,
                zone,
                Instant.ofEpochMilli(now),
                BucketUsage.of(a.requestsPerMinute, now),
                BucketUsage.of(a.tokensPerMinute, now),
                periods);
    }

    public PeriodUsage period(BudgetPeriod period) {
        return periods.get(period.ordinal());
    }

    /** {@code {"key_id", "time_zone", "at", "minute": {"requests", "tokens"}, "day", "week", "month", "total"}}. */
    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("key_id", keyId);
        json.put("time_zone", zone.getId());
        json.put("at", BucketUsage.time(at, zone));
        ObjectNode minute = json.putObject("minute");
        if (requestsPerMinute != null) minute.set("requests", requestsPerMinute.toJson(zone));
        if (tokensPerMinute != null) minute.set("tokens", tokensPerMinute.toJson(zone));
        for (PeriodUsage p : periods) json.set(p.period().wireName(), p.toJson(zone));
        return json;
    }
}
