package org.ctx4j.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Error Prone version matrix ({@code scripts/ep-matrix}): builds {@code test-data/violations}
 * and {@code test-data/clean} in real Maven builds with each given {@code error_prone_core} version
 * on each given JDK, and checks that every build reports exactly its golden findings, fails or
 * succeeds as it should, and shows no crash (no unhandled exception, no javac error that is not a
 * finding). Prints one line per build and a table at the end.
 *
 * <p>Arguments: the repository root, then one or more {@code JDK_HOME=version,version,...} groups,
 * e.g. {@code /usr/lib/jvm/java-17-openjdk-amd64=2.42.0}. Exit status 0 when every build passed, 1
 * when one did not, 2 on bad arguments or missing jars.
 */
public final class EpMatrix {
  private static final List<String> SAMPLES = List.of("violations", "clean");

  private EpMatrix() {}

  /** One JDK and one Error Prone version, and what each sample build gave. */
  private record Cell(Path jdk, String version, List<String> problems, long seconds) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      usage("expected the repository root and at least one JDK_HOME=version,... group");
    }
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Path runtime =
        root.resolve("context-runtime/target/ctx4j-runtime-" + RealBuild.CTX4J_VERSION + ".jar");
    Path checks = root.resolve("checks/target/ctx4j-checks-" + RealBuild.CTX4J_VERSION + ".jar");
    for (Path jar : List.of(runtime, checks)) {
      if (!Files.isRegularFile(jar)) {
        System.err.println(
            "ep-matrix: " + jar + " is missing; build it first: mvn -DskipTests package");
        System.exit(2);
      }
    }
    List<Path> jdks = new ArrayList<>();
    List<List<String>> versions = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0 || eq == args[i].length() - 1) {
        usage("not JDK_HOME=version,...: " + args[i]);
      }
      Path jdk = Path.of(args[i].substring(0, eq));
      if (!Files.isExecutable(jdk.resolve("bin/javac"))) {
        usage("no bin/javac in " + jdk);
      }
      jdks.add(jdk);
      versions.add(List.of(args[i].substring(eq + 1).split(",")));
    }

    Path seed =
        Path.of(
            System.getProperty(
                "ctx4j.seedRepo", System.getProperty("user.home") + "/.m2/repository"));
    String mavenHome = System.getProperty("ctx4j.mavenHome", "");
    RealBuild build =
        RealBuild.prepare(
            root,
            root.resolve("test-data/target/ep-matrix"),
            runtime,
            checks,
            seed,
            mavenHome.isEmpty() ? null : Path.of(mavenHome));

    List<Cell> cells = new ArrayList<>();
    for (int j = 0; j < jdks.size(); j++) {
      for (String version : versions.get(j)) {
        cells.add(runCell(build, jdks.get(j), version.strip()));
      }
    }
    System.out.println();
    System.out.println("| JDK | Error Prone | violations and clean |");
    System.out.println("|---|---|---|");
    boolean allPassed = true;
    for (Cell cell : cells) {
      allPassed &= cell.problems().isEmpty();
      System.out.printf(
          "| %s | %s | %s |%n",
          javaVersion(cell.jdk()),
          cell.version(),
          cell.problems().isEmpty()
              ? "same findings as the golden files, no crash"
              : String.join("; ", cell.problems()));
    }
    System.exit(allPassed ? 0 : 1);
  }

  private static Cell runCell(RealBuild build, Path jdk, String version)
      throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    for (String sample : SAMPLES) {
      String name = sample + "-" + jdk.getFileName() + "-" + version;
      Path project = build.copyProject(build.root().resolve("test-data").resolve(sample), name);
      RealBuild.Result result =
          build.run(
              project, jdk, List.of("compile", "-Derrorprone.version=" + version), name, null);
      List<String> found =
          new ArrayList<>(
              problems(sample, result, build.root().resolve("test-data").resolve(sample)));
      // The version is only a pom property: make sure the build really resolved that release.
      Path core =
          build
              .work()
              .resolve("repo/com/google/errorprone/error_prone_core")
              .resolve(version)
              .resolve("error_prone_core-" + version + ".jar");
      if (!Files.isRegularFile(core)) {
        found.add("error_prone_core " + version + " was never resolved (" + core + " is missing)");
      }
      System.out.printf(
          "ep-matrix: %s, Error Prone %s, %s: %s (log: %s)%n",
          jdk, version, sample, found.isEmpty() ? "OK" : "FAILED " + found, result.log());
      found.forEach(p -> problems.add(sample + ": " + p));
    }
    return new Cell(jdk, version, problems, (System.nanoTime() - start) / 1_000_000_000L);
  }

  /** What is wrong with one sample build; empty when it did exactly what its golden file says. */
  static List<String> problems(String sample, RealBuild.Result result, Path sampleDir)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> output = result.output();
    if (output.stream().noneMatch(l -> l.contains("Compiling ") && l.contains("source file"))) {
      problems.add("javac never ran (dependency resolution or pom failure)");
      return problems;
    }
    if (output.stream().anyMatch(l -> l.contains("Fatal error compiling"))) {
      problems.add("javac failed to start");
    }
    if (output.stream().anyMatch(EpMatrix::isCrash)) {
      problems.add("crash: " + output.stream().filter(EpMatrix::isCrash).findFirst().orElseThrow());
    }
    if (!result.compilerErrors().isEmpty()) {
      problems.add("javac errors that are not findings: " + result.compilerErrors());
    }
    boolean shouldSucceed = sample.equals("clean");
    if (result.succeeded() != shouldSucceed) {
      problems.add(
          "the build " + (result.succeeded() ? "succeeded" : "failed") + ", expected the opposite");
    }
    String diff =
        RealBuild.compare(
            RealBuild.readGolden(sampleDir.resolve("expected-findings.txt")), result.findings());
    if (!diff.isEmpty()) {
      problems.add(diff.strip().replace("\n", " "));
    }
    return problems;
  }

  private static boolean isCrash(String line) {
    return line.contains("An unhandled exception was thrown by the Error Prone")
        || line.contains("An exception has occurred in the compiler")
        || line.contains("java.lang.NoSuchMethodError")
        || line.contains("java.lang.NoClassDefFoundError")
        || line.contains("java.lang.IncompatibleClassChangeError");
  }

  private static String javaVersion(Path jdk) {
    try {
      Path release = jdk.resolve("release");
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return line.substring("JAVA_VERSION=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // fall through to the directory name
    }
    return jdk.getFileName().toString();
  }

  private static void usage(String problem) {
    System.err.println("ep-matrix: " + problem);
    System.err.println("usage: EpMatrix <repository root> <JDK_HOME=version,version,...>...");
    System.exit(2);
  }
}
