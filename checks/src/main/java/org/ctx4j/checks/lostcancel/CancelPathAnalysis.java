package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Name;
import javax.lang.model.type.TypeKind;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.ErrorProneCompat;

/**
 * The path analysis behind {@link LostCancel}: for one method or lambda body, finds every
 * cancellable context stored in a local variable and every path on which it is neither cancelled
 * nor handed over before the body is left.
 *
 * <p>Design. {@link LostCancel} first asks {@link CancelShortcuts#mayStoreAContext}, one
 * allocation-free pass over the body, whether it can store a context in a local at all. A tree scan
 * then finds the factory calls whose value lands in a local variable, and sets aside those that the
 * statement right after their declaration provably discharges ({@link CancelShortcuts}): they need
 * no graph. {@link CancelEvents} then turns the body into events keyed by tree; the control-flow
 * graph is the Checker Framework's, built by Error Prone's shaded copy and ordered by {@link
 * CancelGraph}; on it {@link CancelSolver} runs a forward "may be pending" analysis to a fixed
 * point over {@link CancelState}, a bit set per block, so the cost is linear in the size of the
 * graph times the (small, bounded) number of sites.
 */
final class CancelPathAnalysis {
  private CancelPathAnalysis() {}

  /** A creation site whose context is stored in a local variable. */
  static final class Site {
    final MethodInvocationTree call;
    final VarSymbol variable;

    /** The declaration or assignment that stores it. */
    final Tree holder;

    Site(MethodInvocationTree call, VarSymbol variable, Tree holder) {
      this.call = call;
      this.variable = variable;
      this.holder = holder;
    }
  }

  /** How a leaking path leaves. */
  enum Exit {
    RETURN,
    END,
    /** Left by a {@code return;} or the end of the body, after {@link Leak#line}. */
    LEFT_AFTER,
    REASSIGNED,
    NEXT_ITERATION,
    EXCEPTION,
    /** Left by an {@code Error} that escapes the catch which cancels on the other exceptions. */
    ERROR_PAST_CATCH,
    END_AFTER_CATCH
  }

  /** One leak: a site and the line of one path that loses it. */
  static final class Leak {
    final Site site;
    final Exit exit;
    final int line;

    /** For {@link Exit#END_AFTER_CATCH}: where the caught exception came from. */
    final int otherLine;

    Leak(Site site, Exit exit, int line, int otherLine) {
      this.site = site;
      this.exit = exit;
      this.line = line;
      this.otherLine = otherLine;
    }
  }

  /** What the analysis knows about a tracked variable, for the fix. */
  static final class VariableFacts {
    boolean escapes;
    int writes;
  }

  /** The result for one body. */
  static final class Result {
    final List<Leak> leaks;
    final Map<VarSymbol, VariableFacts> variables;

    Result(List<Leak> leaks, Map<VarSymbol, VariableFacts> variables) {
      this.leaks = leaks;
      this.variables = variables;
    }

    static final Result NONE = new Result(List.of(), Map.of());
  }

  /**
   * Analyses the method or lambda at {@code unitPath}. {@code body} is its body (a block, or the
   * expression of an expression lambda). {@code checkNormalExit} is false for {@code main}.
   */
  static Result analyze(
      TreePath unitPath,
      Tree body,
      boolean exceptionalPaths,
      boolean checkNormalExit,
      VisitorState state) {
    TreePath bodyPath = new TreePath(unitPath, body);
    List<Site> sites = findSites(bodyPath, exceptionalPaths, state);
    if (sites.isEmpty()) {
      return Result.NONE; // no factory call, or each one a resource, returned, stored, ...
    }
    CancelEvents events = CancelEvents.scan(bodyPath, sites, state);
    ControlFlowGraph cfg = ErrorProneCompat.buildControlFlowGraph(unitPath, state);
    if (cfg == null) {
      return Result.NONE; // a shape the graph library cannot build: no finding
    }
    CancelGraph graph = new CancelGraph(cfg, events, state);
    CancelSolver solver =
        new CancelSolver(graph, events, exceptionalPaths, checkNormalExit, body, state);
    return new Result(solver.solve(), events.facts());
  }

  /**
   * Factory calls in this body (not in nested lambdas or classes) whose value lands in a local,
   * except those that need no graph: a variable never reassigned whose declaration is followed by a
   * statement that {@link CancelShortcuts#noPathLeaks} proves discharges it on every path.
   */
  private static List<Site> findSites(
      TreePath bodyPath, boolean exceptionalPaths, VisitorState state) {
    List<Site> sites = new ArrayList<>();
    List<Site> provedSafe = new ArrayList<>();
    Set<Symbol> assigned = Collections.newSetFromMap(new IdentityHashMap<>());
    new BodyScanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (isFactoryCall(tree, state)) {
          ContextEscapes.Flow flow = ContextEscapes.follow(getCurrentPath(), state);
          if (flow.fate == ContextEscapes.Fate.LOCAL) {
            Site site = new Site(tree, flow.variable, flow.holder);
            boolean safe =
                CancelShortcuts.noPathLeaks(site, getCurrentPath(), exceptionalPaths, state);
            (safe ? provedSafe : sites).add(site);
          }
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        Symbol target =
            ASTHelpers.getSymbol(CheckSupport.stripParenthesesAndCasts(tree.getVariable()));
        if (target != null) {
          assigned.add(target);
        }
        return super.visitAssignment(tree, null);
      }
    }.scan(bodyPath, null);
    for (Site site : provedSafe) {
      if (assigned.contains(site.variable)) {
        sites.add(site); // reassigned somewhere: the graph decides
      }
    }
    return sites;
  }

  /**
   * Whether {@code tree} calls one of the cancellable factories and can return a context; cheap on
   * the common "no" path. A call with a {@code null} literal for the parent or for the duration or
   * deadline always throws {@code NullPointerException} (the runtime rejects bad input at the
   * call), so it creates nothing to cancel: tests of that behaviour are not leaks.
   */
  static boolean isFactoryCall(MethodInvocationTree tree, VisitorState state) {
    if (!ContextTypes.CANCELLABLE_FACTORY_NAMES.contains(CheckSupport.calledName(tree), state)
        || !ContextTypes.CANCELLABLE_FACTORY.matches(tree, state)) {
      return false;
    }
    List<? extends ExpressionTree> arguments = tree.getArguments();
    for (int i = 0; i < Math.min(2, arguments.size()); i++) {
      if (CheckSupport.stripParenthesesAndCasts(arguments.get(i)).getKind()
          == Tree.Kind.NULL_LITERAL) {
        return false;
      }
    }
    return true;
  }

  /** The path of the innermost lambda around {@code path} within its method, or null. */
  static TreePath enclosingLambda(TreePath path) {
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

  /** Whether the call never returns normally: {@code System.exit}, {@code Runtime.exit/halt}. */
  static boolean neverReturns(MethodInvocationTree tree) {
    Name name = CheckSupport.calledName(tree);
    if (name == null || !(name.contentEquals("exit") || name.contentEquals("halt"))) {
      return false;
    }
    MethodSymbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol == null) {
      return false;
    }
    String owner = symbol.owner.getQualifiedName().toString();
    return (owner.equals("java.lang.System") && name.contentEquals("exit"))
        || owner.equals("java.lang.Runtime");
  }

  /** Scans a body without entering nested lambdas and class bodies (analysed on their own). */
  abstract static class BodyScanner extends TreePathScanner<Void, Void> {
    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      return null;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      return null;
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      scan(tree.getEnclosingExpression(), null);
      scan(tree.getArguments(), null);
      return null;
    }
  }

  /** Whether {@code method} is {@code public static void main(String[])}. */
  static boolean isMain(MethodTree method) {
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
