package dev.tollgate.proxy.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * The calendar windows (day, ISO week, month) that contain one instant in one time zone, as epoch
 * days of their first local day, and the instants they end at (the next local midnight, Monday, 1st;
 * daylight-saving days are 23 or 25 hours long). The total window starts at epoch day 0 and never ends.
 */
record Windows(
        long dayStart,
        long weekStart,
        long monthStart,
        long dayStartMillis,
        long dayEndMillis,
        long weekEndMillis,
        long monthEndMillis) {

    static Windows at(long epochMillis, ZoneId zone) {
        LocalDate today = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate first = today.withDayOfMonth(1);
        return new Windows(
                today.toEpochDay(),
                monday.toEpochDay(),
                first.toEpochDay(),
                midnight(today, zone),
                midnight(today.plusDays(1), zone),
                midnight(monday.plusWeeks(1), zone),
                midnight(first.plusMonths(1), zone));
    }

    boolean contains(long epochMillis) {
        return epochMillis >= dayStartMillis && epochMillis < dayEndMillis;
    }

    long start(BudgetPeriod period) {
        return switch (period) {
            case DAY -> dayStart;
            case WEEK -> weekStart;
            case MONTH -> monthStart;
            case TOTAL -> 0;
        };
    }

    /** When the window ends, in epoch millis; {@link Long#MAX_VALUE} for the total. */
    long end(BudgetPeriod period) {
        return switch (period) {
            case DAY -> dayEndMillis;
            case WEEK -> weekEndMillis;
            case MONTH -> monthEndMillis;
            case TOTAL -> Long.MAX_VALUE;
        };
    }

    private static long midnight(LocalDate date, ZoneId zone) {
        return date.atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
