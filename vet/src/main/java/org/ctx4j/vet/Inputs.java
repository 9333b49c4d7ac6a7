package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the command line names, made concrete: the Java files to check, the class path they compile
 * against and a source path for generated sources. Every mistake is a {@link UsageException} naming
 * it.
 *
 * <p>A path is a Java file, a directory (searched for {@code *.java}), or a project directory: one
 * with a {@code pom.xml} is a Maven project, whose {@code src/main/java} is checked, against the
 * class path Maven reports ({@code mvn dependency:build-classpath}) unless {@code --classpath} is
 * given; one with a {@code build.gradle} or {@code build.gradle.kts} is a Gradle project, whose
 * {@code src/main/java} is checked against {@code --classpath}, which it needs.
 */
final class Inputs {
  /** How long Maven may take to report a class path (it may download the dependency plugin). */
  private static final long MAVEN_TIMEOUT_MINUTES = 10;

  /** The Maven plugin that reports a project's class path. */
  static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

  final List<Path> sources = new ArrayList<>();
  final List<Path> classpath = new ArrayList<>();
  final List<Path> sourcepath = new ArrayList<>();

  private Inputs() {}

  /** Resolves {@code paths} and {@code classpathOption} (null when not given). */
  static Inputs resolve(List<String> paths, String classpathOption) {
    if (paths.isEmpty()) {
      throw new UsageException(
          "no PATH given: name Java files, directories or a project directory");
    }
    Inputs inputs = new Inputs();
    Set<Path> sources = new LinkedHashSet<>();
    Set<Path> classpath = new LinkedHashSet<>();
    if (classpathOption != null) {
      for (String entry : classpathOption.split(File.pathSeparator, -1)) {
        if (entry.isBlank()) {
          continue;
        }
        Path path = Path.of(entry).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
          throw new UsageException("class path entry does not exist: " + entry);
        }
        classpath.add(path);
      }
    }
    for (String name : paths) {
      Path path = Path.of(name).toAbsolutePath().normalize();
      if (!Files.exists(path)) {
        throw new UsageException("no such file or directory: " + name);
      }
      if (Files.isRegularFile(path)) {
        if (!name.endsWith(".java")) {
          throw new UsageException("not a Java source file: " + name);
        }
        if (!Files.isReadable(path)) {
          throw new UsageException("cannot read " + name);
        }
        sources.add(path);
      } else if (Files.isRegularFile(path.resolve("pom.xml"))) {
        Path main = projectSources(name, path, "Maven");
        sources.addAll(javaFiles(name, main));
        addGenerated(path.resolve("target/generated-sources"), inputs.sourcepath);
        if (classpathOption == null) {
          classpath.addAll(mavenClasspath(name, path));
        }
      } else if (Files.isRegularFile(path.resolve("build.gradle"))
          || Files.isRegularFile(path.resolve("build.gradle.kts"))) {
        if (classpathOption == null) {
          throw new UsageException(
              name
                  + " is a Gradle project: ctx4j-vet cannot ask Gradle for its class path; pass"
                  + " --classpath (see docs/vet.md for a Gradle task that prints it)");
        }
        sources.addAll(javaFiles(name, projectSources(name, path, "Gradle")));
        addGenerated(path.resolve("build/generated/sources"), inputs.sourcepath);
      } else {
        sources.addAll(javaFiles(name, path));
      }
    }
    inputs.sources.addAll(sources);
    inputs.classpath.addAll(classpath);
    return inputs;
  }

  private static Path projectSources(String name, Path project, String build) {
    Path main = project.resolve("src/main/java");
    if (!Files.isDirectory(main)) {
      throw new UsageException(
          build
              + " project "
              + name
              + " has no src/main/java (for a multi-module build, name each module's directory)");
    }
    return main;
  }

  /** The {@code *.java} files under {@code dir}, in a stable order; none is an error. */
  private static List<Path> javaFiles(String name, Path dir) {
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      throw new UsageException("cannot read directory " + name);
    }
    List<Path> found;
    try (Stream<Path> walk = Files.walk(dir)) {
      found =
          // module-info.java is left out: vet compiles everything on the class path.
          walk.filter(p -> p.getFileName().toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("module-info.java"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (UncheckedIOException | IOException e) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      if (cause instanceof AccessDeniedException denied) {
        throw new UsageException("cannot read directory " + denied.getFile());
      }
      throw new UsageException("cannot read directory " + name + ": " + cause.getMessage());
    }
    if (found.isEmpty()) {
      throw new UsageException("no Java source files found in " + name);
    }
    return found;
  }

  /** Each directory directly under {@code generated} (annotation processors' output). */
  private static void addGenerated(Path generated, List<Path> sourcepath) {
    if (!Files.isDirectory(generated)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(generated)) {
      dirs.filter(Files::isDirectory).sorted().forEach(sourcepath::add);
    } catch (IOException e) {
      // Not readable: the sources that need it will not compile, which is reported then.
    }
  }

  /**
   * Asks Maven for the project's compile class path: offline first (quick, and enough when the
   * dependency plugin and the dependencies are in the local repository), then online.
   */
  private static List<Path> mavenClasspath(String name, Path project) {
    Path out;
    try {
      out = Files.createTempFile("ctx4j-vet-classpath", ".txt");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      String failure = null;
      for (boolean offline : new boolean[] {true, false}) {
        failure = runMaven(project, out, offline);
        if (failure == null) {
          String text = Files.readString(out, UTF_8).strip();
          List<Path> entries = new ArrayList<>();
          for (String entry : text.split(File.pathSeparator, -1)) {
            if (!entry.isBlank()) {
              entries.add(Path.of(entry));
            }
          }
          return entries;
        }
      }
      throw new UsageException(
          "Maven could not report the class path of "
              + name
              + " ("
              + failure
              + "); pass --classpath instead");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException e) {
        // A temporary file left behind.
      }
    }
  }

  /** Runs Maven; null when it succeeded, else what went wrong, in a few words. */
  private static String runMaven(Path project, Path out, boolean offline) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(mavenExecutable());
    command.add("-B");
    command.add("-q");
    command.add("-Dstyle.color=never");
    if (offline) {
      command.add("-o");
    }
    command.add("-f");
    command.add(project.resolve("pom.xml").toString());
    // The plugin by its full name and version: no prefix lookup, and offline works once cached.
    command.add(DEPENDENCY_PLUGIN + ":build-classpath");
    command.add("-Dmdep.outputFile=" + out);
    command.add("-Dmdep.includeScope=compile");
    Path log = Files.createTempFile("ctx4j-vet-maven", ".log");
    try {
      Process maven;
      try {
        maven =
            new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        return "cannot run " + command.get(0) + ": " + e.getMessage();
      }
      try {
        if (!maven.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          maven.destroyForcibly();
          return "mvn did not finish in " + MAVEN_TIMEOUT_MINUTES + " minutes";
        }
      } catch (InterruptedException e) {
        maven.destroyForcibly();
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      if (maven.exitValue() == 0) {
        return null;
      }
      List<String> lines =
          Files.readAllLines(log, UTF_8).stream()
              .filter(l -> l.startsWith("[ERROR]"))
              .limit(1)
              .toList();
      return "mvn exited with "
          + maven.exitValue()
          + (lines.isEmpty() ? "" : ": " + lines.get(0).strip());
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** {@code $MAVEN_HOME/bin/mvn} (or the {@code maven.home} system property), else mvn on PATH. */
  private static String mavenExecutable() {
    String home = System.getProperty("maven.home");
    if (home == null || home.isBlank()) {
      home = System.getenv("MAVEN_HOME");
    }
    if (home != null && !home.isBlank()) {
      Path mvn = Path.of(home, "bin", "mvn");
      if (Files.isExecutable(mvn)) {
        return mvn.toString();
      }
    }
    return "mvn";
  }
}
