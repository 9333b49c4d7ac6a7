package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.JCDiagnostic;
import com.sun.tools.javac.util.Log;
import java.util.function.Supplier;
import javax.tools.JavaFileObject;

/**
 * The one catch policy of every ctx4j check: an exception inside a check (a tree shape it does not
 * understand, a broken invariant reported by javac or the dataflow library, a graph too deep for
 * the dataflow library's recursion) means "no finding", so that a check never breaks a user's
 * compilation.
 *
 * <p>With {@code -XepOpt:Ctx4j:FailOnInternalError=true} the same exception becomes a compile error
 * that names the check, the file and line, and the exception, so that tests (and users who want to
 * report a crash) can tell "handled" from "crashed". The JVM system property {@code
 * ctx4j.failOnInternalError=true} does the same for every compilation in that JVM; the project's
 * own test suites set it, so that every test compilation runs with the option on.
 */
public final class InternalErrors {
  /** The Error Prone flag, {@code -XepOpt:Ctx4j:FailOnInternalError=true}. */
  static final String FLAG = "Ctx4j:FailOnInternalError";

  /** The system property that turns the flag on for every compilation of a JVM (test suites). */
  static final String PROPERTY = "ctx4j.failOnInternalError";

  private static final int FRAMES = 8;

  private InternalErrors() {}

  /**
   * Runs one check's analysis of {@code tree}; an exception it throws means no finding, or a
   * compile error under the flag.
   */
  public static Description guard(
      BugChecker check, Tree tree, VisitorState state, Supplier<Description> analysis) {
    try {
      Description description = analysis.get();
      return description == null ? Description.NO_MATCH : description;
    } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
      report(check, tree, state, e);
      return Description.NO_MATCH;
    }
  }

  /**
   * Runs a part of an analysis that has a fallback of its own (a fix that cannot be built is no
   * fix, the finding stays); an exception gives {@code fallback}, or a compile error under the
   * flag.
   */
  public static <T> T orElse(
      BugChecker check, Tree tree, VisitorState state, Supplier<T> part, T fallback) {
    try {
      return part.get();
    } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
      report(check, tree, state, e);
      return fallback;
    }
  }

  /** Whether swallowed exceptions are reported as compile errors in this compilation. */
  static boolean failOnInternalError(VisitorState state) {
    if (Boolean.getBoolean(PROPERTY)) {
      return true;
    }
    try {
      return state.errorProneOptions().getFlags().getBoolean(FLAG).orElse(false);
    } catch (RuntimeException e) {
      return false; // a malformed value: the option is off, as for any unknown flag value
    }
  }

  /** Under the flag, reports {@code e}, thrown by {@code check} while analysing {@code tree}. */
  static void report(BugChecker check, Tree tree, VisitorState state, Throwable e) {
    if (!failOnInternalError(state)) {
      return;
    }
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    JavaFileObject source = unit.getSourceFile();
    long line =
        tree instanceof JCTree jCTree
            ? unit.getLineMap().getLineNumber(jCTree.getStartPosition())
            : 0;
    String message =
        "[ctx4j] internal error in "
            + check.canonicalName()
            + " at "
            + source.getName()
            + ":"
            + line
            + ": "
            + describe(e)
            + "\n  Without -XepOpt:"
            + FLAG
            + "=true the check reports nothing here. Please report this, with the code around"
            + " that line, at https://github.com/ctx4j/ctx4j/issues";
    Log log = Log.instance(state.context);
    JavaFileObject previous = log.useSource(source);
    try {
      log.error(
          tree instanceof JCTree jCTree ? jCTree : null,
          new JCDiagnostic.Error("compiler", "proc.messager", message));
    } finally {
      log.useSource(previous);
    }
  }

  /** The exception and the first frames of its stack, enough to find the failing line. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    StackTraceElement[] stack = e.getStackTrace();
    for (int i = 0; i < Math.min(FRAMES, stack.length); i++) {
      text.append("\n\tat ").append(stack[i]);
    }
    return text.toString();
  }
}
