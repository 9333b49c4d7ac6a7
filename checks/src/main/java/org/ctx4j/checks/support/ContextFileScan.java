package org.ctx4j.checks.support;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.SuppressionInfo;
import com.google.errorprone.SuppressionInfo.SuppressedState;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.util.Context;
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
 * and the file are remembered in the compilation's own context, only until the next file.
 */
public final class ContextFileScan extends TreePathScanner<Void, Void> {
  /** The file being analysed, whether it needs a walk, and the checks enlisted for it. */
  private static final class Memo {
    CompilationUnitTree unit;
    boolean contextFree;
    boolean walked;
    final List<ContextChecker> checks = new ArrayList<>();
    Dispatch dispatch;
  }

  /**
   * Where a compilation keeps its memo: in the compilation's own context, which lives exactly as
   * long as the compilation and is never shared with another one (a cache that may be dropped or
   * replaced, as {@link PerCompilation} is, would lose the checks enlisted for a file).
   */
  private static final Context.Key<Memo> MEMO = new Context.Key<>();

  private static Memo memo(VisitorState state) {
    Memo memo = state.context.get(MEMO);
    if (memo == null) {
      memo = new Memo();
      state.context.put(MEMO, memo);
    }
    return memo;
  }

  /**
   * Enlists {@code check} for the walk of {@code unit}: false when the file mentions no context
   * type (the check has nothing to do in it).
   */
  static boolean enlist(ContextChecker check, CompilationUnitTree unit, VisitorState state) {
    Memo memo = memo(state);
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
    Memo memo = memo(state);
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (memo.walked || memo.unit != unit || memo.checks.isEmpty()) {
      return;
    }
    memo.walked = true;
    if (memo.dispatch == null || !memo.dispatch.checks.equals(memo.checks)) {
      memo.dispatch = new Dispatch(List.copyOf(memo.checks), state);
    }
    memo.checks.clear();
    TreePath root = new TreePath(unit);
    new ContextFileScan(memo.dispatch, state.withPath(root)).scan(root, null);
  }

  /**
   * The enlisted checks and, per kind of tree, which of them match it; the same for most files of a
   * compilation, so made again only when the enlisted checks change.
   */
  private static final class Dispatch {
    final List<ContextChecker> checks;
    final ContextChecker[] all;

    /** Per check: whether it is suppressed in generated code (Error Prone's rule for warnings). */
    final boolean[] quietInGeneratedCode;

    final Set<Name> customSuppressions = new HashSet<>();
    final int[] invocations;
    final int[] newClasses;
    final int[] methods;
    final int[] lambdas;
    final int[] variables;
    final int[] returns;
    final int[] assignments;

    Dispatch(List<ContextChecker> checks, VisitorState state) {
      this.checks = checks;
      all = checks.toArray(ContextChecker[]::new);
      quietInGeneratedCode = new boolean[all.length];
      boolean generatedQuiet = state.errorProneOptions().disableWarningsInGeneratedCode();
      for (int i = 0; i < all.length; i++) {
        ContextChecker check = all[i];
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
    }

    /** The indices of the checks that implement {@code matcher}. */
    private int[] implementing(Class<?> matcher) {
      return IntStream.range(0, all.length).filter(i -> matcher.isInstance(all[i])).toArray();
    }
  }

  private final VisitorState state;
  private final Dispatch dispatch;
  private final ContextChecker[] checks;

  /** The suppression signals of the declarations around the current tree. */
  private SuppressionInfo suppressions;

  /** Per check: whether it is suppressed at the current tree; follows {@link #suppressions}. */
  private final boolean[] suppressed;

  private ContextFileScan(Dispatch dispatch, VisitorState state) {
    this.state = state;
    this.dispatch = dispatch;
    this.checks = dispatch.all;
    suppressed = new boolean[checks.length];
    suppressions =
        SuppressionInfo.EMPTY.forCompilationUnit(state.getPath().getCompilationUnit(), state);
    suppressionsChanged();
  }

  private void suppressionsChanged() {
    for (int i = 0; i < checks.length; i++) {
      suppressed[i] =
          suppressions.suppressedState(checks[i], dispatch.quietInGeneratedCode[i], state)
              == SuppressedState.SUPPRESSED;
    }
  }

  /**
   * Follows Error Prone's suppression rules on entering a declaration: its signals (its {@code
   * SuppressWarnings}, custom suppression annotations, generated-code annotations) hold for the
   * trees inside it. A declaration without annotations adds none, so only annotated ones are looked
   * at. Returns the signals outside it, for {@link #leave}.
   */
  private SuppressionInfo enter(Tree declaration, ModifiersTree modifiers) {
    SuppressionInfo outside = suppressions;
    if (modifiers != null && !modifiers.getAnnotations().isEmpty()) {
      Symbol symbol = ASTHelpers.getDeclaredSymbol(declaration);
      if (symbol != null) {
        suppressions =
            suppressions.withExtendedSuppressions(symbol, state, dispatch.customSuppressions);
        if (suppressions != outside) {
          suppressionsChanged();
        }
      }
    }
    return outside;
  }

  private void leave(SuppressionInfo outside) {
    if (suppressions != outside) {
      suppressions = outside;
      suppressionsChanged();
    }
  }

  /** Calls the matchers of {@code which} that are not suppressed here on the current tree. */
  private void match(int[] which, Tree tree) {
    if (which.length == 0) {
      return;
    }
    VisitorState here = state.withPath(getCurrentPath());
    for (int i : which) {
      if (!suppressed[i]) {
        here.reportMatch(matchOne(checks[i], tree, here));
      }
    }
  }

  private static Description matchOne(ContextChecker check, Tree tree, VisitorState state) {
    return switch (tree.getKind()) {
      case METHOD_INVOCATION ->
          ((MethodInvocationMatcher) check)
              .matchMethodInvocation((MethodInvocationTree) tree, state);
      case NEW_CLASS -> ((NewClassMatcher) check).matchNewClass((NewClassTree) tree, state);
      case METHOD -> ((MethodMatcher) check).matchMethod((MethodTree) tree, state);
      case LAMBDA_EXPRESSION ->
          ((LambdaExpressionMatcher) check)
              .matchLambdaExpression((LambdaExpressionTree) tree, state);
      case VARIABLE -> ((VariableMatcher) check).matchVariable((VariableTree) tree, state);
      case RETURN -> ((ReturnMatcher) check).matchReturn((ReturnTree) tree, state);
      case ASSIGNMENT -> ((AssignmentMatcher) check).matchAssignment((AssignmentTree) tree, state);
      default -> Description.NO_MATCH;
    };
  }

  // The walk goes only where a tree the checks match can be: not into the package clause, imports,
  // annotations or types (a type, an annotation's constant values, hold no call, no variable, no
  // lambda, no return, no assignment a check looks at).

  @Override
  public Void visitCompilationUnit(CompilationUnitTree tree, Void unused) {
    return scan(tree.getTypeDecls(), null);
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    SuppressionInfo outside = enter(tree, tree.getModifiers());
    try {
      return scan(tree.getMembers(), null);
    } finally {
      leave(outside);
    }
  }

  @Override
  public Void visitMethod(MethodTree tree, Void unused) {
    SuppressionInfo outside = enter(tree, tree.getModifiers());
    try {
      match(dispatch.methods, tree);
      scan(tree.getReceiverParameter(), null);
      scan(tree.getParameters(), null);
      return scan(tree.getBody(), null);
    } finally {
      leave(outside);
    }
  }

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    SuppressionInfo outside = enter(tree, tree.getModifiers());
    try {
      match(dispatch.variables, tree);
      return scan(tree.getInitializer(), null);
    } finally {
      leave(outside);
    }
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    match(dispatch.invocations, tree);
    scan(tree.getMethodSelect(), null);
    return scan(tree.getArguments(), null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    match(dispatch.newClasses, tree);
    scan(tree.getEnclosingExpression(), null);
    scan(tree.getArguments(), null);
    return scan(tree.getClassBody(), null);
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    match(dispatch.lambdas, tree);
    return super.visitLambdaExpression(tree, null);
  }

  @Override
  public Void visitReturn(ReturnTree tree, Void unused) {
    match(dispatch.returns, tree);
    return super.visitReturn(tree, null);
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    match(dispatch.assignments, tree);
    return super.visitAssignment(tree, null);
  }

  @Override
  public Void visitTypeCast(TypeCastTree tree, Void unused) {
    return scan(tree.getExpression(), null);
  }

  @Override
  public Void visitNewArray(NewArrayTree tree, Void unused) {
    scan(tree.getDimensions(), null);
    return scan(tree.getInitializers(), null);
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
    return scan(tree.getQualifierExpression(), null);
  }

  @Override
  public Void visitAnnotation(AnnotationTree tree, Void unused) {
    return null;
  }
}
