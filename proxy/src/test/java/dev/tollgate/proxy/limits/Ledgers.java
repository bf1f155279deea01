package dev.tollgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.fixture.Json;
import dev.tollgate.proxy.openai.ApiError;
import dev.tollgate.proxy.store.Database;
import java.nio.file.Path;
import java.time.ZoneId;
import org.assertj.core.api.ThrowableAssert;

/** Test helpers: a real H2 file database, limits from JSON text, refusals. */
final class Ledgers {
    private Ledgers() {}

    static HikariDataSource database(Path dir) {
        return Database.open("jdbc:h2:file:" + dir.resolve("tollgate").toAbsolutePath());
    }

    static LimitsConfig config(String zone) {
        return LimitsConfig.DEFAULTS.withZone(ZoneId.of(zone));
    }

    static KeyLimits limits(String json) {
        return KeyLimits.fromJson(Json.parse(json));
    }

    static ApiError refusal(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ApiError.class);
        return catchThrowableOfType(ApiError.class, call);
    }
}
