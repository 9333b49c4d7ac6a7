package org.ctx4j.checks.lostcancel;

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
import org.ctx4j.checks.support.CheckSupport;

/**
 * The names a tracked context can be held by: the variables its creation is stored in, and the
 * local variables it is copied into ({@code CancellableContext other = c;}, {@code other = c;},
 * {@code for (CancellableContext cur = c; ...)}), transitively. Which name holds which context at a
 * given point is flow-sensitive and kept by {@link PendingSites}; this class only numbers the names
 * (bit sets of names are {@code long} words) and tells which trees copy one name into another.
 *
 * <p>Only a plain copy of a name ({@code other = c}, through parentheses and casts) makes an alias;
 * anything else that reads a name ({@code other = b ? c : d}, a field, an array, a return, a
 * parameter that keeps it) stays a hand-over, which ends the duty to cancel.
 */
final class CancelAliases {
  /** A copy: the variable written, the variable read, and the tree that writes it. */
  private record Copy(VarSymbol alias, Symbol source, Tree holder) {}

  /** The number of each name. */
  private final Map<Symbol, Integer> index = new IdentityHashMap<>();

  /** Per name: the tracked variables (creation sites' variables) whose contexts can reach it. */
  private final Map<Symbol, Set<VarSymbol>> roots = new IdentityHashMap<>();

  /** Per copy tree (a declaration or assignment): the name it reads. */
  private final Map<Tree, Symbol> sourceByHolder = new IdentityHashMap<>();

  /** How many {@code long} words a bit set of names takes. */
  final int words;

  private CancelAliases(List<VarSymbol> names) {
    for (VarSymbol name : names) {
      index.putIfAbsent(name, index.size());
    }
    this.words = Math.max(1, (index.size() + 63) / 64);
  }

  /**
   * Finds the names of the contexts held by {@code tracked} (the site variables) in the body at
   * {@code bodyPath}: the tracked variables, then every local variable a name is copied into.
   */
  static CancelAliases find(TreePath bodyPath, Set<VarSymbol> tracked) {
    List<Copy> copies = new ArrayList<>();
    new BodyScanner() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (tree.getInitializer() != null) {
          copy(ASTHelpers.getSymbol(tree), tree.getInitializer(), tree);
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        ExpressionTree target = CheckSupport.stripParenthesesAndCasts(tree.getVariable());
        if (target instanceof IdentifierTree) {
          copy(ASTHelpers.getSymbol(target), tree.getExpression(), tree);
        }
        return super.visitAssignment(tree, null);
      }

      private void copy(Symbol variable, ExpressionTree value, Tree holder) {
        ExpressionTree read = CheckSupport.stripParenthesesAndCasts(value);
        if (read instanceof IdentifierTree
            && variable instanceof VarSymbol varSymbol
            && (variable.getKind() == ElementKind.LOCAL_VARIABLE || tracked.contains(variable))) {
          Symbol source = ASTHelpers.getSymbol(read);
          if (source != null && source != variable) {
            copies.add(new Copy(varSymbol, source, holder));
          }
        }
      }
    }.scan(bodyPath, null);
    List<VarSymbol> names = new ArrayList<>(tracked);
    Map<Symbol, Set<VarSymbol>> roots = new IdentityHashMap<>();
    for (VarSymbol variable : tracked) {
      roots.computeIfAbsent(variable, v -> newSet()).add(variable);
    }
    // A copy of a copy is an alias too, in whatever order the copies appear: to a fixed point.
    for (boolean changed = true; changed; ) {
      changed = false;
      for (Copy copy : copies) {
        Set<VarSymbol> from = roots.get(copy.source());
        if (from == null) {
          continue;
        }
        Set<VarSymbol> into = roots.get(copy.alias());
        if (into == null) {
          into = newSet();
          roots.put(copy.alias(), into);
          names.add(copy.alias());
        }
        changed |= into.addAll(from);
      }
    }
    CancelAliases aliases = new CancelAliases(names);
    aliases.roots.putAll(roots);
    for (Copy copy : copies) {
      if (roots.containsKey(copy.source())) {
        aliases.sourceByHolder.put(copy.holder(), copy.source());
      }
    }
    return aliases;
  }

  private static Set<VarSymbol> newSet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** The number of {@code variable} as a name, or -1 when no tracked context can reach it. */
  int indexOf(Symbol variable) {
    Integer i = variable == null ? null : index.get(variable);
    return i == null ? -1 : i;
  }

  /** The names, each with its number. */
  Map<Symbol, Integer> names() {
    return index;
  }

  /** The bit set of names holding just {@code variable}, or null when it is no name. */
  long[] maskOf(Symbol variable) {
    int i = indexOf(variable);
    if (i < 0) {
      return null;
    }
    long[] mask = new long[words];
    PendingSites.set(mask, i);
    return mask;
  }

  /** The tracked variables whose contexts can be held by {@code variable}. */
  Set<VarSymbol> rootsOf(Symbol variable) {
    Set<VarSymbol> found = roots.get(variable);
    return found == null ? Set.of() : found;
  }

  /** Whether {@code holder} (a declaration or assignment) copies a name into another name. */
  boolean isCopy(Tree holder) {
    return holder != null && sourceByHolder.containsKey(holder);
  }

  /** The name {@code holder} copies, or null when it is not a copy. */
  Symbol sourceOf(Tree holder) {
    return holder == null ? null : sourceByHolder.get(holder);
  }
}
