package org.ctx4j.checks.loops;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ctx4j.checks.support.CheckSupport;

/**
 * ContextDerivedInLoop's fix: the assignment {@code ctx = Context.withValue(ctx, ...);} at the top
 * level of a loop body becomes the declaration of a fresh variable, {@code Context loopCtx =
 * Context.withValue(ctx, ...);}, and the uses of {@code ctx} after it in the body read the fresh
 * variable. Offered only where that keeps the code compiling and changes nothing but the nesting:
 * the variable is assigned nowhere else in the loop, is not read in the loop's header, and is not
 * read after the loop (nor in an enclosing loop, whose next iteration would see it).
 */
final class LoopVariableFix {
  private LoopVariableFix() {}

  /** The fix for the assignment at {@code path} inside {@code loop}, or null when none is safe. */
  static SuggestedFix build(TreePath path, TreePath loop, Symbol variable, VisitorState state) {
    AssignmentTree assignment = (AssignmentTree) path.getLeaf();
    Tree statement = path.getParentPath().getLeaf();
    Tree body = ContextDerivedInLoop.body(loop.getLeaf());
    if (!(statement instanceof ExpressionStatementTree)
        || path.getParentPath().getParentPath().getLeaf() != body) {
      return null; // a declaration elsewhere would not be in scope for the rest of the body
    }
    TreePath scope = CheckSupport.enclosingMethodOrLambda(loop);
    if (scope == null) {
      return null;
    }
    List<Tree> enclosingLoops = new ArrayList<>();
    for (TreePath p = loop.getParentPath(); p != scope; p = p.getParentPath()) {
      if (ContextDerivedInLoop.body(p.getLeaf()) != null) {
        enclosingLoops.add(p.getLeaf());
      }
    }
    int loopStart = ASTHelpers.getStartPosition(loop.getLeaf());
    int loopEnd = state.getEndPosition(loop.getLeaf());
    int bodyStart = ASTHelpers.getStartPosition(body);
    int statementEnd = state.getEndPosition(statement);
    List<IdentifierTree> laterUses = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean[] unsafe = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        names.add(tree.getName().toString());
        if (ASTHelpers.getSymbol(tree) == variable) {
          int at = ASTHelpers.getStartPosition(tree);
          boolean inLoop = at >= loopStart && at < loopEnd;
          if (!inLoop && (at >= loopEnd || insideAny(at, enclosingLoops, state))) {
            unsafe[0] = true; // read after the loop, or by a later iteration of an outer loop
          } else if (inLoop && at < bodyStart) {
            unsafe[0] = true; // the loop's condition or update reads it
          } else if (inLoop && at > statementEnd) {
            laterUses.add(tree);
          }
        }
        return null;
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        names.add(tree.getName().toString());
        if (ASTHelpers.getSymbol(tree) == variable && insideLoop(tree)) {
          unsafe[0] = true; // declared in the loop's header
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        if (tree != assignment
            && ASTHelpers.getSymbol(tree.getVariable()) == variable
            && insideLoop(tree)) {
          unsafe[0] = true;
        }
        return super.visitAssignment(tree, null);
      }

      private boolean insideLoop(Tree tree) {
        int at = ASTHelpers.getStartPosition(tree);
        return at >= loopStart && at < loopEnd;
      }
    }.scan(scope, null);
    if (unsafe[0]) {
      return null;
    }
    String fresh = freshName(variable.getSimpleName().toString(), names);
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String type = SuggestedFixes.prettyType(state, fix, variable.type);
    fix.replace(assignment.getVariable(), type + " " + fresh);
    for (IdentifierTree use : laterUses) {
      fix.replace(use, fresh);
    }
    return fix.build();
  }

  private static boolean insideAny(int position, List<Tree> trees, VisitorState state) {
    for (Tree tree : trees) {
      if (position >= ASTHelpers.getStartPosition(tree) && position < state.getEndPosition(tree)) {
        return true;
      }
    }
    return false;
  }

  /** {@code loopCtx} for {@code ctx}, with a number added if the method already uses the name. */
  private static String freshName(String variable, Set<String> taken) {
    String base = "loop" + Character.toUpperCase(variable.charAt(0)) + variable.substring(1);
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + i;
    }
    return name;
  }
}
