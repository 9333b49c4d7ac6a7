package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import javax.annotation.processing.ProcessingEnvironment;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder;

/**
 * The one place that calls Error Prone API which changed between the releases ctx4j supports
 * (2.42.0 on JDK 17 through 2.52.0 on JDK 25), and the dataflow library Error Prone ships. Checks
 * call these methods instead of the churning API, so a new Error Prone release means editing this
 * class only.
 *
 * <p>It also keeps the checks away from a shape that library cannot handle: building the graph of a
 * method with an endless loop that does nothing ({@code for (;;) { continue; }}, {@code for (;;)
 * {}}) never finishes, so such a body gets no graph and no nullness facts.
 */
public final class ErrorProneCompat {
  private ErrorProneCompat() {}

  /**
   * What Error Prone's nullness dataflow knows about the expression at {@code path} (which must
   * lead to an expression inside a method, lambda or initializer); {@code NULLABLE} when the
   * analysis cannot run. The signature is the same in 2.42.0 and 2.52.0; it is kept here because
   * the dataflow entry points have moved before.
   */
  static Nullness nullness(TreePath path, VisitorState state) {
    Nullness nullness = nullnessIfAnalysable(path, state);
    return nullness == null ? Nullness.NULLABLE : nullness;
  }

  /**
   * Like {@link #nullness}, but null when the analysis cannot run on the method or lambda around
   * {@code path}, so that a caller can stop asking about that code (the failure is not cached by
   * Error Prone, and every question would build the control-flow graph again).
   */
  public static Nullness nullnessIfAnalysable(TreePath path, VisitorState state) {
    if (hasEmptyEndlessLoop(enclosingBody(path))) {
      return null;
    }
    try {
      return state.getNullnessAnalysis().getNullness(path, state.context);
    } catch (RuntimeException | AssertionError e) {
      // An expected rejection, not a crash: the graph builder refuses some shapes (for example
      // `c ? null : null`, whose type is the null type); then nothing is known.
      return null;
    }
  }

  /**
   * Builds the control-flow graph of the method or lambda at {@code path}, the way Error Prone's
   * own dataflow does; null where the library cannot build one (see the class comment). Error Prone
   * 2.42.0 through 2.52.0 ship the same dataflow release; a change there is absorbed here.
   */
  public static ControlFlowGraph buildControlFlowGraph(TreePath path, VisitorState state) {
    Tree leaf = path.getLeaf();
    Tree body =
        leaf instanceof LambdaExpressionTree lambda
            ? lambda.getBody()
            : ((MethodTree) leaf).getBody();
    if (hasEmptyEndlessLoop(body)) {
      return null;
    }
    ClassTree classTree = null;
    MethodTree enclosingMethod = null;
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree enclosingClass) {
        classTree = enclosingClass;
        break;
      }
      if (enclosingMethod == null && p.getLeaf() instanceof MethodTree method) {
        enclosingMethod = method;
      }
    }
    UnderlyingAST ast =
        leaf instanceof LambdaExpressionTree lambda
            ? new UnderlyingAST.CFGLambda(lambda, classTree, enclosingMethod)
            : new UnderlyingAST.CFGMethod((MethodTree) leaf, classTree);
    ProcessingEnvironment env = JavacProcessingEnvironment.instance(state.context);
    return CFGBuilder.build(
        new TreePath(path, body),
        ast,
        /* assumeAssertionsEnabled= */ false,
        /* assumeAssertionsDisabled= */ false,
        env);
  }

  /** The body of the method or lambda around {@code path}, or null outside one. */
  private static Tree enclosingBody(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree lambda) {
        return lambda.getBody();
      }
      if (p.getLeaf() instanceof MethodTree method) {
        return method.getBody();
      }
      if (p.getLeaf() instanceof ClassTree) {
        return null; // a field initializer or an initializer block: no loop shape to fear there
      }
    }
    return null;
  }

  /**
   * Whether {@code body} holds a loop that never ends and whose body executes nothing: no condition
   * or a literal {@code true}, no update, and a body of empty statements, empty blocks and {@code
   * continue}s only.
   */
  static boolean hasEmptyEndlessLoop(Tree body) {
    if (body == null) {
      return false;
    }
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitForLoop(ForLoopTree tree, Void unused) {
        found[0] |=
            tree.getInitializer().isEmpty()
                && tree.getUpdate().isEmpty()
                && isAbsentOrTrue(tree.getCondition())
                && doesNothing(tree.getStatement());
        return super.visitForLoop(tree, null);
      }

      @Override
      public Void visitWhileLoop(WhileLoopTree tree, Void unused) {
        found[0] |= isAbsentOrTrue(tree.getCondition()) && doesNothing(tree.getStatement());
        return super.visitWhileLoop(tree, null);
      }

      @Override
      public Void visitDoWhileLoop(DoWhileLoopTree tree, Void unused) {
        found[0] |= isAbsentOrTrue(tree.getCondition()) && doesNothing(tree.getStatement());
        return super.visitDoWhileLoop(tree, null);
      }
    }.scan(body, null);
    return found[0];
  }

  private static boolean isAbsentOrTrue(ExpressionTree condition) {
    ExpressionTree c = condition == null ? null : ASTHelpers.stripParentheses(condition);
    return c == null
        || (c instanceof LiteralTree literal && Boolean.TRUE.equals(literal.getValue()));
  }

  /** Empty statements, empty blocks, {@code continue}s, and blocks of those; a label around one. */
  private static boolean doesNothing(StatementTree statement) {
    return switch (statement.getKind()) {
      case EMPTY_STATEMENT, CONTINUE -> true;
      case BLOCK ->
          ((BlockTree) statement).getStatements().stream().allMatch(ErrorProneCompat::doesNothing);
      case LABELED_STATEMENT -> doesNothing(((LabeledStatementTree) statement).getStatement());
      default -> false;
    };
  }
}
