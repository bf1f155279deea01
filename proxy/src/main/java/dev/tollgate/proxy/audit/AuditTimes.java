package dev.tollgate.proxy.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Reads the audit API's and CLI's {@code from}/{@code to}: a day ({@code 2026-11-24}, in the
 * configured time zone; as {@code to} it includes that day) or an instant ({@code 2026-11-24T10:00:00Z};
 * as {@code to} it is exclusive).
 */
public final class AuditTimes {
    private AuditTimes() {}

    /** The instant a range starts ({@code end} false) or ends before ({@code end} true); null for null. */
    public static Instant instant(String text, boolean end, ZoneId zone) {
        if (text == null) return null;
        if (text.length() == 10) {
            LocalDate day = LocalDate.parse(text);
            return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** The day {@code text} names, or that an instant falls on in {@code zone}; null for null. */
    public static LocalDate day(String text, ZoneId zone) {
        if (text == null) return null;
        if (text.length() == 10) return LocalDate.parse(text);
        return LocalDate.ofInstant(OffsetDateTime.parse(text).toInstant(), zone);
    }

    /** What to tell a user who wrote something else. */
    public static String expected(String name) {
        return name + " must be a day (2026-11-24) or an instant (2026-11-24T10:00:00Z).";
    }
}
