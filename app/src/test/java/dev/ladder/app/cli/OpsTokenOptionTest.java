package dev.ladder.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTokenOptionTest {

    @TempDir
    Path dir;

    @Test
    void shouldPreferTheTokenFileAndDropItsTrailingNewline() throws Exception {
        // given a Kubernetes-style secret file and a variable
        OpsTokenOption option = new OpsTokenOption();
        option.tokenFile = Files.writeString(dir.resolve("token"), "from-file-0123456789\n");
        // when / then
        assertThat(option.token(Map.of(OpsTokenOption.ENV, "from-env-0123456789")))
                .contains("from-file-0123456789");
    }

    @Test
    void shouldFallBackToTheEnvironmentAndIgnoreABlankOne() throws Exception {
        OpsTokenOption option = new OpsTokenOption();
        assertThat(option.token(Map.of(OpsTokenOption.ENV, " from-env-0123456789 ")))
                .contains("from-env-0123456789");
        assertThat(option.token(Map.of(OpsTokenOption.ENV, "  "))).isEmpty();
        assertThat(option.token(Map.of())).isEmpty();
    }
}
