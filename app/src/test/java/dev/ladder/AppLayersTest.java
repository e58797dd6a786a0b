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
 * The processor sits on the library and imports one way (docs/architecture.md draws it): the
 * {@code text} helpers (duration spelling, redaction) at the bottom, the HTTP handler above them,
 * the YAML {@code config} model above that, and {@code app} (CLI, ops server, demo, DLT tools) on
 * top, where nothing else may reach. None of it reaches into the library's engine.
 */
class AppLayersTest {

    private static final String LIBRARY = "library";
    private static final String TEXT = "text";
    private static final String HTTP_HANDLER = "HTTP handler";
    private static final String CONFIG = "config";
    private static final String APP = "app";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
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
                .check(classes);
    }

    @Test
    void shouldImportDownwardOnly() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer(APP)
                .definedBy("dev.ladder.app..")
                .layer(CONFIG)
                .definedBy("dev.ladder.config..")
                .layer(HTTP_HANDLER)
                .definedBy("dev.ladder.handler.http..")
                .layer(TEXT)
                .definedBy("dev.ladder.text..")
                // optional: under `mvn verify` the library comes as a jar, which is not imported (its
                // own layers are LibraryLayersTest's); dependencies on it still count by package
                .optionalLayer(LIBRARY)
                .definedBy(
                        "dev.ladder.topology..",
                        "dev.ladder.downstream..",
                        "dev.ladder.policy..",
                        "dev.ladder.handler",
                        "dev.ladder.serde..",
                        "dev.ladder.kernel..",
                        "dev.ladder.avro..")
                .whereLayer(APP)
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(CONFIG)
                .mayOnlyBeAccessedByLayers(APP)
                .whereLayer(HTTP_HANDLER)
                .mayOnlyBeAccessedByLayers(CONFIG, APP)
                .whereLayer(TEXT)
                .mayOnlyBeAccessedByLayers(HTTP_HANDLER, CONFIG, APP)
                .whereLayer(LIBRARY)
                .mayOnlyBeAccessedByLayers(TEXT, HTTP_HANDLER, CONFIG, APP)
                .check(classes);
    }

    @Test
    void shouldKeepTheAppPackagesToThemselves() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.ladder.app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ladder.app..")
                .because(
                        "app is the top layer: the CLI, ops server, demo and DLT tools use the rest, never the reverse")
                .check(classes);
    }

    @Test
    void shouldNeverReachIntoTheEngine() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.ladder.topology", "dev.ladder.topology.internals..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ladder.topology.internals..")
                .because("the engine is package-private behind LadderTopology (#11 item 9); store names and "
                        + "envelope reading are public in dev.ladder.serde (RetryStores, Envelopes)")
                .check(classes);
    }
}
