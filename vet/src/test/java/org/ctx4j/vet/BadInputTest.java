package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake is one line naming it and exit status 2, never a stack trace. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // javac and Maven on a loaded machine
final class BadInputTest {
  @TempDir Path work;

  private static void assertOneLine(VetRun run, String expected) {
    assertEquals(Vet.TROUBLE, run.status(), run::toString);
    assertEquals("", run.out(), run::toString);
    String first = run.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("ctx4j-vet: "), run::toString);
    assertTrue(first.contains(expected), run::toString);
    assertFalse(run.err().contains("\tat "), run::toString);
    assertFalse(run.err().contains("Exception"), run::toString);
  }

  @Test
  void pathThatDoesNotExist() {
    String missing = work.resolve("nowhere").toString();
    assertOneLine(VetRun.inProcess(missing), "no such file or directory: " + missing);
  }

  @Test
  void fileThatIsNotJava() throws IOException {
    Path text = Files.writeString(work.resolve("notes.txt"), "hello", UTF_8);
    assertOneLine(VetRun.inProcess(text.toString()), "not a Java source file: " + text);
  }

  @Test
  void directoryWithoutJavaFiles() throws IOException {
    Path empty = Files.createDirectories(work.resolve("empty"));
    assertOneLine(VetRun.inProcess(empty.toString()), "no Java source files found in " + empty);
  }

  @Test
  void unreadableDirectory() throws IOException {
    Path closed = Files.createDirectories(work.resolve("closed"));
    Files.writeString(closed.resolve("A.java"), "class A {}", UTF_8);
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(
          Files.isReadable(closed), "running as root: every directory is readable");
      assertOneLine(VetRun.inProcess(closed.toString()), "cannot read directory " + closed);
    } finally {
      Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void classPathEntryThatDoesNotExist() throws IOException {
    Path source = Files.writeString(work.resolve("A.java"), "class A {}", UTF_8);
    String missing = work.resolve("missing.jar").toString();
    assertOneLine(
        VetRun.inProcess("--classpath", missing, source.toString()),
        "class path entry does not exist: " + missing);
  }

  @Test
  void unknownCheckListsTheValidOnes() throws IOException {
    Path source = Files.writeString(work.resolve("A.java"), "class A {}", UTF_8);
    VetRun run = VetRun.inProcess("--checks", "LostCancel,NoSuchCheck", source.toString());
    assertOneLine(run, "unknown check 'NoSuchCheck'; the checks are: ");
    assertTrue(run.err().contains("LostCancel"), run::toString);
  }

  @Test
  void gradleProjectWithoutClassPath() throws IOException {
    Path project = Files.createDirectories(work.resolve("app"));
    Files.writeString(project.resolve("build.gradle"), "plugins { id 'java' }", UTF_8);
    Files.createDirectories(project.resolve("src/main/java"));
    Files.writeString(project.resolve("src/main/java/A.java"), "class A {}", UTF_8);
    assertOneLine(VetRun.inProcess(project.toString()), "is a Gradle project");
  }

  @Test
  void noPathAndUnknownOptions() {
    assertEquals(Vet.TROUBLE, VetRun.inProcess().status());
    VetRun run = VetRun.inProcess("--frobnicate", "x");
    assertEquals(Vet.TROUBLE, run.status(), run::toString);
    assertTrue(run.err().startsWith("ctx4j-vet: Unknown option: '--frobnicate'"), run::toString);
    assertTrue(run.err().contains("usage: ctx4j-vet"), run::toString);
  }

  @Test
  void sarifFileThatCannotBeWritten() throws IOException {
    Path source = Files.writeString(work.resolve("A.java"), "class A {}", UTF_8);
    Path sarif = work.resolve("no/such/dir/out.sarif");
    VetRun run = VetRun.inProcess("--sarif", sarif.toString(), source.toString());
    assertEquals(Vet.TROUBLE, run.status(), run::toString);
    assertTrue(
        run.err().startsWith("ctx4j-vet: cannot write the SARIF file " + sarif), run::toString);
    assertFalse(run.err().contains("\tat "), run::toString);
  }

  @Test
  void badRelease() throws IOException {
    Path source = Files.writeString(work.resolve("A.java"), "class A {}", UTF_8);
    VetRun run = VetRun.inProcess("--release", "4", source.toString());
    assertOneLine(run, "release");
  }

  @Test
  void sourcesThatDoNotCompile() throws IOException {
    Path source =
        Files.writeString(work.resolve("A.java"), "class A { Missing m; int f() { } }", UTF_8);
    VetRun run = VetRun.inProcess(source.toString());
    assertEquals(Vet.TROUBLE, run.status(), run::toString);
    assertTrue(
        run.err().startsWith("ctx4j-vet: the sources do not compile (2 errors)"), run::toString);
    assertTrue(run.err().contains(source + ":1:11: error: cannot find symbol"), run::toString);
    assertFalse(run.err().contains("\tat "), run::toString);
  }
}
