package dev.tollgate.proxy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.fixture.record.RecordMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordConfigTest {
    @Test
    void offUnlessAFolderIsSetAndNewEpisodesByDefault() {
        assertThat(RecordConfig.fromEnv(Map.of()).enabled()).isFalse();
        RecordConfig on = RecordConfig.fromEnv(Map.of("TOLLGATE_RECORD_DIR", "recordings"));
        assertThat(on.enabled()).isTrue();
        assertThat(on.dir()).isEqualTo(Path.of("recordings"));
        assertThat(on.mode()).isEqualTo(RecordMode.NEW_EPISODES);
        assertThat(on.redaction().isEmpty()).isTrue();
    }

    @Test
    void modeAndRedactionAreRead() {
        RecordConfig c = RecordConfig.fromEnv(Map.of(
                "TOLLGATE_RECORD_DIR",
                "r",
                "TOLLGATE_RECORD_MODE",
                "ALL",
                "TOLLGATE_RECORD_REDACT_PATHS",
                "messages.*.content, metadata",
                "TOLLGATE_RECORD_REDACT_PATTERN",
                "acct-\\d{4,}"));
        assertThat(c.mode()).isEqualTo(RecordMode.ALL);
        assertThat(c.redaction().paths()).containsExactlyInAnyOrder("messages.*.content", "metadata");
        assertThat(c.redaction().apply("acct-12345 and acct-12")).isEqualTo("[redacted] and acct-12");
        assertThat(RecordConfig.fromEnv(Map.of("TOLLGATE_RECORD_MODE", "new-episodes"))
                        .mode())
                .isEqualTo(RecordMode.NEW_EPISODES);
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> RecordConfig.fromEnv(Map.of("TOLLGATE_RECORD_MODE", "sometimes")))
                .hasMessage("TOLLGATE_RECORD_MODE: record mode must be once, new_episodes or all, was 'sometimes'");
        assertThatThrownBy(() -> RecordConfig.fromEnv(Map.of("TOLLGATE_RECORD_REDACT_PATTERN", "acct-(")))
                .hasMessageStartingWith(
                        "TOLLGATE_RECORD_REDACT_PATTERN: the redaction pattern is not a valid regular expression");
    }
}
