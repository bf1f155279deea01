package dev.tollgate.proxy.record;

import dev.tollgate.fixture.record.RecordMode;
import dev.tollgate.fixture.record.Redaction;
import java.nio.file.Path;
import java.util.Map;

/**
 * Record mode: with a folder set, every exchange the proxy has with Groq is written there as a
 * fixture the mock server replays.
 *
 * @param dir       {@code TOLLGATE_RECORD_DIR}; null = not recording
 * @param mode      {@code TOLLGATE_RECORD_MODE}: once, new_episodes (default) or all
 * @param redaction {@code TOLLGATE_RECORD_REDACT_PATHS} (comma-separated JSON paths) and
 *                  {@code TOLLGATE_RECORD_REDACT_PATTERN} (one regular expression)
 */
public record RecordConfig(Path dir, RecordMode mode, Redaction redaction) {
    public static final RecordConfig OFF = new RecordConfig(null, RecordMode.NEW_EPISODES, Redaction.NONE);

    public boolean enabled() {
        return dir != null;
    }

    public static RecordConfig fromEnv(Map<String, String> env) {
        String dir = env.getOrDefault("TOLLGATE_RECORD_DIR", "").trim();
        RecordMode mode;
        Redaction redaction;
        try {
            mode = RecordMode.parse(env.getOrDefault("TOLLGATE_RECORD_MODE", "new_episodes"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TOLLGATE_RECORD_MODE: " + e.getMessage());
        }
        try {
            redaction =
                    Redaction.parse(env.get("TOLLGATE_RECORD_REDACT_PATHS"), env.get("TOLLGATE_RECORD_REDACT_PATTERN"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TOLLGATE_RECORD_REDACT_PATTERN: " + e.getMessage());
        }
        return new RecordConfig(dir.isEmpty() ? null : Path.of(dir), mode, redaction);
    }
}
