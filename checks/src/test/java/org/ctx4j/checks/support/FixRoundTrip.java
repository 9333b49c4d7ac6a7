package org.ctx4j.checks.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.FixChooser;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * {@link BugCheckerRefactoringTestHelper}, plus the step users take after a bulk fix run: compile
 * the result. {@link #doTest} first runs the helper (the fix gives exactly the expected output),
 * then compiles every expected output, with the inputs that have none, using plain javac against
 * the test class path (the real ctx4j runtime), and fails on any error. So every fix shape a
 * replacement test knows is proven to compile once applied, as {@code -XepPatchChecks} would leave
 * it. Used in place of the helper: {@code FixRoundTrip.newInstance(Check.class, getClass())}, the
 * same chained calls.
 */
public final class FixRoundTrip {
  private final BugCheckerRefactoringTestHelper helper;
  private final Map<String, String> inputs = new LinkedHashMap<>();
  private final Map<String, String> outputs = new LinkedHashMap<>();

  private FixRoundTrip(BugCheckerRefactoringTestHelper helper) {
    this.helper = helper;
  }

  /** The refactoring test of {@code checker}, resources found relative to {@code clazz}. */
  public static FixRoundTrip newInstance(Class<? extends BugChecker> checker, Class<?> clazz) {
    return new FixRoundTrip(BugCheckerRefactoringTestHelper.newInstance(checker, clazz));
  }

  /** A source file the check is run on. */
  public Input addInputLines(String path, String... lines) {
    inputs.put(path, String.join("\n", lines));
    return new Input(helper.addInputLines(path, lines), path);
  }

  /** Which of a finding's fixes is applied (the first by default). */
  public FixRoundTrip setFixChooser(FixChooser chooser) {
    helper.setFixChooser(chooser);
    return this;
  }

  /** Extra compiler arguments for the check's run (not for the recompilation). */
  public FixRoundTrip setArgs(String... args) {
    helper.setArgs(args);
    return this;
  }

  /** Runs the refactoring test, then compiles its result. */
  public void doTest() {
    helper.doTest();
    compileResult();
  }

  /** Runs the refactoring test in {@code mode}, then compiles its result. */
  public void doTest(TestMode mode) {
    helper.doTest(mode);
    compileResult();
  }

  /** The expected output of one input file. */
  public final class Input {
    private final BugCheckerRefactoringTestHelper.ExpectOutput expect;
    private final String path;

    private Input(BugCheckerRefactoringTestHelper.ExpectOutput expect, String path) {
      this.expect = expect;
      this.path = path;
    }

    /** What the fix must turn the input into. */
    public FixRoundTrip addOutputLines(String outputPath, String... lines) {
      outputs.put(path, String.join("\n", lines));
      expect.addOutputLines(outputPath, lines);
      return FixRoundTrip.this;
    }

    /** The fix leaves the input as it is (or there is no fix). */
    public FixRoundTrip expectUnchanged() {
      expect.expectUnchanged();
      return FixRoundTrip.this;
    }
  }

  private void compileResult() {
    if (outputs.isEmpty()) {
      return; // nothing changed: the helper compiled the inputs already
    }
    List<JavaFileObject> sources = new ArrayList<>();
    inputs.forEach((path, text) -> sources.add(new Source(path, outputs.getOrDefault(path, text))));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path classes;
    try {
      classes = Files.createTempDirectory("fix-round-trip");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      List<String> options =
          List.of(
              "-d",
              classes.toString(),
              "-cp",
              System.getProperty("java.class.path"),
              "-proc:none",
              "-nowarn",
              "-Xlint:none");
      Boolean ok =
          javac.getTask(new StringWriter(), files, diagnostics, options, null, sources).call();
      List<Diagnostic<? extends JavaFileObject>> errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .toList();
      if (!Boolean.TRUE.equals(ok) || !errors.isEmpty()) {
        fail(
            "the fixed code does not compile:\n"
                + errors.stream()
                    .map(
                        d ->
                            d.getSource().getName()
                                + ":"
                                + d.getLineNumber()
                                + ": "
                                + d.getMessage(null))
                    .collect(Collectors.joining("\n"))
                + "\n--- fixed sources ---\n"
                + String.join("\n", outputs.values()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(classes);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a temporary directory: the OS cleans up what is left
                }
              });
    } catch (IOException e) {
      // same
    }
  }

  /** A source file held in memory, named by its path (javac checks public class names). */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String path, String text) {
      super(URI.create("string:///" + path.replace('\\', '/')), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
