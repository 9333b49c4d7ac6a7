package org.ctx4j.testdata;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a sample project of {@code test-data/} as a real {@code mvn} process, the way a user's build
 * runs: the project's own pom loads {@code ctx4j-checks} through {@code annotationProcessorPaths}
 * and {@code -Xplugin:ErrorProne}. The just-built ctx4j jars are installed into a local repository
 * of its own under {@code target/}, so the user's {@code ~/.m2} is read (as a {@code file://}
 * repository) but never written; Maven Central is the fallback for anything missing from it.
 *
 * <p>Needs only the JDK, so that {@code scripts/check-sample} can run it with {@code java -cp}.
 */
public final class RealBuild {
  /** The version of the ctx4j artifacts this checkout builds (the sample poms ask for it). */
  public static final String CTX4J_VERSION = "0.1.0-SNAPSHOT";

  /**
   * A finding as the Maven compiler plugin prints it: {@code [ERROR] /abs/F.java:[12,5] [Name]
   * ...}.
   */
  private static final Pattern FINDING =
      Pattern.compile("^\\[(ERROR|WARNING)\\] (.+\\.java):\\[(\\d+),(\\d+)\\] \\[(\\w+)\\] .*$");

  private final Path root;
  private final Path work;
  private final Path repo;
  private final Path settings;
  private final String mvn;

  private RealBuild(Path root, Path work, Path repo, Path settings, String mvn) {
    this.root = root;
    this.work = work;
    this.repo = repo;
    this.settings = settings;
    this.mvn = mvn;
  }

  /**
   * Installs the given ctx4j jars (and the poms of this checkout) into {@code work/repo} and writes
   * the settings file the sample builds use.
   *
   * @param root the repository root (holds {@code pom.xml}, {@code context-runtime/}, {@code
   *     checks/})
   * @param work a scratch directory under some {@code target/}
   * @param runtime the just-built ctx4j-runtime jar, or its classes directory
   * @param checks the just-built ctx4j-checks jar, or its classes directory
   * @param seedRepo the local repository of the build that runs this (read only), may be null
   * @param mavenHome the Maven installation to run, or null to run {@code mvn} from the PATH
   */
  public static RealBuild prepare(
      Path root, Path work, Path runtime, Path checks, Path seedRepo, Path mavenHome)
      throws IOException {
    root = root.toAbsolutePath().normalize();
    work = work.toAbsolutePath().normalize();
    Path repo = work.resolve("repo");
    Path group = repo.resolve("org/ctx4j");
    // Always replace what an earlier run installed: these are the artifacts under test.
    deleteRecursively(group);
    install(group, "ctx4j-parent", root.resolve("pom.xml"), null, work);
    install(group, "ctx4j-runtime", root.resolve("context-runtime/pom.xml"), runtime, work);
    install(group, "ctx4j-checks", root.resolve("checks/pom.xml"), checks, work);

    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, settingsXml(seedRepo), StandardCharsets.UTF_8);

    String mvn = "mvn";
    if (mavenHome != null && Files.isExecutable(mavenHome.resolve("bin/mvn"))) {
      mvn = mavenHome.resolve("bin/mvn").toString();
    }
    return new RealBuild(root, work, repo, settings, mvn);
  }

  public Path root() {
    return root;
  }

  public Path work() {
    return work;
  }

  /** The settings file of the sample builds: the seed repository, then Maven Central. */
  public Path settings() {
    return settings;
  }

  /**
   * The same builds with another local repository, e.g. one that {@code scripts/install-local}
   * filled, instead of the one {@link #prepare} installed the just-built jars into.
   */
  public RealBuild withLocalRepository(Path localRepository) {
    return new RealBuild(root, work, localRepository.toAbsolutePath().normalize(), settings, mvn);
  }

  /** The Maven executable the builds run. */
  public String mvn() {
    return mvn;
  }

  /** What one {@code mvn} run did. */
  public record Result(int exitCode, List<String> output, List<Finding> findings, Path log) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** The lines of the output that look like a compiler error other than a check's finding. */
    public List<String> compilerErrors() {
      List<String> errors = new ArrayList<>();
      for (String line : output) {
        if (line.startsWith("[ERROR] ")
            && line.contains(".java:[")
            && !FINDING.matcher(line).matches()) {
          errors.add(line);
        }
      }
      return errors;
    }

    /** The last lines of the output, for a failure message. */
    public String tail(int lines) {
      return String.join("\n", output.subList(Math.max(0, output.size() - lines), output.size()));
    }
  }

  /**
   * Runs {@code mvn -B <goals and args>} in {@code projectDir} with {@code JAVA_HOME=javaHome}.
   * Tries offline first (everything the reactor build resolved is in the seed repository), then
   * online when Maven says something is missing offline.
   *
   * @param echo where to copy the output as it comes, or null
   */
  public Result run(
      Path projectDir, Path javaHome, List<String> args, String logName, PrintStream echo)
      throws IOException, InterruptedException {
    Result offline = runOnce(projectDir, javaHome, args, logName, echo, true);
    boolean missingOffline =
        offline.exitCode() != 0
            && offline.output().stream().anyMatch(l -> l.contains("in offline mode"));
    if (!missingOffline) {
      return offline;
    }
    if (echo != null) {
      echo.println(
          "[check-sample] some dependencies are not in the local repository; retrying online");
    }
    return runOnce(projectDir, javaHome, args, logName, echo, false);
  }

  private Result runOnce(
      Path projectDir,
      Path javaHome,
      List<String> args,
      String logName,
      PrintStream echo,
      boolean offline)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(mvn);
    command.add("-B");
    command.add("-V"); // the log then says which Maven and which JDK ran the build
    command.add("-ntp");
    command.add("-Dstyle.color=never");
    command.add("-s");
    command.add(settings.toString());
    command.add("-Dmaven.repo.local=" + repo);
    if (offline) {
      // Offline, but the seed repository is a file:// URL: let the resolver read it.
      command.add("-o");
      command.add("-Daether.offline.protocols=file");
    }
    command.addAll(args);
    return exec(command, projectDir, javaHome, logName, echo);
  }

  /**
   * Runs any command (a script that runs Maven itself, the built program) the way the sample builds
   * run: in {@code dir}, with {@code JAVA_HOME=javaHome}, without the user's Maven or JVM options
   * in the environment, its output kept in {@code work/logs/<logName>.log}. Findings in the output
   * are parsed relative to {@code dir}.
   */
  public Result exec(
      List<String> command, Path dir, Path javaHome, String logName, PrintStream echo)
      throws IOException, InterruptedException {
    Path projectDir = dir;
    ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome.toString());
    // A script that runs java or mvn itself gets the same ones.
    String path = javaHome.resolve("bin") + File.pathSeparator + env.getOrDefault("PATH", "");
    Path mvnDir = Path.of(mvn).getParent();
    env.put("PATH", mvnDir == null ? path : mvnDir + File.pathSeparator + path);
    // The sample's own .mvn/jvm.config must decide the JVM flags, as in a user's build.
    env.remove("MAVEN_OPTS");
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("MAVEN_ARGS");

    Files.createDirectories(work.resolve("logs"));
    Path log = work.resolve("logs").resolve(logName + ".log");
    List<String> output = new ArrayList<>();
    Process process = builder.start();
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        OutputStream logOut = Files.newOutputStream(log)) {
      logOut.write(
          ("$ (cd "
                  + projectDir
                  + " && JAVA_HOME="
                  + javaHome
                  + " "
                  + String.join(" ", command)
                  + ")\n")
              .getBytes(StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        logOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        if (echo != null) {
          echo.println(line);
        }
      }
    }
    int exit = process.waitFor();
    return new Result(exit, List.copyOf(output), parseFindings(output, projectDir), log);
  }

  /**
   * The findings in a Maven log, with paths relative to {@code projectDir}. The compiler plugin
   * repeats the errors in its failure message; those repeats (after "Failed to execute goal") and
   * any other exact repeat of a diagnostic are counted once.
   */
  public static List<Finding> parseFindings(List<String> output, Path projectDir) {
    Path base = projectDir.toAbsolutePath().normalize();
    Set<String> seen = new LinkedHashSet<>();
    List<Finding> findings = new ArrayList<>();
    for (String line : output) {
      if (line.startsWith("[ERROR] Failed to execute goal")) {
        break;
      }
      Matcher m = FINDING.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String key = m.group(2) + ':' + m.group(3) + ':' + m.group(4) + ':' + m.group(5);
      if (!seen.add(key)) {
        continue;
      }
      Path file = Path.of(m.group(2)).toAbsolutePath().normalize();
      String path = file.startsWith(base) ? base.relativize(file).toString() : file.toString();
      findings.add(new Finding(path.replace('\\', '/'), Integer.parseInt(m.group(3)), m.group(5)));
    }
    Collections.sort(findings);
    return List.copyOf(findings);
  }

  /**
   * Reads a golden file: one {@code path:line: CheckName} a line; blank lines and lines starting
   * with {@code #} are comments.
   */
  public static List<Finding> readGolden(Path file) throws IOException {
    List<Finding> findings = new ArrayList<>();
    int number = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Finding f = Finding.parse(line);
      if (f == null) {
        throw new IllegalArgumentException(
            file + ":" + number + ": not 'path:line: CheckName': " + raw);
      }
      findings.add(f);
    }
    Collections.sort(findings);
    return List.copyOf(findings);
  }

  /**
   * Compares both ways, counting repeats: empty when equal, else a report of what the golden file
   * expects but javac did not print, and what javac printed but the golden file does not expect.
   */
  public static String compare(List<Finding> expected, List<Finding> actual) {
    Map<Finding, Integer> counts = new TreeMap<>();
    expected.forEach(f -> counts.merge(f, 1, Integer::sum));
    actual.forEach(f -> counts.merge(f, -1, Integer::sum));
    StringBuilder missing = new StringBuilder();
    StringBuilder unexpected = new StringBuilder();
    counts.forEach(
        (f, n) -> {
          for (int i = 0; i < Math.abs(n); i++) {
            (n > 0 ? missing : unexpected).append("\n  ").append(f);
          }
        });
    StringBuilder report = new StringBuilder();
    if (missing.length() > 0) {
      report.append("expected by the golden file but not reported:").append(missing).append('\n');
    }
    if (unexpected.length() > 0) {
      report.append("reported but not in the golden file:").append(unexpected).append('\n');
    }
    return report.toString();
  }

  /**
   * Copies a sample project (its pom, {@code .mvn/} and {@code src/}) to {@code work/builds/name}
   * so that the build, and any fix Error Prone applies in place, never touches the committed files.
   */
  public Path copyProject(Path project, String name) throws IOException {
    Path target = work.resolve("builds").resolve(name);
    deleteRecursively(target);
    Files.createDirectories(target);
    for (String part : List.of("pom.xml", ".mvn", "src")) {
      Path from = project.resolve(part);
      if (Files.exists(from)) {
        copyRecursively(from, target.resolve(part));
      }
    }
    return target;
  }

  /** The {@code .java} files (relative paths) whose text differs between two trees. */
  public static List<String> changedFiles(Path before, Path after) throws IOException {
    List<String> changed = new ArrayList<>();
    try (Stream<Path> files = Files.walk(before)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Path other = after.resolve(before.relativize(f).toString());
        if (!Files.exists(other) || !Files.readString(f).equals(Files.readString(other))) {
          changed.add(before.relativize(f).toString().replace('\\', '/'));
        }
      }
    }
    Collections.sort(changed);
    return changed;
  }

  /** The home of the JDK running this code. */
  public static Path currentJavaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  private static void install(Path group, String artifactId, Path pom, Path jar, Path work)
      throws IOException {
    Path dir = group.resolve(artifactId).resolve(CTX4J_VERSION);
    Files.createDirectories(dir);
    String base = artifactId + "-" + CTX4J_VERSION;
    Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Path file =
          Files.isDirectory(jar) ? jarUp(jar, work.resolve("jars").resolve(base + ".jar")) : jar;
      Files.copy(file, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** When the reactor hands over a classes directory (a run that stops before package), jar it. */
  private static Path jarUp(Path classes, Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        if (name.isEmpty()) {
          continue;
        }
        if (Files.isDirectory(f)) {
          out.putNextEntry(new JarEntry(name + "/"));
        } else {
          out.putNextEntry(new JarEntry(name));
          Files.copy(f, out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String settingsXml(Path seedRepo) {
    StringBuilder repos = new StringBuilder();
    StringBuilder pluginRepos = new StringBuilder();
    if (seedRepo != null && Files.isDirectory(seedRepo)) {
      String url = seedRepo.toAbsolutePath().normalize().toUri().toString();
      repos.append(repository("repository", "seed", url));
      pluginRepos.append(repository("pluginRepository", "seed", url));
    }
    String central = "https://repo.maven.apache.org/maven2";
    repos.append(repository("repository", "central", central));
    pluginRepos.append(repository("pluginRepository", "central", central));
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Written by org.ctx4j.testdata.RealBuild. The seed is the local repository of the build
             that runs the harness, read as a remote file:// repository; snapshots come only from the
             harness's own local repository (the just-built ctx4j artifacts). -->
        <settings>
          <profiles>
            <profile>
              <id>ctx4j-harness</id>
              <repositories>
        %s      </repositories>
              <pluginRepositories>
        %s      </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>ctx4j-harness</activeProfile>
          </activeProfiles>
        </settings>
        """
        .formatted(repos, pluginRepos);
  }

  private static String repository(String element, String id, String url) {
    return ("        <%1$s><id>%2$s</id><url>%3$s</url>"
            + "<releases><checksumPolicy>ignore</checksumPolicy></releases>"
            + "<snapshots><enabled>false</enabled></snapshots></%1$s>\n")
        .formatted(element, id, url);
  }

  static void copyRecursively(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (dir.getFileName().toString().equals("target") && !dir.equals(from)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Collections.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
