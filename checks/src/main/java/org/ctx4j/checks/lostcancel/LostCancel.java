package org.ctx4j.checks.lostcancel;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.lostcancel.Leak.Resource;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.LambdaExpressionMatcher;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextChecker.MethodMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.ExpectedToThrow;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Go's {@code go vet} lostcancel for ctx4j: a {@code CancellableContext} must be cancelled on every
 * path, because until it is, its timer and its registration in the parent stay alive. The same for
 * a {@code TaskGroup} (awaited or closed: its context and its tasks), for grpc's {@code
 * Context.CancellableContext}, and for the context a grpc {@code attach()} replaced (restored by
 * {@code detach}); {@link Leak.Resource} lists them.
 *
 * <p>Two findings, both reported on the call that created the context: a context that is discarded
 * (never kept where anyone could cancel it), and a context held in a local variable that some
 * normal path leaves the method with, uncancelled and not handed over. The path analysis is {@link
 * LostCancelAnalysis}; what counts as handing over is {@link ContextEscapes}.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Cancel every CancellableContext (await or close every TaskGroup, restore every grpc"
            + " attach) on every path, for example with try-with-resources; an uncancelled"
            + " context leaks its timer and its registration in the parent",
    severity = ERROR,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/LostCancel.md")
public final class LostCancel extends ContextChecker
    implements MethodMatcher, LambdaExpressionMatcher, MethodInvocationMatcher {

  private final boolean exceptionalPaths;

  /** Creates the check with its defaults: only normal paths (returns, the end of a body) count. */
  public LostCancel() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Creates the check with its options: {@code -XepOpt:LostCancel:ExceptionalPaths=true} also
   * counts paths that leave the method by an exception.
   */
  @Inject
  public LostCancel(ErrorProneFlags flags) {
    this.exceptionalPaths = flags.getBoolean("LostCancel:ExceptionalPaths").orElse(false);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (ContextTypes.noContextLibrary(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(this, tree, state, () -> matchDiscarded(tree, state));
  }

  private Description matchDiscarded(MethodInvocationTree tree, VisitorState state) {
    Resource resource = Resources.created(tree, state);
    if (resource == null) {
      return Description.NO_MATCH;
    }
    if (ContextEscapes.follow(state.getPath(), EnumSet.of(resource), state).fate
        != ContextEscapes.Fate.DISCARDED) {
      return Description.NO_MATCH;
    }
    TreePath lambda = enclosingLambda(state.getPath());
    if (lambda != null && ExpectedToThrow.isLambdaExpectedToThrow(lambda)) {
      return Description.NO_MATCH; // assertThrows(X.class, () -> Context.withTimeout(p, bad))
    }
    Description.Builder description =
        buildDescription(tree).setMessage(discardedMessage(tree, resource, state));
    if (resource == Resource.CANCELLABLE_CONTEXT) {
      LostCancelFix.forDiscarded(tree, state).ifPresent(description::addFix);
    }
    return description.build();
  }

  private static String discardedMessage(
      MethodInvocationTree tree, Resource resource, VisitorState state) {
    return switch (resource) {
      case CANCELLABLE_CONTEXT ->
          "This context can never be cancelled because it is not kept: its timer and its"
              + " registration in the parent leak until the parent ends; keep it in"
              + " try-with-resources (try (CancellableContext ctx = ...) { ... })";
      case TASK_GROUP ->
          "This TaskGroup can never be awaited or closed because it is not kept: its context"
              + " and its tasks outlive this code, and their failures go unseen; keep it in"
              + " try-with-resources (try (TaskGroup g = ...) { ... }) and call g.await()";
      case GRPC_CANCELLABLE_CONTEXT ->
          "This io.grpc.Context.CancellableContext can never be cancelled because it is not"
              + " kept: its deadline timer and its listeners stay until the parent is"
              + " cancelled; keep it in try-with-resources"
              + " (try (Context.CancellableContext ctx = ...) { ... })";
      case GRPC_ATTACHED -> {
        String receiver = attachReceiver(tree, state);
        yield "The context this attach() replaces is discarded, so it can never be restored:"
            + " the thread keeps "
            + receiver
            + " as its current context after this code; use "
            + safeForms(receiver)
            + ", or keep it and restore it in a finally block (Context previous = "
            + receiver
            + ".attach(); try { ... } finally { "
            + receiver
            + ".detach(previous); })";
      }
    };
  }

  /** grpc's forms that attach and restore in one call. */
  private static String safeForms(String receiver) {
    return receiver + ".run(...), " + receiver + ".call(...) or " + receiver + ".wrap(...)";
  }

  /** How the source names the context an {@code attach()} call attaches, or {@code ctx}. */
  private static String attachReceiver(MethodInvocationTree attach, VisitorState state) {
    if (attach.getMethodSelect() instanceof MemberSelectTree select) {
      ExpressionTree receiver = select.getExpression();
      String source =
          receiver instanceof IdentifierTree || receiver instanceof MemberSelectTree
              ? state.getSourceForNode(receiver)
              : null;
      if (source != null && source.length() <= 40 && source.matches("[\\w.]+")) {
        return source;
      }
    }
    return "ctx";
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (tree.getBody() == null
        || ContextTypes.noContextLibrary(state)
        || !mayStoreAContext(tree, state)) {
      return Description.NO_MATCH;
    }
    // `main` ends the program; a JUnit 4 test with `expected` fails if it ends normally.
    boolean checkNormalExit = !isMain(tree) && !ExpectedToThrow.isTestExpectedToThrow(tree);
    analyze(tree.getBody(), checkNormalExit, "method", state);
    return Description.NO_MATCH;
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (ContextTypes.noContextLibrary(state)) {
      return Description.NO_MATCH; // nothing in this compilation involves ctx4j
    }
    if (!mayStoreAContext(tree, state)) {
      return Description.NO_MATCH; // most lambdas: no factory call in the body
    }
    Boolean expectedToThrow =
        InternalErrors.orElse(
            this,
            tree,
            state,
            () -> ExpectedToThrow.isLambdaExpectedToThrow(state.getPath()),
            null);
    if (expectedToThrow == null) {
      return Description.NO_MATCH;
    }
    // A lambda handed to assertThrows is expected to throw: its normal end is a test failure.
    analyze(tree.getBody(), !expectedToThrow, "lambda", state);
    return Description.NO_MATCH;
  }

  /** The cheap pre-test: whether the body of the method or lambda can store a context at all. */
  private boolean mayStoreAContext(Tree tree, VisitorState state) {
    Tree body =
        tree instanceof MethodTree method
            ? method.getBody()
            : ((LambdaExpressionTree) tree).getBody();
    return InternalErrors.orElse(
        this, tree, state, () -> CancelShortcuts.mayStoreAContext(body, state), false);
  }

  private void analyze(Tree body, boolean checkNormalExit, String what, VisitorState state) {
    LostCancelAnalysis.Result result =
        InternalErrors.orElse(
            this,
            body,
            state,
            () ->
                LostCancelAnalysis.analyze(
                    state.getPath(), body, exceptionalPaths, checkNormalExit, state),
            null);
    if (result == null) {
      return; // reported under FailOnInternalError; otherwise no finding
    }
    // Fixes first, in creation (source) order: a fix counts the fixes of earlier declarations in
    // its block, the trys it will be nested in.
    List<Leak> reported = new ArrayList<>();
    List<Optional<SuggestedFix>> fixes = new ArrayList<>();
    Set<Tree> fixed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Leak leak : result.leaks()) {
      if (isSuppressed(leak.variable(), state)) {
        continue;
      }
      Optional<SuggestedFix> fix =
          InternalErrors.orElse(
              this,
              leak.creation(),
              state,
              () ->
                  LostCancelFix.build(
                      leak.holder(),
                      leak.resource(),
                      result.variables().get(leak.variable()),
                      fixed,
                      state),
              Optional.empty()); // no fix rather than no finding
      fix.ifPresent(f -> fixed.add(leak.holder()));
      reported.add(leak);
      fixes.add(fix);
    }
    // Then the findings, last creation first: where several fixes in one block close their try
    // after the same statement, Error Prone joins the closing braces in the order the findings
    // are reported, and the innermost try (the latest declaration) must close first.
    for (int i = reported.size() - 1; i >= 0; i--) {
      Leak leak = reported.get(i);
      Description.Builder description =
          buildDescription(leak.creation()).setMessage(message(leak, what, state));
      fixes.get(i).ifPresent(description::addFix);
      state.reportMatch(description.build());
    }
  }

  /**
   * The finding in plain English: which path leaks, and how to end it on that path. For example
   * "This context is not cancelled on every path: it leaks when the method returns at line 12; use
   * try-with-resources (try (CancellableContext c = ...) { ... }) or call c.cancel() before that
   * return".
   */
  private static String message(Leak leak, String what, VisitorState state) {
    String name = leak.variable().getSimpleName().toString();
    String where;
    String before; // where a call that ends it belongs; null: in a finally block
    switch (leak.exit()) {
      case RETURN -> {
        where = "it leaks when the " + what + " returns at line " + leak.line();
        before = "before that return";
      }
      case END -> {
        where = "it leaks when the " + what + " ends at line " + leak.line();
        before = "before its end";
      }
      case LEFT_AFTER -> {
        where = "it leaks when the " + what + " is left after line " + leak.line();
        before = "before it is left";
      }
      case END_AFTER_CATCH -> {
        where =
            "it leaks when the "
                + what
                + " is left after catching an exception thrown at line "
                + leak.otherLine();
        before = null;
      }
      case REASSIGNED -> {
        where = "it leaks when " + name + " is reassigned at line " + leak.line();
        before = "before reassigning it";
      }
      case NEXT_ITERATION -> {
        where = "it leaks when the loop declares " + name + " again at line " + leak.line();
        before = "before the iteration ends";
      }
      case EXCEPTION -> {
        where =
            leak.line() > 0
                ? "it leaks when an exception is thrown at line " + leak.line()
                : "it leaks when an exception is thrown";
        before = null;
      }
      case ERROR_PAST_CATCH -> {
        where =
            "it leaks when an Error thrown at line "
                + leak.line()
                + " escapes the catch that "
                + switch (leak.resource()) {
                  case TASK_GROUP -> "closes";
                  case GRPC_ATTACHED -> "restores";
                  default -> "cancels";
                }
                + " it (an Error is not an Exception)";
        before = null;
      }
      default -> throw new AssertionError(leak.exit());
    }
    return switch (leak.resource()) {
      case CANCELLABLE_CONTEXT ->
          "This context is not cancelled on every path: "
              + where
              + "; use try-with-resources (try (CancellableContext "
              + name
              + " = ...) { ... })"
              + (before == null
                  ? " or cancel it in a finally block"
                  : " or call " + name + ".cancel() " + before);
      case TASK_GROUP ->
          "This TaskGroup is neither awaited nor closed on every path: "
              + where
              + "; use try-with-resources (try (TaskGroup "
              + name
              + " = ...) { ... })"
              + (before == null
                  ? " or close it in a finally block"
                  : " or call " + name + ".await() " + before);
      case GRPC_CANCELLABLE_CONTEXT ->
          "This io.grpc.Context.CancellableContext is not cancelled on every path: "
              + where
              + "; use try-with-resources (try (Context.CancellableContext "
              + name
              + " = ...) { ... })"
              + (before == null
                  ? " or cancel it in a finally block"
                  : " or call " + name + ".cancel(cause) " + before);
      case GRPC_ATTACHED -> {
        String receiver = attachReceiver(leak.creation(), state);
        String restore = receiver + ".detach(" + name + ")";
        yield "The context this attach() replaced is not restored on every path: "
            + where
            + "; restore it in a finally block (try { ... } finally { "
            + restore
            + "; })"
            + (before == null ? "" : " or call " + restore + " " + before)
            + ", or use "
            + safeForms(receiver)
            + ", which restore it themselves";
      }
    };
  }

  /** The path of the innermost lambda around {@code path} within its method, or null. */
  private static TreePath enclosingLambda(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree.Kind kind = p.getLeaf().getKind();
      if (kind == Tree.Kind.LAMBDA_EXPRESSION) {
        return p;
      }
      if (kind == Tree.Kind.METHOD || kind == Tree.Kind.CLASS) {
        return null;
      }
    }
    return null;
  }

  /** Whether {@code method} is {@code public static void main(String[])}. */
  private static boolean isMain(MethodTree method) {
    MethodSymbol symbol = ASTHelpers.getSymbol(method);
    return symbol != null
        && symbol.getSimpleName().contentEquals("main")
        && symbol.isStatic()
        && (symbol.flags() & Flags.PUBLIC) != 0
        && symbol.getReturnType().getKind() == TypeKind.VOID
        && symbol.getParameters().size() == 1
        && symbol.getParameters().get(0).type.toString().equals("java.lang.String[]");
  }
}
