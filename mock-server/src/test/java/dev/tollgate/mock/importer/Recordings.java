package dev.tollgate.mock.importer;

import dev.tollgate.fixture.SseEvent;
import dev.tollgate.fixture.SseFraming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The recordings copied into src/test/resources/recordings (see the README there). */
final class Recordings {
    private Recordings() {}

    static Path path(String name) {
        try {
            return Path.of(Recordings.class.getResource("/recordings/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test recording missing: " + name, e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events written back out in Groq's framing, to compare with the captured bytes. */
    static String wire(List<SseEvent> events) {
        StringBuilder out = new StringBuilder();
        events.forEach(e -> out.append(SseFraming.encode(e)));
        return out.toString();
    }
}
