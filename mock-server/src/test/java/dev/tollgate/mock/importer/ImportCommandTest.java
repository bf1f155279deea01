package dev.tollgate.mock.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.fixture.Fixture;
import dev.tollgate.fixture.FixtureFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ImportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesOneFilePerFixtureAndPrintsEachPath() {
        int code = run(
                "--into",
                dir.toString(),
                Recordings.path("pydantic-ai/test_tool_use_failed_error.yaml").toString());

        assertThat(code).isZero();
        assertThat(out.toString().lines())
                .containsExactly(
                        dir.resolve("test_tool_use_failed_error-1.json").toString(),
                        dir.resolve("test_tool_use_failed_error-2.json").toString(),
                        dir.resolve("test_tool_use_failed_error-3.json").toString());
        assertThat(FixtureFiles.readAll(dir)).hasSize(3);
    }

    @Test
    void nameMayPlaceTheFixtureInAFolder() {
        int code = run(
                "--into",
                dir.toString(),
                "--name",
                "chat/hello",
                Recordings.path("req_llm/openai_gpt_oss_120b-basic.json").toString());

        assertThat(code).isZero();
        Fixture f = FixtureFiles.readAll(dir).get(0);
        assertThat(f.name()).isEqualTo("chat/hello");
        assertThat(f.request().body().path("model").asText()).isEqualTo("openai/gpt-oss-120b");
    }

    @Test
    void aNameCannotWriteOutsideInto() throws Exception {
        Path into = Files.createDirectories(dir.resolve("a/b/fixtures"));
        String recording =
                Recordings.path("req_llm/openai_gpt_oss_120b-basic.json").toString();
        for (String name : new String[] {
            "../../x",
            "../fixtures-sibling/x",
            dir.resolve("elsewhere").toAbsolutePath().toString()
        }) {
            assertThat(run("--into", into.toString(), "--name", name, recording))
                    .as(name)
                    .isEqualTo(1);
            assertThat(err.toString()).contains("outside --into");
        }
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(run("--into", into.toString(), "--name", "chat/../ok", recording))
                .isZero(); // stays below --into
        assertThat(into.resolve("ok.json")).exists();
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws Exception {
        Path target = dir.resolve("test_groq_native_output.json");
        Files.writeString(target, "keep me");
        String file =
                Recordings.path("pydantic-ai/test_groq_native_output.yaml").toString();

        assertThat(run("--into", dir.toString(), file)).isEqualTo(1);
        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(err.toString()).contains("exists: " + target, "--overwrite");

        assertThat(run("--into", dir.toString(), "--overwrite", file)).isZero();
        assertThat(FixtureFiles.read(target, "x").request().body().path("model").asText())
                .isEqualTo("openai/gpt-oss-120b");
    }

    @Test
    void aBadRecordingFailsWithoutWritingAnything() throws Exception {
        Path bad = dir.resolve("notes.txt");
        Files.writeString(bad, "just some notes\n");
        Path into = dir.resolve("out");

        assertThat(run("--into", into.toString(), bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("import failed", "notes.txt");
        assertThat(into).doesNotExist();
    }

    @Test
    void intoIsRequired() {
        assertThat(run(Recordings.path("pydantic-ai/test_groq_native_output.yaml")
                        .toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--into");
    }
}
