package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.VariableTree;

/**
 * The base of every ctx4j check. Error Prone sees a ctx4j check only at the root of each file and
 * at its top-level classes; the check's matchers proper are the interfaces nested here, which
 * {@link ContextFileScan} calls, once per file, for the files that mention a context type (see
 * {@link ContextFreeFiles}). A file that does not, most of a build, costs a check one call per file
 * and one per class instead of one per tree of every kind it matches.
 *
 * <p>A check implements the nested interfaces of the tree kinds it needs, with the signatures of
 * Error Prone's {@code BugChecker.*TreeMatcher}, and reports by returning a {@link Description}, as
 * it would to Error Prone; the scan keeps Error Prone's order (a tree before its children) and its
 * suppression rules ({@code @SuppressWarnings} with any of the check's names, custom suppression
 * annotations, warnings in generated code).
 *
 * <p>Invariants: Error Prone calls {@link #matchCompilationUnit} of every enabled check for a file
 * before any {@link #matchClass} of that file, so at the first top-level class matched the checks
 * of the file are known, and one scan serves them all; a check instance serves one compilation at a
 * time.
 */
public abstract class ContextChecker extends BugChecker
    implements CompilationUnitTreeMatcher, ClassTreeMatcher {
  private static final long serialVersionUID = 1L;

  @Override
  public final Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    if (ContextFileScan.enlist(this, tree, state)) {
      startFile();
    }
    return Description.NO_MATCH;
  }

  @Override
  public final Description matchClass(ClassTree tree, VisitorState state) {
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          ContextFileScan.runOnce(state);
          return Description.NO_MATCH;
        });
  }

  /**
   * Called at the start of each file that mentions a context type, before any matcher, for a check
   * that keeps something per file.
   */
  protected void startFile() {}

  /** Error Prone's {@code MethodInvocationTreeMatcher}, called in files that mention contexts. */
  public interface MethodInvocationMatcher {
    Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state);
  }

  /** Error Prone's {@code NewClassTreeMatcher}, called in files that mention contexts. */
  public interface NewClassMatcher {
    Description matchNewClass(NewClassTree tree, VisitorState state);
  }

  /** Error Prone's {@code MethodTreeMatcher}, called in files that mention contexts. */
  public interface MethodMatcher {
    Description matchMethod(MethodTree tree, VisitorState state);
  }

  /** Error Prone's {@code LambdaExpressionTreeMatcher}, called in files that mention contexts. */
  public interface LambdaExpressionMatcher {
    Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state);
  }

  /** Error Prone's {@code VariableTreeMatcher}, called in files that mention contexts. */
  public interface VariableMatcher {
    Description matchVariable(VariableTree tree, VisitorState state);
  }

  /** Error Prone's {@code ReturnTreeMatcher}, called in files that mention contexts. */
  public interface ReturnMatcher {
    Description matchReturn(ReturnTree tree, VisitorState state);
  }

  /** Error Prone's {@code AssignmentTreeMatcher}, called in files that mention contexts. */
  public interface AssignmentMatcher {
    Description matchAssignment(AssignmentTree tree, VisitorState state);
  }
}
