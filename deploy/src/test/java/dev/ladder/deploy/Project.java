package dev.ladder.deploy;

import java.nio.file.Path;

/** Paths and version of the project under test, handed in by surefire (see deploy/pom.xml). */
final class Project {

    /** The repository root. */
    static final Path ROOT =
            Path.of(System.getProperty("ladder.root", "..")).toAbsolutePath().normalize();

    /** The deploy module. */
    static final Path DEPLOY = ROOT.resolve("deploy");

    /** The Helm chart. */
    static final Path CHART = DEPLOY.resolve("helm/ladder");

    /** The Maven project version, e.g. 0.1.0-SNAPSHOT. */
    static final String VERSION = System.getProperty("ladder.version", "unknown");

    private Project() {}

    /** The version Helm accepts for the chart: the Maven version without -SNAPSHOT. */
    static String chartVersion() {
        return VERSION.replaceFirst("-SNAPSHOT$", "");
    }
}
