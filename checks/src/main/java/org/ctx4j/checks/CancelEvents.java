package org.ctx4j.checks;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.checks.CancelPathAnalysis.BodyScanner;
import org.ctx4j.checks.CancelPathAnalysis.Site;
import org.ctx4j.checks.CancelPathAnalysis.VariableFacts;

/**
 * The events of one body for {@link CancelSolver}, keyed by tree: a creation, a read that
 * discharges the duty to cancel (cancel, close, escape, as decided by {@link ContextEscapes}), a
 * capture by a lambda or class, a null check, a call that never returns. One scan of the body
 * builds them; the solver looks each node of the control-flow graph up by its tree.
 */
final class CancelEvents {
  /** What happens at one tree, for the nodes the control-flow graph makes of it. */
  enum Kind {
    CREATE,
    DISCHARGE,
    NEVER_RETURNS,
    /** A test after which some sites cannot be held on one branch, or the other. */
    TEST
  }

  /**
   * One event. {@code site}: for CREATE, the site created. {@code mask}: for DISCHARGE, the bit set
   * of the sites held by the variables concerned; for TEST, the sites that cannot be held on the
   * "then" branch. {@code elseMask}: for TEST, the sites that cannot be held on the "else" branch
   * (either may be null).
   */
  @SuppressWarnings("ArrayRecordComponent") // internal bit sets, never compared or hashed
  record Event(Kind kind, int site, long[] mask, long[] elseMask) {
    static final Event NEVER_RETURNS = new Event(Kind.NEVER_RETURNS, -1, null, null);

    static Event create(int site) {
      return new Event(Kind.CREATE, site, null, null);
    }

    static Event discharge(long[] mask) {
      return new Event(Kind.DISCHARGE, -1, mask, null);
    }

    /** A null check of variables holding {@code mask}: no site is held where they are null. */
    static Event nullCheck(long[] mask, boolean nullOnThen) {
      return nullOnThen ? test(mask, null) : test(null, mask);
    }

    static Event test(long[] goneOnThen, long[] goneOnElse) {
      return new Event(Kind.TEST, -1, goneOnThen, goneOnElse);
    }
  }

  /** The receiver expression of a call that receives a context, and the sites it receives. */
  @SuppressWarnings("ArrayRecordComponent") // an internal bit set, never compared or hashed
  private record Receiver(Tree tree, long[] mask) {}

  final List<Site> sites;
  final int words;
  final Map<Tree, Event> byTree = new IdentityHashMap<>();
  final Map<Symbol, long[]> maskByVariable = new IdentityHashMap<>();
  final Map<VarSymbol, VariableFacts> facts = new IdentityHashMap<>();
  final Map<MethodInvocationTree, Integer> siteByCall = new IdentityHashMap<>();

  /** Whether the body has a {@code return;} (which the graph has no node for). */
  boolean voidReturns;

  /**
   * For each {@code for} loop whose first test is true by its own header ({@code for (int i = 0; i
   * < 4; i++)}): its condition, mapped to the trees of its initializer. The graph still has an edge
   * from the initializer past the body, a path no run takes.
   */
  final Map<Tree, List<? extends Tree>> firstTestTrue = new IdentityHashMap<>();

  /**
   * Per tree inside the receiver expression of a receiving call: the sites whose hand-over that
   * call is. Built by one scan of each distinct receiver subtree, outermost first, so that a tree
   * in nested receivers is visited once and inherits the masks of all of them.
   */
  final Map<Tree, long[]> handedOver = new IdentityHashMap<>();

  /**
   * The receiver expressions of receiving calls, with the sites handed over: see {@link
   * #handedToCalls}.
   */
  private final List<Receiver> receivers = new ArrayList<>();

  /** The analysed body, scanned once by {@link #indexReceivers}. */
  Tree root;

  /** Other names of the tracked variables: their reads discharge the same sites. */
  CancelAliases aliases;

  /** The effectively final booleans that decide whether a site is created. */
  private final CancelGuards guards;

  /** The reads of effectively final booleans, which may test a guard. */
  private final List<IdentifierTree> booleanReads = new ArrayList<>();

  private CancelEvents(List<Site> sites) {
    this.sites = sites;
    this.words = (sites.size() + 63) / 64;
    this.guards = new CancelGuards(words);
    for (int i = 0; i < sites.size(); i++) {
      Site site = sites.get(i);
      long[] mask = maskByVariable.computeIfAbsent(site.variable, v -> new long[words]);
      CancelState.set(mask, i);
      facts.computeIfAbsent(site.variable, v -> new VariableFacts());
      siteByCall.put(site.call, i);
    }
  }

  Map<VarSymbol, VariableFacts> facts() {
    return facts;
  }

  static CancelEvents scan(TreePath bodyPath, List<Site> sites, VisitorState state) {
    CancelEvents events = new CancelEvents(sites);
    events.aliases = CancelAliases.find(bodyPath, events.maskByVariable.keySet());
    events.aliases.rootByAlias.forEach(
        (alias, root) -> events.maskByVariable.put(alias, events.maskByVariable.get(root)));
    new BodyScanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        Integer site = events.siteByCall.get(tree);
        if (site != null) {
          events.byTree.put(tree, Event.create(site));
          events.guards.recordSite(site, getCurrentPath(), bodyPath.getLeaf());
        } else if (CancelPathAnalysis.neverReturns(tree)) {
          events.byTree.put(tree, Event.NEVER_RETURNS);
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        long[] mask = symbol == null ? null : events.maskByVariable.get(symbol);
        if (mask == null && CancelGuards.isGuardVariable(symbol)) {
          events.booleanReads.add(tree);
        }
        if (mask != null) {
          ContextEscapes.Flow flow = ContextEscapes.follow(getCurrentPath(), state);
          if (events.aliases.holders.contains(flow.holder)) {
            return null; // a copy into an alias: the same context under another name
          }
          ContextEscapes.Fate fate = flow.fate;
          if (ContextEscapes.discharges(fate)) {
            events.byTree.put(tree, Event.discharge(mask));
          }
          if (ContextEscapes.escapes(fate)) {
            events.facts.get(events.aliases.root(symbol)).escapes = true;
            events.handedToCalls(getCurrentPath(), mask);
          }
        }
        return null;
      }

      @Override
      public Void visitForLoop(ForLoopTree tree, Void unused) {
        if (CancelGraph.firstTestIsTrue(tree)) {
          events.firstTestTrue.put(tree.getCondition(), tree.getInitializer());
        }
        return super.visitForLoop(tree, null);
      }

      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        if (tree.getExpression() == null) {
          events.voidReturns = true;
        }
        return super.visitReturn(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        Symbol symbol =
            ASTHelpers.getSymbol(CheckSupport.stripParenthesesAndCasts(tree.getVariable()));
        VariableFacts facts = symbol == null ? null : events.facts.get(symbol);
        if (facts != null) {
          facts.writes++;
        }
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitBinary(BinaryTree tree, Void unused) {
        if (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO) {
          ExpressionTree left = CheckSupport.stripParenthesesAndCasts(tree.getLeftOperand());
          ExpressionTree right = CheckSupport.stripParenthesesAndCasts(tree.getRightOperand());
          ExpressionTree other =
              left.getKind() == Tree.Kind.NULL_LITERAL
                  ? right
                  : right.getKind() == Tree.Kind.NULL_LITERAL ? left : null;
          if (other instanceof IdentifierTree) {
            long[] mask = events.maskByVariable.get(ASTHelpers.getSymbol(other));
            if (mask != null) {
              events.byTree.put(tree, Event.nullCheck(mask, tree.getKind() == Tree.Kind.EQUAL_TO));
            }
          }
        }
        return super.visitBinary(tree, null);
      }

      @Override
      public Void visitInstanceOf(InstanceOfTree tree, Void unused) {
        // `c instanceof CancellableContext` (no pattern): where it is false, c holds none of the
        // contexts created here, all of which are CancellableContexts; like a null check.
        ExpressionTree operand = CheckSupport.stripParenthesesAndCasts(tree.getExpression());
        Tree type = tree.getType();
        if (tree.getPattern() == null && operand instanceof IdentifierTree && type != null) {
          long[] mask = events.maskByVariable.get(ASTHelpers.getSymbol(operand));
          com.sun.tools.javac.code.Type tested = ASTHelpers.getType(type);
          com.sun.tools.javac.code.Type cancellable = ORG_CTX4J_CANCELLABLECONTEXT.get(state);
          if (mask != null
              && tested != null
              && cancellable != null
              && ASTHelpers.isSubtype(cancellable, state.getTypes().erasure(tested), state)) {
            events.byTree.put(tree, Event.nullCheck(mask, false));
          }
        }
        return super.visitInstanceOf(tree, null);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        events.capture(getCurrentPath(), tree, state);
        return null;
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        events.capture(getCurrentPath(), tree, state);
        return null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        events.capture(getCurrentPath(), tree, state);
        return null;
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        if (tree.getClassBody() != null) {
          events.capture(getCurrentPath(), tree.getClassBody(), state);
        }
        return super.visitNewClass(tree, null);
      }
    }.scan(bodyPath, null);
    events.root = bodyPath.getLeaf();
    if (!events.guards.isEmpty()) {
      for (IdentifierTree read : events.booleanReads) {
        Event test = events.guards.testOf(ASTHelpers.getSymbol(read));
        if (test != null) {
          events.byTree.put(read, test);
        }
      }
    }
    events.indexReceivers();
    return events;
  }

  /**
   * The receiving calls of an escape: the call the escaping expression at {@code path} (a read of a
   * tracked variable, a capturing lambda, method reference or class) is an argument of, through
   * parentheses, casts and conditional branches, and each call that call is in turn an argument of.
   * The hand-over to such a call is its escape point: an exception thrown while the call is reached
   * (by its receiver expression, or by a null receiver before the arguments are evaluated) is not
   * counted as a leak, since the call may already own the context; {@link #handedOver} maps the
   * trees of those receiver expressions to the sites.
   */
  void handedToCalls(TreePath path, long[] mask) {
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

  void indexReceivers() {
    if (receivers.isEmpty()) {
      return;
    }
    Map<Tree, long[]> byReceiver = new IdentityHashMap<>();
    for (Receiver receiver : receivers) {
      long[] mask = byReceiver.computeIfAbsent(receiver.tree(), t -> new long[words]);
      CancelState.or(mask, receiver.mask());
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
            CancelState.or(mask, own);
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

  /**
   * A lambda, method reference or class that captures a tracked variable hands it over only where
   * its body can end the context or pass the duty on: a read in it (at any depth, nested bodies
   * included) that {@link ContextEscapes} counts as discharging, such as {@code c.cancel()}, {@code
   * return c}, {@code list.add(c)} or {@code c::cancel}. A body that only uses it as a {@code
   * Context} ({@code work(c)}, {@code c.err()}) leaves the duty with this body.
   */
  void capture(TreePath path, Tree inside, VisitorState state) {
    Tree at = path.getLeaf();
    long[] captured = new long[words];
    boolean[] any = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        long[] mask = symbol == null ? null : maskByVariable.get(symbol);
        if (mask != null
            && ContextEscapes.discharges(ContextEscapes.follow(getCurrentPath(), state).fate)) {
          CancelState.or(captured, mask);
          any[0] = true;
          facts.get(aliases.root(symbol)).escapes = true;
        }
        return null;
      }
    }.scan(inside == at ? path : new TreePath(path, inside), null);
    if (any[0]) {
      byTree.put(at, Event.discharge(captured));
      if (at.getKind() != Tree.Kind.CLASS) {
        handedToCalls(path, captured);
      }
    }
  }

  private static final Supplier<Type> ORG_CTX4J_CANCELLABLECONTEXT =
      VisitorState.memoize(state -> state.getTypeFromString(ContextTypes.CANCELLABLE_CONTEXT));
}
