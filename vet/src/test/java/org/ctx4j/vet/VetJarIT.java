package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run the way users run it: {@code java -jar ctx4j-vet.jar}, with no JVM flag, on
 * this JDK and on a newer one when there is one ({@code ctx4j.it.jdk25}, by default Temurin 25
 * where Debian installs it).
 */
final class VetJarIT {
  private static final Path VIOLATIONS = VetRun.root().resolve("test-data/violations");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path work;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("ctx4j.vet.jar", "target/ctx4j-vet.jar"));
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": run mvn package first");
    return jar;
  }

  private VetRun runJar(Path javaHome, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin/java").toString());
    command.add("-Dctx4j.failOnInternalError=true"); // a swallowed exception in a check shows
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar ctx4j-vet.jar did not finish in " + TIMEOUT);
    }
    return new VetRun(
        process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }

  private void findsTheGoldenFindings(Path javaHome) throws Exception {
    Path sarif = work.resolve("out.sarif");
    VetRun run =
        runJar(
            javaHome, "--sarif", sarif.toString(), VIOLATIONS.resolve("src/main/java").toString());
    assertEquals(Vet.FINDINGS, run.status(), run::toString);
    assertEquals(
        VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")),
        run.findings(VIOLATIONS),
        run::toString);
    assertTrue(Files.readString(sarif, UTF_8).contains("\"version\" : \"2.1.0\""));
    VetRun clean =
        runJar(javaHome, VetRun.root().resolve("test-data/clean/src/main/java").toString());
    assertEquals(Vet.CLEAN, clean.status(), clean::toString);
    VetRun bad = runJar(javaHome, work.resolve("nowhere").toString());
    assertEquals(Vet.TROUBLE, bad.status(), bad::toString);
    assertEquals(
        "ctx4j-vet: no such file or directory: " + work.resolve("nowhere") + "\n", bad.err());
  }

  @Test
  void onThisJdk() throws Exception {
    findsTheGoldenFindings(Path.of(System.getProperty("java.home")));
  }

  @Test
  void onANewerJdk() throws Exception {
    Path home = Path.of(System.getProperty("ctx4j.it.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isExecutable(home.resolve("bin/java")), "no JDK at " + home);
    findsTheGoldenFindings(home);
  }
}
