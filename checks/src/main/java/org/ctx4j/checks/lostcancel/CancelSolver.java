package org.ctx4j.checks.lostcancel;

import static org.ctx4j.checks.lostcancel.PendingSites.andNot;
import static org.ctx4j.checks.lostcancel.PendingSites.isSet;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SpecialBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ClassNameNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.ctx4j.checks.lostcancel.CancelEvents.Event;
import org.ctx4j.checks.lostcancel.CancelEvents.Kind;
import org.ctx4j.checks.lostcancel.Leak.Exit;
import org.ctx4j.checks.lostcancel.PendingSites.Witness;
import org.ctx4j.checks.support.CheckSupport;

/**
 * The fixed point of {@link LostCancelAnalysis}: a forward "may be pending" analysis over the
 * control-flow graph, run with a work list in reverse post-order. The state at each block is a
 * {@link PendingSites}: the creation sites whose context may be held, uncancelled, in its variable.
 * A site still pending at the normal exit (or, with the exceptional-paths option, at the
 * exceptional exit), or pending in a variable when the variable is overwritten, is a leak. Each
 * block's entry state only grows and the lattice has finite height, so the work list ends.
 */
final class CancelSolver {
  private final CancelGraph graph;
  private final ControlFlowGraph cfg;
  private final CancelEvents events;
  private final boolean exceptionalPaths;
  private final boolean checkNormalExit;

  private final BodyLines lines;
  private final int siteCount;
  private final Map<Block, Integer> order;
  private final List<Block> blocks;
  private PendingSites[] in;

  /** Per site: the first overwrite that loses it, or null. */
  private final Leak[] overwritten;

  CancelSolver(
      CancelGraph graph,
      CancelEvents events,
      boolean exceptionalPaths,
      boolean checkNormalExit,
      Tree body,
      VisitorState state) {
    this.graph = graph;
    this.cfg = graph.cfg();
    this.order = graph.order;
    this.blocks = graph.blocks;
    this.events = events;
    this.exceptionalPaths = exceptionalPaths;
    this.checkNormalExit = checkNormalExit;

    this.lines = new BodyLines(body, state);
    this.siteCount = events.sites.size();
    this.overwritten = new Leak[siteCount];
  }

  List<Leak> solve() {
    in = new PendingSites[blocks.size()];
    PriorityQueue<Integer> work = new PriorityQueue<>();
    boolean[] queued = new boolean[blocks.size()];
    int entry = order.get(cfg.getEntryBlock());
    in[entry] = new PendingSites(events.words, siteCount, events.aliases.words);
    work.add(entry);
    queued[entry] = true;
    // Each block's entry state only grows and the lattice has finite height; this bound is a
    // guard against a bug, never reached in practice.
    long budget = 64L * blocks.size() * (siteCount + 2) + 1024;
    while (!work.isEmpty()) {
      if (--budget < 0) {
        return List.of();
      }
      int index = work.poll();
      queued[index] = false;
      Block current = blocks.get(index);
      for (Map.Entry<Block, PendingSites> out :
          graph.redirect(current, flow(current, in[index])).entrySet()) {
        Integer targetIndex = order.get(out.getKey());
        if (targetIndex == null) {
          continue;
        }
        int target = targetIndex;
        if (in[target] == null) {
          in[target] = new PendingSites(out.getValue());
        } else if (!in[target].join(out.getValue())) {
          continue;
        }
        if (!queued[target]) {
          queued[target] = true;
          work.add(target);
        }
      }
    }
    return leaks();
  }

  /** The states a block hands to its successors. */
  private Map<Block, PendingSites> flow(Block block, PendingSites entry) {
    Map<Block, PendingSites> out = new IdentityHashMap<>(4);
    switch (block.getType()) {
      case SPECIAL_BLOCK -> {
        Block next = ((SpecialBlock) block).getSuccessor();
        if (next != null) {
          out.put(next, entry);
        }
        return out;
      }
      case REGULAR_BLOCK -> {
        PendingSites current = new PendingSites(entry);
        for (Node node : block.getNodes()) {
          if (!transfer(node, current)) {
            return out;
          }
        }
        markLast(block, current);
        addIfNotNull(out, ((SingleSuccessorBlock) block).getSuccessor(), current);
        return out;
      }
      case EXCEPTION_BLOCK -> {
        ExceptionBlock exceptionBlock = (ExceptionBlock) block;
        Node node = exceptionBlock.getNode();
        PendingSites after = new PendingSites(entry);
        if (!transfer(node, after)) {
          return out; // never returns, never throws anything we follow
        }
        markLast(block, after);
        addIfNotNull(out, exceptionBlock.getSuccessor(), after);
        if (node instanceof ClassNameNode && node.getTree() == null) {
          // The implicit class of an unqualified static call (`helper(c)`): the current or an
          // enclosing class, initialised before this code runs, so it throws nothing.
          return out;
        }
        // An exception leaves the node before its effect: the state on entry.
        PendingSites thrown = new PendingSites(entry);
        long[] handedOver =
            node.getTree() == null ? null : events.handOvers.handedOver.get(node.getTree());
        if (handedOver != null) {
          // Thrown on the way into a call that receives the context (its receiver expression,
          // or a null receiver): the hand-over is the escape point, so not a leak.
          andNot(thrown.pending, entry.sitesHeldBy(handedOver));
        }
        Arrays.fill(thrown.inFlight, 0);
        int line = line(node.getTree());
        Map<TypeMirror, Set<Block>> successors = exceptionBlock.getExceptionalSuccessors();
        Set<Block> catching = graph.catchingTargets(successors);
        PendingSites plain = null;
        PendingSites pastCatch = null;
        for (Map.Entry<TypeMirror, Set<Block>> edge : successors.entrySet()) {
          boolean escapesCatch =
              !catching.isEmpty()
                  && !graph.isException(edge.getKey())
                  && !catching.containsAll(edge.getValue());
          PendingSites leaving;
          if (escapesCatch) {
            pastCatch = pastCatch != null ? pastCatch : thrown.thrownAt(line, true);
            leaving = pastCatch;
          } else {
            plain = plain != null ? plain : thrown.thrownAt(line, false);
            leaving = plain;
          }
          for (Block target : edge.getValue()) {
            out.put(target, PendingSites.merge(out.get(target), leaving));
          }
        }
        return out;
      }
      case CONDITIONAL_BLOCK -> {
        ConditionalBlock conditional = (ConditionalBlock) block;
        Node condition = CancelGraph.conditionNode(conditional);
        Tree conditionTree = condition == null ? null : condition.getTree();
        Boolean constant =
            conditionTree == null ? null : ASTHelpers.constValue(conditionTree, Boolean.class);
        Event event = conditionTree == null ? null : events.byTree.get(conditionTree);
        boolean negated = false;
        if (event == null
            && conditionTree != null
            && conditionTree.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
          // `!(c == null)`, `!(c instanceof CancellableContext)`: the same test, branches
          // swapped.
          ExpressionTree operand =
              CheckSupport.stripParenthesesAndCasts(((UnaryTree) conditionTree).getExpression());
          event = events.byTree.get(operand);
          negated = true;
        }
        PendingSites thenState = entry;
        PendingSites elseState = entry;
        if (event != null && event.kind() == Kind.NAMES_TEST) {
          // Where the names are null (or not a CancellableContext) they hold no context.
          long[] nullOnThen = negated ? event.elseMask() : event.mask();
          long[] nullOnElse = negated ? event.mask() : event.elseMask();
          thenState = nullOnThen == null ? entry : entry.withoutNames(nullOnThen);
          elseState = nullOnElse == null ? entry : entry.withoutNames(nullOnElse);
        } else if (event != null && event.kind() == Kind.TEST) {
          // On the branch where the variable is null (or not a CancellableContext) it holds no
          // context created here; on the branch that contradicts the condition a site was
          // created under, that site cannot be held.
          long[] goneOnThen = negated ? event.elseMask() : event.mask();
          long[] goneOnElse = negated ? event.mask() : event.elseMask();
          thenState = entry.without(goneOnThen);
          elseState = entry.without(goneOnElse);
        }
        if (!Boolean.FALSE.equals(constant)) {
          addIfNotNull(out, conditional.getThenSuccessor(), thenState);
        }
        if (!Boolean.TRUE.equals(constant)) {
          Block elseBlock = conditional.getElseSuccessor();
          if (elseBlock != null) {
            out.put(elseBlock, PendingSites.merge(out.get(elseBlock), elseState));
          }
        }
        return out;
      }
      default -> {
        return out;
      }
    }
  }

  private static void addIfNotNull(Map<Block, PendingSites> out, Block target, PendingSites state) {
    if (target != null) {
      out.put(target, state);
    }
  }

  /**
   * Records the block's last line as the witness of pending sites not already holding a stronger
   * one.
   */
  private void markLast(Block block, PendingSites current) {
    int line = 0;
    List<Node> nodes = block.getNodes();
    for (int i = nodes.size() - 1; i >= 0 && line == 0; i--) {
      line = line(nodes.get(i).getTree());
    }
    if (line == 0) {
      return;
    }
    int witness = Witness.LAST.at(line);
    for (int i = 0; i < siteCount; i++) {
      Witness kind = Witness.of(current.witness[i]);
      if ((kind == Witness.NONE || kind == Witness.LAST) && isSet(current.pending, i)) {
        current.witness[i] = witness;
      }
    }
  }

  /** Applies one node; returns false when the path ends here (a call that never returns). */
  private boolean transfer(Node node, PendingSites current) {
    if (node instanceof AssignmentNode assignmentNode) {
      Node target = assignmentNode.getTarget();
      if (target instanceof LocalVariableNode localVariableNode) {
        Symbol variable = (Symbol) localVariableNode.getElement();
        long[] name = events.aliases.maskOf(variable);
        if (name != null) {
          assign(node, variable, name, current);
        }
      }
      return true;
    }
    if (node instanceof ReturnNode) {
      int witness = Witness.RETURN.at(line(node.getTree()));
      for (int i = 0; i < siteCount; i++) {
        if (isSet(current.pending, i)) {
          current.witness[i] = witness;
        }
      }
      return true;
    }
    Tree tree = node.getTree();
    Event event = tree == null ? null : events.byTree.get(tree);
    if (event == null) {
      return true;
    }
    return switch (event.kind()) {
      case CREATE -> {
        PendingSites.set(current.inFlight, event.site());
        yield true;
      }
      case DISCHARGE -> {
        current.discharge(event.mask());
        yield true;
      }
      case NEVER_RETURNS -> false;
      default -> true;
    };
  }

  /**
   * A store to a name ({@code name}, the bit set of {@code variable}): it no longer holds what it
   * held, and a pending context that loses its last name is lost; a context created into it is held
   * by it alone; a copy of another name holds what that name holds.
   */
  private void assign(Node node, Symbol variable, long[] name, PendingSites current) {
    Symbol source = events.aliases.sourceOf(node.getTree());
    long[] from = source == null ? null : events.aliases.maskOf(source);
    long[] copied = from == null ? null : current.sitesHeldBy(from);
    long[] created = events.sitesByVariable.get(variable);
    for (int site = 0; site < siteCount; site++) {
      if (!current.heldBy(site, name)) {
        continue;
      }
      current.release(site, name);
      if (isSet(current.pending, site)
          && current.unheld(site)
          && (copied == null || !isSet(copied, site))) {
        lose(node, site, current);
      }
    }
    if (copied != null) {
      for (int site = 0; site < siteCount; site++) {
        if (isSet(copied, site)) {
          current.hold(site, name, current.surelyHeldBy(site, from));
        }
      }
    }
    if (created == null) {
      return;
    }
    for (int word = 0; word < created.length; word++) {
      long arriving = current.inFlight[word] & created[word];
      current.inFlight[word] &= ~arriving;
      current.pending[word] |= arriving;
      current.plainThrow[word] &= ~arriving;
      while (arriving != 0) {
        int site = word * 64 + Long.numberOfTrailingZeros(arriving);
        arriving &= arriving - 1;
        current.witness[site] = 0;
        current.holdOnly(site, name);
      }
    }
  }

  /** A pending context that no name holds any more: the first such overwrite is its leak. */
  private void lose(Node node, int site, PendingSites current) {
    current.pending[site >>> 6] &= ~(1L << site);
    if (overwritten[site] == null) {
      Exit exit = node.getTree() instanceof VariableTree ? Exit.NEXT_ITERATION : Exit.REASSIGNED;
      overwritten[site] = Leak.of(events.sites.get(site), exit, line(node.getTree()), 0);
    }
  }

  private List<Leak> leaks() {
    Integer exit = order.get(cfg.getRegularExitBlock());
    Integer exceptionalExit = order.get(cfg.getExceptionalExitBlock());
    PendingSites atExit = checkNormalExit && exit != null ? in[exit] : null;
    PendingSites atThrow = exceptionalPaths && exceptionalExit != null ? in[exceptionalExit] : null;
    return CancelLeaks.collect(overwritten, atExit, atThrow, events, lines);
  }

  private int line(Tree tree) {
    return lines.line(tree);
  }
}
