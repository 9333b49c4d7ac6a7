package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.TreeSearch;

/**
 * What evaluating an expression does that the {@link NullPaths} walk must know, for its one
 * variable: whether it is the variable or the {@code null} literal, compares the two, assigns the
 * variable, dereferences it whenever it runs, may throw; and the key by which a condition tested
 * again is known. Tests of the tree and its symbols, no facts.
 */
final class ExpressionEffects {
  /** The expressions that may throw: calls, creations, indexing and casts. */
  private static final Set<Tree.Kind> MAY_THROW =
      EnumSet.of(
          Tree.Kind.METHOD_INVOCATION,
          Tree.Kind.NEW_CLASS,
          Tree.Kind.NEW_ARRAY,
          Tree.Kind.ARRAY_ACCESS,
          Tree.Kind.TYPE_CAST);

  /** Increments and decrements, prefix and postfix. */
  private static final Set<Tree.Kind> STEPS =
      EnumSet.of(
          Tree.Kind.PREFIX_INCREMENT,
          Tree.Kind.PREFIX_DECREMENT,
          Tree.Kind.POSTFIX_INCREMENT,
          Tree.Kind.POSTFIX_DECREMENT);

  private final VarSymbol variable;
  private final VisitorState state;

  ExpressionEffects(VarSymbol variable, VisitorState state) {
    this.variable = variable;
    this.state = state;
  }

  /** Whether {@code tree} is the variable (parenthesised or cast). */
  boolean isVariable(ExpressionTree tree) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(tree);
    return stripped instanceof IdentifierTree && ASTHelpers.getSymbol(stripped) == variable;
  }

  /** Whether {@code tree} is the {@code null} literal (parenthesised or cast). */
  static boolean isNullLiteral(ExpressionTree tree) {
    return CheckSupport.stripParenthesesAndCasts(tree).getKind() == Tree.Kind.NULL_LITERAL;
  }

  /**
   * Whether {@code binary} has the variable on one side and the {@code null} literal on the other.
   */
  boolean comparesVariableWithNull(BinaryTree binary) {
    return (isVariable(binary.getLeftOperand()) && isNullLiteral(binary.getRightOperand()))
        || (isVariable(binary.getRightOperand()) && isNullLiteral(binary.getLeftOperand()));
  }

  /** Whether {@code tree} assigns the variable anywhere (lambdas and classes cannot). */
  boolean assignsVariable(Tree tree) {
    return new TreeSearch.OutsideBodies() {
      @Override
      public Boolean visitAssignment(AssignmentTree assignment, Void unused) {
        return ASTHelpers.getSymbol(assignment.getVariable()) == variable
            || Boolean.TRUE.equals(super.visitAssignment(assignment, null));
      }
    }.foundIn(tree);
  }

  /**
   * Whether evaluating {@code expression} dereferences the variable whenever it runs: {@code
   * ctx.method()} or {@code ctx.field}, or {@code requireNonNull(ctx)} / {@code checkNotNull(ctx)},
   * or {@code checkState(ctx != null)} / {@code checkArgument} / {@code verify} with that test,
   * outside the parts that may not run (the arms of {@code ?:}, the right of {@code &&} and {@code
   * ||}, lambdas and classes).
   */
  boolean dereferences(ExpressionTree expression) {
    return new TreeSearch.OutsideBodies() {
      @Override
      public Boolean visitMemberSelect(MemberSelectTree select, Void unused) {
        return isVariable(select.getExpression())
            || Boolean.TRUE.equals(super.visitMemberSelect(select, null));
      }

      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree call, Void unused) {
        Name called = CheckSupport.calledName(call);
        if (called != null
            && (called.contentEquals("requireNonNull") || called.contentEquals("checkNotNull"))
            && !call.getArguments().isEmpty()
            && isVariable(call.getArguments().get(0))) {
          return true;
        }
        if (called != null
            && (called.contentEquals("checkState")
                || called.contentEquals("checkArgument")
                || called.contentEquals("verify"))
            && !call.getArguments().isEmpty()
            && CheckSupport.stripParenthesesAndCasts(call.getArguments().get(0))
                instanceof BinaryTree test
            && test.getKind() == Tree.Kind.NOT_EQUAL_TO
            && comparesVariableWithNull(test)) {
          // Guava's checkState(ctx != null, ...): it throws where ctx is null.
          return true;
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Boolean visitConditionalExpression(ConditionalExpressionTree tree, Void unused) {
        return scan(tree.getCondition(), null);
      }

      @Override
      public Boolean visitBinary(BinaryTree tree, Void unused) {
        if (tree.getKind() == Tree.Kind.CONDITIONAL_AND
            || tree.getKind() == Tree.Kind.CONDITIONAL_OR) {
          return scan(tree.getLeftOperand(), null);
        }
        return super.visitBinary(tree, null);
      }
    }.foundIn(expression);
  }

  /**
   * Whether evaluating {@code expression} may throw: it calls, creates, indexes or casts (outside
   * lambdas).
   */
  static boolean canThrow(ExpressionTree expression) {
    return TreeSearch.holds(
        expression,
        node -> MAY_THROW.contains(node.getKind()),
        node -> node instanceof LambdaExpressionTree);
  }

  /**
   * The condition of an {@code if} as a key (its source without parentheses, blanks and leading
   * {@code !}) and whether the {@code if} is taken when that key is true; null for a condition that
   * changes something (an assignment, {@code ++}). A call is taken to answer the same twice: where
   * it does not, a finding is missed, never made up.
   */
  Map.Entry<String, Boolean> conditionKey(ExpressionTree condition) {
    ExpressionTree current = condition;
    boolean polarity = true;
    while (true) {
      if (current instanceof ParenthesizedTree parenthesized) {
        current = parenthesized.getExpression();
      } else if (current instanceof UnaryTree unary
          && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        polarity = !polarity;
        current = unary.getExpression();
      } else {
        break;
      }
    }
    if (hasSideEffect(current)) {
      return null;
    }
    String source = state.getSourceForNode(current);
    return source == null ? null : Map.entry(source.replaceAll("\\s+", ""), polarity);
  }

  /**
   * Whether {@code tree} assigns, increments or decrements anything, lambdas and classes included.
   */
  private static boolean hasSideEffect(ExpressionTree tree) {
    return TreeSearch.holds(
        tree,
        node ->
            node instanceof AssignmentTree
                || node instanceof CompoundAssignmentTree
                || STEPS.contains(node.getKind()),
        node -> false);
  }
}
