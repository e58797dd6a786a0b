package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image can't be built here (no Docker engine, no registry), so this checks what can be
 * checked: the Dockerfile, the Jib profile and the chart agree on jar, user, paths and command.
 */
class DockerfileTest {

    private static List<String> runtimeStage;
    private static String dockerfile;
    private static String appPom;
    private static String rootPom;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Files.readString(Project.DEPLOY.resolve("docker/Dockerfile"));
        List<String> lines = Files.readAllLines(Project.DEPLOY.resolve("docker/Dockerfile"));
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        runtimeStage = lines.subList(lastFrom, lines.size());
        appPom = Files.readString(Project.ROOT.resolve("app/pom.xml"));
        rootPom = Files.readString(Project.ROOT.resolve("pom.xml"));
    }

    @Test
    void shouldBuildInOneStageAndRunOnTheJreBaseOfTheJibProfile() {
        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build");
        assertThat(runtimeStage.get(0)).isEqualTo("FROM " + tag(rootPom, "image.base"));
        assertThat(appPom).contains("<image>${image.base}</image>");
        assertThat(tag(rootPom, "image.base")).contains("-jre");
    }

    @Test
    void shouldCopyTheShadedJarTheAppModuleBuilds() {
        String artifactId = tag(appPom.substring(appPom.indexOf("</parent>")), "artifactId");
        String copy = instruction("COPY");

        assertThat(artifactId).isEqualTo("ladder-app");
        assertThat(copy)
                .isEqualTo("COPY --from=build /src/app/target/" + artifactId + "-*-all.jar /opt/ladder/ladder.jar");
        // when the shade plugin is configured, its classifier must be the one copied
        Matcher classifier = Pattern.compile("<shadedClassifierName>([^<]+)</shadedClassifierName>")
                .matcher(appPom);
        if (classifier.find()) {
            assertThat(classifier.group(1)).isEqualTo("all");
        }
    }

    @Test
    void shouldRunTheJarAsTheNonRootUserOfTheChart() {
        JsonNode values = Yaml.read(Project.CHART.resolve("values.yaml"));
        String uid = values.at("/podSecurityContext/runAsUser").asText();
        String gid = values.at("/podSecurityContext/runAsGroup").asText();

        // numeric, so the kubelet can verify runAsNonRoot without reading /etc/passwd
        assertThat(instruction("USER")).isEqualTo("USER " + uid + ":" + gid);
        assertThat(appPom).contains("<user>" + uid + ":" + gid + "</user>");
        assertThat(uid).isNotEqualTo("0");
    }

    @Test
    void shouldStartWithJavaOptsAndTheConfigPathTheChartMounts() {
        assertThat(instruction("ENTRYPOINT")).contains("exec java $JAVA_OPTS -jar /opt/ladder/ladder.jar \\\"$@\\\"");
        assertThat(instruction("CMD")).isEqualTo("CMD [\"run\", \"--config\", \"/etc/ladder/config.yaml\"]");
        assertThat(appPom)
                .contains("exec java $JAVA_OPTS -cp @/app/jib-classpath-file dev.ladder.app.cli.LadderCli \"$@\"")
                .contains("<arg>/etc/ladder/config.yaml</arg>");
        assertThat(HelmChart.renderDefaults().container().path("args").toString())
                .isEqualTo("[\"run\",\"--config\",\"/etc/ladder/config.yaml\"]");
    }

    @Test
    void shouldOwnTheStateDirectoryTheChartMountsTheVolumeOn() {
        String stateDir = Yaml.read(Project.CHART.resolve("values.yaml"))
                .at("/persistence/mountPath")
                .asText();

        assertThat(stateDir).isEqualTo("/var/lib/ladder");
        assertThat(dockerfile).contains("chown 10001:10001 " + stateDir);
        assertThat(instruction("VOLUME")).isEqualTo("VOLUME [\"" + stateDir + "\"]");
        assertThat(appPom).contains("<volume>" + stateDir + "</volume>");
    }

    @Test
    void shouldExposeTheHealthAndMetricsPort() {
        String port = Yaml.read(Project.CHART.resolve("values.yaml"))
                .at("/service/port")
                .asText();

        assertThat(instruction("EXPOSE")).isEqualTo("EXPOSE " + port);
        assertThat(appPom).contains("<port>" + port + "</port>");
    }

    private static String instruction(String keyword) {
        List<String> found =
                runtimeStage.stream().filter(l -> l.startsWith(keyword + " ")).toList();
        assertThat(found).as("one %s in the runtime stage", keyword).hasSize(1);
        return found.get(0);
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(xml);
        assertThat(m.find()).as("<%s> present", name).isTrue();
        return m.group(1);
    }
}
