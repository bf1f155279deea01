package dev.tollgate.proxy.limits;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as OpenAI and Groq write them in {@code x-ratelimit-reset-*}: Go's duration format, to the
 * millisecond — {@code 12ms}, {@code 1s}, {@code 7.66s}, {@code 6m0s}, {@code 1h2m3s}.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|µs|ns|m|s)");

    private GoDuration() {}

    /** The duration Groq wrote (e.g. {@code 2m59.56s}, {@code 26ms}), or null when the text is not a Go duration. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) return null;
        Matcher m = PART.matcher(text.trim());
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) return null;
            end = m.end();
            double value = Double.parseDouble(m.group(1));
            nanos += value
                    * switch (m.group(2)) {
                        case "h" -> 3.6e12;
                        case "m" -> 6e10;
                        case "s" -> 1e9;
                        case "ms" -> 1e6;
                        case "us", "µs" -> 1e3;
                        default -> 1;
                    };
        }
        return end == text.trim().length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
    }

    public static String format(long millis) {
        if (millis <= 0) return "0s";
        if (millis < 1000) return millis + "ms";
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long fraction = millis % 1000;
        StringBuilder text = new StringBuilder(16);
        if (hours > 0) text.append(hours).append('h');
        if (hours > 0 || minutes > 0) text.append(minutes).append('m');
        text.append(seconds);
        if (fraction > 0) {
            String digits = String.valueOf(1000 + fraction).substring(1); // zero-padded to 3
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') end--;
            text.append('.').append(digits, 0, end);
        }
        return text.append('s').toString();
    }
}
