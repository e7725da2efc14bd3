package vn.tracuu.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules (DESIGN §3, docs/architecture.md), checked on the compiled classes of every
 * module: the core knows no adapter, no SQL, SMPP library or HTTP client; no adapter knows
 * another, and an adapter sees of the core only its ports and its domain; jsmpp only in the
 * simulators; the core's packages form no cycle.
 */
class DependencyRulesTest {

    private static final String CORE = "vn.tracuu.core..";
    private static final String SMPP = "vn.tracuu.smpp..";
    private static final String POSTGRES = "vn.tracuu.postgres..";
    private static final String HTTP = "vn.tracuu.http..";
    private static final String APP = "vn.tracuu.app..";
    private static final String PORTS = "vn.tracuu.core.port..";
    private static final String DOMAIN = "vn.tracuu.core.domain..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("vn.tracuu");
    }

    @Test
    void theCoreDependsOnNoAdapterAndNoApplication() {
        noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SMPP, POSTGRES, HTTP, APP)
                .check(classes);
    }

    @Test
    void theCoreKnowsNoSqlNoSmppLibraryAndNoHttpClient() {
        noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "io.vertx.sqlclient..",
                        "io.vertx.pgclient..",
                        "org.jsmpp..",
                        "io.vertx.ext.web..",
                        "io.vertx.core.http..")
                .check(classes);
    }

    @Test
    void noAdapterDependsOnAnotherOrOnTheApplication() {
        noClasses()
                .that()
                .resideInAPackage(SMPP)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(POSTGRES, HTTP, APP)
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(POSTGRES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SMPP, HTTP, APP)
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(HTTP)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SMPP, POSTGRES, APP)
                .check(classes);
    }

    @Test
    void adaptersSeeOnlyTheCoresPortsAndDomain() {
        noClasses()
                .that()
                .resideInAnyPackage(SMPP, POSTGRES, HTTP)
                .should()
                .dependOnClassesThat(resideInAPackage(CORE).and(not(resideInAnyPackage(PORTS, DOMAIN))))
                .check(classes);
    }

    @Test
    void inboundPortsAreCalledAndOutboundPortsImplementedNotTheOtherWayRound() {
        // the core's use cases implement port.in; adapters implement port.out
        noClasses()
                .that()
                .resideInAnyPackage(SMPP, POSTGRES, HTTP)
                .should()
                .implement(resideInAPackage("vn.tracuu.core.port.in.."))
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(CORE)
                .and()
                .resideOutsideOfPackage("vn.tracuu.core.guard..")
                .should()
                .implement(resideInAPackage("vn.tracuu.core.port.out.."))
                .check(classes);
    }

    @Test
    void theGatewaysOwnSmppStackUsesNoSmppLibrary() {
        // jsmpp is the independent peer of the simulators (tools/) and tests, never in the gateway
        noClasses()
                .that()
                .resideInAnyPackage(SMPP, CORE, POSTGRES, HTTP, APP)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.jsmpp..")
                .check(classes);
    }

    @Test
    void theCoresPackagesFormNoCycle() {
        slices().matching("vn.tracuu.core.(*)..").should().beFreeOfCycles().check(classes);
    }
}
