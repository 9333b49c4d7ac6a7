package org.ctx4j.vet;

import com.google.errorprone.BugCheckerInfo;
import java.io.Console;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ctx4j-vet}: the ctx4j checks over Java sources, without a change to their build (Go's
 * {@code go vet ./...}).
 *
 * <pre>
 * ctx4j-vet [--classpath CP] [--release N] [--checks A,B] [--sarif FILE] [--fix] PATH...
 * </pre>
 *
 * <p>Prints one line per finding, {@code path:line:column: [Check] message}, then {@code N findings
 * in M files (K files checked)}. Exit status: 0 no finding, 1 findings, 2 bad usage or sources that
 * do not compile (or an internal error). See docs/vet.md.
 */
@Command(
    name = "ctx4j-vet",
    mixinStandardHelpOptions = true,
    versionProvider = Vet.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs the ctx4j checks (Go's context conventions) over Java sources, without a change to"
          + " their build.",
      "Prints one line per finding, then a summary. Exit status: 0 no finding, 1 findings, 2 bad"
          + " usage or sources that do not compile."
    })
public final class Vet implements Callable<Integer> {
  /** Exit status: no finding. */
  public static final int CLEAN = 0;

  /** Exit status: findings. */
  public static final int FINDINGS = 1;

  /** Exit status: bad usage, sources that do not compile, or an internal error. */
  public static final int TROUBLE = 2;

  @Option(
      names = {"--classpath", "-cp", "--class-path"},
      paramLabel = "CP",
      description =
          "What the sources compile against (entries separated by the platform's path separator)."
              + " Default: for a Maven project, what Maven reports; else nothing but the ctx4j"
              + " runtime, which is added when the class path does not hold it.")
  private String classpath;

  @Option(
      names = "--release",
      paramLabel = "N",
      description = "Compile for this Java release (javac's --release). Default: javac's.")
  private String release;

  @Option(
      names = "--checks",
      paramLabel = "A,B",
      split = ",",
      description = "Run only these checks (default: every ctx4j check, each at its severity).")
  private List<String> checks = new ArrayList<>();

  @Option(
      names = "--sarif",
      paramLabel = "FILE",
      description = "Also write the findings as SARIF 2.1.0 (for code scanning) to FILE.")
  private Path sarif;

  @Option(
      names = "--fix",
      description =
          "Apply the suggested fixes in place (the first of each finding, as Error Prone's patch"
              + " mode does) and report what changed.")
  private boolean fix;

  @Option(names = "--verbose", description = "On an internal error, print its stack trace.")
  private boolean verbose;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description =
          "Java files, directories (searched for *.java), or project directories: a Maven project"
              + " (pom.xml: its src/main/java, against the class path Maven reports), a Gradle"
              + " project (build.gradle: its src/main/java, against --classpath).")
  private List<String> paths = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  private Vet(PrintStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err, onTerminal(), args));
  }

  /**
   * Whether this JVM writes to a terminal: a console exists (JDK 17 to 21) and, from JDK 22 on,
   * where a console exists even when output is redirected, {@code Console.isTerminal()} says so.
   */
  @SuppressWarnings("SystemConsoleNull") // isTerminal() is asked too, where the JDK has it.
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Runs the command line, writing findings to {@code out} and errors (and, when {@code terminal},
   * a progress line) to {@code err}; returns the exit status.
   */
  public static int run(PrintStream out, PrintStream err, boolean terminal, String... args) {
    Vet vet = new Vet(out, err, terminal);
    CommandLine line = new CommandLine(vet);
    line.setOut(new PrintWriter(new OutputStreamWriter(out, Charset.defaultCharset()), true));
    line.setErr(new PrintWriter(new OutputStreamWriter(err, Charset.defaultCharset()), true));
    line.setParameterExceptionHandler(
        (e, a) -> {
          err.println("ctx4j-vet: " + e.getMessage());
          err.println("usage: " + usage() + " (ctx4j-vet --help for more)");
          return TROUBLE;
        });
    line.setExecutionExceptionHandler(
        (e, l, parsed) -> {
          if (e instanceof UsageException) {
            err.println("ctx4j-vet: " + e.getMessage());
          } else {
            err.println(
                "ctx4j-vet: internal error: "
                    + e
                    + (vet.verbose ? "" : " (rerun with --verbose for the stack trace)"));
            if (vet.verbose) {
              e.printStackTrace(err);
            }
          }
          return TROUBLE;
        });
    return line.execute(args);
  }

  private static String usage() {
    return "ctx4j-vet [--classpath CP] [--release N] [--checks A,B] [--sarif FILE] [--fix] PATH...";
  }

  @Override
  public Integer call() throws Exception {
    Map<String, BugCheckerInfo> selected = Checks.select(checks);
    Inputs inputs = Inputs.resolve(paths, classpath);
    List<Path> compileClasspath = new ArrayList<>(inputs.classpath);
    if (!RuntimeJar.onClasspath(compileClasspath)) {
      compileClasspath.add(RuntimeJar.locate());
    }
    Path cwd = Path.of("").toAbsolutePath();
    Analysis.Outcome outcome =
        Analysis.run(
            new Analysis.Request(
                inputs.sources,
                compileClasspath,
                inputs.sourcepath,
                release,
                selected.values(),
                fix,
                terminal ? new Progress(err) : null));
    if (!outcome.compilerErrors().isEmpty()) {
      int count = outcome.compilerErrors().size();
      err.println(
          "ctx4j-vet: the sources do not compile ("
              + plural(count, "error")
              + "); fix them, or pass the class path they need with --classpath:");
      for (Analysis.CompilerError error : outcome.compilerErrors()) {
        String where =
            error.file() == null
                ? ""
                : display(error.file(), cwd) + ":" + error.line() + ":" + error.column() + ": ";
        err.println(where + "error: " + error.message());
      }
      return TROUBLE;
    }
    List<Finding> findings = outcome.findings();
    Set<Path> withFindings = new LinkedHashSet<>();
    for (Finding finding : findings) {
      withFindings.add(finding.file());
      out.println(
          display(finding.file(), cwd)
              + ":"
              + finding.line()
              + ":"
              + finding.column()
              + ": ["
              + finding.check()
              + "] "
              + finding.message());
    }
    if (sarif != null) {
      try {
        Sarif.write(sarif, selected.values(), findings, cwd);
      } catch (IOException e) {
        throw new UsageException("cannot write the SARIF file " + sarif + ": " + e);
      }
    }
    out.println(
        plural(findings.size(), "finding")
            + " in "
            + plural(withFindings.size(), "file")
            + " ("
            + plural(inputs.sources.size(), "file")
            + " checked)");
    int left = findings.size();
    if (fix) {
      Fixes.Report report = Fixes.apply(outcome.described());
      for (Fixes.Located at : report.applied()) {
        out.println("fixed " + located(at, cwd));
      }
      for (Fixes.Located at : report.skipped()) {
        out.println("not fixed (overlaps another fix; rerun --fix): " + located(at, cwd));
      }
      out.println(
          "applied "
              + plural(report.applied().size(), "fix")
              + " in "
              + plural(report.files().size(), "file")
              + "; "
              + plural(findings.size() - report.applied().size(), "finding")
              + " left to fix by hand or by another run");
      left -= report.applied().size();
    }
    return left == 0 ? CLEAN : FINDINGS;
  }

  private static String located(Fixes.Located at, Path cwd) {
    return display(at.file(), cwd) + ":" + at.line() + ":" + at.column() + ": [" + at.check() + "]";
  }

  /** The path relative to the current directory when under it, else as it is. */
  static String display(Path file, Path cwd) {
    return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
  }

  private static String plural(int count, String noun) {
    String plural = noun.endsWith("x") ? noun + "es" : noun + "s";
    return count + " " + (count == 1 ? noun : plural);
  }

  /** The version line: vet's and the Error Prone it runs. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "ctx4j-vet "
            + Version.VET
            + " (Error Prone "
            + Version.ERROR_PRONE
            + ", Java "
            + Runtime.version()
            + ")"
      };
    }
  }
}
