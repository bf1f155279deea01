package dev.tollgate.proxy.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.fixture.record.SecretScan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Blanks the proxy's own secrets (the upstream keys, the admin token) out of text that came from
 * elsewhere — Groq's answers, errors and headers, logged bodies — whatever their shape, as written or
 * JSON-escaped; and, where asked, anything shaped like a key ({@code gsk_…}, {@code sk-…}, a bearer token).
 */
public final class SecretMask {
    public static final String MASK = "[redacted]";
    /** Shorter values would match ordinary text (as in {@link SecretScan}). */
    private static final int MIN_LENGTH = 8;

    private final List<String> values;

    public SecretMask(Collection<String> secrets) {
        List<String> forms = new ArrayList<>();
        for (String s : secrets) {
            if (s == null || s.length() < MIN_LENGTH) continue;
            forms.add(s);
            String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(s));
            if (!escaped.equals(s)) forms.add(escaped);
        }
        this.values = List.copyOf(forms);
    }

    /** {@code text} with the configured secrets blanked out (what the model wrote is otherwise left alone). */
    public String secrets(String text) {
        if (text == null) return null;
        for (String value : values) if (text.contains(value)) text = text.replace(value, MASK);
        return text;
    }

    /** {@code text} with the configured secrets and anything shaped like a key blanked out. */
    public String secretsAndKeys(String text) {
        text = secrets(text);
        return text == null ? null : SecretScan.KEY_SHAPED.matcher(text).replaceAll(MASK);
    }
}
