package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Real {@code mvn} builds of the sample projects on the JDK running this test (17 in CI) with the
 * Error Prone version the checks are compiled against. Each build's log is kept under {@code
 * test-data/target/real-builds/logs/}.
 */
final class RealBuildsTest {

  @Test
  void violationsFailWithExactlyTheGoldenFindings() throws Exception {
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("violations"), "violations");
    RealBuild.Result result =
        build.run(project, RealBuild.currentJavaHome(), List.of("compile"), "violations", null);

    Harness.assertCompiled("violations", result);
    Harness.assertExit("violations", false, result);
    Harness.assertNoCompilerErrors("violations", result);
    Harness.assertFindings(
        "violations", Harness.sample("violations").resolve("expected-findings.txt"), result);
  }

  @Test
  void violationsGoldenFileHasEveryCheckAtLeastTwice() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    DocsCodeBlocksTest.registeredChecks().forEach(c -> counts.put(c, 0));
    for (Finding f :
        RealBuild.readGolden(Harness.sample("violations").resolve("expected-findings.txt"))) {
      counts.merge(f.check(), 1, Integer::sum);
    }
    counts.forEach(
        (check, n) -> assertTrue(n >= 2, check + " appears " + n + " times in the golden file"));
  }

  @Test
  void cleanBuildsWithoutAFinding() throws Exception {
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("clean"), "clean");
    RealBuild.Result result =
        build.run(project, RealBuild.currentJavaHome(), List.of("compile"), "clean", null);

    Harness.assertCompiled("clean", result);
    Harness.assertFindings(
        "clean", Harness.sample("clean").resolve("expected-findings.txt"), result);
    Harness.assertExit("clean", true, result);

    // And the program runs on the real runtime: it serves one request, then cancels the
    // application context, which stops the background worker, and exits.
    Path runtime =
        build
            .work()
            .resolve(
                "repo/org/ctx4j/ctx4j-runtime/"
                    + RealBuild.CTX4J_VERSION
                    + "/ctx4j-runtime-"
                    + RealBuild.CTX4J_VERSION
                    + ".jar");
    Process app =
        new ProcessBuilder(
                RealBuild.currentJavaHome().resolve("bin/java").toString(),
                "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + runtime,
                "com.example.orders.Application")
            .redirectErrorStream(true)
            .start();
    // Only a guard against a hang; the program itself takes well under a second.
    boolean exited = app.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
    if (!exited) {
      app.destroyForcibly();
    }
    String out =
        new String(app.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(exited, "the clean Application did not exit; output:\n" + out);
    assertTrue(
        app.exitValue() == 0 && out.contains("HttpResponse[status=200, body=Order[id=o-1"),
        "the clean Application failed (exit " + app.exitValue() + "):\n" + out);
  }

  /**
   * Applies the checks' fixes to a copy of violations/ in place, then compiles the result: it must
   * build, and what the checks still report must be patch/expected-findings.txt.
   */
  @Test
  void patchAppliesTheFixesAndLeavesTheGoldenFindings() throws Exception {
    RealBuild build = Harness.build();
    Path project = build.copyProject(Harness.sample("violations"), "patch");
    Files.copy(
        Harness.sample("patch").resolve("pom.xml"),
        project.resolve("pom.xml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    RealBuild.Result fix =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("compile", "-Papply-fixes"),
            "patch-1-apply-fixes",
            null);
    Harness.assertCompiled("patch (applying the fixes)", fix);
    Harness.assertExit("patch (applying the fixes)", true, fix);
    List<String> changed =
        RealBuild.changedFiles(Harness.sample("violations").resolve("src"), project.resolve("src"));
    assertFalse(changed.isEmpty(), "applying the fixes changed no file; log: " + fix.log());
    // Nothing committed was touched: the fixes went to the copy under target/.
    assertTrue(project.startsWith(build.work()));

    RealBuild.deleteRecursively(project.resolve("target"));
    RealBuild.Result after =
        build.run(
            project, RealBuild.currentJavaHome(), List.of("compile"), "patch-2-after-fixes", null);
    Harness.assertCompiled("patch (after the fixes)", after);
    Harness.assertNoCompilerErrors("patch (after the fixes)", after);
    Harness.assertExit("patch (after the fixes)", true, after);
    Harness.assertFindings(
        "patch (after the fixes)", Harness.sample("patch").resolve("expected-findings.txt"), after);
  }
}
