package org.ctx4j.compiletime;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import java.util.List;

/**
 * The floor of the ten ctx4j checks: one no-op check per ctx4j check, each matching what Error
 * Prone shows a ctx4j check (each file and each class; the checks' own matchers run in their one
 * walk of the files that mention a context) and returning at once. What they cost against "every
 * check off" is Error Prone's own work for ten enabled checks of that shape, which the ctx4j checks
 * pay too whatever they do; {@code CompileBenchmark} runs them as configuration {@code F10}, and B
 * against F10 is the cost of the ctx4j checks' own work.
 */
final class MirrorChecks {
  private MirrorChecks() {}

  /** Every mirror, for the scanner and for the configuration's flags. */
  static final List<Class<? extends BugChecker>> ALL =
      List.of(
          LostCancelMirror.class,
          NullContextMirror.class,
          ContextKeyNotPrivateMirror.class,
          BlockingCallIgnoresContextMirror.class,
          ContextInFieldMirror.class,
          ContextNotFirstParameterMirror.class,
          ContextParameterNameMirror.class,
          ContextNotInheritedMirror.class,
          ContextDerivedInLoopMirror.class,
          TaskContextIgnoredMirror.class);

  /** Matches files and classes, returning at once. */
  abstract static class Mirror extends BugChecker
      implements CompilationUnitTreeMatcher, ClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    @Override
    public Description matchClass(ClassTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }
  }

  @BugPattern(summary = "Matches what LostCancel matches, finds nothing", severity = WARNING)
  public static final class LostCancelMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(summary = "Matches what NullContext matches, finds nothing", severity = WARNING)
  public static final class NullContextMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextKeyNotPrivate matches, finds nothing",
      severity = WARNING)
  public static final class ContextKeyNotPrivateMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what BlockingCallIgnoresContext matches, finds nothing",
      severity = WARNING)
  public static final class BlockingCallIgnoresContextMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(summary = "Matches what ContextInField matches, finds nothing", severity = WARNING)
  public static final class ContextInFieldMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextNotFirstParameter matches, finds nothing",
      severity = WARNING)
  public static final class ContextNotFirstParameterMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextParameterName matches, finds nothing",
      severity = WARNING)
  public static final class ContextParameterNameMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextNotInherited matches, finds nothing",
      severity = WARNING)
  public static final class ContextNotInheritedMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextDerivedInLoop matches, finds nothing",
      severity = WARNING)
  public static final class ContextDerivedInLoopMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what TaskContextIgnored matches, finds nothing",
      severity = WARNING)
  public static final class TaskContextIgnoredMirror extends Mirror {
    private static final long serialVersionUID = 1L;
  }
}
