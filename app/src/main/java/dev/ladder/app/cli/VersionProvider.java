package dev.ladder.app.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (the Maven project version), or "development". */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = LadderCli.class.getPackage().getImplementationVersion();
        return new String[] {"ladder " + (version == null ? "development" : version)};
    }
}
