package dev.tollgate.mock.drift;

import java.util.Locale;

/**
 * One thing {@code drift} found about one fixture file.
 *
 * @param file    the file's path under the fixtures folder, e.g. {@code chat/basic.json}
 * @param fixture the fixture's name ({@code chat/basic})
 */
public record Finding(String file, String fixture, Kind kind, String reason) {
    public enum Kind {
        /** Not JSON, or JSON that is not a fixture: the mock refuses to start with it. */
        BAD_FIXTURE,
        /** A stream cut short (no {@code [DONE]}, not an error stream) or with an event that is not JSON. */
        BAD_STREAM,
        /** A JSON answer that is not a JSON object or array, or a text answer labelled JSON that is not JSON. */
        BAD_BODY,
        /** No request can reach it: a route the mock does not serve, or shadowed by another fixture. */
        UNREACHABLE,
        /** A successful answer to a request Groq would refuse: an unknown route, no model, no messages. */
        BAD_REQUEST,
        /** No request of the test run was answered by it. */
        UNUSED;

        /** {@code bad-stream}: how the kind is written in reports and in {@code --fail-on}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Every kind but {@code unused} is a fixture that fails validation. */
        public boolean invalid() {
            return this != UNUSED;
        }
    }

    /** {@code chat/basic.json: unused: …}, one line. */
    public String line() {
        return file + ": " + kind.label() + ": " + reason;
    }
}
