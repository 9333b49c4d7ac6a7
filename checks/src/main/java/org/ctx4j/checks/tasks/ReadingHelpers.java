package org.ctx4j.checks.tasks;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.List;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.NameSet;

/**
 * Helpers that only read from a context parameter: a method of this compilation unit that cannot be
 * overridden and whose body uses the parameter, at least once, only to look up values or the
 * deadline ({@code ctx.value(key)}, {@code key.get(ctx)}, {@code ctx.deadline()}, {@code
 * ctx.timeLeft()}) or to pass it on to another such helper. The captured context answers them as
 * the task's own would, as it does those reads written in the task itself. A helper declared in
 * another file is not looked into (its body is not part of this compilation unit's trees), so the
 * answer never depends on which files a build compiles together.
 */
final class ReadingHelpers {
  /** Methods of a context that read what the task's own context reads the same. */
  private static final NameSet READ_METHODS = NameSet.of("value", "deadline", "timeLeft");

  /** How many helpers deep a context passed on is followed. */
  private static final int MAX_DEPTH = 3;

  private ReadingHelpers() {}

  /**
   * Whether {@code method} only reads values and the deadline from the context that its {@code
   * index}th argument goes to.
   */
  static boolean onlyReads(MethodSymbol method, int index, VisitorState state) {
    return onlyReads(method, index, state, 0);
  }

  private static boolean onlyReads(MethodSymbol method, int index, VisitorState state, int depth) {
    if (depth > MAX_DEPTH || method.isConstructor() || overridable(method)) {
      return false;
    }
    List<VarSymbol> parameters = method.getParameters();
    if (index >= parameters.size() || (method.isVarArgs() && index >= parameters.size() - 1)) {
      return false;
    }
    TreePath declaration =
        CheckSupport.findDeclaration(method, state.getPath().getCompilationUnit());
    if (declaration == null
        || !(declaration.getLeaf() instanceof MethodTree tree)
        || tree.getBody() == null) {
      return false;
    }
    VarSymbol parameter = parameters.get(index);
    boolean[] otherUse = {false};
    boolean[] read = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return otherUse[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) == parameter) {
          if (isRead(getCurrentPath(), state, depth)) {
            read[0] = true;
          } else {
            otherUse[0] = true;
          }
        }
        return null;
      }
    }.scan(new TreePath(declaration, tree.getBody()), null);
    // A helper that does not use the context at all is no reader: it may be a stub of real work.
    return read[0] && !otherUse[0];
  }

  /** A method a subclass could replace by one that uses the context another way. */
  private static boolean overridable(MethodSymbol method) {
    return (method.flags() & (Flags.STATIC | Flags.PRIVATE | Flags.FINAL)) == 0
        && (method.owner.flags() & Flags.FINAL) == 0;
  }

  /** Whether the parameter named at {@code use} is only read there. */
  private static boolean isRead(TreePath use, VisitorState state, int depth) {
    Tree used = use.getLeaf();
    TreePath parent = use.getParentPath();
    while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
      used = parent.getLeaf();
      parent = parent.getParentPath();
    }
    if (parent == null) {
      return false;
    }
    if (parent.getLeaf() instanceof MemberSelectTree select && select.getExpression() == used) {
      // ctx.value(key), ctx.deadline(), ctx.timeLeft(): called, not merely named.
      TreePath call = parent.getParentPath();
      return call != null
          && call.getLeaf() instanceof MethodInvocationTree invocation
          && invocation.getMethodSelect() == select
          && READ_METHODS.contains(select.getIdentifier(), state);
    }
    if (!(parent.getLeaf() instanceof MethodInvocationTree call)) {
      return false;
    }
    int position = call.getArguments().indexOf(used);
    if (position < 0) {
      return false;
    }
    if (TaskScopes.READS.matches(call, state)) {
      return true;
    }
    MethodSymbol callee = ASTHelpers.getSymbol(call);
    return callee != null && onlyReads(callee, position, state, depth + 1);
  }
}
