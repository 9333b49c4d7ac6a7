package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What replaces a null context: the context the code around the finding already has (the innermost
 * enclosing lambda's or method's first context parameter, else the only context local in scope),
 * else {@code Context.todo()} where a plain {@code Context} is expected, else no fix. Never a
 * variable that may itself be null: the caller says which those are (for {@code NullContext}, the
 * locals its nullness dataflow may find null).
 */
public final class ContextInScopeFix {
  private ContextInScopeFix() {}

  /**
   * The fix for the null {@code replaced}, where a value of type {@code expected} is needed; {@code
   * mayBeNull} tells which variables in scope may be null there (besides those declared
   * {@code @Nullable}), never to be offered.
   */
  public static SuggestedFix fix(
      Tree replaced, Type expected, Predicate<VarSymbol> mayBeNull, VisitorState state) {
    VarSymbol inScope = contextInScope(replaced, expected, mayBeNull, state);
    if (inScope != null) {
      return SuggestedFix.replace(replaced, inScope.getSimpleName().toString());
    }
    return todoFix(replaced, expected, state);
  }

  /**
   * {@code Context.todo()} in place of the null, with the import; only where a plain {@code
   * Context} is what the parameter or return type asks for (a {@code CancellableContext} or a type
   * variable would not accept it).
   */
  private static SuggestedFix todoFix(Tree replaced, Type expected, VisitorState state) {
    Type context = ContextTypes.contextType(state);
    if (context == null || !state.getTypes().isSameType(expected, context)) {
      return SuggestedFix.emptyFix();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String name = SuggestedFixes.qualifyType(state, fix, ContextTypes.CONTEXT);
    fix.replace(replaced, name + ".todo()");
    return fix.build();
  }

  /**
   * The context the code around {@code state}'s path already has, to pass instead of the null: the
   * first context parameter of the innermost enclosing lambda or method that has one, else the only
   * context local variable in scope there (declared with a value before this point, in the same
   * method). Never a variable that may be null (declared {@code @Nullable}, assigned or compared
   * with something that may be null), the variable the finding is about, one whose type the
   * parameter or return type does not accept, or a variable of an enclosing method that a lambda
   * may not capture. Null when there is none (or more than one local): then {@code Context.todo()}.
   */
  private static VarSymbol contextInScope(
      Tree replaced, Type expected, Predicate<VarSymbol> mayBeNull, VisitorState state) {
    Symbol replacedSymbol =
        replaced instanceof ExpressionTree expressionTree
            ? ASTHelpers.getSymbol(CheckSupport.stripParenthesesAndCasts(expressionTree))
            : null;
    List<VarSymbol> locals = new ArrayList<>();
    boolean capturing = false; // whether a lambda lies between the finding and what is looked at
    Tree child = null;
    for (TreePath path = state.getPath(); path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof ClassTree) {
        break;
      }
      if (leaf instanceof LambdaExpressionTree || leaf instanceof MethodTree) {
        VarSymbol parameter = CheckSupport.firstContextParameter(leaf, state);
        if (parameter != null
            && usable(parameter, replacedSymbol, expected, capturing, mayBeNull, state)) {
          return parameter;
        }
        if (leaf instanceof MethodTree) {
          break;
        }
        capturing = true;
      } else if (leaf instanceof BlockTree blockTree) {
        addLocalsBefore(blockTree.getStatements(), child, capturing, locals);
      } else if (leaf instanceof CaseTree caseTree) {
        addLocalsBefore(caseTree.getStatements(), child, capturing, locals);
      } else if (leaf instanceof ForLoopTree forLoopTree) {
        addLocalsBefore(forLoopTree.getInitializer(), child, capturing, locals);
      } else if (leaf instanceof EnhancedForLoopTree enhancedForLoopTree
          && enhancedForLoopTree.getStatement() == child) {
        addLocal(enhancedForLoopTree.getVariable(), capturing, locals);
      } else if (leaf instanceof TryTree tryTree
          && (tryTree.getBlock() == child || tryTree.getResources().contains(child))) {
        addLocalsBefore(tryTree.getResources(), child, capturing, locals);
      }
      child = leaf;
    }
    locals.removeIf(
        local ->
            !usable(local, replacedSymbol, expected, /* capturing= */ false, mayBeNull, state));
    return locals.size() == 1 ? locals.get(0) : null;
  }

  /**
   * Adds the locals declared with a value among {@code trees} before {@code child} (all of them
   * when {@code child} is not among them: it comes after, as a try block after its resources); when
   * {@code capturing}, only those a lambda may capture.
   */
  private static void addLocalsBefore(
      List<? extends Tree> trees, Tree child, boolean capturing, List<VarSymbol> locals) {
    if (trees == null) {
      return; // the statements of a `case ... ->` rule
    }
    for (Tree tree : trees) {
      if (tree == child) {
        return;
      }
      if (tree instanceof VariableTree variableTree && variableTree.getInitializer() != null) {
        addLocal(variableTree, capturing, locals);
      }
    }
  }

  private static void addLocal(VariableTree tree, boolean capturing, List<VarSymbol> locals) {
    VarSymbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol != null && (!capturing || ASTHelpers.isConsideredFinal(symbol))) {
      locals.add(symbol);
    }
  }

  private static boolean usable(
      VarSymbol variable,
      Symbol replaced,
      Type expected,
      boolean capturing,
      Predicate<VarSymbol> mayBeNull,
      VisitorState state) {
    return variable != replaced
        && ContextTypes.isContext(variable.type, state)
        && state.getTypes().isSubtype(variable.type, expected)
        && !CheckSupport.isDeclaredNullable(variable)
        && !mayBeNull.test(variable)
        && (!capturing || ASTHelpers.isConsideredFinal(variable));
  }
}
