package org.ctx4j.checks.support;

import static com.google.common.truth.Truth.assertThat;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.errorprone.BaseErrorProneJavaCompiler;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.MethodInvocationTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The catch policy every check goes through: an exception inside a check is no finding, and with
 * {@code -XepOpt:Ctx4j:FailOnInternalError=true} a compile error naming the check, file, line and
 * exception. The test suites set the system property that turns the option on for every test
 * compilation; this class checks both ways of turning it on and what happens without them.
 */
final class InternalErrorsTest {

  /** Crashes on every call to a method named {@code boom}, through the shared guard. */
  @BugPattern(summary = "Crashes on purpose", severity = WARNING)
  public static final class CrashingCheck extends BugChecker
      implements MethodInvocationTreeMatcher {
    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      return InternalErrors.guard(
          this,
          tree,
          state,
          () -> {
            if (tree.getMethodSelect().toString().endsWith("boom")) {
              throw new IllegalStateException("a shape this check does not understand");
            }
            return Description.NO_MATCH;
          });
    }
  }

  private static final String SOURCE =
      String.join(
          "\n",
          "class Sample {",
          "  static void boom() {}",
          "  void run() {",
          "    boom();",
          "  }",
          "}",
          "");

  @Test
  void withoutTheOptionAnInternalErrorIsNoFinding() {
    String previous = System.clearProperty(InternalErrors.PROPERTY);
    try {
      assertThat(errors(compile(""))).isEmpty();
    } finally {
      restore(previous);
    }
  }

  @Test
  void theFlagTurnsAnInternalErrorIntoACompileErrorNamingCheckFileLineAndException() {
    String previous = System.clearProperty(InternalErrors.PROPERTY);
    try {
      List<Diagnostic<? extends JavaFileObject>> errors =
          errors(compile("-XepOpt:Ctx4j:FailOnInternalError=true"));
      assertEquals(1, errors.size(), errors.toString());
      Diagnostic<? extends JavaFileObject> error = errors.get(0);
      assertEquals(4, error.getLineNumber());
      String message = error.getMessage(Locale.ROOT);
      assertThat(message).contains("internal error in CrashingCheck");
      assertThat(message).contains("Sample.java:4");
      assertThat(message)
          .contains("java.lang.IllegalStateException: a shape this check does not understand");
      assertThat(message).contains("InternalErrorsTest");
    } finally {
      restore(previous);
    }
  }

  @Test
  void theSystemPropertyTurnsTheOptionOnForEveryCompilation() {
    String previous = System.setProperty(InternalErrors.PROPERTY, "true");
    try {
      assertThat(errors(compile(""))).hasSize(1);
    } finally {
      restore(previous);
    }
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(InternalErrors.PROPERTY);
    } else {
      System.setProperty(InternalErrors.PROPERTY, previous);
    }
  }

  private static List<Diagnostic<? extends JavaFileObject>> errors(
      DiagnosticCollector<JavaFileObject> diagnostics) {
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .collect(Collectors.toList());
  }

  private static String classes() {
    try {
      return Files.createTempDirectory("internal-errors").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DiagnosticCollector<JavaFileObject> compile(String extraFlags) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject source =
        new SimpleJavaFileObject(URI.create("string:///Sample.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return SOURCE;
          }
        };
    List<String> options = new ArrayList<>(List.of("-proc:none", "-d", classes()));
    if (!extraFlags.isEmpty()) {
      options.add(extraFlags);
    }
    // The check is not registered through ServiceLoader: Error Prone is given it directly.
    JavaCompiler.CompilationTask task =
        new BaseErrorProneJavaCompiler(ScannerSupplier.fromBugCheckerClasses(CrashingCheck.class))
            .getTask(null, null, diagnostics, options, null, List.of(source));
    task.call();
    return diagnostics;
  }
}
