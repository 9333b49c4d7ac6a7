package org.ctx4j.checks.blocking;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;
import org.ctx4j.checks.support.NameSet;
import org.ctx4j.checks.support.RuntimeRoles;
import org.ctx4j.checks.support.RuntimeRoles.Role;

/**
 * Flags, where a context is in scope, a call that blocks without observing it: {@code
 * Thread.sleep}, {@code Object.wait}, {@code Thread.join}, {@code Future.get} (with or without a
 * time limit), {@code CompletableFuture.join}, {@code CountDownLatch.await}, {@code
 * CyclicBarrier.await}, {@code Semaphore.acquire}, {@code BlockingQueue.take}/{@code put} and
 * {@code ExecutorService.awaitTermination}. The caller's cancellation or deadline cannot end such a
 * wait. Go: a goroutine that blocks without a {@code select} on {@code ctx.Done()}.
 *
 * <p>Not flagged inside {@code try (InterruptScope s = Context.interruptWhenDone(ctx))}, where the
 * end of the context interrupts the wait, nor in a lambda or class that only captures a context
 * from an enclosing method.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Make a blocking call observe the context in scope so that its cancellation or deadline"
            + " ends the wait",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/BlockingCallIgnoresContext.md")
public final class BlockingCallIgnoresContext extends ContextChecker
    implements MethodInvocationMatcher {

  private static final long serialVersionUID = 1L;

  /** The names of the blocking methods, the cheap test before any symbol is looked at. */
  private static final NameSet NAMES =
      NameSet.of(
          "sleep",
          "wait",
          "join",
          "get",
          "await",
          "acquire",
          "take",
          "put",
          "awaitTermination",
          "send",
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeBatch",
          "executeLargeUpdate",
          "executeLargeBatch",
          "blockingUnaryCall");

  private static final Matcher<ExpressionTree> SLEEP =
      staticMethod().onClass("java.lang.Thread").named("sleep");
  private static final Matcher<ExpressionTree> FUTURE_GET =
      instanceMethod().onDescendantOf("java.util.concurrent.Future").named("get");
  private static final Matcher<ExpressionTree> JOIN =
      instanceMethod().onDescendantOf("java.util.concurrent.CompletableFuture").named("join");

  private static final Matcher<ExpressionTree> BLOCKING =
      anyOf(
          SLEEP,
          FUTURE_GET,
          JOIN,
          BlockingCallIgnoresContext::isObjectWait,
          instanceMethod().onDescendantOf("java.lang.Thread").named("join"),
          instanceMethod().onDescendantOf("java.util.concurrent.CountDownLatch").named("await"),
          instanceMethod().onDescendantOf("java.util.concurrent.CyclicBarrier").named("await"),
          instanceMethod().onDescendantOf("java.util.concurrent.Semaphore").named("acquire"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.BlockingQueue")
              .namedAnyOf("take", "put"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ExecutorService")
              .named("awaitTermination"));

  /** I/O that a bridge of ctx4j can bind to the context: JDBC, {@code HttpClient}, gRPC. */
  private static final Matcher<ExpressionTree> HTTP_SEND =
      instanceMethod().onDescendantOf("java.net.http.HttpClient").named("send");

  private static final Matcher<ExpressionTree> JDBC_EXECUTE =
      instanceMethod()
          .onDescendantOf("java.sql.Statement")
          .namedAnyOf(
              "execute",
              "executeQuery",
              "executeUpdate",
              "executeBatch",
              "executeLargeUpdate",
              "executeLargeBatch");

  private static final Matcher<ExpressionTree> GRPC_BLOCKING_UNARY =
      staticMethod().onClass("io.grpc.stub.ClientCalls").named("blockingUnaryCall");

  /** {@code put} on a queue that is always unbounded never waits. */
  private static final Matcher<ExpressionTree> UNBOUNDED_PUT =
      anyOf(
          instanceMethod()
              .onDescendantOf("java.util.concurrent.PriorityBlockingQueue")
              .named("put"),
          instanceMethod().onDescendantOf("java.util.concurrent.DelayQueue").named("put"),
          instanceMethod().onDescendantOf("java.util.concurrent.LinkedTransferQueue").named("put"));

  /** Creates the check; Error Prone calls this through the service loader. */
  public BlockingCallIgnoresContext() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    boolean listed = NAMES.contains(CheckSupport.calledName(tree), state);
    if ((!listed && !BridgedCalls.mayBeGrpcStubCall(tree, state))
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    if (method == null) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          TreePath scope = CheckSupport.enclosingMethodOrLambda(state.getPath());
          VarSymbol ctx =
              scope == null ? null : CheckSupport.firstContextParameter(scope.getLeaf(), state);
          if (ctx == null) {
            return Description.NO_MATCH;
          }
          String bridge = bridgeFor(tree, method, listed, state);
          if (bridge != null) {
            // An interrupt aborts an HttpClient or gRPC wait; a JDBC driver does not promise it.
            return BridgedCalls.goesThroughBridge(tree, scope, state)
                    || (!JDBC_EXECUTE.matches(tree, state)
                        && insideInterruptScope(state.getPath(), scope, state))
                ? Description.NO_MATCH
                : describe(tree, method, ctx, bridge, null);
          }
          if (!listed
              || !BLOCKING.matches(tree, state)
              || UNBOUNDED_PUT.matches(tree, state)
              || WaitsBoundedByContext.cannotOutwaitTheContext(tree, method, ctx, state)
              || insideInterruptScope(state.getPath(), scope, state)) {
            return Description.NO_MATCH;
          }
          String name = ctx.getSimpleName().toString();
          String instead =
              SLEEP.matches(tree, state)
                  ? "use Context.sleep(" + name + ", duration)"
                  : FUTURE_GET.matches(tree, state) || JOIN.matches(tree, state)
                      ? "use Context.await(" + name + ", future)"
                      : "open try (var scope = Context.interruptWhenDone("
                          + name
                          + ")) around it so that the end of the context interrupts the wait";
          return describe(
              tree, method, ctx, instead, BlockingCallFix.build(tree, scope, name, state));
        });
  }

  /**
   * What to use instead when {@code tree} is I/O that a ctx4j bridge binds to the context, or null
   * for the other blocking calls.
   */
  private static String bridgeFor(
      MethodInvocationTree tree, MethodSymbol method, boolean listed, VisitorState state) {
    if (listed && HTTP_SEND.matches(tree, state)) {
      return "send it with HttpBridge.send(ctx, client, request, handler) (ctx4j-http), which"
          + " aborts the exchange when the context ends";
    }
    if (listed && JDBC_EXECUTE.matches(tree, state)) {
      return "run it inside JdbcBridge.execute(ctx, statement, s -> ...) (ctx4j-jdbc), which"
          + " cancels the statement when the context ends";
    }
    if (listed && GRPC_BLOCKING_UNARY.matches(tree, state)) {
      return "make the call on a channel intercepted with GrpcBridge.clientInterceptor(ctx)"
          + " (ctx4j-grpc), which cancels the call when the context ends";
    }
    if (!listed && BridgedCalls.isGrpcBlockingStubCall(method, state)) {
      return "call it through GrpcBridge.withContext(ctx, stub) (ctx4j-grpc), which cancels the"
          + " call when the context ends";
    }
    return null;
  }

  private Description describe(
      MethodInvocationTree tree,
      MethodSymbol method,
      VarSymbol ctx,
      String instead,
      SuggestedFix fix) {
    String name = ctx.getSimpleName().toString();
    String call = method.owner.getSimpleName() + "." + method.getSimpleName();
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                call
                    + " blocks without observing the context in scope ("
                    + name
                    + "), so its cancellation and deadline cannot end the wait; "
                    + instead.replace("(ctx", "(" + name));
    if (fix != null) {
      description.addFix(fix);
    }
    return description.build();
  }

  /** {@code Object.wait} in any of its forms (not another class's method of that name). */
  private static boolean isObjectWait(ExpressionTree tree, VisitorState state) {
    MethodSymbol method = ASTHelpers.getSymbol(tree) instanceof MethodSymbol m ? m : null;
    return method != null
        && method.getSimpleName().contentEquals("wait")
        && method.owner.getQualifiedName().contentEquals("java.lang.Object");
  }

  /**
   * Whether the wait at {@code path} ends on an interrupt that the end of the context sends: it
   * lies in the block of a {@code try} whose resource is {@code Context.interruptWhenDone(...)},
   * inside {@code scope}, or {@code scope} is a task's body (see {@link #isTaskBody}). Never for
   * {@code CompletableFuture.join()}, which an interrupt does not end.
   */
  private static boolean insideInterruptScope(TreePath path, TreePath scope, VisitorState state) {
    if (path.getLeaf() instanceof ExpressionTree call && JOIN.matches(call, state)) {
      return false; // CompletableFuture.join() does not end on an interrupt
    }
    if (isTaskBody(scope, state)) {
      return true;
    }
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null && p != scope; p = p.getParentPath()) {
      if (p.getLeaf() instanceof TryTree && ((TryTree) p.getLeaf()).getBlock() == child) {
        for (Tree resource : ((TryTree) p.getLeaf()).getResources()) {
          ExpressionTree opened =
              resource instanceof VariableTree variableTree
                  ? variableTree.getInitializer()
                  : resource instanceof ExpressionTree expressionTree ? expressionTree : null;
          if (opened != null
              && ContextTypes.INTERRUPT_WHEN_DONE.matches(
                  CheckSupport.stripParenthesesAndCasts(opened), state)) {
            return true;
          }
        }
      }
      child = p.getLeaf();
    }
    return false;
  }

  /**
   * Whether {@code scope} is a task's body written in place: a lambda, or the method of an
   * anonymous class, passed to {@code TaskGroup.go}, {@code tryGo} or {@code fork}, or to {@code
   * ContextExecutors.callAsync} or {@code runAsync}. The runtime runs such a body inside {@code
   * Context.interruptWhenDone} of the context it hands the body, so an interruptible wait in the
   * body (not in a lambda nested in it, which is a scope of its own) ends when that context ends.
   */
  private static boolean isTaskBody(TreePath scope, VisitorState state) {
    if (scope == null) {
      return false;
    }
    TreePath argument = scope;
    if (scope.getLeaf() instanceof MethodTree) {
      TreePath body = scope.getParentPath(); // the anonymous class's body
      if (body == null
          || !(body.getParentPath() != null
              && body.getParentPath().getLeaf() instanceof NewClassTree newClass
              && newClass.getClassBody() == body.getLeaf())) {
        return false;
      }
      argument = body.getParentPath();
    } else if (!(scope.getLeaf() instanceof LambdaExpressionTree)) {
      return false;
    }
    TreePath parent = outsideParenthesesAndCasts(argument);
    if (parent != null
        && parent.getLeaf() instanceof VariableTree variable
        && variable.getInitializer() != null
        && parent.getParentPath() != null
        && parent.getParentPath().getLeaf() instanceof BlockTree) {
      // TaskGroup.Task stage = c -> { ... }; g.go(stage): a task kept in a local variable
      return onlyHandedToTaskRunners(ASTHelpers.getSymbol(variable), parent.getParentPath(), state);
    }
    return isTaskRunnerArgument(parent, argument.getLeaf(), state);
  }

  /** The first enclosing path of {@code p} that is not a parenthesis or a cast. */
  private static TreePath outsideParenthesesAndCasts(TreePath p) {
    TreePath parent = p.getParentPath();
    while (parent != null
        && (parent.getLeaf() instanceof ParenthesizedTree
            || parent.getLeaf() instanceof TypeCastTree)) {
      parent = parent.getParentPath();
    }
    return parent;
  }

  /**
   * Whether {@code parent} is a call that runs {@code argument} as a task ({@link Role#RUNS_TASK}),
   * inside an interrupt scope of the context it hands it.
   */
  private static boolean isTaskRunnerArgument(TreePath parent, Tree argument, VisitorState state) {
    if (parent == null || !(parent.getLeaf() instanceof MethodInvocationTree call)) {
      return false;
    }
    for (ExpressionTree a : call.getArguments()) {
      if (CheckSupport.stripParenthesesAndCasts(a) == argument) {
        return RuntimeRoles.ofCall(call, Role.RUNS_TASK, state) != null;
      }
    }
    return false;
  }

  /**
   * Whether the local {@code task}, effectively final, is used in its block at least once and only
   * as an argument of a call that runs it as a task: then its lambda is a task's body.
   */
  private static boolean onlyHandedToTaskRunners(
      VarSymbol task, TreePath block, VisitorState state) {
    if (task == null || !ASTHelpers.isConsideredFinal(task)) {
      return false;
    }
    int[] uses = {0, 0}; // every use, the uses handed to a task runner
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == task) {
          uses[0]++;
          if (isTaskRunnerArgument(outsideParenthesesAndCasts(getCurrentPath()), tree, state)) {
            uses[1]++;
          }
        }
        return null;
      }
    }.scan(block, null);
    return uses[0] > 0 && uses[0] == uses[1];
  }

  /** Builds the replacement of a sleep, a {@code get()} or a {@code join()}. */
  static final class BlockingCallFix {
    private BlockingCallFix() {}

    static SuggestedFix build(
        MethodInvocationTree tree, TreePath scope, String ctx, VisitorState state) {
      SuggestedFix.Builder fix = SuggestedFix.builder();
      if (SLEEP.matches(tree, state) && tree.getArguments().size() == 1) {
        ExpressionTree argument = tree.getArguments().get(0);
        Type type = ASTHelpers.getType(argument);
        String source = state.getSourceForNode(argument);
        String duration;
        if (type != null && type.isPrimitive()) {
          duration =
              SuggestedFixes.qualifyType(state, fix, "java.time.Duration")
                  + ".ofMillis("
                  + source
                  + ")";
        } else {
          duration = source;
        }
        String context = SuggestedFixes.qualifyType(state, fix, ContextTypes.CONTEXT);
        return fix.replace(tree, context + ".sleep(" + ctx + ", " + duration + ")").build();
      }
      boolean join = JOIN.matches(tree, state);
      if ((!join && !FUTURE_GET.matches(tree, state))
          || !tree.getArguments().isEmpty()
          || ASTHelpers.getReceiver(tree) == null
          || !CheckSupport.exceptionHandled(
              "java.util.concurrent.ExecutionException", state.getPath(), scope, state)
          || !CheckSupport.exceptionHandled(
              "java.lang.InterruptedException", state.getPath(), scope, state)
          || (join
              && CheckSupport.caughtAround(
                  "java.util.concurrent.CompletionException", state.getPath(), scope, state))) {
        return null;
      }
      String future = state.getSourceForNode(ASTHelpers.getReceiver(tree));
      String context = SuggestedFixes.qualifyType(state, fix, ContextTypes.CONTEXT);
      return fix.replace(tree, context + ".await(" + ctx + ", " + future + ")").build();
    }
  }
}
