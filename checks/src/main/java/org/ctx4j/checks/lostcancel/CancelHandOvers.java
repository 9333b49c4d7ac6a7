package org.ctx4j.checks.lostcancel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The escape points of hand-overs to calls, for {@link CancelSolver}: where a context is passed to
 * a call that may keep it, an exception thrown while that call is being reached (by its receiver
 * expression, or a null receiver) leaks nothing, since the call may already own the context. Maps
 * each tree inside such a receiver expression to the names (bit sets of {@link CancelAliases})
 * handed over there.
 */
final class CancelHandOvers {
  /** The receiver expression of a call that receives a context, and the names it receives. */
  @SuppressWarnings("ArrayRecordComponent") // an internal bit set, never compared or hashed
  private record Receiver(Tree tree, long[] mask) {}

  /**
   * Per tree inside the receiver expression of a receiving call: the names whose hand-over that
   * call is. Built by one scan of each distinct receiver subtree, outermost first, so that a tree
   * in nested receivers is visited once and inherits the masks of all of them.
   */
  final Map<Tree, long[]> handedOver = new IdentityHashMap<>();

  /** The receiver expressions of receiving calls, with the names handed over: see {@link #add}. */
  private final List<Receiver> receivers = new ArrayList<>();

  private final int words;

  CancelHandOvers(int words) {
    this.words = words;
  }

  /**
   * The receiving calls of an escape: the call the escaping expression at {@code path} (a read of a
   * tracked variable, a capturing lambda, method reference or class) is an argument of, through
   * parentheses, casts and conditional branches, and each call that call is in turn an argument of.
   * The hand-over to such a call is its escape point: an exception thrown while the call is reached
   * (by its receiver expression, or by a null receiver before the arguments are evaluated) is not
   * counted as a leak, since the call may already own the context; {@link #handedOver} maps the
   * trees of those receiver expressions to the names.
   */
  void add(TreePath path, long[] mask) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree parent = p.getLeaf();
      switch (parent.getKind()) {
        case PARENTHESIZED:
        case TYPE_CAST:
          break;
        case CONDITIONAL_EXPRESSION:
          if (((ConditionalExpressionTree) parent).getCondition() == child) {
            return;
          }
          break;
        case METHOD_INVOCATION:
          {
            MethodInvocationTree call = (MethodInvocationTree) parent;
            if (!CancelGraph.containsTree(call.getArguments(), child)) {
              return;
            }
            receivers.add(new Receiver(call.getMethodSelect(), mask));
            break;
          }
        case NEW_CLASS:
          {
            NewClassTree call = (NewClassTree) parent;
            if (!CancelGraph.containsTree(call.getArguments(), child)) {
              return;
            }
            if (call.getEnclosingExpression() != null) {
              receivers.add(new Receiver(call.getEnclosingExpression(), mask));
            }
            break;
          }
        default:
          return;
      }
      child = parent;
    }
  }

  /** Builds {@link #handedOver} from the receivers found in the body {@code root}. */
  void index(Tree root) {
    if (receivers.isEmpty()) {
      return;
    }
    Map<Tree, long[]> byReceiver = new IdentityHashMap<>();
    for (Receiver receiver : receivers) {
      long[] mask = byReceiver.computeIfAbsent(receiver.tree(), t -> new long[words]);
      PendingSites.or(mask, receiver.mask());
    }
    // One scan per outermost receiver, carrying the union of the masks of the receivers it is in.
    new TreeScanner<Void, long[]>() {
      @Override
      public Void scan(Tree tree, long[] inherited) {
        if (tree == null) {
          return null;
        }
        long[] own = byReceiver.get(tree);
        long[] mask = inherited;
        if (own != null) {
          mask = inherited == null ? own.clone() : inherited.clone();
          if (inherited != null) {
            PendingSites.or(mask, own);
          }
        }
        if (mask != null) {
          handedOver.put(tree, mask);
        }
        return super.scan(tree, mask);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, long[] mask) {
        return null; // its body runs later, in its own frame
      }

      @Override
      public Void visitClass(ClassTree tree, long[] mask) {
        return null;
      }
    }.scan(root, null);
  }
}
