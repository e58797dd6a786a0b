package dev.ladder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's packages import one way (docs/architecture.md draws it): the kernel, the policy,
 * the handler SPI and the record codec at the bottom, the downstream gate and the engine above them,
 * the public {@code topology} face on top. The processor's packages ({@code app}, {@code config},
 * {@code handler.http}, {@code text}) live in ladder-app and are never imported from here.
 */
class LibraryLayersTest {

    private static final String KERNEL = "kernel";
    private static final String RECORD = "record";
    private static final String HANDLER_SPI = "handler SPI";
    private static final String POLICY = "policy";
    private static final String DOWNSTREAM = "downstream";
    private static final String ENGINE = "engine";
    private static final String FACE = "face";

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.ladder");
    }

    @Test
    void shouldHaveNoCyclesBetweenPackages() {
        slices().matching("dev.ladder.(**)")
                .should()
                .beFreeOfCycles()
                .because("each package imports the ones below it only (docs/architecture.md)")
                .check(library);
    }

    @Test
    void shouldImportDownwardOnly() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer(FACE)
                .definedBy("dev.ladder.topology")
                .layer(ENGINE)
                .definedBy("dev.ladder.topology.internals..")
                .layer(DOWNSTREAM)
                .definedBy("dev.ladder.downstream..")
                .layer(POLICY)
                .definedBy("dev.ladder.policy..")
                .layer(HANDLER_SPI)
                .definedBy("dev.ladder.handler")
                .layer(RECORD)
                .definedBy("dev.ladder.serde..", "dev.ladder.avro..")
                .layer(KERNEL)
                .definedBy("dev.ladder.kernel..")
                .whereLayer(FACE)
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(ENGINE)
                .mayOnlyBeAccessedByLayers(FACE)
                .whereLayer(DOWNSTREAM)
                .mayOnlyBeAccessedByLayers(ENGINE, FACE)
                .whereLayer(POLICY)
                .mayOnlyBeAccessedByLayers(DOWNSTREAM, ENGINE, FACE)
                .whereLayer(HANDLER_SPI)
                .mayOnlyBeAccessedByLayers(POLICY, DOWNSTREAM, ENGINE, FACE)
                .whereLayer(RECORD)
                .mayOnlyBeAccessedByLayers(ENGINE, FACE)
                .check(library);
    }

    @Test
    void shouldKeepTheBottomFreeOfEngineAndFace() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.ladder.kernel..", "dev.ladder.policy..", "dev.ladder.handler", "dev.ladder.serde..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.ladder.topology..", "dev.ladder.downstream..")
                .because("the bottom layer is what the engine and the face are built from")
                .check(library);
    }

    @Test
    void shouldNeverImportTheProcessor() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.ladder.app..", "dev.ladder.config..", "dev.ladder.handler.http..", "dev.ladder.text..")
                .because("ladder-topology is the library a Streams application embeds; those packages are ladder-app's")
                .check(library);
    }
}
