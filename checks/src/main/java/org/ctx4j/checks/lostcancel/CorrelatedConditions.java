package org.ctx4j.checks.lostcancel;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.TypeTag;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;

/**
 * Correlated conditions, which {@code go vet} does not follow: a context created under {@code if
 * (bounded)} and cancelled under a later {@code if (bounded)} does not leak when {@code bounded} is
 * an effectively final {@code boolean} local or parameter, since it has the same value at both
 * tests. Per such variable: the sites created only where it is true, and only where it is false; at
 * a later test of the variable, the branch that contradicts a site's condition cannot hold it.
 */
final class CorrelatedConditions {
  /** Per guard variable: [0] the sites created only where it is false, [1] only where true. */
  private final Map<Symbol, long[][]> sitesByVariable = new IdentityHashMap<>();

  private final int words;

  CorrelatedConditions(int words) {
    this.words = words;
  }

  boolean isEmpty() {
    return sitesByVariable.isEmpty();
  }

  /**
   * Records the conditions of the {@code if} statements and conditional expressions between the
   * creation of {@code site} at {@code sitePath} and the analysed body {@code root}.
   */
  void recordSite(int site, TreePath sitePath, Tree root) {
    Tree child = sitePath.getLeaf();
    for (TreePath p = sitePath.getParentPath(); p != null; p = p.getParentPath()) {
      Tree parent = p.getLeaf();
      if (child == root) {
        return;
      }
      ExpressionTree condition = null;
      boolean onTrue = false;
      if (parent instanceof IfTree ifTree && child != ifTree.getCondition()) {
        condition = ifTree.getCondition();
        onTrue = child == ifTree.getThenStatement();
      } else if (parent instanceof ConditionalExpressionTree conditional
          && child != conditional.getCondition()) {
        condition = conditional.getCondition();
        onTrue = child == conditional.getTrueExpression();
      }
      if (condition != null) {
        record(site, condition, onTrue);
      }
      child = parent;
    }
  }

  private void record(int site, ExpressionTree condition, boolean onTrue) {
    ExpressionTree tested = CheckSupport.stripParenthesesAndCasts(condition);
    while (tested.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      tested = CheckSupport.stripParenthesesAndCasts(((UnaryTree) tested).getExpression());
      onTrue = !onTrue;
    }
    Symbol variable = tested instanceof IdentifierTree ? ASTHelpers.getSymbol(tested) : null;
    if (isGuardVariable(variable)) {
      long[][] sites = sitesByVariable.computeIfAbsent(variable, v -> new long[2][words]);
      PendingSites.set(sites[onTrue ? 1 : 0], site);
    }
  }

  /** An effectively final {@code boolean} local variable or parameter: the same at every test. */
  static boolean isGuardVariable(Symbol variable) {
    return variable != null
        && (variable.getKind() == ElementKind.LOCAL_VARIABLE
            || variable.getKind() == ElementKind.PARAMETER)
        && variable.type != null
        && variable.type.hasTag(TypeTag.BOOLEAN)
        && ASTHelpers.isConsideredFinal(variable);
  }

  /**
   * The test of {@code variable} as an event: sites that cannot be held where it is true (created
   * only where it is false), and where it is false; null when no site depends on it.
   */
  CancelEvents.Event testOf(Symbol variable) {
    long[][] sites = sitesByVariable.get(variable);
    return sites == null ? null : CancelEvents.Event.test(sites[0], sites[1]);
  }
}
