package io.quicksilver;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package structure, as the {@code package-info.java} of each package describes it: one-way arrows, one
 * composition root, a protocol core free of Vert.x, the demo on the hub's narrow API, and each internal API of Vert.x
 * behind one class.
 */
@AnalyzeClasses(packages = "io.quicksilver", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * Vert.x core's and Netty's internals: the connection's channel, its pipeline and the handlers in it, the event
   * loop behind a context.
   */
  private static final String[] CORE_INTERNALS = {
      "io.vertx.core.internal..", "io.vertx.core.impl..", "io.vertx.core.net.impl..", "io.vertx.core.http.impl..",
      "io.netty.channel..", "io.netty.handler.timeout.."};

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.quicksilver.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Command line").definedBy("io.quicksilver")
      .layer("Composition root").definedBy("io.quicksilver.server..")
      .layer("Demo").definedBy("io.quicksilver.demo..")
      .layer("Hub API").definedBy("io.quicksilver.api..")
      .layer("Publishing").definedBy("io.quicksilver.publish..")
      .layer("Streams").definedBy("io.quicksilver.stream..")
      .layer("Active subscriptions").definedBy("io.quicksilver.subscriptions..")
      .layer("HTTP").definedBy("io.quicksilver.http..")
      .layer("URL standards").definedBy("io.quicksilver.url..")
      .whereLayer("Command line").mayNotBeAccessedByAnyLayer()
      .whereLayer("Composition root").mayOnlyBeAccessedByLayers("Command line")
      .whereLayer("Demo").mayOnlyBeAccessedByLayers("Composition root", "Command line")
      .whereLayer("Hub API").mayOnlyBeAccessedByLayers("Composition root", "Demo")
      .whereLayer("Streams").mayOnlyBeAccessedByLayers("Composition root")
      .whereLayer("Active subscriptions").mayOnlyBeAccessedByLayers("Composition root", "Streams")
      .whereLayer("Publishing").mayOnlyBeAccessedByLayers("Composition root", "Active subscriptions")
      .whereLayer("HTTP").mayOnlyBeAccessedByLayers("Composition root", "Command line", "Publishing", "Streams",
          "Active subscriptions", "Demo")
      .whereLayer("URL standards").mayOnlyBeAccessedByLayers("Composition root", "Command line")
      .ignoreDependency(resideInAPackage("io.quicksilver.mercure.."), resideInAPackage("io.quicksilver.url.."));

  /** The features take the slice of the configuration they use through their constructors; the composition root hands it out. */
  @ArchTest
  static final ArchRule featuresReceiveTheirSliceOfTheConfiguration = noClasses().that()
      .resideInAnyPackage("io.quicksilver.publish..", "io.quicksilver.stream..", "io.quicksilver.subscriptions..")
      .should().dependOnClassesThat().resideInAPackage("io.quicksilver.config..");

  /** The demo is a module on the hub's API: it sees the API and the hub's leaves, never its streams, publisher or history. */
  @ArchTest
  static final ArchRule demoOnTheHubApi = classes().that().resideInAPackage("io.quicksilver.demo..")
      .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.quicksilver..").or(resideInAnyPackage("io.quicksilver.demo..",
          "io.quicksilver.api..", "io.quicksilver.mercure..", "io.quicksilver.auth..", "io.quicksilver.config..", "io.quicksilver.http..")));

  /** The hub's API speaks the protocol core's and the tokens' types only, so that it never drags a feature along. */
  @ArchTest
  static final ArchRule hubApiOnTheCore = classes().that().resideInAPackage("io.quicksilver.api..")
      .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.quicksilver..").or(resideInAnyPackage("io.quicksilver.api..",
          "io.quicksilver.mercure..", "io.quicksilver.auth..")));

  @ArchTest
  static final ArchRule protocolCoreFreeOfVertx = noClasses().that()
      .resideInAnyPackage("io.quicksilver.mercure..", "io.quicksilver.url..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..");

  @ArchTest
  static final ArchRule urlStandardsFreeOfTheHub = noClasses().that().resideInAPackage("io.quicksilver.url..")
      .should().dependOnClassesThat(resideInAPackage("io.quicksilver..").and(resideOutsideOfPackage("io.quicksilver.url..")));

  /**
   * Which classes may reach into Vert.x core's internals: the streams' direct write path ({@code stream.DirectSink},
   * behind the {@code EventSink} interface, with the event-loop tail tasks that flush it and the close that skips
   * Vert.x's handler), and, a separate exception, the request that carries a trusted proxy's scheme and host
   * ({@code http.ForwardedRequest}): Vert.x Web routes only {@code HttpServerRequestInternal}s, so the one way to
   * present a changed request to the router is Vert.x's own internal request wrapper.
   */
  @ArchTest
  static final ArchRule coreInternalsInOnePlace = noClasses().that()
      .haveNameNotMatching(only("stream.DirectSink", "http.ForwardedRequest"))
      .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNALS);

  /** vertx-auth-jwt's JOSE classes (not its public API) are read by one adapter. */
  @ArchTest
  static final ArchRule authInternalsInOnePlace = noClasses().that().haveNameNotMatching(only("auth.VertxJose"))
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.auth.impl..");

  /** A pattern of the named classes of the hub (relative to {@code io.quicksilver}) and their nested classes. */
  private static String only(String... classes) {
    return "io\\.quicksilver\\.(" + String.join("|", classes).replace(".", "\\.") + ")(\\$.*)?";
  }
}
