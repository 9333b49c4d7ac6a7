package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the {@link RealBuild} the tests share from what surefire passes in (see
 * test-data/pom.xml).
 */
final class Harness {
  private static RealBuild build;

  private Harness() {}

  static synchronized RealBuild build() throws IOException {
    if (build == null) {
      assertAllChecksRegistered();
      Path root = Path.of(required("ctx4j.root"));
      String seed = System.getProperty("ctx4j.seedRepo", "");
      String mavenHome = System.getProperty("maven.home", "");
      build =
          RealBuild.prepare(
              root,
              Path.of(required("ctx4j.work")),
              location("org.ctx4j.Context"),
              location("org.ctx4j.checks.support.ContextTypes"),
              seed.isEmpty() ? null : Path.of(seed),
              mavenHome.isEmpty() ? null : Path.of(mavenHome));
    }
    return build;
  }

  /**
   * Fails unless every check that a sample pom names in a {@code -Xep:Name:LEVEL} flag is on the
   * test class path: a run of this module alone ({@code -pl test-data} without {@code -am}) would
   * otherwise test whatever old ctx4j-checks the local repository holds.
   */
  static void assertAllChecksRegistered() throws IOException {
    java.util.Set<String> registered = DocsCodeBlocksTest.registeredChecks();
    java.util.Set<String> named = new java.util.TreeSet<>();
    for (String sample : List.of("violations", "clean", "patch")) {
      java.util.regex.Matcher flag =
          java.util.regex.Pattern.compile("-Xep:(\\w+):")
              .matcher(java.nio.file.Files.readString(sample(sample).resolve("pom.xml")));
      while (flag.find()) {
        named.add(flag.group(1));
      }
    }
    named.removeIf(registered::contains);
    assertTrue(
        named.isEmpty(),
        "checks missing from the ctx4j-checks under test: "
            + named
            + " (build the reactor, or add -am to -pl test-data)");
  }

  static Path sample(String name) {
    return Path.of(required("ctx4j.root"))
        .toAbsolutePath()
        .normalize()
        .resolve("test-data")
        .resolve(name);
  }

  /**
   * Asserts that a run printed exactly the golden findings. The message says what differs, where
   * the full log is, and ends with the tail of Maven's output.
   */
  static void assertFindings(String what, Path golden, RealBuild.Result result) throws IOException {
    List<Finding> expected = RealBuild.readGolden(golden);
    String diff = RealBuild.compare(expected, result.findings());
    if (!diff.isEmpty()) {
      fail(
          what
              + ": the findings differ from "
              + golden
              + "\n"
              + diff
              + "full log: "
              + result.log()
              + "\n--- end of the Maven output ---\n"
              + result.tail(40));
    }
  }

  static void assertNoCompilerErrors(String what, RealBuild.Result result) {
    List<String> errors = result.compilerErrors();
    assertTrue(
        errors.isEmpty(),
        () ->
            what
                + ": javac errors that are not findings:\n"
                + String.join("\n", errors)
                + "\nfull log: "
                + result.log());
  }

  static void assertExit(String what, boolean success, RealBuild.Result result) {
    assertEquals(
        success,
        result.succeeded(),
        () ->
            what
                + ": expected the build to "
                + (success ? "succeed" : "fail")
                + "; full log: "
                + result.log()
                + "\n"
                + result.tail(40));
  }

  static void assertCompiled(String what, RealBuild.Result result) {
    // A build that failed before javac (a missing artifact, a bad pom) prints no finding either;
    // make sure the compiler actually ran.
    assertFalse(
        result.output().stream()
            .noneMatch(l -> l.contains("Compiling ") && l.contains("source file")),
        () -> what + ": javac never ran; full log: " + result.log() + "\n" + result.tail(40));
    // A javac that could not start (a bad flag, an unknown check name) prints no finding either.
    assertTrue(
        result.output().stream().noneMatch(l -> l.contains("Fatal error compiling")),
        () -> what + ": javac failed to start; full log: " + result.log() + "\n" + result.tail(40));
  }

  private static Path location(String className) {
    try {
      Class<?> c = Class.forName(className, false, Harness.class.getClassLoader());
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new IllegalStateException(className + " is not on the test class path", e);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property, "");
    if (value.isEmpty()) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run through Maven)");
    }
    return value;
  }
}
