package org.ctx4j.checks.blocking;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.Set;
import org.ctx4j.checks.support.CheckSupport;

/**
 * A future taken from a collection whose every element an earlier {@code allOf} wait covered:
 *
 * <pre>{@code
 * Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
 * for (var f : futures) {
 *   total += f.join();                  // complete: silent
 * }
 * }</pre>
 *
 * The collection must be an effectively final local; the {@code allOf} argument {@code
 * c.toArray(...)} or {@code c.stream().toArray(...)}; the future the loop variable of an enhanced
 * {@code for} over the collection (not reassigned) or {@code c.get(i)}; and between the wait and
 * the {@code join()} or {@code get()} the collection is only read (iterated, {@code get}, {@code
 * size}, ...): passed anywhere, or any other method called on it, and the element is no longer
 * known to be complete.
 */
final class CollectionsWaitedFor {
  private static final Matcher<ExpressionTree> TO_ARRAY =
      instanceMethod().onDescendantOf("java.util.Collection").named("toArray");
  private static final Matcher<ExpressionTree> STREAM =
      instanceMethod().onDescendantOf("java.util.Collection").named("stream");
  private static final Matcher<ExpressionTree> STREAM_TO_ARRAY =
      instanceMethod().onDescendantOf("java.util.stream.Stream").named("toArray");
  private static final Matcher<ExpressionTree> LIST_GET =
      instanceMethod().onDescendantOf("java.util.List").named("get");

  /** Methods that leave a collection as it is (and expose no way to change it). */
  private static final Set<String> READS =
      Set.of("get", "size", "isEmpty", "contains", "containsAll", "stream", "toArray", "indexOf");

  private CollectionsWaitedFor() {}

  /** Whether {@code receiver}, a waited-for future, is an element an earlier wait covered. */
  static boolean elementKnownComplete(ExpressionTree receiver, VisitorState state) {
    Symbol collection = collectionOf(receiver, state);
    if (!(collection instanceof VarSymbol local)
        || !CheckSupport.isLocalVariable(local)
        || !ASTHelpers.isConsideredFinal(local)) {
      return false;
    }
    TreePath wait = state.getPath();
    Tree child = wait.getLeaf();
    for (TreePath p = wait.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof BlockTree block) {
        StatementTree covering = coveringStatement(block, child, local, state);
        if (covering != null) {
          return onlyReadBetween(p, local, state.getEndPosition(covering), startOf(wait.getLeaf()));
        }
      }
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return false;
      }
      child = leaf;
    }
    return false;
  }

  /**
   * The collection the future comes from: the collection of the enhanced {@code for} whose variable
   * it is, or the receiver of {@code list.get(i)}; null otherwise.
   */
  private static Symbol collectionOf(ExpressionTree receiver, VisitorState state) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(receiver);
    if (stripped instanceof MethodInvocationTree call && LIST_GET.matches(call, state)) {
      return WaitsBoundedByContext.variable(ASTHelpers.getReceiver(call));
    }
    if (!(stripped instanceof IdentifierTree)
        || !(ASTHelpers.getSymbol(stripped) instanceof VarSymbol element)
        || !ASTHelpers.isConsideredFinal(element)) {
      return null;
    }
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof EnhancedForLoopTree loop
          && ASTHelpers.getSymbol(loop.getVariable()) == element) {
        return WaitsBoundedByContext.variable(loop.getExpression());
      }
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  /** A statement before {@code child} in {@code block} that waits for all of the collection. */
  private static StatementTree coveringStatement(
      BlockTree block, Tree child, VarSymbol collection, VisitorState state) {
    StatementTree found = null;
    for (StatementTree statement : block.getStatements()) {
      if (statement == child) {
        return found;
      }
      if (statement instanceof ExpressionStatementTree expression) {
        MethodInvocationTree all =
            WaitsBoundedByContext.waitedAllOf(expression.getExpression(), state);
        if (all != null
            && all.getArguments().size() == 1
            && isEveryElementOf(all.getArguments().get(0), collection, state)) {
          found = statement;
        }
      }
    }
    return null;
  }

  /** {@code c.toArray(...)} or {@code c.stream().toArray(...)}. */
  private static boolean isEveryElementOf(
      ExpressionTree argument, VarSymbol collection, VisitorState state) {
    if (!(CheckSupport.stripParenthesesAndCasts(argument) instanceof MethodInvocationTree call)) {
      return false;
    }
    ExpressionTree source;
    if (TO_ARRAY.matches(call, state)) {
      source = ASTHelpers.getReceiver(call);
    } else if (STREAM_TO_ARRAY.matches(call, state)
        && ASTHelpers.getReceiver(call) instanceof MethodInvocationTree stream
        && STREAM.matches(stream, state)) {
      source = ASTHelpers.getReceiver(stream);
    } else {
      return false;
    }
    return WaitsBoundedByContext.variable(source) == collection;
  }

  /**
   * Whether every mention of {@code collection} in {@code block} between {@code from} and {@code
   * to} (source positions) only reads it.
   */
  private static boolean onlyReadBetween(TreePath block, VarSymbol collection, int from, int to) {
    boolean[] changed = new boolean[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        int at = startOf(identifier);
        if (at > from
            && at < to
            && ASTHelpers.getSymbol(identifier) == collection
            && !readOnly(getCurrentPath())) {
          changed[0] = true;
        }
        return null;
      }
    }.scan(block, null);
    return !changed[0] && from >= 0;
  }

  /** The use at {@code path} iterates the collection or calls a method that only reads it. */
  private static boolean readOnly(TreePath path) {
    Tree use = path.getLeaf();
    Tree parent = path.getParentPath().getLeaf();
    if (parent instanceof EnhancedForLoopTree loop) {
      return loop.getExpression() == use;
    }
    return parent instanceof MemberSelectTree select
        && select.getExpression() == use
        && READS.contains(select.getIdentifier().toString())
        && path.getParentPath().getParentPath().getLeaf() instanceof MethodInvocationTree;
  }

  private static int startOf(Tree tree) {
    return ASTHelpers.getStartPosition(tree);
  }
}
