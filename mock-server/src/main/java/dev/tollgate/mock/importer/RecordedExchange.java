package dev.tollgate.mock.importer;

import dev.tollgate.fixture.FixtureRequest;
import dev.tollgate.fixture.FixtureResponse;

/**
 * One request and its answer as read from a recording, before exchanges are grouped into fixtures.
 *
 * @param url the full URL it was sent to, or null when the recording does not say (a raw stream)
 * @param at  when it was captured (ISO-8601), or null when unknown
 */
record RecordedExchange(FixtureRequest request, FixtureResponse response, String url, String at) {}
