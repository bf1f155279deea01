package dev.tollgate.mock.importer;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mock-server import --into DIR FILE…}: converts other tools' recordings into fixture files. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Converts recordings made by other tools into fixture files.",
            "Reads VCR.py cassettes (YAML), HAR 1.2 files, req_llm JSON fixtures and raw text/event-stream captures;"
                    + " the format is detected from the content.",
            "Request headers are never kept; secrets, cookies and framing headers are dropped from responses,"
                    + " and a recording containing something shaped like an API key is refused.",
            "A raw SSE capture has no request: the fixture gets a placeholder request (the stream's model and a"
                    + " placeholder user message) that you should edit to what your client sends."
        })
public class ImportCommand implements Callable<Integer> {
    @Option(
            names = "--into",
            required = true,
            paramLabel = "DIR",
            description = "Fixtures folder to write into (created if missing).")
    Path into;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Base name for the fixtures instead of the file name; may contain folders, e.g. chat/weather."
                    + " Several distinct requests become NAME-1, NAME-2, …")
    String name;

    @Option(names = "--overwrite", description = "Replace existing fixture files (default: refuse).")
    boolean overwrite;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings to import.")
    List<Path> files = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public ImportCommand() {}

    @Override
    public Integer call() {
        if (name != null && files.size() > 1)
            throw new ParameterException(spec.commandLine(), "--name works with one FILE at a time");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Path, Fixture> planned = new LinkedHashMap<>();
        try {
            for (Path file : files) {
                List<Fixture> fixtures =
                        name == null ? FixtureImporter.importFile(file) : FixtureImporter.importFile(file, name);
                for (Fixture f : fixtures) {
                    Path target = into.resolve(f.name() + ".json").normalize();
                    // --name may hold folders, but only below --into: "../../x" or "/etc/x" would write anywhere.
                    if (!target.toAbsolutePath()
                            .normalize()
                            .startsWith(into.toAbsolutePath().normalize())) {
                        throw new ImportException("--name '" + name + "' points outside --into " + into
                                + "; use a name or a folder below it");
                    }
                    if (planned.put(target, f) != null)
                        throw new ImportException(
                                target + " would be written twice; import the files one by one with --name");
                }
            }
        } catch (ImportException e) {
            err.println("import failed: " + e.getMessage());
            return 1;
        }
        List<Path> existing = planned.keySet().stream().filter(Files::exists).toList();
        if (!overwrite && !existing.isEmpty()) {
            existing.forEach(p -> err.println("exists: " + p));
            err.println("nothing written; use --overwrite to replace existing fixtures");
            return 1;
        }
        planned.forEach((target, fixture) -> {
            FixtureFiles.write(target, fixture);
            out.println(target);
        });
        out.flush();
        return 0;
    }
}
