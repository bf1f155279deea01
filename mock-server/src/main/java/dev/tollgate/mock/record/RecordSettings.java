package dev.tollgate.mock.record;

import dev.tollgate.fixture.record.RecordMode;
import dev.tollgate.fixture.record.Redaction;

/**
 * The mock server as a recording proxy: requests it has no fixture for go to {@code upstreamUrl} and
 * the answers are recorded into its fixtures folder.
 *
 * @param upstreamUrl the upstream's OpenAI base URL, e.g. {@code https://api.groq.com/openai/v1}
 * @param apiKey      the key sent upstream; null = forward the client's own {@code Authorization} header
 * @param mode        {@code once} and {@code new_episodes}: answer from fixtures, forward what has none;
 *                    {@code all}: forward everything and re-record
 */
public record RecordSettings(String upstreamUrl, String apiKey, RecordMode mode, Redaction redaction) {
    public RecordSettings {
        if (upstreamUrl == null || !(upstreamUrl.startsWith("http://") || upstreamUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("--record-from must be an http(s) URL, was " + upstreamUrl);
        }
        upstreamUrl = upstreamUrl.replaceAll("/+$", "");
        try {
            if (java.net.URI.create(upstreamUrl).getHost() == null) throw new IllegalArgumentException("no host");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--record-from is not a usable URL: " + upstreamUrl);
        }
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        if (mode == null) mode = RecordMode.NEW_EPISODES;
        if (redaction == null) redaction = Redaction.NONE;
    }

    /** Whether every request is forwarded (re-recording), rather than only those no fixture answers. */
    public boolean forwardsEverything() {
        return mode == RecordMode.ALL;
    }

    @Override
    public String toString() { // never the key
        return "RecordSettings[upstream=" + upstreamUrl + ", key=" + (apiKey == null ? "the client's" : "set")
                + ", mode=" + mode.label() + ", redaction=" + redaction + "]";
    }
}
