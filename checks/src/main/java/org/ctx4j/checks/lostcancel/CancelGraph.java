package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ConditionalBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.block.SingleSuccessorBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.ctx4j.checks.support.CheckSupport;

/**
 * The control-flow graph as {@link CancelSolver} walks it: the reachable blocks numbered in reverse
 * post-order (so a work list ordered by number runs forwards), and the edges no run takes that the
 * solver sends elsewhere (a {@code for} loop whose header makes its first test true never skips its
 * body).
 */
final class CancelGraph {
  /** One block on the depth-first stack, with the successors still to visit. */
  private record Visit(Block block, Iterator<Block> successors) {}

  private final ControlFlowGraph cfg;
  private final CancelEvents events;
  private final VisitorState state;

  /** Per exception type of the graph's edges: whether it is an {@code Exception}. */
  private final Map<TypeMirror, Boolean> exceptionTypes = new IdentityHashMap<>();

  /** The reachable blocks in reverse post-order; {@link #order} maps each back to its number. */
  final List<Block> blocks = new ArrayList<>();

  final Map<Block, Integer> order = new IdentityHashMap<>();

  /**
   * Edges no run takes: from the block that ends a loop's initializer to the block that tests the
   * condition, for loops whose first test is true by their header ({@link
   * CancelEvents#firstTestTrue}). The state on such an edge goes straight to the loop body instead.
   */
  private final Map<Block, Map<Block, Block>> redirects = new IdentityHashMap<>();

  CancelGraph(ControlFlowGraph cfg, CancelEvents events, VisitorState state) {
    this.cfg = cfg;
    this.events = events;
    this.state = state;
    orderBlocks();
    findFirstTestRedirects();
  }

  ControlFlowGraph cfg() {
    return cfg;
  }

  /** Numbers the reachable blocks in reverse post-order, so the work list runs forwards. */
  private void orderBlocks() {
    List<Block> postOrder = new ArrayList<>();
    Set<Block> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Visit> stack = new ArrayDeque<>();
    Block entry = cfg.getEntryBlock();
    seen.add(entry);
    stack.push(new Visit(entry, successors(entry).iterator()));
    while (!stack.isEmpty()) {
      Visit top = stack.peek();
      if (top.successors().hasNext()) {
        Block next = top.successors().next();
        if (seen.add(next)) {
          stack.push(new Visit(next, successors(next).iterator()));
        }
      } else {
        stack.pop();
        postOrder.add(top.block());
      }
    }
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      order.put(postOrder.get(i), blocks.size());
      blocks.add(postOrder.get(i));
    }
  }

  private static List<Block> successors(Block block) {
    List<Block> result = new ArrayList<>(2);
    if (block instanceof ConditionalBlock conditional) {

      addIfPresent(result, conditional.getThenSuccessor());
      addIfPresent(result, conditional.getElseSuccessor());
      return result;
    }
    if (block instanceof SingleSuccessorBlock singleSuccessorBlock) {
      addIfPresent(result, singleSuccessorBlock.getSuccessor());
    }
    if (block instanceof ExceptionBlock exceptionBlock) {
      for (Set<Block> targets : exceptionBlock.getExceptionalSuccessors().values()) {
        for (Block target : targets) {
          addIfPresent(result, target);
        }
      }
    }
    return result;
  }

  private static void addIfPresent(List<Block> list, Block block) {
    if (block != null) {
      list.add(block);
    }
  }

  private void findFirstTestRedirects() {
    if (events.firstTestTrue.isEmpty()) {
      return;
    }
    for (Block block : blocks) {
      if (!(block instanceof ConditionalBlock conditional)) {
        continue;
      }

      Node condition = conditionNode(conditional);
      List<? extends Tree> initializer =
          condition == null ? null : events.firstTestTrue.get(condition.getTree());
      if (initializer == null
          || conditional.getPredecessors().size() != 1
          || conditional.getThenSuccessor() == null) {
        continue;
      }
      // Walk back from the test to where the loop enters it: a short chain of blocks that only
      // evaluate the condition (a constant field may add a class-name block).
      Block test = conditional.getPredecessors().iterator().next();
      for (int step = 0; step < 8 && test != null && hasNoEffect(test); step++) {
        Block previous = null;
        boolean found = false;
        for (Block predecessor : test.getPredecessors()) {
          Node last = predecessor.getLastNode();
          if (last != null && containsTree(initializer, last.getTree())) {
            redirects
                .computeIfAbsent(predecessor, k -> new IdentityHashMap<>())
                .put(test, conditional.getThenSuccessor());
            found = true;
          }
          previous = predecessor;
        }
        if (found || test.getPredecessors().size() != 1) {
          break;
        }
        test = previous;
      }
    }
  }

  /**
   * Whether skipping {@code block} changes nothing: a regular block whose nodes have no effect
   * here.
   */
  private boolean hasNoEffect(Block block) {
    if (block.getType() != Block.BlockType.REGULAR_BLOCK
        && block.getType() != Block.BlockType.EXCEPTION_BLOCK) {
      return false;
    }
    for (Node node : block.getNodes()) {
      if (node instanceof MethodInvocationNode || node instanceof ObjectCreationNode) {
        return false;
      }
      if (node instanceof AssignmentNode
          || node instanceof ReturnNode
          || (node.getTree() != null && events.byTree.containsKey(node.getTree()))) {
        return false;
      }
    }
    return true;
  }

  /** The targets of the exceptions ({@code Exception} and its subtypes) a handler here catches. */
  Set<Block> catchingTargets(Map<TypeMirror, Set<Block>> successors) {
    Set<Block> catching = Collections.newSetFromMap(new IdentityHashMap<>());
    Block exceptionalExit = cfg.getExceptionalExitBlock();
    for (Map.Entry<TypeMirror, Set<Block>> edge : successors.entrySet()) {
      if (isException(edge.getKey())) {
        for (Block target : edge.getValue()) {
          if (target != exceptionalExit) {
            catching.add(target);
          }
        }
      }
    }
    return catching;
  }

  /** Whether {@code type} is {@code Exception} or a subtype (asked once per type and graph). */
  boolean isException(TypeMirror type) {
    return exceptionTypes.computeIfAbsent(
        type,
        t ->
            t instanceof Type javacType
                && state.getTypes().isSubtype(javacType, state.getSymtab().exceptionType));
  }

  /** Applies {@link #redirects} to the states a block hands on. */
  Map<Block, PendingSites> redirect(Block from, Map<Block, PendingSites> out) {
    Map<Block, Block> edges = redirects.get(from);
    if (edges == null) {
      return out;
    }
    for (Map.Entry<Block, Block> edge : edges.entrySet()) {
      PendingSites moved = out.remove(edge.getKey());
      if (moved == null) {
        continue;
      }
      out.put(edge.getValue(), PendingSites.merge(out.get(edge.getValue()), moved));
    }
    return out;
  }

  /** The node whose value a conditional block branches on: the last node of its predecessor. */
  static Node conditionNode(ConditionalBlock block) {
    Node found = null;
    for (Block predecessor : block.getPredecessors()) {
      Node last = predecessor.getLastNode();
      if (last == null || (found != null && found != last)) {
        return null;
      }
      found = last;
    }
    return found;
  }

  /**
   * Whether the loop's header alone makes its first test true: {@code for (int i = A; i < B; ...)}
   * (or {@code <=}, {@code >}, {@code >=}, {@code !=}, either way round) with constants A and B.
   */
  static boolean firstTestIsTrue(ForLoopTree loop) {
    if (loop.getInitializer().size() != 1
        || !(loop.getInitializer().get(0) instanceof VariableTree)
        || !(loop.getCondition() instanceof BinaryTree)) {
      return false;
    }
    VariableTree variable = (VariableTree) loop.getInitializer().get(0);
    Symbol symbol = ASTHelpers.getSymbol(variable);
    Long start = constant(variable.getInitializer());
    if (symbol == null || start == null || !symbol.type.isPrimitive()) {
      return false;
    }
    BinaryTree condition = (BinaryTree) loop.getCondition();
    ExpressionTree left = CheckSupport.stripParenthesesAndCasts(condition.getLeftOperand());
    ExpressionTree right = CheckSupport.stripParenthesesAndCasts(condition.getRightOperand());
    boolean variableLeft = ASTHelpers.getSymbol(left) == symbol;
    boolean variableRight = ASTHelpers.getSymbol(right) == symbol;
    if (variableLeft == variableRight) {
      return false;
    }
    Long bound = constant(variableLeft ? right : left);
    if (bound == null) {
      return false;
    }
    long a = variableLeft ? start : bound;
    long b = variableLeft ? bound : start;
    return switch (condition.getKind()) {
      case LESS_THAN -> a < b;
      case LESS_THAN_EQUAL -> a <= b;
      case GREATER_THAN -> a > b;
      case GREATER_THAN_EQUAL -> a >= b;
      case NOT_EQUAL_TO -> a != b;
      default -> false;
    };
  }

  /** The value of an integral compile-time constant, or null. */
  private static Long constant(ExpressionTree tree) {
    if (tree == null) {
      return null;
    }
    Object value = ASTHelpers.constValue(tree);
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Character c) {
      return (long) c;
    }
    return null;
  }

  /** Whether {@code tree} is one of {@code trees} (by identity). */
  static boolean containsTree(List<? extends Tree> trees, Tree tree) {
    if (tree == null) {
      return false;
    }
    for (Tree t : trees) {
      if (t == tree) {
        return true;
      }
    }
    return false;
  }
}
