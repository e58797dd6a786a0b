package dev.ladder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ladder.topology.internals.EngineTopology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's packages import one way (docs/architecture.md draws it): the kernel, the policy,
 * the handler SPI and the record codec at the bottom, the downstream gate and the engine above them,
 * the public {@code topology} face on top. The processor's packages ({@code app}, {@code config},
 * {@code handler.http}, {@code text}) live in ladder-app and are never imported from here. The
 * engine ({@code topology.internals}) is package-private behind one entry point that only the face
 * calls.
 */
class LibraryLayersTest {

    private static final String KERNEL = "kernel";
    private static final String RECORD = "record";
    private static final String HANDLER_SPI = "handler SPI";
    private static final String POLICY = "policy";
    private static final String DOWNSTREAM = "downstream";
    private static final String ENGINE = "engine";
    private static final String FACE = "face";

    private static final String FACE_PACKAGE = "dev.ladder.topology";
    private static final String ENGINE_PACKAGE = "dev.ladder.topology.internals..";

    /** The engine's public types: the one entry point {@code LadderTopology} calls. */
    private static final Class<?>[] ENGINE_ENTRY_POINTS = {EngineTopology.class};

    /**
     * Public, and nested (if at all) in public classes only: a record nested in a package-private
     * class, or in an interface (where it is public whether it says so or not), is not reachable.
     */
    private static final DescribedPredicate<JavaClass> REACHABLE_FROM_OTHER_PACKAGES =
            new DescribedPredicate<>("are reachable from other packages") {
                @Override
                public boolean test(JavaClass type) {
                    for (JavaClass c = type;
                            c != null;
                            c = c.getEnclosingClass().orElse(null)) {
                        if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                            return false;
                        }
                    }
                    return true;
                }
            };

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
                .definedBy(FACE_PACKAGE)
                .layer(ENGINE)
                .definedBy(ENGINE_PACKAGE)
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

    @Test
    void shouldKeepTheEnginePackagePrivateBehindItsEntryPoint() {
        classes()
                .that()
                .resideInAPackage(ENGINE_PACKAGE)
                .and(REACHABLE_FROM_OTHER_PACKAGES)
                .and()
                .doNotBelongToAnyOf(ENGINE_ENTRY_POINTS)
                .should()
                .notBePublic()
                .because("the engine changes freely behind LadderTopology (#11 item 9); what others read of it "
                        + "(store names, envelopes) is public in dev.ladder.serde")
                // none left to check is the state this rule keeps
                .allowEmptyShould(true)
                .check(library);
    }

    @Test
    void shouldReachTheEngineOnlyFromTheFace() {
        noClasses()
                .that()
                .resideOutsideOfPackages(FACE_PACKAGE, ENGINE_PACKAGE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENGINE_PACKAGE)
                .because("only LadderTopology and LadderProductionExceptionHandler stand in front of the engine")
                .check(library);
    }
}
