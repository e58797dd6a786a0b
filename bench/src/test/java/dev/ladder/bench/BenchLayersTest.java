package dev.ladder.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmarks measure Ladder as its users build it: through the public face, never the engine. */
class BenchLayersTest {

    @Test
    void shouldMeasureThroughThePublicFaceOnly() {
        noClasses()
                .that()
                .resideInAPackage("dev.ladder.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ladder.topology.internals..")
                .because("the engine is package-private behind LadderTopology (#11 item 9)")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.ladder.bench"));
    }
}
