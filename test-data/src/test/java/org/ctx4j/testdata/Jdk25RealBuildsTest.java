package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The violations/ and clean/ builds again, on another JDK (Temurin 25 in .ci/run) with a newer
 * Error Prone ({@code error_prone_core} 2.52.0 by default), and violations/ with 2.42.0: the same
 * golden files must hold. Runs only when {@code -Dctx4j.it.jdk25=<JDK home>} is given.
 */
final class Jdk25RealBuildsTest {
  private static Path jdk() {
    String home = System.getProperty("ctx4j.it.jdk25", "");
    assumeTrue(!home.isEmpty(), "-Dctx4j.it.jdk25 not set");
    Path jdk = Path.of(home);
    assertTrue(Files.isExecutable(jdk.resolve("bin/javac")), "no javac in " + jdk);
    return jdk;
  }

  /** Maven's -V banner names the JDK that ran the build (and so javac and Error Prone). */
  private static void assertRanOn(Path jdk, RealBuild.Result result) {
    assertTrue(
        result.output().stream()
            .anyMatch(l -> l.startsWith("Java version: 25") && l.contains(jdk.toString())),
        "the build did not run on JDK 25 at " + jdk + "; log: " + result.log());
  }

  private static String errorProne() {
    return "-Derrorprone.version=" + System.getProperty("ctx4j.it.errorprone.next", "2.52.0");
  }

  @Test
  void violationsFailWithExactlyTheGoldenFindings() throws Exception {
    Path jdk = jdk();
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("violations"), "violations-jdk25");
    RealBuild.Result result =
        build.run(project, jdk, List.of("compile", errorProne()), "violations-jdk25", null);

    assertRanOn(jdk, result);
    Harness.assertCompiled("violations on " + jdk, result);
    Harness.assertExit("violations on " + jdk, false, result);
    Harness.assertNoCompilerErrors("violations on " + jdk, result);
    Harness.assertFindings(
        "violations on " + jdk,
        Harness.sample("violations").resolve("expected-findings.txt"),
        result);
  }

  /** Error Prone 2.42.0, the version the README pins for JDK 17, also runs on JDK 25. */
  @Test
  void violationsFailWithTheGoldenFindingsOnErrorProne242Too() throws Exception {
    Path jdk = jdk();
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("violations"), "violations-jdk25-ep242");
    RealBuild.Result result =
        build.run(
            project,
            jdk,
            List.of("compile", "-Derrorprone.version=2.42.0"),
            "violations-jdk25-ep242",
            null);

    assertRanOn(jdk, result);
    Harness.assertCompiled("violations on " + jdk + " with Error Prone 2.42.0", result);
    Harness.assertExit("violations on " + jdk + " with Error Prone 2.42.0", false, result);
    Harness.assertNoCompilerErrors("violations on " + jdk + " with Error Prone 2.42.0", result);
    Harness.assertFindings(
        "violations on " + jdk + " with Error Prone 2.42.0",
        Harness.sample("violations").resolve("expected-findings.txt"),
        result);
  }

  @Test
  void cleanBuildsWithoutAFinding() throws Exception {
    Path jdk = jdk();
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("clean"), "clean-jdk25");
    RealBuild.Result result =
        build.run(project, jdk, List.of("compile", errorProne()), "clean-jdk25", null);

    assertRanOn(jdk, result);
    Harness.assertCompiled("clean on " + jdk, result);
    Harness.assertFindings(
        "clean on " + jdk, Harness.sample("clean").resolve("expected-findings.txt"), result);
    Harness.assertExit("clean on " + jdk, true, result);
  }
}
