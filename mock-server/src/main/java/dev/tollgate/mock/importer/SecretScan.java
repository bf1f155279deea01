package dev.tollgate.mock.importer;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureCodec;
import dev.tollgate.fixture.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses fixtures that contain something shaped like a credential. Header filtering already drops
 * the usual places; this catches keys pasted into prompts, echoed in error messages, or left in
 * custom headers, so a fixture committed to a repository never leaks one.
 */
final class SecretScan {
    private static final Pattern KEY = Pattern.compile(
            "gsk_[A-Za-z0-9]{20,}"
            + "|(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}"
            + "|Bearer\\s+[A-Za-z0-9._~+/-]{16,}=*");

    private SecretScan() {}

    /** Throws {@link ImportException} naming the fixture and a masked prefix of the first key-shaped text. */
    static void check(Fixture fixture) {
        Matcher m = KEY.matcher(Json.compact(FixtureCodec.toJson(fixture)));
        if (m.find()) {
            throw new ImportException("refusing to write '" + fixture.name() + "': it contains something shaped like an API key or token ("
                    + mask(m.group()) + "); remove it from the recording and import again");
        }
    }

    private static String mask(String secret) {
        return secret.substring(0, Math.min(secret.length(), 7)) + "…";
    }
}
