package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ErrorProneCompat;

/**
 * The path analysis behind {@link LostCancel}: for one method or lambda body, finds every
 * cancellable context (or another {@link Leak.Resource}: a task group, grpc's contexts) stored in a
 * local variable and every path on which it is neither cancelled nor handed over before the body is
 * left. {@link #leaks} is the one public entry point (the compile-cost benchmarks call it); the
 * checker calls {@link #analyze}, which also returns what its fix needs.
 *
 * <p>Design. {@link LostCancel} first asks {@link CancelShortcuts#mayStoreAContext}, one
 * allocation-free pass over the body, whether it can store a context in a local at all. A tree scan
 * then finds the factory calls whose value lands in a local variable ({@link CreationSite}), and
 * sets aside those that the statement right after their declaration provably discharges ({@link
 * CancelShortcuts}): they need no graph. {@link CancelEvents} then turns the body into events keyed
 * by tree; the control-flow graph is the Checker Framework's, built by Error Prone's shaded copy
 * and ordered by {@link CancelGraph}; on it {@link CancelSolver} runs a forward "may be pending"
 * analysis to a fixed point over {@link PendingSites}, a bit set per block, so the cost is linear
 * in the size of the graph times the (small, bounded) number of sites. The parts call only
 * downwards: none of them calls back into this class.
 */
public final class LostCancelAnalysis {
  private LostCancelAnalysis() {}

  /** The result for one body: its leaks, and per tracked variable what the fix needs. */
  record Result(List<Leak> leaks, Map<VarSymbol, VariableFacts> variables) {
    static final Result NONE = new Result(List.of(), Map.of());
  }

  /**
   * The leaks of the method or lambda at {@code methodOrLambda} ({@code state} positioned anywhere
   * in its compilation unit): per cancellable context stored in a local variable, the first path
   * found that leaves the body (or overwrites the variable) with the context neither cancelled nor
   * handed over, as {@code LostCancel} reports them in a method that is neither {@code main} nor
   * expected to throw. With {@code exceptionalPaths}, paths that leave by an exception count too
   * (the check's {@code ExceptionalPaths} option). Empty for a method without a body.
   */
  public static List<Leak> leaks(
      TreePath methodOrLambda, boolean exceptionalPaths, VisitorState state) {
    Tree leaf = methodOrLambda.getLeaf();
    Tree body =
        leaf instanceof MethodTree method
            ? method.getBody()
            : ((LambdaExpressionTree) leaf).getBody();
    if (body == null) {
      return List.of();
    }
    return analyze(methodOrLambda, body, exceptionalPaths, /* checkNormalExit= */ true, state)
        .leaks();
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
    List<CreationSite> sites = findSites(bodyPath, exceptionalPaths, state);
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
  private static List<CreationSite> findSites(
      TreePath bodyPath, boolean exceptionalPaths, VisitorState state) {
    List<CreationSite> sites = new ArrayList<>();
    List<CreationSite> provedSafe = new ArrayList<>();
    Set<Symbol> assigned = Collections.newSetFromMap(new IdentityHashMap<>());
    new BodyScanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        Leak.Resource resource = Resources.created(tree, state);
        if (resource != null) {
          ContextEscapes.Flow flow =
              ContextEscapes.follow(getCurrentPath(), EnumSet.of(resource), state);
          if (flow.fate == ContextEscapes.Fate.LOCAL) {
            CreationSite site = new CreationSite(tree, resource, flow.variable, flow.holder);
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
    for (CreationSite site : provedSafe) {
      if (assigned.contains(site.variable())) {
        sites.add(site); // reassigned somewhere: the graph decides
      }
    }
    return sites;
  }
}
