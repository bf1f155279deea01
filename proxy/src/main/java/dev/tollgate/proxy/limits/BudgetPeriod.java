package dev.tollgate.proxy.limits;

import java.util.Locale;

/** The period a USD budget applies to. Weeks are ISO weeks, starting on Monday. */
public enum BudgetPeriod {
    DAY,
    WEEK,
    MONTH,
    TOTAL;

    /** The lower-case name used in JSON, the database and configuration ({@code "month"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code day|week|month|total} (any case); null when the text is none of them. */
    public static BudgetPeriod parse(String text) {
        if (text == null) return null;
        for (BudgetPeriod p : values()) {
            if (p.wireName().equalsIgnoreCase(text.strip())) return p;
        }
        return null;
    }
}
