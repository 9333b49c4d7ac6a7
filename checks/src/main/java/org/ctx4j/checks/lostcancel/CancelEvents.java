package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.lostcancel.Leak.Resource;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

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
    TEST,
    /** A test after which some names hold nothing on one branch, or the other. */
    NAMES_TEST
  }

  /**
   * One event. {@code site}: for CREATE, the site created. {@code mask}: for DISCHARGE, the bit set
   * of the names ({@link CancelAliases}) whose contexts are discharged; for TEST, the sites that
   * cannot be held on the "then" branch; for NAMES_TEST, the names that hold nothing there. {@code
   * elseMask}: the same for the "else" branch (either may be null).
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

    /** A null check of the names in {@code mask}: they hold no context where they are null. */
    static Event nullCheck(long[] mask, boolean nullOnThen) {
      return nullOnThen
          ? new Event(Kind.NAMES_TEST, -1, mask, null)
          : new Event(Kind.NAMES_TEST, -1, null, mask);
    }

    static Event test(long[] goneOnThen, long[] goneOnElse) {
      return new Event(Kind.TEST, -1, goneOnThen, goneOnElse);
    }
  }

  final List<CreationSite> sites;
  final int words;
  final Map<Tree, Event> byTree = new IdentityHashMap<>();

  /** Per site variable: the sites created into it. */
  final Map<Symbol, long[]> sitesByVariable = new IdentityHashMap<>();

  final Map<VarSymbol, VariableFacts> facts = new IdentityHashMap<>();

  /** Per site variable: what the sites created into it make. */
  private final Map<Symbol, Set<Resource>> resourcesByVariable = new IdentityHashMap<>();

  /** Per name, once asked: what the contexts it may hold are ({@link #held}). */
  private final Map<Symbol, Set<Resource>> heldByName = new IdentityHashMap<>();

  final Map<MethodInvocationTree, Integer> siteByCall = new IdentityHashMap<>();

  /** Whether the body has a {@code return;} (which the graph has no node for). */
  boolean voidReturns;

  /**
   * For each {@code for} loop whose first test is true by its own header ({@code for (int i = 0; i
   * < 4; i++)}): its condition, mapped to the trees of its initializer. The graph still has an edge
   * from the initializer past the body, a path no run takes.
   */
  final Map<Tree, List<? extends Tree>> firstTestTrue = new IdentityHashMap<>();

  /** The names that can hold a tracked context: their reads discharge what they hold. */
  CancelAliases aliases;

  /** Where an exception is thrown on the way into a call that receives a context. */
  CancelHandOvers handOvers;

  /** The effectively final booleans that decide whether a site is created. */
  private final CorrelatedConditions guards;

  /** The reads of effectively final booleans, which may test a guard. */
  private final List<IdentifierTree> booleanReads = new ArrayList<>();

  private CancelEvents(List<CreationSite> sites) {
    this.sites = sites;
    this.words = (sites.size() + 63) / 64;
    this.guards = new CorrelatedConditions(words);
    for (int i = 0; i < sites.size(); i++) {
      CreationSite site = sites.get(i);
      long[] mask = sitesByVariable.computeIfAbsent(site.variable(), v -> new long[words]);
      PendingSites.set(mask, i);
      facts.computeIfAbsent(site.variable(), v -> new VariableFacts());
      resourcesByVariable
          .computeIfAbsent(site.variable(), v -> EnumSet.noneOf(Resource.class))
          .add(site.resource());
      siteByCall.put(site.call(), i);
    }
  }

  Map<VarSymbol, VariableFacts> facts() {
    return facts;
  }

  /** What the values {@code name} may hold are: the resources of the sites of its roots. */
  Set<Resource> held(Symbol name) {
    return heldByName.computeIfAbsent(
        name,
        n -> {
          Set<Resource> held = EnumSet.noneOf(Resource.class);
          for (VarSymbol root : aliases.rootsOf(n)) {
            held.addAll(resourcesByVariable.getOrDefault(root, Set.of()));
          }
          return held;
        });
  }

  static CancelEvents scan(TreePath bodyPath, List<CreationSite> sites, VisitorState state) {
    CancelEvents events = new CancelEvents(sites);
    events.aliases = CancelAliases.find(bodyPath, events.facts.keySet());
    events.handOvers = new CancelHandOvers(events.aliases.words);
    new BodyScanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        Integer site = events.siteByCall.get(tree);
        if (site != null) {
          events.byTree.put(tree, Event.create(site));
          events.guards.recordSite(site, getCurrentPath(), bodyPath.getLeaf());
        } else if (neverReturns(tree)) {
          events.byTree.put(tree, Event.NEVER_RETURNS);
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        long[] mask = events.aliases.maskOf(symbol);
        if (mask == null && CorrelatedConditions.isGuardVariable(symbol)) {
          events.booleanReads.add(tree);
        }
        if (mask != null) {
          ContextEscapes.Flow flow =
              ContextEscapes.follow(getCurrentPath(), events.held(symbol), state);
          if (flow.fate == ContextEscapes.Fate.LOCAL && events.aliases.isCopy(flow.holder)) {
            return null; // a copy into another name: the same context under two names
          }
          ContextEscapes.Fate fate = flow.fate;
          if (ContextEscapes.discharges(fate)) {
            events.byTree.put(tree, Event.discharge(mask));
          }
          if (ContextEscapes.escapes(fate)) {
            events.markEscaped(symbol);
            events.handOvers.add(getCurrentPath(), mask);
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
            long[] mask = events.aliases.maskOf(ASTHelpers.getSymbol(other));
            if (mask != null) {
              events.byTree.put(tree, Event.nullCheck(mask, tree.getKind() == Tree.Kind.EQUAL_TO));
            }
          } else if (other instanceof MethodInvocationTree call) {
            // `c.err() != null`: where it holds, c's context is done (cancelled, by its parent or
            // its deadline), which releases it as a cancel would; like a null check of c.
            long[] mask = events.errReceiverMask(call, state);
            if (mask != null) {
              events.byTree.put(
                  tree, Event.nullCheck(mask, tree.getKind() == Tree.Kind.NOT_EQUAL_TO));
            }
          }
        }
        return super.visitBinary(tree, null);
      }

      @Override
      public Void visitInstanceOf(InstanceOfTree tree, Void unused) {
        // `c instanceof CancellableContext` (no pattern): where it is false, c holds none of the
        // contexts created here, each of which is a CancellableContext; like a null check.
        ExpressionTree operand = CheckSupport.stripParenthesesAndCasts(tree.getExpression());
        Tree type = tree.getType();
        if (tree.getPattern() == null && operand instanceof IdentifierTree && type != null) {
          long[] mask = events.aliases.maskOf(ASTHelpers.getSymbol(operand));
          Type tested = ASTHelpers.getType(type);
          if (mask != null && tested != null && events.everySiteIs(tested, state)) {
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
    if (!events.guards.isEmpty()) {
      for (IdentifierTree read : events.booleanReads) {
        Event test = events.guards.testOf(ASTHelpers.getSymbol(read));
        if (test != null) {
          events.byTree.put(read, test);
        }
      }
    }
    events.handOvers.index(bodyPath.getLeaf());
    return events;
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
    long[] captured = new long[aliases.words];
    boolean[] any = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        long[] mask = aliases.maskOf(symbol);
        if (mask != null
            && ContextEscapes.discharges(
                ContextEscapes.follow(getCurrentPath(), held(symbol), state).fate)) {
          PendingSites.or(captured, mask);
          any[0] = true;
          markEscaped(symbol);
        }
        return null;
      }
    }.scan(inside == at ? path : new TreePath(path, inside), null);
    if (any[0]) {
      byTree.put(at, Event.discharge(captured));
      if (at.getKind() != Tree.Kind.CLASS) {
        handOvers.add(path, captured);
      }
    }
  }

  /** A context {@code name} may hold is handed over: the fix leaves its creation alone. */
  void markEscaped(Symbol name) {
    for (VarSymbol root : aliases.rootsOf(name)) {
      facts.get(root).escapes = true;
    }
  }

  /**
   * For {@code c.err()} on a name of a runtime context: the names that hold what {@code c} holds;
   * else null.
   */
  long[] errReceiverMask(MethodInvocationTree call, VisitorState state) {
    if (!call.getArguments().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree select)
        || !select.getIdentifier().contentEquals("err")) {
      return null;
    }
    ExpressionTree receiver = CheckSupport.stripParenthesesAndCasts(select.getExpression());
    Type type = ASTHelpers.getType(receiver);
    if (!(receiver instanceof IdentifierTree)
        || type == null
        || !ContextTypes.isContext(type, state)) {
      return null;
    }
    return aliases.maskOf(ASTHelpers.getSymbol(receiver));
  }

  /** Whether what every site creates is a {@code tested} (an {@code instanceof} test's type). */
  private boolean everySiteIs(Type tested, VisitorState state) {
    Type erased = state.getTypes().erasure(tested);
    for (CreationSite site : sites) {
      Type created = ASTHelpers.getType(site.call());
      if (created == null || !ASTHelpers.isSubtype(created, erased, state)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the call never returns normally: {@code System.exit}, {@code Runtime.exit/halt}. */
  private static boolean neverReturns(MethodInvocationTree tree) {
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
}
