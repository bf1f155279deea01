package dev.tollgate.mock.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How many requests each fixture answered, over one or more mock servers: the file a mock writes
 * with {@code --usage-report}, {@code GET /__admin/usage}, and what {@code drift} reads.
 * <pre>{@code
 * {"format": "tollgate-fixture-usage/1", "since": "…", "updated": "…",
 *  "folders": ["/abs/fixtures"], "fixtures": {"chat/basic-reasoning": 3, "tools/round-trip-1": 1}}
 * }</pre>
 *
 * @param fixtures fixture name → requests it answered (sorted by name)
 * @param folders  the fixtures folders of the servers that contributed (for people; drift matches by name)
 * @param since    when the first contribution was written (ISO-8601), or null
 * @param updated  when the last one was, or null
 */
public record UsageReport(Map<String, Long> fixtures, List<String> folders, String since, String updated) {
    public static final String FORMAT = "tollgate-fixture-usage/1";

    /** Several servers of one JVM add to the same file; the file lock covers other JVMs (test forks). */
    private static final Object JVM_LOCK = new Object();

    public UsageReport {
        fixtures = java.util.Collections.unmodifiableMap(new TreeMap<>(fixtures));
        folders = List.copyOf(new TreeSet<>(folders));
    }

    public static UsageReport empty() {
        return new UsageReport(Map.of(), List.of(), null, null);
    }

    /** This report's counts added to {@code other}'s; the earlier {@code since} and the later {@code updated} win. */
    public UsageReport plus(UsageReport other) {
        Map<String, Long> sum = new TreeMap<>(fixtures);
        other.fixtures.forEach((name, n) -> sum.merge(name, n, Long::sum));
        TreeSet<String> allFolders = new TreeSet<>(folders);
        allFolders.addAll(other.folders);
        return new UsageReport(
                sum, List.copyOf(allFolders), earliest(since, other.since), latest(updated, other.updated));
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("format", FORMAT);
        if (since != null) out.put("since", since);
        if (updated != null) out.put("updated", updated);
        folders.forEach(out.putArray("folders")::add);
        ObjectNode counts = out.putObject("fixtures");
        fixtures.forEach(counts::put);
        return out;
    }

    /** Reads what {@link #toJson()} wrote; a wrong shape is an {@link IllegalArgumentException} saying what is wrong. */
    public static UsageReport fromJson(JsonNode root) {
        if (!root.isObject() || !FORMAT.equals(root.path("format").asText()))
            throw new IllegalArgumentException("not a fixture usage report (expected \"format\": \"" + FORMAT + "\")");
        JsonNode counts = root.path("fixtures");
        if (!counts.isObject())
            throw new IllegalArgumentException("'fixtures' must be an object of fixture name to count");
        Map<String, Long> fixtures = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : counts.properties()) {
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0)
                throw new IllegalArgumentException("the count of '" + e.getKey() + "' must be a whole number >= 0");
            fixtures.put(e.getKey(), e.getValue().asLong());
        }
        List<String> folders = new java.util.ArrayList<>();
        root.path("folders").forEach(f -> folders.add(f.asText()));
        return new UsageReport(
                fixtures,
                folders,
                root.path("since").asText(null),
                root.path("updated").asText(null));
    }

    public static UsageReport read(Path file) {
        try {
            return fromJson(Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds this report to the one in {@code file} (created if missing), under a lock, so every mock
     * server of a test run, in this JVM or another, counts into one file.
     */
    public void addTo(Path file) {
        synchronized (JVM_LOCK) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                try (FileChannel channel = FileChannel.open(
                                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                        FileLock ignored = channel.lock()) {
                    ByteBuffer existing = ByteBuffer.allocate((int) channel.size());
                    while (existing.hasRemaining() && channel.read(existing) >= 0) {}
                    String text = new String(existing.array(), StandardCharsets.UTF_8);
                    UsageReport total =
                            text.isBlank() ? this : fromJsonNaming(file, text).plus(this);
                    byte[] bytes = (Json.pretty(total.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(bytes), 0);
                    channel.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot write the fixture usage report " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static UsageReport fromJsonNaming(Path file, String text) {
        try {
            return fromJson(Json.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file + " exists and is not a fixture usage report (" + e.getMessage()
                            + "); delete it or choose another file",
                    e);
        }
    }

    private static String earliest(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String latest(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }
}
