package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.JCTree.JCFieldAccess;
import com.sun.tools.javac.tree.JCTree.JCIdent;
import com.sun.tools.javac.tree.JCTree.JCLiteral;
import com.sun.tools.javac.tree.JCTree.JCTypeCast;
import com.sun.tools.javac.tree.TreeInfo;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ErrorProneCompat;

/**
 * Whether an expression is null whenever it is evaluated, where a context is expected. Two tests:
 * {@link #mayBeNull}, a cheap necessary condition from the expression's shape and the symbols javac
 * attached to it (asked of every argument of every call), and {@link #isKnownNull}, the full
 * answer: the expression's shape ({@code null}, a conditional or {@code switch} whose every value
 * is null, a final variable initialised with one of these), else what Error Prone's nullness
 * dataflow knows about a local variable, asked only about the locals that {@link NullableLocals}
 * says could be null.
 */
final class KnownNull {
  /** How deep the tests follow initializers and nested expressions. */
  private static final int MAX_DEPTH = 8;

  private KnownNull() {}

  /** Whether some argument {@link #mayBeNull}. */
  static boolean anyMayBeNull(List<? extends ExpressionTree> arguments) {
    for (ExpressionTree argument : arguments) {
      if (mayBeNull(argument)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A necessary condition for {@link #isKnownNull}, from the tree and its symbols alone (no scan,
   * no type): {@code null}, a conditional whose both values may be null, a {@code switch}
   * expression, or a variable that could hold null: a local variable or a {@code final} field (not
   * a field that is not final, an enum constant, a method call, an object creation, another
   * literal, ...). Parentheses and casts are looked through.
   */
  static boolean mayBeNull(ExpressionTree expression) {
    return mayBeNull(expression, 0);
  }

  private static boolean mayBeNull(ExpressionTree expression, int depth) {
    if (depth > MAX_DEPTH) {
      return true; // the full test decides
    }
    JCTree stripped = TreeInfo.skipParens((JCTree) expression);
    while (stripped instanceof JCTypeCast cast) {
      stripped = TreeInfo.skipParens(cast.expr);
    }
    return switch (stripped.getTag()) {
      case IDENT -> mayHoldNull(((JCIdent) stripped).sym);
      case SELECT -> mayHoldNull(((JCFieldAccess) stripped).sym);
      case LITERAL -> ((JCLiteral) stripped).typetag == TypeTag.BOT;
      case SWITCH_EXPRESSION -> true;
      case CONDEXPR -> {
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) stripped;
        yield mayBeNull(conditional.getTrueExpression(), depth + 1)
            && mayBeNull(conditional.getFalseExpression(), depth + 1);
      }
      default -> false;
    };
  }

  /** Whether the variable {@code symbol} could be known null: a final field, or a local. */
  private static boolean mayHoldNull(Symbol symbol) {
    if (!(symbol instanceof VarSymbol)) {
      return false;
    }
    if (symbol.getKind() == ElementKind.FIELD) {
      return (symbol.flags() & Flags.FINAL) != 0;
    }
    return CheckSupport.isLocalVariable(symbol);
  }

  /**
   * Whether the expression at {@code path} is null whenever it is evaluated: what {@link
   * #isCertainlyNull} proves from the code's shape, or a local variable that the nullness dataflow
   * knows to hold null there. The member's {@link NullableLocals} is scanned only for a local
   * variable.
   */
  static boolean isKnownNull(TreePath path, NullableLocals.Cache scopes, VisitorState state) {
    return isKnownNull(path, scopes, state, 0);
  }

  private static boolean isKnownNull(
      TreePath path, NullableLocals.Cache scopes, VisitorState state, int depth) {
    Tree leaf = path.getLeaf();
    if (depth > MAX_DEPTH || !(leaf instanceof ExpressionTree expressionTree)) {
      return false;
    }
    switch (leaf.getKind()) {
      case PARENTHESIZED:
        return isKnownNull(
            new TreePath(path, ((ParenthesizedTree) leaf).getExpression()),
            scopes,
            state,
            depth + 1);
      case TYPE_CAST:
        return isKnownNull(
            new TreePath(path, ((TypeCastTree) leaf).getExpression()), scopes, state, depth + 1);
      case CONDITIONAL_EXPRESSION:
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) leaf;
        return isKnownNull(
                new TreePath(path, conditional.getTrueExpression()), scopes, state, depth + 1)
            && isKnownNull(
                new TreePath(path, conditional.getFalseExpression()), scopes, state, depth + 1);
      case IDENTIFIER:
      case MEMBER_SELECT:
        Symbol symbol = symbol(expressionTree);
        if (!CheckSupport.isLocalVariable(symbol)) {
          return isCertainlyNull(expressionTree, null, state, depth);
        }
        NullableLocals scope = scopes.of(path, state);
        if (scope == null || !scope.mentionsNull()) {
          return false; // no null in the member: no local there can be null
        }
        return isCertainlyNull(expressionTree, scope, state, depth)
            || (scope.dataflowMayFindNull(symbol) && dataflowSaysNull(path, scope, state));
      case SWITCH_EXPRESSION:
        // Its values may be final locals of the member initialised to null.
        return isCertainlyNull(expressionTree, scopes.of(path, state), state, depth);
      default:
        return isCertainlyNull(expressionTree, null, state, depth);
    }
  }

  private static Symbol symbol(ExpressionTree variable) {
    return variable instanceof JCIdent identifier
        ? identifier.sym
        : variable instanceof JCFieldAccess select ? select.sym : null;
  }

  /**
   * Whether {@code expression} is null by its shape alone, with no dataflow: the {@code null}
   * literal (parenthesised or cast), a conditional or a {@code switch} expression whose every value
   * is certainly null, or a variable that can only ever hold such a value: a local that is final or
   * effectively final, or a {@code final} field, whose initializer is certainly null. This is also
   * the whole test where the dataflow cannot analyse a method. {@code scope} is the member's, or
   * null where no local of it can be read (a field's initializer) or none can be null.
   */
  private static boolean isCertainlyNull(
      ExpressionTree expression, NullableLocals scope, VisitorState state, int depth) {
    if (expression == null || depth > MAX_DEPTH) {
      return false;
    }
    switch (expression.getKind()) {
      case NULL_LITERAL -> {
        return true;
      }
      case PARENTHESIZED -> {
        return isCertainlyNull(
            ((ParenthesizedTree) expression).getExpression(), scope, state, depth + 1);
      }
      case TYPE_CAST -> {
        return isCertainlyNull(
            ((TypeCastTree) expression).getExpression(), scope, state, depth + 1);
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) expression;
        return isCertainlyNull(conditional.getTrueExpression(), scope, state, depth + 1)
            && isCertainlyNull(conditional.getFalseExpression(), scope, state, depth + 1);
      }
      case SWITCH_EXPRESSION -> {
        List<ExpressionTree> values = switchValues((SwitchExpressionTree) expression);
        if (values == null || values.isEmpty()) {
          return false;
        }
        for (ExpressionTree value : values) {
          if (!isCertainlyNull(value, scope, state, depth + 1)) {
            return false;
          }
        }
        return true;
      }
      case IDENTIFIER, MEMBER_SELECT -> {
        Symbol symbol = symbol(expression);
        if (!(symbol instanceof VarSymbol variable)) {
          return false;
        }
        if (symbol.getKind() == ElementKind.FIELD) {
          return (symbol.flags() & Flags.FINAL) != 0
              && isCertainlyNull(
                  CheckSupport.fieldInitializer(variable, state), null, state, depth + 1);
        }
        return scope != null
            && scope.nullableInitializer(symbol) != null
            && ASTHelpers.isConsideredFinal(symbol)
            && isCertainlyNull(scope.nullableInitializer(symbol), scope, state, depth + 1);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Every value a {@code switch} expression can yield (the expression of a {@code case ... ->}
   * rule, the operand of each {@code yield} that leaves it), or null for a shape not understood.
   * Arms that throw yield nothing.
   */
  private static List<ExpressionTree> switchValues(SwitchExpressionTree tree) {
    List<ExpressionTree> values = new ArrayList<>();
    for (CaseTree caseTree : tree.getCases()) {
      if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree body = caseTree.getBody();
        if (body instanceof ExpressionTree expressionTree) {
          values.add(expressionTree);
        } else if (body instanceof BlockTree) {
          collectYields(body, values);
        } else if (!(body instanceof ThrowTree)) {
          return null;
        }
      } else if (caseTree.getStatements() != null) {
        for (StatementTree statement : caseTree.getStatements()) {
          collectYields(statement, values);
        }
      }
    }
    return values;
  }

  /**
   * The operands of the {@code yield}s in {@code tree} that leave the switch expression around it.
   */
  private static void collectYields(Tree tree, List<ExpressionTree> values) {
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitYield(YieldTree yield, Void unused) {
        values.add(yield.getValue());
        return null;
      }

      // A yield in these belongs to them.
      @Override
      public Void visitSwitchExpression(SwitchExpressionTree nested, Void unused) {
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree classTree, Void unused) {
        return null;
      }
    }.scan(tree, null);
  }

  /**
   * Asks the nullness dataflow about the local variable at {@code path}, once per method or lambda
   * that it cannot analyse: after the first refusal, the answer there is "not known".
   */
  private static boolean dataflowSaysNull(TreePath path, NullableLocals scope, VisitorState state) {
    Tree analysed = analysedCode(path);
    if (scope.isUnanalysable(analysed)) {
      return false;
    }
    Nullness nullness = ErrorProneCompat.nullnessIfAnalysable(path, state);
    if (nullness == null) {
      scope.markUnanalysable(analysed);
      return false;
    }
    return nullness == Nullness.NULL;
  }

  /**
   * The lambda, method or initializer whose control-flow graph the dataflow builds for {@code
   * path}.
   */
  private static Tree analysedCode(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree
          || leaf instanceof MethodTree
          || (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof ClassTree)) {
        return leaf;
      }
    }
    return path.getLeaf();
  }
}
