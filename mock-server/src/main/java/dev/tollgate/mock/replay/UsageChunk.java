package dev.tollgate.mock.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.fixture.Json;
import dev.tollgate.fixture.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Groq adds a {@code choices: []} usage chunk before {@code [DONE]} only when the request has
 * {@code stream_options.include_usage}. A recorded stream is made to agree with the request
 * replaying it: the chunk is dropped when not asked for and built from the finish chunk's usage
 * when asked for but not recorded.
 */
public final class UsageChunk {
    private UsageChunk() {}

    public static List<SseEvent> fitTo(List<SseEvent> recorded, boolean includeUsage) {
        int existing = -1;
        JsonNode lastChunk = null;
        JsonNode usage = null;
        for (int i = 0; i < recorded.size(); i++) {
            SseEvent e = recorded.get(i);
            if (e.isDone() || e.isError() || !e.data().startsWith("{")) continue;
            JsonNode chunk = Json.parse(e.data());
            if (chunk.path("choices").isArray() && chunk.path("choices").isEmpty() && chunk.has("usage")) existing = i;
            else {
                lastChunk = chunk;
                if (chunk.hasNonNull("usage")) usage = chunk.get("usage");
                else if (chunk.path("x_groq").hasNonNull("usage"))
                    usage = chunk.path("x_groq").get("usage");
            }
        }
        if (!includeUsage && existing >= 0) {
            List<SseEvent> out = new ArrayList<>(recorded);
            out.remove(existing);
            return out;
        }
        if (includeUsage && existing < 0 && usage != null) {
            int done = indexOfDone(recorded);
            if (done < 0) return recorded;
            List<SseEvent> out = new ArrayList<>(recorded);
            out.add(
                    done,
                    new SseEvent(
                            recorded.get(done).at(),
                            null,
                            Json.compact(StreamSynthesizer.usageChunk(lastChunk, usage))));
            return out;
        }
        return recorded;
    }

    private static int indexOfDone(List<SseEvent> events) {
        for (int i = 0; i < events.size(); i++) if (events.get(i).isDone()) return i;
        return -1;
    }
}
