package dev.ladder.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs real `helm template` and `helm lint` (through helm-java's bundled Helm library) on the chart. */
final class HelmChart {

    static final String RELEASE = "orders-ladder";
    static final String NAMESPACE = "shop";

    /** The two values every install must give. */
    static final Map<String, Object> REQUIRED = Map.of("kafka.bootstrapServers", "kafka:9092", "topics.main", "orders");

    private HelmChart() {}

    /** `helm template` with the chart's own values plus the required ones. */
    static Rendered renderDefaults() {
        return render(List.of(), REQUIRED);
    }

    /** `helm template -f file...` (in order) `--set k=v...`. */
    static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
        return render(RELEASE, valuesFiles, sets);
    }

    /** `helm template RELEASE -f file...` (in order) `--set k=v...`. */
    static Rendered render(String release, List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command =
                new Helm(Project.CHART).template().withName(release).withNamespace(NAMESPACE);
        valuesFiles.forEach(command::withValuesFile);
        new LinkedHashMap<>(sets).forEach(command::set);
        return new Rendered(Yaml.readAll(command.call()));
    }

    /**
     * `helm template` of a copy of the chart whose hook annotations are removed: helm-java's
     * template returns the release manifest only, without hooks such as the `helm test` pod.
     */
    static Rendered renderWithHooks(Path tempDir, Map<String, Object> sets) {
        Path copy = tempDir.resolve("ladder-hooks");
        copyTree(Project.CHART, copy);
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(file);
                Files.writeString(file, text.replaceAll("(?m)^\\s*helm\\.sh/hook[-a-z]*:.*\\R", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TemplateCommand command = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE);
        new LinkedHashMap<>(sets).forEach(command::set);
        return new Rendered(Yaml.readAll(command.call()));
    }

    /**
     * `helm lint --strict` with the given values files applied. helm-java's lint takes no values
     * files, so the chart is copied and its values.yaml replaced by the merged values, which is
     * what `helm lint -f` does.
     */
    static LintResult lint(Path tempDir, List<Path> valuesFiles) {
        Path copy = tempDir.resolve("ladder");
        copyTree(Project.CHART, copy);
        ObjectNode values = (ObjectNode) Yaml.read(Project.CHART.resolve("values.yaml"));
        valuesFiles.forEach(file -> Yaml.merge(values, Yaml.read(file)));
        try {
            Yaml.MAPPER.writeValue(copy.resolve("values.yaml").toFile(), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    /** The values files under ci/, one scenario each. */
    static List<Path> ciValuesFiles() {
        try (Stream<Path> files = Files.list(Project.CHART.resolve("ci"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects `helm template` printed. */
    record Rendered(List<JsonNode> objects) {

        List<JsonNode> all(String kind) {
            return objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()))
                    .toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + " but found " + found.size());
            }
            return found.get(0);
        }

        JsonNode named(String kind, String name) {
            return all(kind).stream()
                    .filter(o -> name.equals(o.path("metadata").path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
        }

        /** The Ladder config file the ConfigMap carries, parsed. */
        JsonNode ladderConfig() {
            return Yaml.parse(one("ConfigMap").path("data").path("config.yaml").asText());
        }

        JsonNode container() {
            return one("StatefulSet").at("/spec/template/spec/containers/0");
        }

        /** The container's env as name to value or valueFrom. */
        Map<String, JsonNode> env() {
            Map<String, JsonNode> env = new LinkedHashMap<>();
            container().path("env").forEach(e -> env.put(e.path("name").asText(), e));
            return env;
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).toList();
        }
    }
}
