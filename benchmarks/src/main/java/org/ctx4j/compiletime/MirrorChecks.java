package org.ctx4j.compiletime;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.AssignmentTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.ReturnTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.VariableTree;
import java.util.List;

/**
 * The floor of the ten ctx4j checks: one no-op check per ctx4j check, each matching exactly the
 * kinds of trees its ctx4j check matches and returning at once. What they cost against "every check
 * off" is Error Prone's own work for that many enabled matchers on those trees (suppression state,
 * a timing span, a {@code VisitorState} per call), which the ctx4j checks pay too whatever they do;
 * {@code CompileBenchmark} runs them as configuration {@code F10}.
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

  /** Every matcher method, returning at once; a mirror implements the interfaces it needs. */
  abstract static class Mirror extends BugChecker {
    private static final long serialVersionUID = 1L;

    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchMethod(MethodTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchVariable(VariableTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchReturn(ReturnTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }

    public Description matchAssignment(AssignmentTree tree, VisitorState state) {
      return Description.NO_MATCH;
    }
  }

  @BugPattern(summary = "Matches what LostCancel matches, finds nothing", severity = WARNING)
  public static final class LostCancelMirror extends Mirror
      implements CompilationUnitTreeMatcher,
          MethodTreeMatcher,
          LambdaExpressionTreeMatcher,
          MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(summary = "Matches what NullContext matches, finds nothing", severity = WARNING)
  public static final class NullContextMirror extends Mirror
      implements CompilationUnitTreeMatcher,
          MethodInvocationTreeMatcher,
          NewClassTreeMatcher,
          ReturnTreeMatcher,
          LambdaExpressionTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextKeyNotPrivate matches, finds nothing",
      severity = WARNING)
  public static final class ContextKeyNotPrivateMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodInvocationTreeMatcher, VariableTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what BlockingCallIgnoresContext matches, finds nothing",
      severity = WARNING)
  public static final class BlockingCallIgnoresContextMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(summary = "Matches what ContextInField matches, finds nothing", severity = WARNING)
  public static final class ContextInFieldMirror extends Mirror
      implements CompilationUnitTreeMatcher, VariableTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextNotFirstParameter matches, finds nothing",
      severity = WARNING)
  public static final class ContextNotFirstParameterMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextParameterName matches, finds nothing",
      severity = WARNING)
  public static final class ContextParameterNameMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextNotInherited matches, finds nothing",
      severity = WARNING)
  public static final class ContextNotInheritedMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what ContextDerivedInLoop matches, finds nothing",
      severity = WARNING)
  public static final class ContextDerivedInLoopMirror extends Mirror
      implements CompilationUnitTreeMatcher, AssignmentTreeMatcher {
    private static final long serialVersionUID = 1L;
  }

  @BugPattern(
      summary = "Matches what TaskContextIgnored matches, finds nothing",
      severity = WARNING)
  public static final class TaskContextIgnoredMirror extends Mirror
      implements CompilationUnitTreeMatcher, MethodInvocationTreeMatcher, NewClassTreeMatcher {
    private static final long serialVersionUID = 1L;
  }
}
