package org.ctx4j.checks.blocking;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.PerCompilation;
import org.ctx4j.checks.support.RuntimeRoles;
import org.ctx4j.checks.support.RuntimeRoles.Role;

/**
 * The calls {@link BlockingCallIgnoresContext} lists that cannot outwait the context in scope, so
 * that it stays silent on them: a wait on a future that ends with the context itself ({@code
 * Context.awaitAsync(ctx, f).join()}, {@code ctx.done().toFuture().get()}), a wait on a future that
 * is already complete ({@code if (f.isDone()) f.get()}, after {@code allOf(f, g).join()}), a latch
 * that a streaming call through the gRPC bridge releases when it ends, a poll with a zero time
 * limit, and {@code put} on a queue made without a capacity.
 *
 * <p>Each answer looks only at the call, its receiver and, for a receiver held in an effectively
 * final local or a final field, that variable's initializer; it never follows values further.
 */
final class WaitsBoundedByContext {
  private static final Matcher<ExpressionTree> AWAIT_ASYNC =
      staticMethod().onClass(ContextTypes.CONTEXT).named("awaitAsync");
  private static final Matcher<ExpressionTree> DONE_AS_FUTURE =
      instanceMethod().onDescendantOf("org.ctx4j.Done").named("toFuture");
  private static final Matcher<ExpressionTree> ALL_OF =
      staticMethod().onClass("java.util.concurrent.CompletableFuture").named("allOf");
  private static final Matcher<ExpressionTree> IS_DONE =
      instanceMethod().onDescendantOf("java.util.concurrent.Future").named("isDone");
  private static final Matcher<ExpressionTree> WAIT_FOR_ALL =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.CompletableFuture")
          .namedAnyOf("join", "get");
  private static final Matcher<ExpressionTree> AWAIT =
      staticMethod().onClass(ContextTypes.CONTEXT).named("await");
  private static final String CONTEXT_EXECUTORS = ContextTypes.CONTEXT_EXECUTORS;
  private static final String TASK_GROUP = ContextTypes.TASK_GROUP;
  private static final Matcher<ExpressionTree> BIND =
      staticMethod().onClass(CONTEXT_EXECUTORS).named("bind");
  private static final Matcher<ExpressionTree> SUBMIT =
      instanceMethod().onDescendantOf("java.util.concurrent.ExecutorService").named("submit");
  private static final Matcher<ExpressionTree> GROUP_CONTEXT =
      instanceMethod().onExactClass(TASK_GROUP).named("context");

  private static final Matcher<ExpressionTree> HTTP_SEND_ASYNC =
      staticMethod().onClass("org.ctx4j.http.HttpBridge").named("sendAsync");

  /**
   * The stages of a future that complete as soon as it completes, once their function has run (an
   * exceptional completion passes straight through), and the methods that return the future itself
   * or a copy of it. Not the {@code *Async} variants, whose function waits for an executor, nor
   * {@code thenCompose} and the combinations, which wait for another future too.
   */
  private static final Matcher<ExpressionTree> DEPENDENT_STAGE =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.CompletableFuture")
          .namedAnyOf(
              "thenApply",
              "thenAccept",
              "thenRun",
              "handle",
              "whenComplete",
              "exceptionally",
              "orTimeout",
              "completeOnTimeout",
              "copy",
              "toCompletableFuture");

  private static final Matcher<ExpressionTree> TO_ARRAY =
      instanceMethod().onDescendantOf("java.util.Collection").named("toArray");
  private static final Matcher<ExpressionTree> STREAM_TO_LIST =
      instanceMethod().onDescendantOf("java.util.stream.Stream").named("toList");
  private static final Matcher<ExpressionTree> STREAM_MAP =
      instanceMethod().onDescendantOf("java.util.stream.Stream").named("map");

  private static final Supplier<Type> TIME_UNIT =
      PerCompilation.type("java.util.concurrent.TimeUnit");

  private WaitsBoundedByContext() {}

  /**
   * Whether the blocking call {@code tree}, at {@code state}'s path, cannot outwait the context.
   */
  static boolean cannotOutwaitTheContext(
      MethodInvocationTree tree, MethodSymbol method, VarSymbol ctx, VisitorState state) {
    if (hasZeroTimeLimit(tree, method, state)) {
      return true;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null) {
      return false;
    }
    String name = method.getSimpleName().toString();
    if (name.equals("get") || name.equals("join")) {
      return endsWithTheContext(receiver, ctx, state)
          || knownComplete(receiver, state)
          || CollectionsWaitedFor.elementKnownComplete(receiver, state);
    }
    if (name.equals("await")
        && method.owner.getQualifiedName().contentEquals("java.util.concurrent.CountDownLatch")) {
      TreePath scope = CheckSupport.enclosingMethodOrLambda(state.getPath());
      return scope != null && BridgedCalls.latchReleasedByBridgedCall(receiver, scope, state);
    }
    return name.equals("put") && unboundedQueue(receiver, state);
  }

  /**
   * A timed wait ({@code get(0, SECONDS)}, {@code await(0, MILLISECONDS)}, {@code
   * awaitTermination(0, ...)}) or {@code Thread.sleep(0)} given the literal zero: it returns at
   * once. ({@code wait(0)} and {@code join(0)} wait for ever, so a bare {@code long} zero counts
   * only for {@code sleep}.)
   */
  private static boolean hasZeroTimeLimit(
      MethodInvocationTree tree, MethodSymbol method, VisitorState state) {
    if (tree.getArguments().isEmpty() || !isZero(tree.getArguments().get(0))) {
      return false;
    }
    if (method.getSimpleName().contentEquals("sleep")
        && method.owner.getQualifiedName().contentEquals("java.lang.Thread")) {
      return true;
    }
    Type timeUnit = TIME_UNIT.get(state);
    return timeUnit != null
        && method.getParameters().stream()
            .anyMatch(p -> ASTHelpers.isSameType(p.type, timeUnit, state));
  }

  private static boolean isZero(ExpressionTree argument) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(argument);
    return stripped instanceof LiteralTree literal
        && literal.getValue() instanceof Number number
        && number.longValue() == 0
        && number.doubleValue() == 0;
  }

  /**
   * A future that completes when the context ends: {@code awaitAsync(ctx, f)}, a done view, a
   * future of {@code ContextExecutors.callAsync}/{@code runAsync}, or of {@code submit} on an
   * executor service from {@code ContextExecutors.bind}, or of {@code HttpBridge.sendAsync}, bound
   * to the context in scope or to one derived from it; the future of a call of a generated future
   * stub that goes through the gRPC bridge; or a stage that depends on one of these alone ({@code
   * thenApply}, {@code handle}, ...).
   */
  private static boolean endsWithTheContext(
      ExpressionTree receiver, VarSymbol ctx, VisitorState state) {
    ExpressionTree source = initialValue(receiver, state);
    for (int depth = 0;
        depth < 8
            && source instanceof MethodInvocationTree stage
            && DEPENDENT_STAGE.matches(stage, state);
        depth++) {
      source = initialValue(ASTHelpers.getReceiver(stage), state);
    }
    if (!(source instanceof MethodInvocationTree call)) {
      return false;
    }
    if (AWAIT_ASYNC.matches(call, state) || DONE_AS_FUTURE.matches(call, state)) {
      return true;
    }
    if (ALL_OF.matches(call, state)) {
      return everyFutureEndsWithTheContext(call, ctx, state);
    }
    if (isExecutorTask(call, state)) {
      return !call.getArguments().isEmpty()
          && boundToScope(call.getArguments().get(0), ctx, state, 0);
    }
    if (SUBMIT.matches(call, state)) {
      ExpressionTree service = initialValue(ASTHelpers.getReceiver(call), state);
      return service instanceof MethodInvocationTree bind
          && BIND.matches(bind, state)
          && !bind.getArguments().isEmpty()
          && boundToScope(bind.getArguments().get(0), ctx, state, 0);
    }
    if (HTTP_SEND_ASYNC.matches(call, state)) {
      return !call.getArguments().isEmpty()
          && boundToScope(call.getArguments().get(0), ctx, state, 0);
    }
    MethodSymbol method = ASTHelpers.getSymbol(call);
    TreePath scope = CheckSupport.enclosingMethodOrLambda(state.getPath());
    return method != null
        && scope != null
        && BridgedCalls.isGrpcFutureStubCall(method, state)
        && BridgedCalls.goesThroughBridge(call, scope, state);
  }

  /**
   * {@code allOf(...)} of futures that all end with the context: given one by one, or as {@code
   * list.toArray(...)} of an effectively final local made by {@code stream.map(x ->
   * future).toList()} (an unmodifiable list) whose lambda returns such a future. {@code allOf}
   * completes once every future has, so it ends with the context too.
   */
  private static boolean everyFutureEndsWithTheContext(
      MethodInvocationTree allOf, VarSymbol ctx, VisitorState state) {
    List<? extends ExpressionTree> futures = allOf.getArguments();
    if (futures.isEmpty()) {
      return false;
    }
    if (futures.size() == 1
        && CheckSupport.stripParenthesesAndCasts(futures.get(0))
            instanceof MethodInvocationTree toArray
        && TO_ARRAY.matches(toArray, state)) {
      ExpressionTree list = ASTHelpers.getReceiver(toArray);
      return list instanceof IdentifierTree
          && initialValue(list, state) instanceof MethodInvocationTree toList
          && STREAM_TO_LIST.matches(toList, state)
          && ASTHelpers.getReceiver(toList) instanceof MethodInvocationTree map
          && STREAM_MAP.matches(map, state)
          && map.getArguments().size() == 1
          && map.getArguments().get(0) instanceof LambdaExpressionTree lambda
          && lambda.getBody() instanceof ExpressionTree future
          && endsWithTheContext(future, ctx, state);
    }
    for (ExpressionTree future : futures) {
      if (!endsWithTheContext(future, ctx, state)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code context} ends no later than {@code ctx}: it is {@code ctx}, a context derived from it by
   * a factory that keeps its cancellation, the context of a task group made from one, or an
   * effectively final local holding one of these.
   */
  private static boolean boundToScope(
      ExpressionTree context, VarSymbol ctx, VisitorState state, int depth) {
    if (context == null || depth > 4) {
      return false;
    }
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(context);
    if (ASTHelpers.getSymbol(stripped) == ctx) {
      return true;
    }
    ExpressionTree source = initialValue(stripped, state);
    if (source == null || (source == stripped && !(source instanceof MethodInvocationTree))) {
      return false;
    }
    if (!(source instanceof MethodInvocationTree call)) {
      return boundToScope(source, ctx, state, depth + 1);
    }
    if (ContextTypes.DERIVING_FACTORY.matches(call, state)
        || ContextTypes.TASK_GROUP_FACTORY.matches(call, state)) {
      return !ASTHelpers.getSymbol(call).getSimpleName().contentEquals("withoutCancel")
          && !call.getArguments().isEmpty()
          && boundToScope(call.getArguments().get(0), ctx, state, depth + 1);
    }
    if (GROUP_CONTEXT.matches(call, state)) {
      return boundToScope(ASTHelpers.getReceiver(call), ctx, state, depth + 1);
    }
    return false;
  }

  /**
   * {@code receiver} (a local or field, by its symbol) is known to be complete where the call is:
   * inside the true branch of an {@code if} or {@code ?:} whose condition asks {@code
   * receiver.isDone()} (alone or in a chain of {@code &&}), or after a statement of an enclosing
   * block that waited for {@code allOf(..., receiver, ...)}.
   */
  private static boolean knownComplete(ExpressionTree receiver, VisitorState state) {
    Symbol future = variable(receiver);
    if (future == null) {
      return false;
    }
    Tree child = state.getPath().getLeaf();
    for (TreePath p = state.getPath().getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof IfTree ifTree
          && ifTree.getThenStatement() == child
          && asksIsDone(ifTree.getCondition(), future, state)) {
        return true;
      }
      if (leaf instanceof ConditionalExpressionTree conditional
          && conditional.getTrueExpression() == child
          && asksIsDone(conditional.getCondition(), future, state)) {
        return true;
      }
      if (leaf instanceof BlockTree block && waitedForAllEarlier(block, child, future, state)) {
        return true;
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

  private static boolean asksIsDone(ExpressionTree condition, Symbol future, VisitorState state) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(condition);
    if (stripped.getKind() == Tree.Kind.CONDITIONAL_AND) {
      BinaryTree and = (BinaryTree) stripped;
      return asksIsDone(and.getLeftOperand(), future, state)
          || asksIsDone(and.getRightOperand(), future, state);
    }
    return stripped instanceof MethodInvocationTree call
        && IS_DONE.matches(call, state)
        && variable(ASTHelpers.getReceiver(call)) == future;
  }

  /**
   * Whether {@code call} is {@code allOf(...)} waited for by {@code join}, {@code get} or {@code
   * Context.await}: the {@code allOf} call, or null.
   */
  static MethodInvocationTree waitedAllOf(ExpressionTree expression, VisitorState state) {
    if (!(CheckSupport.stripParenthesesAndCasts(expression) instanceof MethodInvocationTree call)) {
      return null;
    }
    ExpressionTree waited = null;
    if (WAIT_FOR_ALL.matches(call, state)) {
      waited = ASTHelpers.getReceiver(call);
    } else if (AWAIT.matches(call, state) && call.getArguments().size() == 2) {
      waited = call.getArguments().get(1);
    }
    return waited != null
            && CheckSupport.stripParenthesesAndCasts(waited) instanceof MethodInvocationTree all
            && ALL_OF.matches(all, state)
        ? all
        : null;
  }

  /** A statement before {@code child} in {@code block} waits for an {@code allOf} of future. */
  private static boolean waitedForAllEarlier(
      BlockTree block, Tree child, Symbol future, VisitorState state) {
    for (StatementTree statement : block.getStatements()) {
      if (statement == child) {
        return false;
      }
      if (statement instanceof ExpressionStatementTree expression
          && waitsForAllOf(expression.getExpression(), future, state)) {
        return true;
      }
    }
    return false;
  }

  /** {@code allOf(..., future, ...).join()/get()} or {@code Context.await(ctx, allOf(...))}. */
  private static boolean waitsForAllOf(
      ExpressionTree expression, Symbol future, VisitorState state) {
    MethodInvocationTree all = waitedAllOf(expression, state);
    if (all == null) {
      return false;
    }
    for (ExpressionTree argument : all.getArguments()) {
      if (variable(argument) == future) {
        return true;
      }
    }
    return false;
  }

  /** {@code new LinkedBlockingQueue<>()} or {@code new LinkedBlockingDeque<>()} without a bound. */
  private static boolean unboundedQueue(ExpressionTree receiver, VisitorState state) {
    ExpressionTree source = initialValue(receiver, state);
    if (!(source instanceof NewClassTree created) || created.getClassBody() != null) {
      return false;
    }
    Symbol constructed = ASTHelpers.getSymbol(created.getIdentifier());
    if (constructed == null) {
      return false;
    }
    String type = constructed.getQualifiedName().toString();
    if (!type.equals("java.util.concurrent.LinkedBlockingQueue")
        && !type.equals("java.util.concurrent.LinkedBlockingDeque")) {
      return false;
    }
    // The constructors that take an int set a capacity; the others (none, a Collection) do not.
    return created.getArguments().stream()
        .noneMatch(a -> ASTHelpers.getType(a) != null && ASTHelpers.getType(a).isPrimitive());
  }

  /**
   * {@code receiver} itself, or, for an effectively final local or a final field, the expression it
   * was initialised with; null when neither is known.
   */
  static ExpressionTree initialValue(ExpressionTree receiver, VisitorState state) {
    if (receiver == null) {
      return null;
    }
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(receiver);
    if (!(stripped instanceof IdentifierTree) && !(stripped instanceof MemberSelectTree)) {
      return stripped;
    }
    if (!(ASTHelpers.getSymbol(stripped) instanceof VarSymbol variable)
        || !ASTHelpers.isConsideredFinal(variable)) {
      return null;
    }
    ExpressionTree initializer;
    if (variable.getKind() == ElementKind.FIELD) {
      initializer = CheckSupport.fieldInitializer(variable, state);
    } else {
      TreePath declaration =
          CheckSupport.findDeclaration(variable, state.getPath().getCompilationUnit());
      initializer =
          declaration != null && declaration.getLeaf() instanceof VariableTree variableTree
              ? variableTree.getInitializer()
              : null;
    }
    return initializer == null ? null : CheckSupport.stripParenthesesAndCasts(initializer);
  }

  /** The local variable or field {@code tree} names, or null for another expression. */
  static Symbol variable(ExpressionTree tree) {
    if (tree == null) {
      return null;
    }
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(tree);
    if (!(stripped instanceof IdentifierTree) && !(stripped instanceof MemberSelectTree)) {
      return null;
    }
    Symbol symbol = ASTHelpers.getSymbol(stripped);
    return symbol instanceof VarSymbol ? symbol : null;
  }

  /** A {@code ContextExecutors} call that runs a task and returns its future. */
  private static boolean isExecutorTask(MethodInvocationTree call, VisitorState state) {
    RuntimeRoles.Entry task = RuntimeRoles.ofCall(call, Role.RUNS_TASK, state);
    return task != null && task.owner().equals(CONTEXT_EXECUTORS);
  }
}
