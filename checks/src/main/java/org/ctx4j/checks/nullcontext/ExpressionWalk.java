package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;

/**
 * The {@link NullPaths} walk through one expression: the facts after it is evaluated, the facts
 * when a condition is true and when it is false, and the facts where the use is read inside an
 * expression. It keeps what the walk finds: the facts at the use, over every time the walk reaches
 * it, and the facts where something may throw, for the {@code catch} blocks of the {@code try}
 * blocks around. {@link StatementWalk} says which loops and {@code try} blocks are around.
 */
final class ExpressionWalk {
  private final ExpressionEffects effects;
  private final Tree use;
  private final Set<Tree> onPath;
  private final PathNames names;
  private final VisitorState state;

  /** The try blocks around the walk, collecting the facts where something may throw. */
  private final Deque<List<ReachingNulls>> tries = new ArrayDeque<>();

  /** The loops whose body is being walked, innermost first. */
  private final Deque<Tree> loops = new ArrayDeque<>();

  /** The facts at the use, over every time the walk reaches it. */
  private ReachingNulls atUse;

  /**
   * A walk that records the facts at {@code use}; {@code onPath} holds the trees on the way from
   * the walked body down to it.
   */
  ExpressionWalk(
      ExpressionEffects effects, Tree use, Set<Tree> onPath, PathNames names, VisitorState state) {
    this.effects = effects;
    this.use = use;
    this.onPath = onPath;
    this.names = names;
    this.state = state;
  }

  /** The facts at the use, over every time the walk reached it; null if it never did. */
  ReachingNulls atUse() {
    return atUse;
  }

  /** Whether {@code tree} is on the way from the walked body down to the use. */
  boolean leadsToUse(Tree tree) {
    return onPath.contains(tree);
  }

  /** The body of {@code loop} is walked until {@link #leaveLoop}. */
  void enterLoop(Tree loop) {
    loops.push(loop);
  }

  void leaveLoop() {
    loops.pop();
  }

  /** Until {@link #leaveTry}, the facts where something may throw are added to {@code throwing}. */
  void enterTry(List<ReachingNulls> throwing) {
    tries.push(throwing);
  }

  void leaveTry() {
    tries.pop();
  }

  /**
   * The facts after {@code expression} is evaluated: records them at the use if it is inside, gives
   * up on an assignment of the variable, ends them after a dereference.
   */
  ReachingNulls expression(ExpressionTree expression, ReachingNulls in) {
    if (in == null || expression == null) {
      return in;
    }
    if (onPath.contains(expression) || expression == use) {
      record(factsAt(expression, in));
    }
    if (effects.assignsVariable(expression)) {
      throw new UnfollowedShape();
    }
    if (ExpressionEffects.canThrow(expression)) {
      mayThrow(in);
    }
    return effects.dereferences(expression) ? ReachingNulls.none() : in;
  }

  /**
   * The facts when {@code condition} is true and when it is false. Null checks of the variable
   * narrow them; so does a dereference, which throws on null.
   */
  ReachingNulls[] condition(ExpressionTree condition, ReachingNulls in) {
    if (in == null) {
      return new ReachingNulls[] {null, null};
    }
    if (condition == null) {
      return new ReachingNulls[] {in, null}; // for (;;)
    }
    ExpressionTree stripped = condition;
    while (stripped instanceof ParenthesizedTree parenthesized) {
      stripped = parenthesized.getExpression();
    }
    switch (stripped.getKind()) {
      case LOGICAL_COMPLEMENT -> {
        ReachingNulls[] inner = condition(((UnaryTree) stripped).getExpression(), in);
        return new ReachingNulls[] {inner[1], inner[0]};
      }
      case CONDITIONAL_AND -> {
        BinaryTree and = (BinaryTree) stripped;
        ReachingNulls[] left = condition(and.getLeftOperand(), in);
        ReachingNulls[] right = condition(and.getRightOperand(), left[0]);
        return new ReachingNulls[] {
          right[0], ReachingNulls.joinAll(ReachingNulls.listOf(left[1], right[1]))
        };
      }
      case CONDITIONAL_OR -> {
        BinaryTree or = (BinaryTree) stripped;
        ReachingNulls[] left = condition(or.getLeftOperand(), in);
        ReachingNulls[] right = condition(or.getRightOperand(), left[1]);
        return new ReachingNulls[] {
          ReachingNulls.joinAll(ReachingNulls.listOf(left[0], right[0])), right[1]
        };
      }
      case BOOLEAN_LITERAL -> {
        boolean value = Boolean.TRUE.equals(((LiteralTree) stripped).getValue());
        return value ? new ReachingNulls[] {in, null} : new ReachingNulls[] {null, in};
      }
      default -> {}
    }
    ReachingNulls after = expression(stripped, in);
    if (stripped instanceof BinaryTree binary
        && (binary.getKind() == Tree.Kind.EQUAL_TO || binary.getKind() == Tree.Kind.NOT_EQUAL_TO)
        && effects.comparesVariableWithNull(binary)) {
      boolean equal = binary.getKind() == Tree.Kind.EQUAL_TO;
      return equal
          ? new ReachingNulls[] {after, ReachingNulls.none()}
          : new ReachingNulls[] {ReachingNulls.none(), after};
    }
    if (stripped instanceof InstanceOfTree instanceOf
        && effects.isVariable(instanceOf.getExpression())) {
      return new ReachingNulls[] {ReachingNulls.none(), after};
    }
    if (stripped instanceof MethodInvocationTree call
        && call.getArguments().size() == 1
        && effects.isVariable(call.getArguments().get(0))) {
      Name called = CheckSupport.calledName(call);
      if (called != null && called.contentEquals("nonNull")) {
        return new ReachingNulls[] {ReachingNulls.none(), after};
      }
      if (called != null && called.contentEquals("isNull")) {
        return new ReachingNulls[] {after, ReachingNulls.none()};
      }
    }
    return new ReachingNulls[] {after, after};
  }

  /**
   * Adds {@code facts} to those at the use. Inside a loop, an assignment before the loop that
   * reaches the use unchanged does so in the loop's first iteration.
   */
  void record(ReachingNulls facts) {
    ReachingNulls labelled = facts;
    Tree outermost = loops.peekLast();
    if (outermost != null) {
      labelled =
          ReachingNulls.relabelOutside(facts, outermost, names.firstIterationOf(outermost), state);
    }
    atUse = ReachingNulls.joinAll(ReachingNulls.listOf(atUse, labelled));
  }

  /** Facts where something may throw reach the catch blocks of the try blocks around. */
  void mayThrow(ReachingNulls facts) {
    if (facts != null && !facts.isEmpty()) {
      for (List<ReachingNulls> throwing : tries) {
        throwing.add(facts);
      }
    }
  }

  /**
   * The facts where the use is evaluated inside {@code expression}: those of {@code in}, narrowed
   * by the conditions ({@code ?:}, {@code &&}, {@code ||}) that guard it.
   */
  private ReachingNulls factsAt(ExpressionTree expression, ReachingNulls in) {
    Tree current = expression;
    ReachingNulls facts = in;
    while (current != use && facts != null) {
      if (current instanceof ConditionalExpressionTree conditional) {
        ReachingNulls[] branches = condition(conditional.getCondition(), facts);
        if (onPath.contains(conditional.getTrueExpression())
            || conditional.getTrueExpression() == use) {
          facts = branches[0];
          current = conditional.getTrueExpression();
        } else if (onPath.contains(conditional.getFalseExpression())
            || conditional.getFalseExpression() == use) {
          facts = branches[1];
          current = conditional.getFalseExpression();
        } else {
          return facts;
        }
      } else if (current instanceof BinaryTree binary
          && (binary.getKind() == Tree.Kind.CONDITIONAL_AND
              || binary.getKind() == Tree.Kind.CONDITIONAL_OR)
          && (onPath.contains(binary.getRightOperand()) || binary.getRightOperand() == use)) {
        ReachingNulls[] branches = condition(binary.getLeftOperand(), facts);
        facts = binary.getKind() == Tree.Kind.CONDITIONAL_AND ? branches[0] : branches[1];
        current = binary.getRightOperand();
      } else {
        Tree next = null;
        for (Tree child : childrenOnPath(current)) {
          next = child;
        }
        if (next == null) {
          return facts;
        }
        current = next;
      }
    }
    return facts;
  }

  private List<Tree> childrenOnPath(Tree tree) {
    List<Tree> found = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree child, Void unused) {
        if (child != null && child != tree && (onPath.contains(child) || child == use)) {
          found.add(child);
          return null;
        }
        return child == tree ? super.scan(child, null) : null;
      }
    }.scan(tree, null);
    return found.size() == 1 ? found : List.of();
  }
}
