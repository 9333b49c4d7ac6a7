package org.ctx4j.checks.tasks;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

/**
 * Where a task begins: the nearest lambda or method of an anonymous or local class, around a point
 * of the code, that implements a functional interface whose method declares a context as its first
 * parameter. Plain lambdas and other methods of anonymous or local classes in between belong to the
 * task around them; a method of a member or top-level class ends the search.
 */
final class TaskScopes {
  /** Calls that only read from a context: the captured one answers them as the task's would. */
  static final Matcher<ExpressionTree> READS =
      anyOf(
          staticMethod().onClass(ContextTypes.CONTEXT).named("cause"),
          instanceMethod().onDescendantOf("org.ctx4j.ContextKey").named("get"));

  private static final Matcher<ExpressionTree> GROUP_CONTEXT =
      instanceMethod().onExactClass("org.ctx4j.TaskGroup").named("context");

  private TaskScopes() {}

  /**
   * A task: the tree of its lambda or method, and its own context parameter.
   *
   * @param path the path to the lambda or method
   * @param ownContext the parameter that receives the task's context
   */
  record Task(TreePath path, VarSymbol ownContext) {
    /** Whether {@code variable} is declared inside the task (its own context, or a local of it). */
    boolean declares(VarSymbol variable, VisitorState state) {
      Tree tree = path.getLeaf();
      int start = ASTHelpers.getStartPosition(tree);
      int end = state.getEndPosition(tree);
      return variable.pos >= start && (end < 0 || variable.pos < end);
    }

    /**
     * Whether {@code variable} holds the context of the task group the task is handed to ({@code
     * Context gctx = g.context(); g.go(c -> fetch(gctx))}, Go's {@code gctx}; or the own context of
     * an enclosing task of the same group, {@code g.go(c -> g.go(c2 -> fetch(c)))}, since every
     * task of a group receives the group's context), or a context derived from it that keeps its
     * cancellation: it ends when the task's own does.
     */
    boolean holdsItsGroupsContext(VarSymbol variable, VisitorState state) {
      Symbol group = groupStartingTheTask();
      return group != null && derivedFromGroup(variable, group, state, 0);
    }

    /**
     * Whether {@code variable} is the own context of a task around this one that is handed to
     * {@code group} too, a variable that always holds the same group.
     */
    private boolean ownContextOfAnEnclosingTaskOf(
        VarSymbol variable, Symbol group, VisitorState state) {
      if (!(group instanceof VarSymbol groupVariable)
          || !ASTHelpers.isConsideredFinal(groupVariable)) {
        return false;
      }
      for (Task outer = enclosingTask(path.getParentPath(), state);
          outer != null;
          outer = enclosingTask(outer.path().getParentPath(), state)) {
        if (outer.ownContext() == variable) {
          return outer.groupStartingTheTask() == group;
        }
      }
      return false;
    }

    /**
     * The variable {@code g} of {@code g.go(task)} (or {@code tryGo}, {@code fork}), or null; for a
     * task that initializes a local variable ({@code Task t = c -> ...; g.go(t)}), the group that
     * every use of that variable hands it to.
     */
    private Symbol groupStartingTheTask() {
      Tree task = path.getLeaf();
      TreePath parent = path.getParentPath();
      if (parent != null && parent.getLeaf() instanceof ClassTree) {
        parent = parent.getParentPath(); // the method of an anonymous class: its new expression
        task = parent == null ? null : parent.getLeaf();
        parent = parent == null ? null : parent.getParentPath();
      }
      while (parent != null
          && (parent.getLeaf() instanceof ParenthesizedTree
              || parent.getLeaf() instanceof TypeCastTree)) {
        task = parent.getLeaf();
        parent = parent.getParentPath();
      }
      if (parent != null
          && parent.getLeaf() instanceof VariableTree declaration
          && declaration.getInitializer() == task) {
        return groupOfEveryUse(parent);
      }
      return parent == null ? null : groupCalled(parent.getLeaf());
    }

    /** The receiver of a call of a {@code TaskGroup} method, or null. */
    private static Symbol groupCalled(Tree tree) {
      if (!(tree instanceof MethodInvocationTree call)) {
        return null;
      }
      MethodSymbol method = ASTHelpers.getSymbol(call);
      if (method == null || !method.owner.getQualifiedName().contentEquals("org.ctx4j.TaskGroup")) {
        return null;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      return receiver == null ? null : ASTHelpers.getSymbol(receiver);
    }

    /**
     * The group that every use of the task variable declared at {@code declaration} hands the task
     * to, or null when a use does something else with it, or hands it to another group.
     */
    private static Symbol groupOfEveryUse(TreePath declaration) {
      Symbol variable = ASTHelpers.getSymbol(declaration.getLeaf());
      TreePath scope = declaration.getParentPath();
      if (!(variable instanceof VarSymbol taskVariable)
          || !CheckSupport.isLocalVariable(taskVariable)
          || !ASTHelpers.isConsideredFinal(taskVariable)
          || scope == null) {
        return null;
      }
      Symbol[] group = {null};
      boolean[] otherUse = {false};
      new TreePathScanner<Void, Void>() {
        @Override
        public Void scan(Tree tree, Void unused) {
          return otherUse[0] ? null : super.scan(tree, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree identifier, Void unused) {
          if (ASTHelpers.getSymbol(identifier) != taskVariable) {
            return null;
          }
          TreePath use = getCurrentPath().getParentPath();
          while (use != null
              && (use.getLeaf() instanceof ParenthesizedTree
                  || use.getLeaf() instanceof TypeCastTree)) {
            use = use.getParentPath();
          }
          Symbol called = use == null ? null : groupCalled(use.getLeaf());
          if (called == null || (group[0] != null && group[0] != called)) {
            otherUse[0] = true;
          } else {
            group[0] = called;
          }
          return null;
        }
      }.scan(scope, null);
      return otherUse[0] ? null : group[0];
    }

    private boolean derivedFromGroup(
        VarSymbol variable, Symbol group, VisitorState state, int depth) {
      if (depth > 4 || !ASTHelpers.isConsideredFinal(variable)) {
        return false;
      }
      TreePath declaration =
          CheckSupport.findDeclaration(variable, state.getPath().getCompilationUnit());
      ExpressionTree initializer =
          declaration != null && declaration.getLeaf() instanceof VariableTree variableTree
              ? variableTree.getInitializer()
              : null;
      if (initializer == null) {
        return ownContextOfAnEnclosingTaskOf(variable, group, state);
      }
      ExpressionTree value = CheckSupport.stripParenthesesAndCasts(initializer);
      if (value instanceof MethodInvocationTree call && GROUP_CONTEXT.matches(call, state)) {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        return receiver != null && ASTHelpers.getSymbol(receiver) == group;
      }
      if (value instanceof MethodInvocationTree call
          && ContextTypes.DERIVING_FACTORY.matches(call, state)
          && !ASTHelpers.getSymbol(call).getSimpleName().contentEquals("withoutCancel")
          && !call.getArguments().isEmpty()) {
        value = CheckSupport.stripParenthesesAndCasts(call.getArguments().get(0));
      }
      return ASTHelpers.getSymbol(value) instanceof VarSymbol parent
          && parent != variable
          && CheckSupport.isLocalVariable(parent)
          && derivedFromGroup(parent, group, state, depth + 1);
    }

    /** Whether a class lies between the point at {@code at} and the task (names may differ). */
    boolean classBetween(TreePath at) {
      for (TreePath p = at; p != null && p.getLeaf() != path.getLeaf(); p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree) {
          return true;
        }
      }
      return false;
    }
  }

  /** The task around {@code path}'s leaf, or null. */
  static Task enclosingTask(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree lambda) {
        VarSymbol own = ownContextOfLambda(lambda, state);
        if (own != null) {
          return new Task(p, own);
        }
      } else if (leaf instanceof MethodTree method) {
        MethodSymbol symbol = ASTHelpers.getSymbol(method);
        if (symbol == null || !isLocalOrAnonymous(symbol.owner)) {
          return null;
        }
        VarSymbol own = ownContextOfMethod(method, symbol, state);
        if (own != null) {
          return new Task(p, own);
        }
      } else if (leaf instanceof ClassTree classTree) {
        if (!isLocalOrAnonymous(ASTHelpers.getSymbol(classTree))) {
          return null;
        }
      }
    }
    return null;
  }

  private static boolean isLocalOrAnonymous(Symbol symbol) {
    return symbol instanceof ClassSymbol c && (c.isAnonymous() || c.isDirectlyOrIndirectlyLocal());
  }

  /** The first parameter of a task lambda, or null when the lambda is not a task. */
  private static VarSymbol ownContextOfLambda(LambdaExpressionTree lambda, VisitorState state) {
    if (lambda.getParameters().isEmpty()) {
      return null;
    }
    VarSymbol first = ASTHelpers.getSymbol(lambda.getParameters().get(0));
    if (first == null || !ContextTypes.isContextValued(first.type, state)) {
      return null;
    }
    Type type = ASTHelpers.getType(lambda);
    if (type == null || type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Symbol descriptor = state.getTypes().findDescriptorSymbol(type.tsym);
    return descriptor instanceof MethodSymbol method && declaresContextFirst(method, state)
        ? first
        : null;
  }

  /**
   * The first parameter of a method of an anonymous or local class that implements the method of a
   * functional interface declaring a context first, or null.
   */
  private static VarSymbol ownContextOfMethod(
      MethodTree method, MethodSymbol symbol, VisitorState state) {
    List<? extends VariableTree> parameters = method.getParameters();
    if (parameters.isEmpty() || (symbol.flags() & Flags.STATIC) != 0) {
      return null;
    }
    VarSymbol first = ASTHelpers.getSymbol(parameters.get(0));
    if (first == null || !ContextTypes.isContextValued(first.type, state)) {
      return null;
    }
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(symbol, state.getTypes())) {
      if (overridden.owner.isInterface()
          && (overridden.flags() & Flags.ABSTRACT) != 0
          && overridden.owner instanceof ClassSymbol owner
          && state.getTypes().isFunctionalInterface(owner)
          && declaresContextFirst(overridden, state)) {
        return first;
      }
    }
    return null;
  }

  /** The method, as its interface declares it, takes a context as its first parameter. */
  private static boolean declaresContextFirst(MethodSymbol method, VisitorState state) {
    List<VarSymbol> parameters = method.getParameters();
    return !parameters.isEmpty() && ContextTypes.isContextValued(parameters.get(0).type, state);
  }
}
