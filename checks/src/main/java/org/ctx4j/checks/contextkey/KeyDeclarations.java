package org.ctx4j.checks.contextkey;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;

/**
 * For {@code ContextKeyNotPrivate}, where a key read from a variable got its value: the initializer
 * of a field, the declaration of a local variable. One instance serves one compilation unit (the
 * check makes a new one for the next unit), so the trees it holds never outlive their unit's
 * analysis by more than one unit.
 */
final class KeyDeclarations {
  private final CompilationUnitTree unit;

  /**
   * The initializers of the fields declared anywhere in {@link #unit}, collected in one scan the
   * first time a field outside the classes around a call is asked about, and of fields of other
   * files as they are asked about (a null value: none in view); null until then.
   */
  private Map<Symbol, ExpressionTree> initializers;

  KeyDeclarations(CompilationUnitTree unit) {
    this.unit = unit;
  }

  /** Whether this instance answers for {@code unit}. */
  boolean isFor(CompilationUnitTree unit) {
    return this.unit == unit;
  }

  /**
   * The initializer of a field declared in this compilation (in any of its files); null for a field
   * of a class file or without one. A key is most often a field of the class the call sits in (or
   * of a class around it): those are found among that class's members, without a scan; any other
   * field costs one scan of the compilation unit, once.
   */
  ExpressionTree fieldInitializer(VarSymbol field, VisitorState state) {
    VariableTree declaration = memberOfEnclosingClass(field, state.getPath());
    if (declaration != null) {
      return declaration.getInitializer();
    }
    if (initializers == null) {
      initializers = indexFieldInitializers(unit);
    }
    if (!initializers.containsKey(field)) {
      // Declared in another file of this compilation, or in a class file: ask through the symbol.
      initializers.put(field, CheckSupport.fieldInitializer(field, state));
    }
    return initializers.get(field);
  }

  /**
   * The declaration of {@code field} among the members of a class around {@code path} that declares
   * it, or null: fields are always direct members of their class.
   */
  private static VariableTree memberOfEnclosingClass(VarSymbol field, TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree classTree
          && ASTHelpers.getSymbol(classTree) == field.owner) {
        for (Tree member : classTree.getMembers()) {
          if (member instanceof VariableTree variableTree
              && ASTHelpers.getSymbol(variableTree) == field) {
            return variableTree;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** The initializer of every field with one declared in {@code unit}, local classes included. */
  private static Map<Symbol, ExpressionTree> indexFieldInitializers(CompilationUnitTree unit) {
    Map<Symbol, ExpressionTree> index = new HashMap<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        VarSymbol symbol = ASTHelpers.getSymbol(tree);
        if (symbol != null
            && symbol.getKind() == ElementKind.FIELD
            && tree.getInitializer() != null) {
          index.put(symbol, tree.getInitializer());
        }
        return super.visitVariable(tree, null);
      }
    }.scan(unit, null);
    return index;
  }

  /**
   * The path to the declaration of the local variable {@code local}, found by walking out from
   * {@code use} through the blocks, loops, resources and parameter lists around it (also out of a
   * local or anonymous class, which sees the locals of the code around it); null if not found.
   */
  static TreePath localDeclaration(VarSymbol local, TreePath use) {
    for (TreePath path = use; path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      List<? extends Tree> candidates;
      if (leaf instanceof BlockTree blockTree) {
        candidates = blockTree.getStatements();
      } else if (leaf instanceof CaseTree caseTree) {
        candidates = caseTree.getStatements();
      } else if (leaf instanceof ForLoopTree forLoopTree) {
        candidates = forLoopTree.getInitializer();
      } else if (leaf instanceof TryTree tryTree) {
        candidates = tryTree.getResources();
      } else if (leaf instanceof CompilationUnitTree) {
        return null;
      } else {
        continue;
      }
      if (candidates == null) {
        continue;
      }
      for (Tree candidate : candidates) {
        if (candidate instanceof VariableTree variableTree
            && ASTHelpers.getSymbol(variableTree) == local) {
          return new TreePath(path, candidate);
        }
      }
    }
    return null;
  }
}
