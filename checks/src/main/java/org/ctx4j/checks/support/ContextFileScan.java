package org.ctx4j.checks.support;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.SuppressionInfo.SuppressedState;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.Scanner;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Name;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ctx4j.checks.support.ContextChecker.AssignmentMatcher;
import org.ctx4j.checks.support.ContextChecker.LambdaExpressionMatcher;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextChecker.MethodMatcher;
import org.ctx4j.checks.support.ContextChecker.NewClassMatcher;
import org.ctx4j.checks.support.ContextChecker.ReturnMatcher;
import org.ctx4j.checks.support.ContextChecker.VariableMatcher;

/**
 * One walk of a file that mentions a context type, calling the matchers of every ctx4j check
 * enabled for it (see {@link ContextChecker}): what Error Prone's own scan would do for them,
 * without the cost of asking every check at every tree of every file of the build.
 *
 * <p>How a file is handled: each check enabled for it {@linkplain #enlist enlists} when Error Prone
 * shows it the file's root, unless the file mentions no context type ({@link ContextFreeFiles}); at
 * the file's first top-level class, whichever check Error Prone shows it to {@linkplain #runOnce
 * runs} the walk for all of them, over the whole file. The walk is Error Prone's {@link Scanner},
 * so suppression is decided exactly as Error Prone decides it for its own matchers, per check and
 * per tree; a finding is reported through the state, with the check's own name and severity.
 *
 * <p>Invariants: a file is walked at most once per pass of Error Prone over it; the enlisted checks
 * and the file are remembered per compilation only until the next file.
 */
public final class ContextFileScan extends Scanner {
  /** The file being analysed, whether it needs a walk, and the checks enlisted for it. */
  private static final class Memo {
    CompilationUnitTree unit;
    boolean contextFree;
    boolean walked;
    final List<ContextChecker> checks = new ArrayList<>();
  }

  private static final PerCompilation<Memo> MEMO = PerCompilation.of(state -> new Memo());

  /**
   * Enlists {@code check} for the walk of {@code unit}: false when the file mentions no context
   * type (the check has nothing to do in it).
   */
  static boolean enlist(ContextChecker check, CompilationUnitTree unit, VisitorState state) {
    Memo memo = MEMO.get(state);
    if (memo.unit != unit || memo.walked) { // a new file, or a new pass over the same one
      memo.unit = unit;
      memo.walked = false;
      memo.checks.clear();
      memo.contextFree = ContextFreeFiles.isContextFree(unit, state);
    }
    if (memo.contextFree || memo.checks.contains(check)) {
      return false;
    }
    memo.checks.add(check);
    return true;
  }

  /** Walks the file of {@code state}'s path with its enlisted checks, unless that is done. */
  static void runOnce(VisitorState state) {
    Memo memo = MEMO.get(state);
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (memo.walked || memo.unit != unit || memo.checks.isEmpty()) {
      return;
    }
    memo.walked = true;
    List<ContextChecker> checks = List.copyOf(memo.checks);
    memo.checks.clear();
    TreePath root = new TreePath(unit);
    new ContextFileScan(checks, state).scan(root, state.withPath(root));
  }

  private final Map<String, SeverityLevel> severities;
  private final Set<Name> customSuppressions = new HashSet<>();
  private final ContextChecker[] invocations;
  private final ContextChecker[] newClasses;
  private final ContextChecker[] methods;
  private final ContextChecker[] lambdas;
  private final ContextChecker[] variables;
  private final ContextChecker[] returns;
  private final ContextChecker[] assignments;

  private ContextFileScan(List<ContextChecker> checks, VisitorState state) {
    this.severities = state.severityMap();
    for (ContextChecker check : checks) {
      for (Class<? extends Annotation> annotation : check.customSuppressionAnnotations()) {
        customSuppressions.add(state.getName(annotation.getName()));
      }
    }
    invocations = implementing(checks, MethodInvocationMatcher.class);
    newClasses = implementing(checks, NewClassMatcher.class);
    methods = implementing(checks, MethodMatcher.class);
    lambdas = implementing(checks, LambdaExpressionMatcher.class);
    variables = implementing(checks, VariableMatcher.class);
    returns = implementing(checks, ReturnMatcher.class);
    assignments = implementing(checks, AssignmentMatcher.class);
  }

  private static ContextChecker[] implementing(List<ContextChecker> checks, Class<?> matcher) {
    return checks.stream().filter(matcher::isInstance).toArray(ContextChecker[]::new);
  }

  /** One check's matcher for the tree being visited. */
  private interface Match {
    Description apply(ContextChecker check, VisitorState state);
  }

  /** Calls each of {@code checks} not suppressed here, reporting what it finds. */
  private void match(ContextChecker[] checks, VisitorState state, Match match) {
    if (checks.length == 0) {
      return;
    }
    VisitorState here = state.withPath(getCurrentPath());
    for (ContextChecker check : checks) {
      if (isSuppressed(check, here.errorProneOptions(), here) == SuppressedState.UNSUPPRESSED) {
        here.reportMatch(match.apply(check, here));
      }
    }
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    match(
        invocations,
        state,
        (check, s) -> ((MethodInvocationMatcher) check).matchMethodInvocation(tree, s));
    return super.visitMethodInvocation(tree, state);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, VisitorState state) {
    match(newClasses, state, (check, s) -> ((NewClassMatcher) check).matchNewClass(tree, s));
    return super.visitNewClass(tree, state);
  }

  @Override
  public Void visitMethod(MethodTree tree, VisitorState state) {
    match(methods, state, (check, s) -> ((MethodMatcher) check).matchMethod(tree, s));
    return super.visitMethod(tree, state);
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    match(
        lambdas,
        state,
        (check, s) -> ((LambdaExpressionMatcher) check).matchLambdaExpression(tree, s));
    return super.visitLambdaExpression(tree, state);
  }

  @Override
  public Void visitVariable(VariableTree tree, VisitorState state) {
    match(variables, state, (check, s) -> ((VariableMatcher) check).matchVariable(tree, s));
    return super.visitVariable(tree, state);
  }

  @Override
  public Void visitReturn(ReturnTree tree, VisitorState state) {
    match(returns, state, (check, s) -> ((ReturnMatcher) check).matchReturn(tree, s));
    return super.visitReturn(tree, state);
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, VisitorState state) {
    match(assignments, state, (check, s) -> ((AssignmentMatcher) check).matchAssignment(tree, s));
    return super.visitAssignment(tree, state);
  }

  /** The severities Error Prone runs the checks with: warnings in generated code depend on them. */
  @Override
  public Map<String, SeverityLevel> severityMap() {
    return severities;
  }

  @Override
  protected Set<? extends Name> getCustomSuppressionAnnotations(VisitorState state) {
    return customSuppressions;
  }
}
