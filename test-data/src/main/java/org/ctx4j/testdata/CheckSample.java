package org.ctx4j.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's first command ({@code scripts/check-sample}): compiles {@code test-data/violations}
 * with the just-built checks in a real Maven build, shows that build's output as a user would see
 * it, then says whether the findings are exactly the ones its golden file expects.
 *
 * <p>Exit status: 0 when the build failed with exactly the expected findings (the checks work); 1
 * when the findings differ or the build did not fail; 2 when the jars to test are missing.
 */
public final class CheckSample {
  private CheckSample() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path runtime =
        root.resolve("context-runtime/target/ctx4j-runtime-" + RealBuild.CTX4J_VERSION + ".jar");
    Path checks = root.resolve("checks/target/ctx4j-checks-" + RealBuild.CTX4J_VERSION + ".jar");
    for (Path jar : List.of(runtime, checks)) {
      if (!Files.isRegularFile(jar)) {
        System.err.println(
            "check-sample: " + jar + " is missing; build it first: mvn -DskipTests package");
        System.exit(2);
      }
    }
    Path seed =
        Path.of(
            System.getProperty(
                "ctx4j.seedRepo", System.getProperty("user.home") + "/.m2/repository"));
    String mavenHome = System.getProperty("ctx4j.mavenHome", "");
    RealBuild build =
        RealBuild.prepare(
            root,
            root.resolve("test-data/target/check-sample"),
            runtime,
            checks,
            seed,
            mavenHome.isEmpty() ? null : Path.of(mavenHome));

    Path project = root.resolve("test-data/violations");
    // Built in place, so the paths in the output are the files to open; a stale target/ could make
    // the compiler plugin skip the compilation, so it goes first.
    RealBuild.deleteRecursively(project.resolve("target"));
    System.out.println(
        "check-sample: compiling test-data/violations with ctx4j-checks (mvn compile)");
    System.out.println();
    RealBuild.Result result =
        build.run(
            project, RealBuild.currentJavaHome(), List.of("compile"), "check-sample", System.out);

    List<Finding> expected = RealBuild.readGolden(project.resolve("expected-findings.txt"));
    String diff = RealBuild.compare(expected, result.findings());
    System.out.println();
    if (result.succeeded()) {
      System.out.println(
          "check-sample: FAILED: the build of test-data/violations succeeded, it should fail.");
      System.exit(1);
    }
    if (!diff.isEmpty()) {
      System.out.println(
          "check-sample: FAILED: the findings differ from test-data/violations/expected-findings.txt:");
      System.out.print(diff);
      System.exit(1);
    }
    System.out.printf(
        "check-sample: OK: the build failed, as it should, with the %d findings listed in"
            + " test-data/violations/expected-findings.txt.%n",
        expected.size());
  }
}
