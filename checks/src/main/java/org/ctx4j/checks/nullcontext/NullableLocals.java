package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.JCTree.JCAssign;
import com.sun.tools.javac.tree.JCTree.JCBinary;
import com.sun.tools.javac.tree.JCTree.JCIdent;
import com.sun.tools.javac.tree.JCTree.JCLiteral;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import com.sun.tools.javac.tree.JCTree.JCTypeCast;
import com.sun.tools.javac.tree.JCTree.JCVariableDecl;
import com.sun.tools.javac.tree.TreeInfo;
import com.sun.tools.javac.tree.TreeScanner;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextInScopeFix;
import org.ctx4j.checks.support.PerCompilation;

/**
 * What one method (or, for code outside methods, one field or initializer) can make null, learnt in
 * one scan of its code. The nullness dataflow can only know a local variable to be null from a
 * {@code null} literal assigned to it, from a comparison ({@code ==}, {@code !=}, {@code
 * Objects.isNull}, {@code Objects.nonNull}), or from another variable it was assigned or compared
 * with: a variable with none of these is never null to the dataflow, and the dataflow (a
 * control-flow graph and a fixpoint per method) is not asked about it. Without any {@code null} in
 * the member nothing there is null, and every set stays empty.
 *
 * <p>{@link KnownNull} asks it which locals can be null at all and what they were initialised with;
 * {@link ContextInScopeFix} asks it which locals it must not offer. Both get it from one {@link
 * Cache}, owned by the check.
 */
final class NullableLocals {
  private static final Supplier<? extends Name> IS_NULL = PerCompilation.name("isNull");
  private static final Supplier<? extends Name> NON_NULL = PerCompilation.name("nonNull");

  /** The member scanned: the key of the {@link Cache}. */
  private final Tree member;

  /** The locals that an assignment or a comparison could give the dataflow's NULL; null if none. */
  private Set<Symbol> dataflowMayFindNull;

  /** The initializers of locals declared with an expression that can be null by its shape. */
  private Map<Symbol, ExpressionTree> nullableInitializers;

  /** The locals the member assigns the {@code null} literal (in a declaration or assignment). */
  private Set<Symbol> assignedNull;

  /** The methods and lambdas whose control-flow graph the dataflow could not build. */
  private Set<Tree> unanalysable;

  /** Whether the code holds a {@code null} literal or an {@code isNull}/{@code nonNull} call. */
  private boolean mentionsNull;

  private NullableLocals(Tree member) {
    this.member = member;
  }

  /** Whether anything in the member can be null at all (it mentions {@code null}). */
  boolean mentionsNull() {
    return mentionsNull;
  }

  /** Whether an assignment or a comparison in the member could make {@code local} null. */
  boolean dataflowMayFindNull(Symbol local) {
    return dataflowMayFindNull != null && dataflowMayFindNull.contains(local);
  }

  /**
   * Whether the member assigns {@code local} the {@code null} literal: the gate before {@link
   * NullPaths} walks the member's code.
   */
  boolean assignedNull(Symbol local) {
    return assignedNull != null && assignedNull.contains(local);
  }

  /** The initializer of {@code local} if it may be null by its shape, else null. */
  ExpressionTree nullableInitializer(Symbol local) {
    return nullableInitializers == null ? null : nullableInitializers.get(local);
  }

  /** Whether the dataflow has refused {@code code} (a method, lambda or initializer) before. */
  boolean isUnanalysable(Tree code) {
    return unanalysable != null && unanalysable.contains(code);
  }

  /** Remembers that the dataflow cannot analyse {@code code}, so that it is not asked again. */
  void markUnanalysable(Tree code) {
    if (unanalysable == null) {
      unanalysable = new HashSet<>();
    }
    unanalysable.add(code);
  }

  /**
   * The member whose code is scanned for {@code path}: the method around it, or outside methods the
   * field or initializer block (a direct child of a class), or the class itself; null outside any
   * class. A local variable never outlives the member it is declared in, so one member's code is
   * all there is to scan.
   */
  static Tree memberAround(TreePath path) {
    // javac's tags, not instanceof on the tree interfaces: this runs for each argument asked about.
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      JCTree leaf = (JCTree) p.getLeaf();
      TreePath parent = p.getParentPath();
      if (leaf.hasTag(JCTree.Tag.METHODDEF)
          || leaf.hasTag(JCTree.Tag.CLASSDEF)
          || (parent != null && ((JCTree) parent.getLeaf()).hasTag(JCTree.Tag.CLASSDEF))) {
        return leaf;
      }
    }
    return null;
  }

  /**
   * The scope last scanned, a one-entry cache: Error Prone visits a member's trees together, and a
   * check asks about one member at a time. Keyed by the identity of the member's tree, so an entry
   * cannot answer for another member; {@link #clear} at the start of each compilation unit keeps
   * trees of one unit from being held while the next is analysed.
   */
  static final class Cache {
    private NullableLocals last;

    /** The path last asked about (an argument's path is a child of its call's path). */
    private TreePath lastPath;

    /** What the member around {@code path} can make null; null outside any class. */
    NullableLocals of(TreePath path, VisitorState state) {
      if (last != null && lastPath == path.getParentPath()) {
        return last; // another argument of the same call
      }
      Tree member = memberAround(path);
      if (member == null) {
        return null;
      }
      if (last == null || last.member != member) {
        last = scan(member, state);
      }
      lastPath = path.getParentPath();
      return last;
    }

    /** Forgets the scope held; the check calls it as each compilation unit starts. */
    void clear() {
      last = null;
      lastPath = null;
    }
  }

  /** What {@code member} can make null, scanned without touching any {@link Cache}. */
  static NullableLocals scanApart(Tree member, VisitorState state) {
    return scan(member, state);
  }

  /** One pass over {@code member}'s code, with javac's scanner (no allocation per node). */
  private static NullableLocals scan(Tree member, VisitorState state) {
    NullableLocals scope = new NullableLocals(member);
    new Scanner(scope, IS_NULL.get(state), NON_NULL.get(state)).scan((JCTree) member);
    if (!scope.mentionsNull) {
      // Without a null nothing is null: the sets stay empty, and no question reaches them.
      scope.dataflowMayFindNull = null;
      scope.nullableInitializers = null;
      scope.assignedNull = null;
    }
    return scope;
  }

  /** Fills a {@link NullableLocals}. */
  private static final class Scanner extends TreeScanner {
    private final NullableLocals scope;
    private final Name isNull;
    private final Name nonNull;

    Scanner(NullableLocals scope, Name isNull, Name nonNull) {
      this.scope = scope;
      this.isNull = isNull;
      this.nonNull = nonNull;
    }

    @Override
    public void visitLiteral(JCLiteral tree) {
      if (tree.typetag == TypeTag.BOT) {
        scope.mentionsNull = true;
      }
    }

    @Override
    public void visitVarDef(JCVariableDecl tree) {
      JCTree.JCExpression initializer = tree.getInitializer();
      if (initializer != null
          && mayHoldNull(initializer)
          && CheckSupport.isLocalVariable(tree.sym)) {
        addDataflowCandidate(tree.sym);
        if (scope.nullableInitializers == null) {
          scope.nullableInitializers = new HashMap<>();
        }
        scope.nullableInitializers.put(tree.sym, initializer);
        if (isNullLiteral(initializer)) {
          addAssignedNull(tree.sym);
        }
      }
      super.visitVarDef(tree);
    }

    @Override
    public void visitAssign(JCAssign tree) {
      if (mayHoldNull(tree.rhs)) {
        addLocal(tree.getVariable());
        if (isNullLiteral(tree.rhs)
            && stripParentheses(tree.getVariable()) instanceof JCIdent identifier
            && CheckSupport.isLocalVariable(identifier.sym)) {
          addAssignedNull(identifier.sym);
        }
      }
      super.visitAssign(tree);
    }

    @Override
    public void visitBinary(JCBinary tree) {
      if (tree.hasTag(JCTree.Tag.EQ) || tree.hasTag(JCTree.Tag.NE)) {
        addLocal(tree.getLeftOperand());
        addLocal(tree.getRightOperand());
      }
      super.visitBinary(tree);
    }

    @Override
    public void visitApply(JCMethodInvocation tree) {
      // Objects.isNull(x) and Objects.nonNull(x) tell the dataflow that x is null on one branch.
      Name name = CheckSupport.calledName(tree);
      if (name == isNull || name == nonNull) { // javac interns names: no string is made
        scope.mentionsNull = true;
        for (JCTree.JCExpression argument : tree.args) {
          addLocal(argument);
        }
      }
      super.visitApply(tree);
    }

    private void addLocal(ExpressionTree expression) {
      if (stripParentheses(expression) instanceof JCIdent identifier
          && CheckSupport.isLocalVariable(identifier.sym)) {
        addDataflowCandidate(identifier.sym);
      }
    }

    private void addDataflowCandidate(Symbol local) {
      if (scope.dataflowMayFindNull == null) {
        scope.dataflowMayFindNull = new HashSet<>();
      }
      scope.dataflowMayFindNull.add(local);
    }

    private void addAssignedNull(Symbol local) {
      if (scope.assignedNull == null) {
        scope.assignedNull = new HashSet<>();
      }
      scope.assignedNull.add(local);
    }

    private static boolean isNullLiteral(JCTree expression) {
      JCTree stripped = TreeInfo.skipParens(expression);
      while (stripped instanceof JCTypeCast cast) {
        stripped = TreeInfo.skipParens(cast.expr);
      }
      return stripped instanceof JCLiteral literal && literal.typetag == TypeTag.BOT;
    }

    private static ExpressionTree stripParentheses(ExpressionTree expression) {
      ExpressionTree current = expression;
      while (current instanceof JCTree.JCParens parens) {
        current = parens.getExpression();
      }
      return current;
    }

    /**
     * Whether the dataflow could find {@code expression} null: a {@code null} literal, or a shape
     * that passes on a value which might be (a variable, a field, a conditional, a switch, an
     * assignment). A call, an object creation or a literal of another kind never is.
     */
    private static boolean mayHoldNull(JCTree expression) {
      JCTree stripped = TreeInfo.skipParens(expression);
      while (stripped instanceof JCTypeCast cast) {
        stripped = TreeInfo.skipParens(cast.expr);
      }
      return switch (stripped.getTag()) {
        case LITERAL -> ((JCLiteral) stripped).typetag == TypeTag.BOT;
        case IDENT, SELECT, CONDEXPR, SWITCH_EXPRESSION, ASSIGN -> true;
        default -> false;
      };
    }
  }
}
