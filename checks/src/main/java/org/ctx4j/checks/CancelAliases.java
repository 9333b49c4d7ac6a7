package org.ctx4j.checks;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.CancelPathAnalysis.BodyScanner;

/**
 * Copies of a tracked context into other local variables ({@code CancellableContext other = c;} or
 * {@code other = c;}): the same context under two names, so a cancel through either counts and a
 * path on which neither cancels it leaks. Only copies the analysis can follow without tracking
 * values: both variables are written exactly once in the body (the copy, and the creation or an
 * earlier copy), so they always hold the same context; any other copy stays a hand-over.
 */
final class CancelAliases {
  /** A copy: the variable written, the variable read, and the tree that writes it. */
  private record Copy(VarSymbol alias, Symbol source, Tree holder) {}

  /** Per alias: the variable holding the created context that it names too. */
  final Map<Symbol, VarSymbol> rootByAlias = new IdentityHashMap<>();

  /** The declarations and assignments that make an alias: not a hand-over, not an overwrite. */
  final Set<Tree> holders = Collections.newSetFromMap(new IdentityHashMap<>());

  private CancelAliases() {}

  /**
   * Finds the aliases of {@code tracked} (each site variable, written once) in the body at {@code
   * bodyPath}, in source order, so that a copy of a copy is an alias too.
   */
  static CancelAliases find(TreePath bodyPath, Set<? extends Symbol> tracked) {
    CancelAliases aliases = new CancelAliases();
    Map<Symbol, Integer> writes = new IdentityHashMap<>();
    List<Copy> copies = new ArrayList<>();
    new BodyScanner() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (tree.getInitializer() != null) {
          write(ASTHelpers.getSymbol(tree), tree.getInitializer(), tree);
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        ExpressionTree target = CheckSupport.stripParenthesesAndCasts(tree.getVariable());
        if (target instanceof IdentifierTree) {
          write(ASTHelpers.getSymbol(target), tree.getExpression(), tree);
        }
        return super.visitAssignment(tree, null);
      }

      private void write(Symbol variable, ExpressionTree value, Tree holder) {
        if (variable == null) {
          return;
        }
        writes.merge(variable, 1, Integer::sum);
        ExpressionTree read = CheckSupport.stripParenthesesAndCasts(value);
        if (read instanceof IdentifierTree
            && variable instanceof VarSymbol varSymbol
            && variable.getKind() == ElementKind.LOCAL_VARIABLE) {
          Symbol source = ASTHelpers.getSymbol(read);
          if (source != null) {
            copies.add(new Copy(varSymbol, source, holder));
          }
        }
      }
    }.scan(bodyPath, null);
    for (Copy copy : copies) {
      VarSymbol root =
          tracked.contains(copy.source())
              ? (VarSymbol) copy.source()
              : aliases.rootByAlias.get(copy.source());
      if (root != null
          && !tracked.contains(copy.alias())
          && writes.getOrDefault(copy.alias(), 0) == 1
          && writes.getOrDefault(copy.source(), 0) == 1) {
        aliases.rootByAlias.put(copy.alias(), root);
        aliases.holders.add(copy.holder());
      }
    }
    return aliases;
  }

  /** The variable that holds the created context {@code variable} names. */
  Symbol root(Symbol variable) {
    VarSymbol root = rootByAlias.get(variable);
    return root == null ? variable : root;
  }

  boolean isAlias(Symbol variable) {
    return rootByAlias.containsKey(variable);
  }
}
