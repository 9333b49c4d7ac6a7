package org.ctx4j.checks;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
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

/**
 * The path analysis behind {@link LostCancel}: for one method or lambda body, finds every
 * cancellable context stored in a local variable and every path on which it is neither cancelled
 * nor handed over before the body is left.
 *
 * <p>Design. A cheap tree scan first looks for factory calls whose value lands in a local variable
 * (bodies without one cost a single scan and nothing else). A second scan turns the body into
 * events keyed by tree: a creation, a read that discharges the duty (cancel, close, escape, as
 * decided by {@link ContextEscapes}), a capture by a lambda or class, a null check, a call that
 * never returns. The control-flow graph is the Checker Framework's, built by Error Prone's shaded
 * copy; on it a forward "may be pending" analysis runs to a fixed point: the state is the set of
 * creation sites whose context may be held, uncancelled, in its variable. A site still pending at
 * the normal exit (or, with the exceptional-paths option, at the exceptional exit), or pending in a
 * variable when the variable is overwritten, is a leak. The lattice is a bit set per block, so the
 * cost is linear in the size of the graph times the (small, bounded) number of sites.
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
    List<Site> sites = findSites(bodyPath, state);
    if (sites.isEmpty()) {
      return Result.NONE;
    }
    Events events = Events.scan(bodyPath, sites, state);
    ControlFlowGraph cfg = ErrorProneCompat.buildControlFlowGraph(unitPath, state);
    Solver solver = new Solver(cfg, events, exceptionalPaths, checkNormalExit, body, state);
    return new Result(solver.solve(), events.facts());
  }

  // ---------------------------------------------------------------------------------------------
  // The scans.

  /** Factory calls in this body (not in nested lambdas or classes) whose value lands in a local. */
  private static List<Site> findSites(TreePath bodyPath, VisitorState state) {
    List<Site> sites = new ArrayList<>();
    new BodyScanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (isFactoryCall(tree, state)) {
          ContextEscapes.Flow flow = ContextEscapes.follow(getCurrentPath(), state);
          if (flow.fate == ContextEscapes.Fate.LOCAL) {
            sites.add(new Site(tree, flow.variable, flow.holder));
          }
        }
        return super.visitMethodInvocation(tree, null);
      }
    }.scan(bodyPath, null);
    return sites;
  }

  /**
   * Whether {@code tree} calls one of the cancellable factories and can return a context; cheap on
   * the common "no" path. A call with a {@code null} literal for the parent or for the duration or
   * deadline always throws {@code NullPointerException} (API.md: bad input fails fast), so it
   * creates nothing to cancel: tests of that behaviour are not leaks.
   */
  static boolean isFactoryCall(MethodInvocationTree tree, VisitorState state) {
    String name = methodName(tree);
    if (name == null || !name.startsWith("with")) {
      return false;
    }
    if (!ContextTypes.CANCELLABLE_FACTORY.matches(tree, state)) {
      return false;
    }
    List<? extends ExpressionTree> arguments = tree.getArguments();
    for (int i = 0; i < Math.min(2, arguments.size()); i++) {
      if (ContextEscapes.stripParens(arguments.get(i)).getKind() == Tree.Kind.NULL_LITERAL) {
        return false;
      }
    }
    return true;
  }

  /** Assertion methods whose lambda argument is expected to throw (so its normal end is a failure). */
  private static final Set<String> THROWING_ASSERTIONS =
      Set.of("assertThrows", "assertThrowsExactly", "expectThrows", "assertThatThrownBy", "isThrownBy");

  /**
   * Whether {@code lambda} is an argument of {@code assertThrows} or a relative: the test expects
   * it to throw, so a context it creates and does not cancel is not a leak of working code.
   */
  static boolean isExpectedToThrow(TreePath lambda) {
    TreePath parent = lambda.getParentPath();
    while (parent != null && parent.getLeaf().getKind() == Tree.Kind.PARENTHESIZED) {
      parent = parent.getParentPath();
    }
    if (parent == null || !(parent.getLeaf() instanceof MethodInvocationTree)) {
      return false;
    }
    MethodInvocationTree call = (MethodInvocationTree) parent.getLeaf();
    return THROWING_ASSERTIONS.contains(methodName(call)) && call.getArguments().stream()
        .anyMatch(a -> ContextEscapes.stripParens(a) == lambda.getLeaf());
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

  private static String methodName(MethodInvocationTree tree) {
    ExpressionTree select = tree.getMethodSelect();
    if (select instanceof IdentifierTree) {
      return ((IdentifierTree) select).getName().toString();
    }
    if (select instanceof com.sun.source.tree.MemberSelectTree) {
      return ((com.sun.source.tree.MemberSelectTree) select).getIdentifier().toString();
    }
    return null;
  }

  /** Whether the call never returns normally: {@code System.exit}, {@code Runtime.exit/halt}. */
  private static boolean neverReturns(MethodInvocationTree tree) {
    String name = methodName(tree);
    if (!"exit".equals(name) && !"halt".equals(name)) {
      return false;
    }
    MethodSymbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol == null) {
      return false;
    }
    String owner = symbol.owner.getQualifiedName().toString();
    return (owner.equals("java.lang.System") && name.equals("exit"))
        || owner.equals("java.lang.Runtime");
  }

  /** Scans a body without entering nested lambdas and class bodies (analysed on their own). */
  private abstract static class BodyScanner extends TreePathScanner<Void, Void> {
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

  private static final int CREATE = 1;
  private static final int DISCHARGE = 2;
  private static final int NEVER_RETURNS = 3;
  private static final int NULL_CHECK = 4;

  /** What happens at one tree, for the nodes the control-flow graph makes of it. */
  private static final class Event {
    final int kind;
    /** CREATE: the site; DISCHARGE / NULL_CHECK: unused. */
    final int site;
    /** DISCHARGE / NULL_CHECK: the bit mask of the sites held by the variables concerned. */
    final long[] mask;
    /** NULL_CHECK: whether the "then" branch is the one where the variable is null. */
    final boolean nullOnThen;

    Event(int kind, int site, long[] mask, boolean nullOnThen) {
      this.kind = kind;
      this.site = site;
      this.mask = mask;
      this.nullOnThen = nullOnThen;
    }
  }

  private static final class Events {
    final List<Site> sites;
    final int words;
    final Map<Tree, Event> byTree = new IdentityHashMap<>();
    final Map<Symbol, long[]> maskByVariable = new IdentityHashMap<>();
    final Map<VarSymbol, VariableFacts> facts = new IdentityHashMap<>();
    final Map<MethodInvocationTree, Integer> siteByCall = new IdentityHashMap<>();
    /** Whether the body has a {@code return;} (which the graph has no node for). */
    boolean voidReturns;
    /**
     * For each {@code for} loop whose first test is true by its own header ({@code for (int i = 0;
     * i < 4; i++)}): its condition, mapped to the trees of its initializer. The graph still has an
     * edge from the initializer past the body, a path no run takes.
     */
    final Map<Tree, List<? extends Tree>> firstTestTrue = new IdentityHashMap<>();

    private Events(List<Site> sites) {
      this.sites = sites;
      this.words = (sites.size() + 63) / 64;
      for (int i = 0; i < sites.size(); i++) {
        Site site = sites.get(i);
        long[] mask = maskByVariable.computeIfAbsent(site.variable, v -> new long[words]);
        mask[i >>> 6] |= 1L << i;
        facts.computeIfAbsent(site.variable, v -> new VariableFacts());
        siteByCall.put(site.call, i);
      }
    }

    Map<VarSymbol, VariableFacts> facts() {
      return facts;
    }

    static Events scan(TreePath bodyPath, List<Site> sites, VisitorState state) {
      Events events = new Events(sites);
      new BodyScanner() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          Integer site = events.siteByCall.get(tree);
          if (site != null) {
            events.byTree.put(tree, new Event(CREATE, site, null, false));
          } else if (neverReturns(tree)) {
            events.byTree.put(tree, new Event(NEVER_RETURNS, -1, null, false));
          }
          return super.visitMethodInvocation(tree, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
          Symbol symbol = ASTHelpers.getSymbol(tree);
          long[] mask = symbol == null ? null : events.maskByVariable.get(symbol);
          if (mask != null) {
            ContextEscapes.Fate fate = ContextEscapes.follow(getCurrentPath(), state).fate;
            if (ContextEscapes.discharges(fate)) {
              events.byTree.put(tree, new Event(DISCHARGE, -1, mask, false));
            }
            if (ContextEscapes.escapes(fate)) {
              events.facts.get(symbol).escapes = true;
              events.handedToCalls(getCurrentPath(), mask);
            }
          }
          return null;
        }

        @Override
        public Void visitForLoop(com.sun.source.tree.ForLoopTree tree, Void unused) {
          if (firstTestIsTrue(tree)) {
            events.firstTestTrue.put(tree.getCondition(), tree.getInitializer());
          }
          return super.visitForLoop(tree, null);
        }

        @Override
        public Void visitReturn(com.sun.source.tree.ReturnTree tree, Void unused) {
          if (tree.getExpression() == null) {
            events.voidReturns = true;
          }
          return super.visitReturn(tree, null);
        }

        @Override
        public Void visitAssignment(AssignmentTree tree, Void unused) {
          Symbol symbol = ASTHelpers.getSymbol(ContextEscapes.stripParens(tree.getVariable()));
          VariableFacts facts = symbol == null ? null : events.facts.get(symbol);
          if (facts != null) {
            facts.writes++;
          }
          return super.visitAssignment(tree, null);
        }

        @Override
        public Void visitBinary(BinaryTree tree, Void unused) {
          if (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO) {
            ExpressionTree left = ContextEscapes.stripParens(tree.getLeftOperand());
            ExpressionTree right = ContextEscapes.stripParens(tree.getRightOperand());
            ExpressionTree other =
                left.getKind() == Tree.Kind.NULL_LITERAL
                    ? right
                    : right.getKind() == Tree.Kind.NULL_LITERAL ? left : null;
            if (other instanceof IdentifierTree) {
              long[] mask = events.maskByVariable.get(ASTHelpers.getSymbol(other));
              if (mask != null) {
                events.byTree.put(
                    tree, new Event(NULL_CHECK, -1, mask, tree.getKind() == Tree.Kind.EQUAL_TO));
              }
            }
          }
          return super.visitBinary(tree, null);
        }

        @Override
        public Void visitInstanceOf(com.sun.source.tree.InstanceOfTree tree, Void unused) {
          // `c instanceof CancellableContext` (no pattern): where it is false, c holds none of the
          // contexts created here, all of which are CancellableContexts; like a null check.
          ExpressionTree operand = ContextEscapes.stripParens(tree.getExpression());
          Tree type = tree.getType();
          if (tree.getPattern() == null && operand instanceof IdentifierTree && type != null) {
            long[] mask = events.maskByVariable.get(ASTHelpers.getSymbol(operand));
            com.sun.tools.javac.code.Type tested = ASTHelpers.getType(type);
            com.sun.tools.javac.code.Type cancellable =
                state.getTypeFromString(ContextTypes.CANCELLABLE_CONTEXT);
            if (mask != null
                && tested != null
                && cancellable != null
                && ASTHelpers.isSubtype(cancellable, state.getTypes().erasure(tested), state)) {
              events.byTree.put(tree, new Event(NULL_CHECK, -1, mask, false));
            }
          }
          return super.visitInstanceOf(tree, null);
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
          events.capture(getCurrentPath(), tree);
          return null;
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
          events.capture(getCurrentPath(), tree);
          return null;
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
          events.capture(getCurrentPath(), tree);
          return null;
        }

        @Override
        public Void visitNewClass(NewClassTree tree, Void unused) {
          if (tree.getClassBody() != null) {
            events.capture(getCurrentPath(), tree.getClassBody());
          }
          return super.visitNewClass(tree, null);
        }
      }.scan(bodyPath, null);
      events.root = bodyPath.getLeaf();
      events.indexReceivers();
      return events;
    }

    /**
     * Whether the loop's header alone makes its first test true: {@code for (int i = A; i < B; ...)}
     * (or {@code <=}, {@code >}, {@code >=}, {@code !=}, either way round) with constants A and B.
     */
    static boolean firstTestIsTrue(com.sun.source.tree.ForLoopTree loop) {
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
      ExpressionTree left = ContextEscapes.stripParens(condition.getLeftOperand());
      ExpressionTree right = ContextEscapes.stripParens(condition.getRightOperand());
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
      switch (condition.getKind()) {
        case LESS_THAN:
          return a < b;
        case LESS_THAN_EQUAL:
          return a <= b;
        case GREATER_THAN:
          return a > b;
        case GREATER_THAN_EQUAL:
          return a >= b;
        case NOT_EQUAL_TO:
          return a != b;
        default:
          return false;
      }
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
      if (value instanceof Character) {
        return (long) (Character) value;
      }
      return null;
    }

    /**
     * The receiving calls of an escape: the call the escaping expression at {@code path} (a read
     * of a tracked variable, a capturing lambda, method reference or class) is an argument of,
     * through parentheses, casts and conditional branches, and each call that call is in turn an
     * argument of. The hand-over to such a call is its escape point: an exception thrown while
     * the call is reached (by its receiver expression, or by a null receiver before the
     * arguments are evaluated) is not counted as a leak, since the call may already own the
     * context; {@link #handedOver} maps the trees of those receiver expressions to the sites.
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
            if (((com.sun.source.tree.ConditionalExpressionTree) parent).getCondition() == child) {
              return;
            }
            break;
          case METHOD_INVOCATION:
            {
              MethodInvocationTree call = (MethodInvocationTree) parent;
              if (!containsTree(call.getArguments(), child)) {
                return;
              }
              receivers.add(new Object[] {call.getMethodSelect(), mask});
              break;
            }
          case NEW_CLASS:
            {
              NewClassTree call = (NewClassTree) parent;
              if (!containsTree(call.getArguments(), child)) {
                return;
              }
              if (call.getEnclosingExpression() != null) {
                receivers.add(new Object[] {call.getEnclosingExpression(), mask});
              }
              break;
            }
          default:
            return;
        }
        child = parent;
      }
    }

    /** The receiver expressions of receiving calls, with the sites handed over: see {@link #handedToCalls}. */
    private final List<Object[]> receivers = new ArrayList<>();

    /**
     * Per tree inside the receiver expression of a receiving call: the sites whose hand-over that
     * call is. Built by one scan of each distinct receiver subtree, outermost first, so that a
     * tree in nested receivers is visited once and inherits the masks of all of them.
     */
    final Map<Tree, long[]> handedOver = new IdentityHashMap<>();

    void indexReceivers() {
      if (receivers.isEmpty()) {
        return;
      }
      Map<Tree, long[]> byReceiver = new IdentityHashMap<>();
      for (Object[] entry : receivers) {
        long[] mask = byReceiver.computeIfAbsent((Tree) entry[0], t -> new long[words]);
        or(mask, (long[]) entry[1]);
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
              or(mask, own);
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

    /** The analysed body, scanned once by {@link #indexReceivers}. */
    Tree root;

    private static boolean containsTree(List<? extends Tree> trees, Tree tree) {
      for (Tree t : trees) {
        if (t == tree) {
          return true;
        }
      }
      return false;
    }

    /** A lambda, method reference or class that mentions a tracked variable captures it. */
    void capture(TreePath path, Tree inside) {
      Tree at = path.getLeaf();
      long[] captured = new long[words];
      boolean[] any = {false};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
          Symbol symbol = ASTHelpers.getSymbol(tree);
          long[] mask = symbol == null ? null : maskByVariable.get(symbol);
          if (mask != null) {
            or(captured, mask);
            any[0] = true;
            facts.get(symbol).escapes = true;
          }
          return null;
        }
      }.scan(inside, null);
      if (any[0]) {
        byTree.put(at, new Event(DISCHARGE, -1, captured, false));
        if (at.getKind() != Tree.Kind.CLASS) {
          handedToCalls(path, captured);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The fixed point.

  private static final int KIND_BITS = 3;
  private static final int W_KIND = (1 << KIND_BITS) - 1;
  /** The last node of the path so far: replaced as the path goes on. */
  private static final int W_LAST = 1;
  /** A return statement with a value: kept through finally blocks. */
  private static final int W_RETURN = 2;
  /** An exception: kept until a return. */
  private static final int W_EXCEPTION = 3;

  /** Per block: the sites that may be pending (held uncancelled in their variable) on entry. */
  private static final class State {
    final long[] pending;
    /** Created but not yet stored: between the factory call and the assignment. */
    final long[] inFlight;
    /** Per site: where the path last left a frame: line << KIND_BITS | kind, 0 when it did not. */
    final int[] witness;

    State(int words, int sites) {
      this.pending = new long[words];
      this.inFlight = new long[words];
      this.witness = new int[sites];
    }

    State(State other) {
      this.pending = other.pending.clone();
      this.inFlight = other.inFlight.clone();
      this.witness = other.witness.clone();
    }

    /** Joins {@code other} into this state; returns whether anything changed. */
    boolean join(State other) {
      boolean changed = false;
      // Witnesses first, while `pending` still says which sites this state already had pending:
      // a site pending only in `other` takes `other`'s witness, whatever stale value is here.
      for (int i = 0; i < witness.length; i++) {
        if (isSet(other.pending, i)
            && (!isSet(pending, i) || other.witness[i] > witness[i])
            && other.witness[i] != witness[i]) {
          witness[i] = other.witness[i];
          changed = true;
        }
      }
      for (int i = 0; i < pending.length; i++) {
        long p = pending[i] | other.pending[i];
        long f = inFlight[i] | other.inFlight[i];
        changed |= p != pending[i] || f != inFlight[i];
        pending[i] = p;
        inFlight[i] = f;
      }
      return changed;
    }
  }

  private static final class Solver {
    private final ControlFlowGraph cfg;
    private final Events events;
    private final boolean exceptionalPaths;
    private final boolean checkNormalExit;
    private final Tree body;
    private final VisitorState state;
    private final LineMap lines;
    private final int siteCount;
    private final Map<Block, Integer> order = new IdentityHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private State[] in;
    /** Per site: the first overwrite that loses it, or null. */
    private final Leak[] overwritten;

    Solver(
        ControlFlowGraph cfg,
        Events events,
        boolean exceptionalPaths,
        boolean checkNormalExit,
        Tree body,
        VisitorState state) {
      this.cfg = cfg;
      this.events = events;
      this.exceptionalPaths = exceptionalPaths;
      this.checkNormalExit = checkNormalExit;
      this.body = body;
      this.state = state;
      this.lines = state.getPath().getCompilationUnit().getLineMap();
      this.siteCount = events.sites.size();
      this.overwritten = new Leak[siteCount];
    }

    /**
     * Edges no run takes: from the block that ends a loop's initializer to the block that tests the
     * condition, for loops whose first test is true by their header ({@link
     * Events#firstTestTrue}). The state on such an edge goes straight to the loop body instead.
     */
    private final Map<Block, Map<Block, Block>> redirects = new IdentityHashMap<>();

    private void findFirstTestRedirects() {
      if (events.firstTestTrue.isEmpty()) {
        return;
      }
      for (Block block : blocks) {
        if (!(block instanceof ConditionalBlock)) {
          continue;
        }
        ConditionalBlock conditional = (ConditionalBlock) block;
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

    /** Whether skipping {@code block} changes nothing: a regular block whose nodes have no effect here. */
    private boolean hasNoEffect(Block block) {
      if (block.getType() != Block.BlockType.REGULAR_BLOCK
          && block.getType() != Block.BlockType.EXCEPTION_BLOCK) {
        return false;
      }
      for (Node node : block.getNodes()) {
        if (node instanceof org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode
            || node instanceof org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode) {
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

    private static boolean containsTree(List<? extends Tree> trees, Tree tree) {
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

    /** Applies {@link #redirects} to the states a block hands on. */
    private Map<Block, State> redirect(Block from, Map<Block, State> out) {
      Map<Block, Block> edges = redirects.get(from);
      if (edges == null) {
        return out;
      }
      for (Map.Entry<Block, Block> edge : edges.entrySet()) {
        State moved = out.remove(edge.getKey());
        if (moved == null) {
          continue;
        }
        State previous = out.get(edge.getValue());
        if (previous != null) {
          State merged = new State(previous);
          merged.join(moved);
          moved = merged;
        }
        out.put(edge.getValue(), moved);
      }
      return out;
    }

    List<Leak> solve() {
      orderBlocks();
      findFirstTestRedirects();
      in = new State[blocks.size()];
      PriorityQueue<Integer> work = new PriorityQueue<>();
      boolean[] queued = new boolean[blocks.size()];
      int entry = order.get(cfg.getEntryBlock());
      in[entry] = new State(events.words, siteCount);
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
        for (Map.Entry<Block, State> out : redirect(current, flow(current, in[index])).entrySet()) {
          Integer targetIndex = order.get(out.getKey());
          if (targetIndex == null) {
            continue;
          }
          int target = targetIndex;
          if (in[target] == null) {
            in[target] = new State(out.getValue());
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

    /** Numbers the reachable blocks in reverse post-order, so the work list runs forwards. */
    private void orderBlocks() {
      List<Block> postOrder = new ArrayList<>();
      Set<Block> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      ArrayDeque<Object[]> stack = new ArrayDeque<>();
      Block entry = cfg.getEntryBlock();
      seen.add(entry);
      stack.push(new Object[] {entry, successors(entry).iterator()});
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        @SuppressWarnings("unchecked")
        java.util.Iterator<Block> it = (java.util.Iterator<Block>) top[1];
        if (it.hasNext()) {
          Block next = it.next();
          if (seen.add(next)) {
            stack.push(new Object[] {next, successors(next).iterator()});
          }
        } else {
          stack.pop();
          postOrder.add((Block) top[0]);
        }
      }
      for (int i = postOrder.size() - 1; i >= 0; i--) {
        order.put(postOrder.get(i), blocks.size());
        blocks.add(postOrder.get(i));
      }
    }

    private static List<Block> successors(Block block) {
      List<Block> result = new ArrayList<>(2);
      if (block instanceof ConditionalBlock) {
        ConditionalBlock conditional = (ConditionalBlock) block;
        addIfPresent(result, conditional.getThenSuccessor());
        addIfPresent(result, conditional.getElseSuccessor());
        return result;
      }
      if (block instanceof SingleSuccessorBlock) {
        addIfPresent(result, ((SingleSuccessorBlock) block).getSuccessor());
      }
      if (block instanceof ExceptionBlock) {
        for (Set<Block> targets : ((ExceptionBlock) block).getExceptionalSuccessors().values()) {
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

    /** The states a block hands to its successors. */
    private Map<Block, State> flow(Block block, State entry) {
      Map<Block, State> out = new IdentityHashMap<>(4);
      switch (block.getType()) {
        case SPECIAL_BLOCK:
          {
            Block next = ((SpecialBlock) block).getSuccessor();
            if (next != null) {
              out.put(next, entry);
            }
            return out;
          }
        case REGULAR_BLOCK:
          {
            State current = new State(entry);
            for (Node node : block.getNodes()) {
              if (!transfer(node, current)) {
                return out;
              }
            }
            markLast(block, current);
            addIfNotNull(out, ((SingleSuccessorBlock) block).getSuccessor(), current);
            return out;
          }
        case EXCEPTION_BLOCK:
          {
            ExceptionBlock exceptionBlock = (ExceptionBlock) block;
            Node node = exceptionBlock.getNode();
            State after = new State(entry);
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
            State thrown = new State(entry);
            long[] handedOver = node.getTree() == null ? null : events.handedOver.get(node.getTree());
            if (handedOver != null) {
              // Thrown on the way into a call that receives the context (its receiver expression,
              // or a null receiver): the hand-over is the escape point, so not a leak.
              andNot(thrown.pending, handedOver);
            }
            int line = line(node.getTree());
            for (int i = 0; i < siteCount; i++) {
              if (isSet(thrown.pending, i) && (thrown.witness[i] & W_KIND) != W_EXCEPTION) {
                // A synthetic node has no line: name the last line the path ran instead.
                int at = line != 0 ? line : thrown.witness[i] >>> KIND_BITS;
                thrown.witness[i] = (at << KIND_BITS) | W_EXCEPTION;
              }
            }
            Arrays.fill(thrown.inFlight, 0);
            for (Set<Block> targets : exceptionBlock.getExceptionalSuccessors().values()) {
              for (Block target : targets) {
                State previous = out.get(target);
                if (previous == null) {
                  out.put(target, thrown);
                } else {
                  State merged = new State(previous);
                  merged.join(thrown);
                  out.put(target, merged);
                }
              }
            }
            return out;
          }
        case CONDITIONAL_BLOCK:
          {
            ConditionalBlock conditional = (ConditionalBlock) block;
            Node condition = conditionNode(conditional);
            Tree conditionTree = condition == null ? null : condition.getTree();
            Boolean constant =
                conditionTree == null ? null : ASTHelpers.constValue(conditionTree, Boolean.class);
            Event event = conditionTree == null ? null : events.byTree.get(conditionTree);
            boolean negated = false;
            if (event == null && conditionTree != null
                && conditionTree.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
              // `!(c == null)`, `!(c instanceof CancellableContext)`: the same test, branches swapped.
              ExpressionTree operand =
                  ContextEscapes.stripParens(
                      ((com.sun.source.tree.UnaryTree) conditionTree).getExpression());
              event = events.byTree.get(operand);
              negated = true;
            }
            State thenState = entry;
            State elseState = entry;
            if (event != null && event.kind == NULL_CHECK) {
              // On the branch where the variable is null (or not a CancellableContext) it holds no
              // context created here.
              State refined = new State(entry);
              andNot(refined.pending, event.mask);
              if (event.nullOnThen != negated) {
                thenState = refined;
              } else {
                elseState = refined;
              }
            }
            if (!Boolean.FALSE.equals(constant)) {
              addIfNotNull(out, conditional.getThenSuccessor(), thenState);
            }
            if (!Boolean.TRUE.equals(constant)) {
              State previous = out.get(conditional.getElseSuccessor());
              if (previous != null) {
                State merged = new State(previous);
                merged.join(elseState);
                elseState = merged;
              }
              addIfNotNull(out, conditional.getElseSuccessor(), elseState);
            }
            return out;
          }
        default:
          return out;
      }
    }

    private static void addIfNotNull(Map<Block, State> out, Block target, State state) {
      if (target != null) {
        out.put(target, state);
      }
    }

    /** Records the block's last line as the witness of pending sites not already holding a stronger one. */
    private void markLast(Block block, State current) {
      int line = 0;
      List<Node> nodes = block.getNodes();
      for (int i = nodes.size() - 1; i >= 0 && line == 0; i--) {
        line = line(nodes.get(i).getTree());
      }
      if (line == 0) {
        return;
      }
      int witness = (line << KIND_BITS) | W_LAST;
      for (int i = 0; i < siteCount; i++) {
        int kind = current.witness[i] & W_KIND;
        if ((kind == 0 || kind == W_LAST) && isSet(current.pending, i)) {
          current.witness[i] = witness;
        }
      }
    }

    /** The node whose value a conditional block branches on: the last node of its predecessor. */
    private static Node conditionNode(ConditionalBlock block) {
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

    /** Applies one node; returns false when the path ends here (a call that never returns). */
    private boolean transfer(Node node, State current) {
      if (node instanceof AssignmentNode) {
        Node target = ((AssignmentNode) node).getTarget();
        if (target instanceof LocalVariableNode) {
          Symbol variable = (Symbol) ((LocalVariableNode) target).getElement();
          long[] mask = variable == null ? null : events.maskByVariable.get(variable);
          if (mask != null) {
            assign(node, mask, current);
          }
        }
        return true;
      }
      if (node instanceof ReturnNode) {
        int witness = (line(node.getTree()) << KIND_BITS) | W_RETURN;
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
      switch (event.kind) {
        case CREATE:
          current.inFlight[event.site >>> 6] |= 1L << event.site;
          return true;
        case DISCHARGE:
          andNot(current.pending, event.mask);
          return true;
        case NEVER_RETURNS:
          return false;
        default:
          return true;
      }
    }

    /** A store to a tracked variable: what it held (if uncancelled) is lost; what was created is held. */
    private void assign(Node node, long[] mask, State current) {
      for (int word = 0; word < mask.length; word++) {
        long lost = current.pending[word] & mask[word];
        while (lost != 0) {
          int site = word * 64 + Long.numberOfTrailingZeros(lost);
          lost &= lost - 1;
          if (overwritten[site] == null) {
            Exit exit =
                node.getTree() instanceof VariableTree ? Exit.NEXT_ITERATION : Exit.REASSIGNED;
            overwritten[site] = new Leak(events.sites.get(site), exit, line(node.getTree()), 0);
          }
        }
        long arriving = current.inFlight[word] & mask[word];
        current.pending[word] = (current.pending[word] & ~mask[word]) | arriving;
        current.inFlight[word] &= ~mask[word];
        while (arriving != 0) {
          int site = word * 64 + Long.numberOfTrailingZeros(arriving);
          arriving &= arriving - 1;
          current.witness[site] = 0;
        }
      }
    }

    private List<Leak> leaks() {
      Leak[] found = overwritten.clone();
      Integer exit = order.get(cfg.getRegularExitBlock());
      if (checkNormalExit && exit != null && in[exit] != null) {
        State atExit = in[exit];
        int endLine = endLine();
        for (int i = 0; i < siteCount; i++) {
          if (found[i] == null && isSet(atExit.pending, i)) {
            found[i] = normalExitLeak(events.sites.get(i), atExit.witness[i], endLine);
          }
        }
      }
      Integer exceptionalExit = order.get(cfg.getExceptionalExitBlock());
      if (exceptionalPaths && exceptionalExit != null && in[exceptionalExit] != null) {
        State atExit = in[exceptionalExit];
        for (int i = 0; i < siteCount; i++) {
          if (found[i] == null && isSet(atExit.pending, i)) {
            found[i] =
                new Leak(events.sites.get(i), Exit.EXCEPTION, atExit.witness[i] >>> KIND_BITS, 0);
          }
        }
      }
      List<Leak> leaks = new ArrayList<>();
      for (Leak leak : found) {
        if (leak != null) {
          leaks.add(leak);
        }
      }
      return leaks;
    }

    private Leak normalExitLeak(Site site, int witness, int endLine) {
      int kind = witness & W_KIND;
      int line = witness >>> KIND_BITS;
      if (kind == W_RETURN) {
        return new Leak(site, Exit.RETURN, line, 0);
      }
      if (kind == W_EXCEPTION) {
        return new Leak(site, Exit.END_AFTER_CATCH, endLine, line);
      }
      // The graph has no node for `return;`: without one in the body the path fell off the end;
      // with one, name the last line the path ran.
      if (!events.voidReturns || line == 0) {
        return new Leak(site, Exit.END, endLine, 0);
      }
      return new Leak(site, Exit.LEFT_AFTER, line, 0);
    }

    private int endLine() {
      int end = state.getEndPosition(body);
      return end <= 0 ? 0 : (int) lines.getLineNumber(Math.max(0, end - 1));
    }

    /**
     * The line of {@code tree}, or 0 when it has no position inside the analysed body: the graph
     * builder makes synthetic trees (the index and length of an enhanced for over an array, the
     * temporaries of a switch expression) whose position is 0 or -1.
     */
    private int line(Tree tree) {
      if (tree == null) {
        return 0;
      }
      int start = ASTHelpers.getStartPosition(tree);
      if (bodyStart < 0) {
        bodyStart = ASTHelpers.getStartPosition(body);
        bodyEnd = state.getEndPosition(body);
      }
      if (start < 0 || start < bodyStart || (bodyEnd > 0 && start > bodyEnd)) {
        return 0;
      }
      return (int) lines.getLineNumber(start);
    }

    private int bodyStart = -1;
    private int bodyEnd = -1;
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void or(long[] into, long[] mask) {
    for (int i = 0; i < into.length; i++) {
      into[i] |= mask[i];
    }
  }

  private static void andNot(long[] into, long[] mask) {
    for (int i = 0; i < into.length; i++) {
      into[i] &= ~mask[i];
    }
  }

  /** Whether {@code method} is {@code public static void main(String[])}. */
  static boolean isMain(MethodTree method) {
    MethodSymbol symbol = ASTHelpers.getSymbol(method);
    return symbol != null
        && symbol.getSimpleName().contentEquals("main")
        && symbol.isStatic()
        && (symbol.flags() & com.sun.tools.javac.code.Flags.PUBLIC) != 0
        && symbol.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID
        && symbol.getParameters().size() == 1
        && symbol.getParameters().get(0).type.toString().equals("java.lang.String[]");
  }
}
