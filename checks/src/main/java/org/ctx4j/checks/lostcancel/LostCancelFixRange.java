package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;

/**
 * The range {@link LostCancelFix} wraps in the new try block: which statements after the
 * declaration must be inside it (those that use the context, and those that use a local declared or
 * assigned inside it), and which plain {@code c.cancel()} statements in it become redundant once
 * the try closes the context.
 */
final class LostCancelFixRange {
  private LostCancelFixRange() {}

  /**
   * The index of the last statement after {@code index} that must be inside the new block: one that
   * mentions the variable, or a local that a statement inside the block declares or assigns (a
   * declaration must stay in scope for its later uses; an assigned value may be made from the
   * context).
   */
  static int lastStatement(
      List<? extends StatementTree> statements, int index, VarSymbol variable) {
    Set<Symbol> needed = new HashSet<>();
    needed.add(variable);
    int last = index;
    boolean grew = true;
    while (grew) {
      grew = false;
      for (int i = statements.size() - 1; i > last; i--) {
        if (mentionsAny(statements.get(i), needed)) {
          for (int j = last + 1; j <= i; j++) {
            needed.addAll(declaredOrAssigned(statements.get(j)));
          }
          last = i;
          grew = true;
          break;
        }
      }
    }
    return last;
  }

  /**
   * The statements in {@code (index, last]} that are a plain {@code c.cancel()} or {@code
   * c.close()} of the variable, alone on their lines, after which no statement of the block needs
   * anything the context could have made: the new block's own close replaces them.
   */
  static List<Integer> redundantCancels(
      List<? extends StatementTree> statements,
      int index,
      int last,
      VarSymbol variable,
      VisitorState state) {
    List<Integer> redundant = new ArrayList<>();
    for (int i = index + 1; i <= last; i++) {
      if (!isPlainCancel(statements.get(i), variable)
          || !aloneOnItsLines(statements.get(i), state)) {
        continue;
      }
      Set<Symbol> mayHoldTheContext = new HashSet<>();
      mayHoldTheContext.add(variable);
      for (int j = index + 1; j < i; j++) {
        for (Symbol local : declaredOrAssigned(statements.get(j))) {
          if (!isPlainValue(local.type, state)) {
            mayHoldTheContext.add(local);
          }
        }
      }
      boolean neededLater = false;
      for (int j = i + 1; j < statements.size() && !neededLater; j++) {
        neededLater = mentionsAny(statements.get(j), mayHoldTheContext);
      }
      if (!neededLater) {
        redundant.add(i);
      }
    }
    return redundant;
  }

  /**
   * The plain {@code c.cancel()} or {@code c.close()} statements nested inside the statements in
   * {@code (index, last]} (a branch of an {@code if}, a {@code case}, a {@code catch}, a {@code
   * finally}, a block) that the new block's own close makes redundant: alone on their lines, in a
   * block, not inside a loop, lambda, class or expression, and such that nothing that may run after
   * them before the new block ends (the rest of each enclosing block, the catches and finally of an
   * enclosing {@code try}, later cases of an enclosing {@code switch}, the statements of the
   * enclosing block after theirs) names the context or a local that could hold something made from
   * it. A cancel on a path the new block does not cover is never among them: every statement it
   * could be is inside the block.
   */
  static List<StatementTree> redundantNestedCancels(
      List<? extends StatementTree> statements,
      int index,
      int last,
      VarSymbol variable,
      VisitorState state) {
    Set<Symbol> mayHoldTheContext = new HashSet<>();
    mayHoldTheContext.add(variable);
    for (int j = index + 1; j <= last; j++) {
      for (Symbol local : declaredOrAssigned(statements.get(j))) {
        // A caught exception is what the code threw, not something made from the context.
        if (!isPlainValue(local.type, state)
            && local.getKind() != ElementKind.EXCEPTION_PARAMETER) {
          mayHoldTheContext.add(local);
        }
      }
    }
    List<StatementTree> redundant = new ArrayList<>();
    for (int i = index + 1; i <= last; i++) {
      boolean neededLater = false;
      for (int j = i + 1; j < statements.size() && !neededLater; j++) {
        neededLater = mentionsAny(statements.get(j), mayHoldTheContext);
      }
      if (neededLater) {
        continue;
      }
      StatementTree top = statements.get(i);
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitExpressionStatement(ExpressionStatementTree tree, Void unused) {
          if (tree != top
              && isPlainCancel(tree, variable)
              && aloneOnItsLines(tree, state)
              && nothingAfterNeedsIt(getCurrentPath(), top, mayHoldTheContext)) {
            redundant.add(tree);
          }
          return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
          return null;
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
          return null;
        }
      }.scan(new TreePath(new TreePath(state.getPath().getCompilationUnit()), top), null);
    }
    return redundant;
  }

  /**
   * Whether, walking out from the cancel at {@code path} to {@code top}, only statements that may
   * not run after it, or that name none of {@code symbols}, are passed.
   */
  private static boolean nothingAfterNeedsIt(TreePath path, Tree top, Set<Symbol> symbols) {
    if (!(path.getParentPath().getLeaf() instanceof BlockTree
        || path.getParentPath().getLeaf() instanceof CaseTree)) {
      return false; // `if (b) c.cancel();`: deleting the line would leave the if without a body
    }
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof BlockTree block) {
        if (after(block.getStatements(), child, symbols)) {
          return false;
        }
      } else if (leaf instanceof CaseTree caseTree) {
        if (caseTree.getStatements() != null && after(caseTree.getStatements(), child, symbols)) {
          return false;
        }
      } else if (leaf instanceof SwitchTree switchTree) {
        if (after(switchTree.getCases(), child, symbols)) {
          return false;
        }
      } else if (leaf instanceof TryTree tryTree) {
        if (child != tryTree.getFinallyBlock() && mentionsAny(tryTree.getFinallyBlock(), symbols)) {
          return false;
        }
        if (child == tryTree.getBlock()) {
          for (CatchTree catchTree : tryTree.getCatches()) {
            if (mentionsAny(catchTree, symbols)) {
              return false;
            }
          }
        }
      } else if (!(leaf instanceof IfTree
          || leaf instanceof CatchTree
          || leaf instanceof LabeledStatementTree
          || leaf instanceof SynchronizedTree)) {
        return false; // a loop comes round again; an expression goes on after it
      }
      if (leaf == top) {
        return true;
      }
      child = leaf;
    }
    return false;
  }

  /** Whether an element of {@code trees} after {@code child} names any of {@code symbols}. */
  private static boolean after(List<? extends Tree> trees, Tree child, Set<Symbol> symbols) {
    int at = trees.indexOf(child);
    if (at < 0) {
      return true; // not found: assume the worst
    }
    for (int i = at + 1; i < trees.size(); i++) {
      if (mentionsAny(trees.get(i), symbols)) {
        return true;
      }
    }
    return false;
  }

  /** {@code c.cancel();} or {@code c.close();} (no cause: a cause is information to keep). */
  private static boolean isPlainCancel(StatementTree statement, VarSymbol variable) {
    if (!(statement instanceof ExpressionStatementTree expression)
        || !(expression.getExpression() instanceof MethodInvocationTree call)
        || !call.getArguments().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return false;
    }
    String name = select.getIdentifier().toString();
    return (name.equals("cancel") || name.equals("close"))
        && ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression())) == variable;
  }

  /**
   * Whether a value of {@code type} cannot hold a context or anything made from one: primitives,
   * their boxes and {@code String}.
   */
  private static boolean isPlainValue(Type type, VisitorState state) {
    if (type == null) {
      return false;
    }
    if (type.isPrimitive()) {
      return true;
    }
    Type unboxed = state.getTypes().unboxedType(type);
    return (unboxed != null && unboxed.isPrimitive())
        || ASTHelpers.isSameType(type, state.getSymtab().stringType, state);
  }

  /** Whether only whitespace shares the lines of {@code statement}. */
  private static boolean aloneOnItsLines(StatementTree statement, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(statement);
    int end = state.getEndPosition(statement);
    if (source == null || start < 0 || end <= start || end > source.length()) {
      return false;
    }
    for (int i = start - 1; i >= 0 && source.charAt(i) != '\n'; i--) {
      if (!Character.isWhitespace(source.charAt(i))) {
        return false;
      }
    }
    for (int i = end; i < source.length() && source.charAt(i) != '\n'; i++) {
      if (!Character.isWhitespace(source.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code tree} names any of {@code symbols}. */
  static boolean mentionsAny(Tree tree, Set<? extends Symbol> symbols) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        found[0] |= symbols.contains(ASTHelpers.getSymbol(identifier));
        return null;
      }
    }.scan(tree, null);
    return found[0];
  }

  /** The locals {@code statement} declares or assigns, at any depth. */
  private static Set<Symbol> declaredOrAssigned(StatementTree statement) {
    Set<Symbol> symbols = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        add(ASTHelpers.getSymbol(tree));
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        add(ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())));
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
        add(ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())));
        return super.visitCompoundAssignment(tree, null);
      }

      @Override
      public Void visitLiteral(LiteralTree tree, Void unused) {
        return null;
      }

      private void add(Symbol symbol) {
        if (symbol != null && CheckSupport.isLocalVariable(symbol)) {
          symbols.add(symbol);
        }
      }
    }.scan(statement, null);
    return symbols;
  }
}
