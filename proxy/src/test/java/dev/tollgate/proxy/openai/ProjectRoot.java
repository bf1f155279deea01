package dev.tollgate.proxy.openai;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's top folder: the nearest folder up from the working directory with {@code fixtures/} and {@code pom.xml}. */
final class ProjectRoot {
    private ProjectRoot() {}

    static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("fixtures")) && Files.isRegularFile(dir.resolve("pom.xml"))) return dir;
        }
        throw new IllegalStateException(
                "no folder with fixtures/ and pom.xml above " + Path.of("").toAbsolutePath());
    }
}
