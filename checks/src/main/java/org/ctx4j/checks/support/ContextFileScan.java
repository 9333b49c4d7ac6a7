package org.ctx4j.checks.support;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.SuppressionInfo;
import com.google.errorprone.SuppressionInfo.SuppressedState;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.util.Name;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
 * runs} the walk for all of them, over the whole file. Suppression is decided with Error Prone's
 * own {@link SuppressionInfo}, as Error Prone decides it for its own matchers, per check and per
 * tree; a finding is reported through the state, with the check's own name and severity.
 *
 * <p>Invariants: a file is walked at most once per pass of Error Prone over it; the enlisted checks
 * and the file are remembered per compilation only until the next file.
 */
public final class ContextFileScan extends TreePathScanner<Void, Void> {
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
    new ContextFileScan(checks, state.withPath(root)).scan(root, null);
  }

  private final VisitorState state;
  private final ContextChecker[] checks;

  /** Per check: whether it is suppressed in generated code (Error Prone's rule for warnings). */
  private final boolean[] quietInGeneratedCode;

  private final Set<Name> customSuppressions = new HashSet<>();

  /** The suppression signals of the declarations around the current tree. */
  private SuppressionInfo suppressions;

  /** Per check: whether it is suppressed at the current tree; follows {@link #suppressions}. */
  private final boolean[] suppressed;

  private final int[] invocations;
  private final int[] newClasses;
  private final int[] methods;
  private final int[] lambdas;
  private final int[] variables;
  private final int[] returns;
  private final int[] assignments;

  private ContextFileScan(List<ContextChecker> enlisted, VisitorState state) {
    this.state = state;
    this.checks = enlisted.toArray(ContextChecker[]::new);
    quietInGeneratedCode = new boolean[checks.length];
    suppressed = new boolean[checks.length];
    boolean generatedQuiet = state.errorProneOptions().disableWarningsInGeneratedCode();
    for (int i = 0; i < checks.length; i++) {
      ContextChecker check = checks[i];
      quietInGeneratedCode[i] =
          generatedQuiet && state.severityMap().get(check.canonicalName()) != SeverityLevel.ERROR;
      for (Class<? extends Annotation> annotation : check.customSuppressionAnnotations()) {
        customSuppressions.add(state.getName(annotation.getName()));
      }
    }
    invocations = implementing(MethodInvocationMatcher.class);
    newClasses = implementing(NewClassMatcher.class);
    methods = implementing(MethodMatcher.class);
    lambdas = implementing(LambdaExpressionMatcher.class);
    variables = implementing(VariableMatcher.class);
    returns = implementing(ReturnMatcher.class);
    assignments = implementing(AssignmentMatcher.class);
    suppressions =
        SuppressionInfo.EMPTY.forCompilationUnit(state.getPath().getCompilationUnit(), state);
    suppressionsChanged();
  }

  /** The indices of the checks that implement {@code matcher}. */
  private int[] implementing(Class<?> matcher) {
    return IntStream.range(0, checks.length).filter(i -> matcher.isInstance(checks[i])).toArray();
  }

  private void suppressionsChanged() {
    for (int i = 0; i < checks.length; i++) {
      suppressed[i] =
          suppressions.suppressedState(checks[i], quietInGeneratedCode[i], state)
              == SuppressedState.SUPPRESSED;
    }
  }

  /**
   * Follows Error Prone's suppression rules: the signals of each declaration (its
   * {@code @SuppressWarnings}, custom suppression annotations, generated-code annotations) hold for
   * the trees inside it. A declaration without annotations adds none, so only annotated ones are
   * looked at.
   */
  @Override
  public Void scan(Tree tree, Void unused) {
    if (tree == null) {
      return null;
    }
    SuppressionInfo outside = suppressions;
    if (hasAnnotations(tree)) {
      Symbol symbol = ASTHelpers.getDeclaredSymbol(tree);
      if (symbol != null) {
        suppressions = suppressions.withExtendedSuppressions(symbol, state, customSuppressions);
        if (suppressions != outside) {
          suppressionsChanged();
        }
      }
    }
    try {
      return super.scan(tree, null);
    } finally {
      if (suppressions != outside) {
        suppressions = outside;
        suppressionsChanged();
      }
    }
  }

  private static boolean hasAnnotations(Tree tree) {
    ModifiersTree modifiers;
    if (tree instanceof VariableTree variable) {
      modifiers = variable.getModifiers();
    } else if (tree instanceof MethodTree method) {
      modifiers = method.getModifiers();
    } else if (tree instanceof ClassTree type) {
      modifiers = type.getModifiers();
    } else {
      return false;
    }
    return modifiers != null && !modifiers.getAnnotations().isEmpty();
  }

  private VisitorState here() {
    return state.withPath(getCurrentPath());
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    if (invocations.length > 0) {
      VisitorState here = here();
      for (int i : invocations) {
        if (!suppressed[i]) {
          here.reportMatch(((MethodInvocationMatcher) checks[i]).matchMethodInvocation(tree, here));
        }
      }
    }
    return super.visitMethodInvocation(tree, null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    if (newClasses.length > 0) {
      VisitorState here = here();
      for (int i : newClasses) {
        if (!suppressed[i]) {
          here.reportMatch(((NewClassMatcher) checks[i]).matchNewClass(tree, here));
        }
      }
    }
    return super.visitNewClass(tree, null);
  }

  @Override
  public Void visitMethod(MethodTree tree, Void unused) {
    if (methods.length > 0) {
      VisitorState here = here();
      for (int i : methods) {
        if (!suppressed[i]) {
          here.reportMatch(((MethodMatcher) checks[i]).matchMethod(tree, here));
        }
      }
    }
    return super.visitMethod(tree, null);
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    if (lambdas.length > 0) {
      VisitorState here = here();
      for (int i : lambdas) {
        if (!suppressed[i]) {
          here.reportMatch(((LambdaExpressionMatcher) checks[i]).matchLambdaExpression(tree, here));
        }
      }
    }
    return super.visitLambdaExpression(tree, null);
  }

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    if (variables.length > 0) {
      VisitorState here = here();
      for (int i : variables) {
        if (!suppressed[i]) {
          here.reportMatch(((VariableMatcher) checks[i]).matchVariable(tree, here));
        }
      }
    }
    return super.visitVariable(tree, null);
  }

  @Override
  public Void visitReturn(ReturnTree tree, Void unused) {
    if (returns.length > 0) {
      VisitorState here = here();
      for (int i : returns) {
        if (!suppressed[i]) {
          here.reportMatch(((ReturnMatcher) checks[i]).matchReturn(tree, here));
        }
      }
    }
    return super.visitReturn(tree, null);
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    if (assignments.length > 0) {
      VisitorState here = here();
      for (int i : assignments) {
        if (!suppressed[i]) {
          here.reportMatch(((AssignmentMatcher) checks[i]).matchAssignment(tree, here));
        }
      }
    }
    return super.visitAssignment(tree, null);
  }
}
