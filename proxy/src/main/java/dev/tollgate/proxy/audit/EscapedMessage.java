package dev.tollgate.proxy.audit;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A log event's message with its control characters escaped, so that nothing a client sends (a path, a model name,
 * a header) can end a log line early and write a forged one after it. The proxy's logback patterns print the
 * message as {@code %escapedMsg}: every log statement is covered in this one place, Jetty's and Javalin's included.
 */
public final class EscapedMessage extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return escape(event.getFormattedMessage());
    }

    /** {@code text} with {@code \n}, {@code \r}, {@code \t} written as such, and other C0 and C1 controls, DEL, U+2028 and U+2029 as {@code \}{@code uXXXX}. */
    public static String escape(String text) {
        if (text == null) return null;
        int first = 0;
        while (first < text.length() && !isControl(text.charAt(first))) first++;
        if (first == text.length()) return text; // the usual case: nothing to copy
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isControl(c)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
