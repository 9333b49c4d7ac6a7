package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ctx4j-vet over the sample projects of test-data, against their golden files. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // javac and Maven on a loaded machine
final class VetTest {
  private static final Path VIOLATIONS = VetRun.root().resolve("test-data/violations");
  private static final Path CLEAN = VetRun.root().resolve("test-data/clean");

  @Test
  void violationsGiveExactlyTheGoldenFindings() throws IOException {
    VetRun run = VetRun.inProcess(VIOLATIONS.resolve("src/main/java").toString());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")),
        run.findings(VIOLATIONS),
        run::toString);
    TreeSet<String> golden = VetRun.golden(VIOLATIONS.resolve("expected-findings.txt"));
    long files = golden.stream().map(f -> f.substring(0, f.indexOf(':'))).distinct().count();
    assertEquals(
        golden.size()
            + " findings in "
            + files
            + " files ("
            + javaFiles(VIOLATIONS)
            + " files checked)",
        run.summary(),
        run::toString);
    assertEquals("", run.err(), run::toString);
  }

  @Test
  void cleanGivesNone() {
    VetRun run = VetRun.inProcess(CLEAN.resolve("src/main/java").toString());
    assertEquals(Vet.CLEAN, run.status(), run::toString);
    assertEquals(
        "0 findings in 0 files (" + javaFiles(CLEAN) + " files checked)",
        run.out().strip(),
        run::toString);
  }

  /** How many Java files a sample project's {@code src/main/java} holds. */
  static long javaFiles(Path project) {
    try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aMavenProjectGivenItsClassPath() throws IOException {
    // The project's ctx4j dependency is not in the local repository: the class path is given.
    VetRun run = VetRun.inProcess("--classpath", runtimeOnVetsClassPath(), VIOLATIONS.toString());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")),
        run.findings(VIOLATIONS),
        run::toString);
  }

  @Test
  void singleFilesAndCheckSelection() {
    Path file = VIOLATIONS.resolve("src/main/java/com/example/orders/OutboxWorker.java");
    VetRun run =
        VetRun.inProcess(
            "--checks",
            "LostCancel,ContextInField",
            "--classpath",
            runtimeOnVetsClassPath(),
            file.toString(),
            VIOLATIONS.resolve("src/main/java/com/example/orders/OrderRepository.java").toString(),
            VIOLATIONS.resolve("src/main/java/com/example/orders/Order.java").toString());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        new TreeSet<>(
            java.util.List.of(
                "src/main/java/com/example/orders/OutboxWorker.java:12: ContextInField",
                "src/main/java/com/example/orders/OutboxWorker.java:39: LostCancel")),
        run.findings(VIOLATIONS),
        run::toString);
    assertEquals("2 findings in 1 file (3 files checked)", run.summary(), run::toString);
  }

  @Test
  void theRuntimeOnTheUsersClassPathIsNotAddedTwice() {
    assertTrue(RuntimeJar.onClasspath(java.util.List.of(Path.of(runtimeOnVetsClassPath()))));
    assertFalse(RuntimeJar.onClasspath(java.util.List.of(VIOLATIONS)));
  }

  @Test
  void fixThenRerunLeavesWhatThePatchRoundTripLeaves(@TempDir Path work) throws IOException {
    Path copy = work.resolve("violations");
    copyTree(VIOLATIONS.resolve("src"), copy.resolve("src"));
    VetRun fixing = VetRun.inProcess("--fix", copy.resolve("src/main/java").toString());
    assertEquals(Vet.FINDINGS, fixing.status(), fixing::toString);
    assertTrue(fixing.out().contains("fixed "), fixing::toString);
    assertFalse(fixing.out().contains("not fixed"), fixing::toString);

    Path sarif = work.resolve("after.sarif");
    VetRun after =
        VetRun.inProcess("--sarif", sarif.toString(), copy.resolve("src/main/java").toString());
    assertEquals(Vet.FINDINGS, after.status(), after::toString);
    TreeSet<String> expected =
        VetRun.golden(VetRun.root().resolve("test-data/patch/expected-findings.txt"));
    assertEquals(expected, after.findings(copy), after::toString);
    // What is left has no fix: a second --fix changes nothing.
    assertFalse(Files.readString(sarif, UTF_8).contains("\"fixes\""));
    VetRun again = VetRun.inProcess("--fix", copy.resolve("src/main/java").toString());
    assertTrue(again.out().contains("applied 0 fixes in 0 files"), again::toString);
  }

  @Test
  void overlappingFixesAreAppliedOneAtATime(@TempDir Path work) throws IOException {
    Path file = work.resolve("demo/Demo.java");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        package demo;

        import org.ctx4j.Context;

        final class Demo {
          void run() {
            send("x", null);
          }

          private void send(String message, Context ctx) {}
        }
        """,
        UTF_8);
    // NullContext replaces the null; ContextNotFirstParameter reorders the same call's arguments.
    VetRun first = VetRun.inProcess("--fix", work.toString());
    assertEquals(Vet.FINDINGS, first.status(), first::toString);
    assertTrue(first.out().contains("fixed " + file + ":7:15: [NullContext]"), first::toString);
    assertTrue(
        first
            .out()
            .contains(
                "not fixed (overlaps another fix; rerun --fix): "
                    + file
                    + ":10:45: [ContextNotFirstParameter]"),
        first::toString);
    assertTrue(Files.readString(file, UTF_8).contains("send(\"x\", Context.todo());"));

    VetRun second = VetRun.inProcess("--fix", work.toString());
    assertEquals(Vet.CLEAN, second.status(), second::toString);
    String fixed = Files.readString(file, UTF_8);
    assertTrue(fixed.contains("send(Context.todo(), \"x\");"), fixed);
    assertTrue(fixed.contains("private void send(Context ctx, String message) {}"), fixed);
    assertEquals(Vet.CLEAN, VetRun.inProcess(work.toString()).status());
  }

  @Test
  void aGradleProjectWithItsClassPath(@TempDir Path work) throws IOException {
    Path project = work.resolve("app");
    Files.createDirectories(project.resolve("src/main/java/app"));
    Files.writeString(project.resolve("build.gradle.kts"), "plugins { java }", UTF_8);
    Files.writeString(
        project.resolve("src/main/java/app/App.java"),
        """
        package app;

        import org.ctx4j.Context;

        final class App {
          private Context ctx;
        }
        """,
        UTF_8);
    VetRun run = VetRun.inProcess("--classpath", runtimeOnVetsClassPath(), project.toString());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        new TreeSet<>(java.util.List.of("src/main/java/app/App.java:6: ContextInField")),
        run.findings(project),
        run::toString);
  }

  @Test
  void aSmallMavenProjectsClassPathComesFromMaven(@TempDir Path work) throws IOException {
    Path project = work.resolve("demo");
    Files.createDirectories(project.resolve("src/main/java/demo"));
    Files.writeString(
        project.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>demo</groupId>
          <artifactId>demo</artifactId>
          <version>1</version>
        </project>
        """,
        UTF_8);
    Files.writeString(
        project.resolve("src/main/java/demo/Demo.java"),
        """
        package demo;

        import org.ctx4j.Context;

        final class Demo {
          void send(String message, Context ctx) {}
        }
        """,
        UTF_8);
    VetRun run = VetRun.inProcess(project.toString());
    org.junit.jupiter.api.Assumptions.assumeFalse(
        run.err().contains("Maven could not report"),
        () -> "Maven cannot resolve its dependency plugin here (offline?): " + run.err());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        new TreeSet<>(
            java.util.List.of("src/main/java/demo/Demo.java:6: ContextNotFirstParameter")),
        run.findings(project),
        run::toString);
  }

  /** The ctx4j runtime entry of this JVM's class path (what the build of a user puts there). */
  static String runtimeOnVetsClassPath() {
    return RuntimeJar.locate().toString();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
