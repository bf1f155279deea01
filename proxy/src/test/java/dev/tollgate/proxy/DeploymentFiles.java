package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's container files read as data for tests: {@code docker-compose.yml} (with Compose's
 * {@code ${NAME:-default}} interpolation), the Dockerfiles as stages of instructions, and {@code .dockerignore}.
 */
final class DeploymentFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private DeploymentFiles() {}

    static Path root() {
        return Gateway.fixtures().getParent();
    }

    static String read(String relativePath) {
        try {
            return Files.readString(root().resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode compose() {
        try {
            return YAML.readTree(read("docker-compose.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables the compose file takes from the shell or {@code .env}. */
    static List<String> composeVariables() {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(read("docker-compose.yml").replaceAll("(?m)^\\s*#.*$", ""));
        while (m.find()) if (!names.contains(m.group(1))) names.add(m.group(1));
        return names;
    }

    /** Compose's interpolation of {@code ${NAME}} and {@code ${NAME:-default}}, with {@code shell} as the environment. */
    static String interpolate(String text, Map<String, String> shell) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = shell.get(m.group(1));
            if (value == null || (value.isEmpty() && m.group(2) != null)) value = m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (out.indexOf("$") >= 0)
            throw new IllegalArgumentException("interpolation this reader does not know: " + text);
        return out.toString();
    }

    /** A service's {@code environment} map after interpolation. */
    static Map<String, String> environment(JsonNode service, Map<String, String> shell) {
        Map<String, String> env = new LinkedHashMap<>();
        service.path("environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText(), shell)));
        return env;
    }

    /** A list of strings (a {@code command}, a health check's {@code test}) after interpolation. */
    static List<String> strings(JsonNode list, Map<String, String> shell) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list) out.add(interpolate(item.asText(), shell));
        return out;
    }

    /** The value following {@code option} in an argument list. */
    static String option(List<String> args, String option) {
        int i = args.indexOf(option);
        if (i < 0 || i + 1 >= args.size()) throw new AssertionError(option + " not in " + args);
        return args.get(i + 1);
    }

    record Instruction(String keyword, String arguments) {
        /** The arguments of an exec-form instruction ({@code ["java", "-jar", …]}). */
        List<String> execForm() {
            try {
                List<String> out = new ArrayList<>();
                for (JsonNode item : YAML.readTree(arguments)) out.add(item.asText());
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Leading {@code --flag=value} options (COPY --from, RUN --mount). */
        Map<String, String> flags() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String word : words()) {
                if (!word.startsWith("--")) break;
                String[] kv = word.substring(2).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            return out;
        }

        /** The whitespace-separated words after the flags. */
        List<String> operands() {
            List<String> words = words();
            int i = 0;
            while (i < words.size() && words.get(i).startsWith("--")) i++;
            return words.subList(i, words.size());
        }

        private List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword.equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.isEmpty()) throw new AssertionError("no " + keyword + " in the stage from " + image);
            return found.getLast();
        }
    }

    /** A Dockerfile's stages: comments dropped, continuation lines joined. */
    static List<Stage> dockerfile(String relativePath) {
        List<Stage> stages = new ArrayList<>();
        String joined = read(relativePath).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n", " ");
        for (String line : joined.split("\\n")) {
            if (line.isBlank()) continue;
            String[] parts = line.trim().split("\\s+", 2);
            Instruction instruction =
                    new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword.equals("FROM")) {
                List<String> words = instruction.operands();
                stages.add(new Stage(
                        words.get(0),
                        words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null,
                        new ArrayList<>()));
            } else {
                if (stages.isEmpty()) throw new AssertionError(relativePath + ": " + parts[0] + " before FROM");
                stages.getLast().instructions.add(instruction);
            }
        }
        return stages;
    }

    /**
     * Whether Docker leaves {@code path} (relative to the context, with /) out of the build context: the last
     * {@code .dockerignore} pattern matching the path or one of its parent folders decides ({@code !} re-includes).
     */
    static boolean dockerIgnored(String path) {
        boolean ignored = false;
        for (String line : read(".dockerignore").split("\\n")) {
            String pattern = line.trim();
            if (pattern.isEmpty() || pattern.startsWith("#")) continue;
            boolean include = pattern.startsWith("!");
            Pattern regex = globToRegex(include ? pattern.substring(1) : pattern);
            for (String prefix = path;
                    prefix != null;
                    prefix = prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : null) {
                if (regex.matcher(prefix).matches()) {
                    ignored = !include;
                    break;
                }
            }
        }
        return ignored;
    }

    private static Pattern globToRegex(String glob) {
        String g = glob.replaceAll("^/+|/+$", "");
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (g.startsWith("**/", i)) {
                regex.append("(.*/)?");
                i += 2;
            } else if (g.startsWith("**", i)) {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
