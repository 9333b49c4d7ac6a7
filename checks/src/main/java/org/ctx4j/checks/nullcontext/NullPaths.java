package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;

/**
 * On which path a local variable that is {@code null} on some paths reaches a use: {@code Context
 * ctx = null; if (retry) { ctx = parent; } fetch(ctx, id);} is null at {@code fetch} when the
 * {@code if (retry)} is not taken. A forward walk of the structured code of the method (or lambda,
 * or initializer) that declares the variable, for that one variable: the facts are the {@code null}
 * assignments that can reach each point unchanged, each with the last branch that let it through.
 *
 * <p>A fact ends at an assignment of anything else, on the branch of a test that says the variable
 * is not null ({@code ctx != null}, {@code Objects.nonNull(ctx)}, {@code ctx instanceof X}), and
 * after a statement that dereferences it whenever it runs ({@code ctx.done()}, {@code
 * Objects.requireNonNull(ctx)}). Only a {@code null} literal (parenthesised or cast) starts one:
 * whatever else a variable is given (a parameter, a field, a call) is unknown, not null.
 *
 * <p>A use inside a lambda or a local or anonymous class reads the value the variable had where the
 * lambda or class was created (it is effectively final there), so that is where it is asked. A
 * shape the walk does not follow (an assignment to the variable inside an expression, a {@code
 * finally} that assigns it, a loop that does not settle) gives no answer, and no finding.
 */
final class NullPaths {
  /** How often a loop body is walked before the walk gives up. */
  private static final int MAX_LOOP_ROUNDS = 8;

  /** The longest condition quoted in a message; longer ones are named by their line only. */
  private static final int MAX_QUOTED = 40;

  /** The walk met a shape it does not follow. */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  /**
   * The null assignments that may reach a point, each with the last branch that let it through
   * (null: none since the assignment, so far). Null stands for a point no path reaches.
   */
  private static final class Facts {
    final Map<Tree, String> reasons;

    /**
     * For each assignment, the conditions of the {@code if} statements it passed through, by their
     * source, with the branch taken: a later {@code if} on the same condition cannot take the other
     * branch (a condition tested again, {@code if (retry) ... if (!retry) return;}).
     */
    final Map<Tree, Map<String, Boolean>> conditions = new IdentityHashMap<>();

    Facts(Map<Tree, String> reasons) {
      this.reasons = reasons;
    }

    Map<String, Boolean> conditionsOf(Tree origin) {
      return conditions.getOrDefault(origin, Map.of());
    }

    void put(Tree origin, String reason, Map<String, Boolean> known) {
      reasons.put(origin, reason);
      if (!known.isEmpty()) {
        conditions.put(origin, known);
      } else {
        conditions.remove(origin);
      }
    }

    static Facts none() {
      return new Facts(new LinkedHashMap<>());
    }

    static Facts of(Tree origin) {
      Facts f = none();
      f.put(origin, null, Map.of());
      return f;
    }
  }

  private final VarSymbol variable;
  private final Tree use;
  private final Set<Tree> onPath;
  private final VisitorState state;
  private final LineMap lines;

  /** Where break and continue go: loops, switches and labelled statements around the walk. */
  private final Deque<Target> targets = new ArrayDeque<>();

  /** The try blocks around the walk, collecting the facts where something may throw. */
  private final Deque<List<Facts>> tries = new ArrayDeque<>();

  /** The loops whose body is being walked, innermost first. */
  private final Deque<Tree> loops = new ArrayDeque<>();

  /** The facts at the use, over every time the walk reaches it. */
  private Facts atUse;

  private static final class Target {
    final Tree tree;
    final Name label;
    final boolean loop;
    final List<Facts> breaks = new ArrayList<>();
    final List<Facts> continues = new ArrayList<>();

    Target(Tree tree, Name label, boolean loop) {
      this.tree = tree;
      this.label = label;
      this.loop = loop;
    }
  }

  private NullPaths(
      VarSymbol variable, Tree use, Set<Tree> onPath, VisitorState state, LineMap lines) {
    this.variable = variable;
    this.use = use;
    this.onPath = onPath;
    this.state = state;
    this.lines = lines;
  }

  /**
   * The sentence that says on which path the local variable at {@code path} is null there ("ctx is
   * null here when the `if (retry)` at line 12 is not taken"), or null when it is not null on any
   * path the walk knows of (or the walk cannot tell). Asked only about a variable that its member
   * assigns the {@code null} literal ({@link NullableLocals#assignedNull}).
   */
  static String whereNull(TreePath path, VisitorState state) {
    Symbol symbol = ASTHelpers.getSymbol(path.getLeaf());
    if (!(symbol instanceof VarSymbol local)
        || (local.getKind() != ElementKind.LOCAL_VARIABLE)
        || path.getCompilationUnit() == null) {
      return null;
    }
    // The body that declares the variable, and the point in it where the use reads its value.
    Tree usePoint = path.getLeaf();
    TreePath usePath = path;
    Tree body = null;
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree candidate = null;
      if (leaf instanceof MethodTree method) {
        candidate = method.getBody();
      } else if (leaf instanceof LambdaExpressionTree lambda) {
        candidate = lambda.getBody();
      } else if (leaf instanceof BlockTree
          && p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof ClassTree) {
        candidate = leaf; // an initializer block
      }
      if (candidate instanceof BlockTree && declares(candidate, local)) {
        body = candidate;
        break;
      }
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        // Captured: the value where the lambda or class is created.
        usePoint = leaf;
        usePath = p;
      }
    }
    if (body == null) {
      return null;
    }
    Set<Tree> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    for (TreePath p = usePath; p != null && p.getLeaf() != body; p = p.getParentPath()) {
      onPath.add(p.getLeaf());
    }
    if (usePoint instanceof ClassTree
        && usePath.getParentPath().getLeaf() instanceof NewClassTree creation) {
      usePoint = creation; // an anonymous class: created where its `new` is
      onPath.add(creation);
    }
    NullPaths walk =
        new NullPaths(local, usePoint, onPath, state, path.getCompilationUnit().getLineMap());
    try {
      walk.statement((StatementTree) body, Facts.none());
    } catch (GiveUp e) {
      return null;
    }
    if (walk.atUse == null || walk.atUse.reasons.isEmpty()) {
      return null;
    }
    Map.Entry<Tree, String> first = walk.atUse.reasons.entrySet().iterator().next();
    String name = local.getSimpleName().toString();
    long assigned = walk.line(first.getKey());
    return first.getValue() == null
        ? name + " is null here (set to null at line " + assigned + ")"
        : name + " is null here " + first.getValue() + " (set to null at line " + assigned + ")";
  }

  /** Whether {@code body} declares {@code local} (not in a lambda or class inside it). */
  private static boolean declares(Tree body, VarSymbol local) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitVariable(VariableTree tree, Void unused) {
            return ASTHelpers.getSymbol(tree) == local
                || Boolean.TRUE.equals(super.visitVariable(tree, null));
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
            return false;
          }

          @Override
          public Boolean visitClass(ClassTree tree, Void unused) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(body, null);
    return Boolean.TRUE.equals(found);
  }

  // ---- Statements ------------------------------------------------------------------------------

  /** The facts after {@code tree} completes normally, from {@code in}; null if it cannot. */
  private Facts statement(StatementTree tree, Facts in) {
    if (in == null || tree == null) {
      return in;
    }
    switch (tree.getKind()) {
      case BLOCK -> {
        Facts current = in;
        for (StatementTree s : ((BlockTree) tree).getStatements()) {
          current = statement(s, current);
        }
        return current;
      }
      case EMPTY_STATEMENT -> {
        return in;
      }
      case EXPRESSION_STATEMENT -> {
        return expressionStatement(((ExpressionStatementTree) tree).getExpression(), in);
      }
      case VARIABLE -> {
        VariableTree declaration = (VariableTree) tree;
        ExpressionTree initializer = declaration.getInitializer();
        if (ASTHelpers.getSymbol(declaration) == variable) {
          if (initializer == null) {
            return Facts.none();
          }
          expression(initializer, in);
          return isNullLiteral(initializer) ? Facts.of(declaration) : Facts.none();
        }
        return initializer == null ? in : expression(initializer, in);
      }
      case IF -> {
        return ifStatement((IfTree) tree, in);
      }
      case WHILE_LOOP -> {
        WhileLoopTree loop = (WhileLoopTree) tree;
        return loop(tree, loop.getCondition(), loop.getStatement(), List.of(), in, false);
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree loop = (DoWhileLoopTree) tree;
        return loop(tree, loop.getCondition(), loop.getStatement(), List.of(), in, true);
      }
      case FOR_LOOP -> {
        ForLoopTree loop = (ForLoopTree) tree;
        Facts current = in;
        for (StatementTree init : loop.getInitializer()) {
          current = statement(init, current);
        }
        return loop(
            tree, loop.getCondition(), loop.getStatement(), loop.getUpdate(), current, false);
      }
      case ENHANCED_FOR_LOOP -> {
        EnhancedForLoopTree loop = (EnhancedForLoopTree) tree;
        return loop(
            tree,
            null,
            loop.getStatement(),
            List.of(),
            expression(loop.getExpression(), in),
            false);
      }
      case LABELED_STATEMENT -> {
        LabeledStatementTree labeled = (LabeledStatementTree) tree;
        Target target = new Target(labeled.getStatement(), labeled.getLabel(), false);
        targets.push(target);
        Facts out;
        try {
          out = statement(labeled.getStatement(), in);
        } finally {
          targets.pop();
        }
        return joinAll(with(out, target.breaks));
      }
      case SWITCH -> {
        return switchStatement((SwitchTree) tree, in);
      }
      case TRY -> {
        return tryStatement((TryTree) tree, in);
      }
      case SYNCHRONIZED -> {
        SynchronizedTree sync = (SynchronizedTree) tree;
        return statement(sync.getBlock(), expression(sync.getExpression(), in));
      }
      case RETURN, THROW -> {
        for (Tree child : children(tree)) {
          expression((ExpressionTree) child, in);
        }
        if (tree instanceof com.sun.source.tree.ThrowTree) {
          mayThrow(in);
        }
        return null;
      }
      case BREAK -> {
        target(((BreakTree) tree).getLabel(), false).breaks.add(in);
        return null;
      }
      case CONTINUE -> {
        target(((ContinueTree) tree).getLabel(), true).continues.add(in);
        return null;
      }
      case ASSERT, CLASS, RECORD, ENUM, INTERFACE, ANNOTATION_TYPE -> {
        // An assert may not run; a local class reads the variable where it is declared.
        if (onPath.contains(tree)) {
          record(in);
        }
        if (assignsVariable(tree)) {
          throw new GiveUp();
        }
        return in;
      }
      default -> throw new GiveUp(); // yield, and shapes this walk does not know
    }
  }

  private static List<Tree> children(Tree tree) {
    List<Tree> children = new ArrayList<>();
    if (tree instanceof com.sun.source.tree.ReturnTree r && r.getExpression() != null) {
      children.add(r.getExpression());
    } else if (tree instanceof com.sun.source.tree.ThrowTree t) {
      children.add(t.getExpression());
    }
    return children;
  }

  /** The facts after an expression statement: an assignment of the variable, or any other. */
  private Facts expressionStatement(ExpressionTree expression, Facts in) {
    if (expression instanceof AssignmentTree assignment
        && ASTHelpers.getSymbol(assignment.getVariable()) == variable
        && assignment.getVariable() instanceof IdentifierTree) {
      expression(assignment.getExpression(), in);
      return isNullLiteral(assignment.getExpression()) ? Facts.of(assignment) : Facts.none();
    }
    return expression(expression, in);
  }

  private Facts ifStatement(IfTree tree, Facts in) {
    Facts[] branches = condition(tree.getCondition(), in);
    String quoted = quote("if " + source(tree.getCondition()), tree);
    Map.Entry<String, Boolean> key = conditionKey(tree.getCondition());
    Facts thenIn = key == null ? branches[0] : assume(branches[0], key.getKey(), key.getValue());
    Facts elseIn = key == null ? branches[1] : assume(branches[1], key.getKey(), !key.getValue());
    Facts then = statement(tree.getThenStatement(), thenIn);
    Facts otherwise = statement(tree.getElseStatement(), elseIn);
    return join2(
        then, "when " + quoted + " is taken", otherwise, "when " + quoted + " is not taken");
  }

  private Facts loop(
      Tree loop,
      ExpressionTree condition,
      StatementTree body,
      List<? extends StatementTree> update,
      Facts in,
      boolean bodyFirst) {
    if (in == null) {
      return null;
    }
    String name = loopName(loop);
    Name label =
        targets.peek() != null && targets.peek().tree == loop ? targets.peek().label : null;
    Facts head = in;
    Facts exitByCondition = null;
    Target target = null;
    for (int round = 0; ; round++) {
      if (round > MAX_LOOP_ROUNDS) {
        throw new GiveUp();
      }
      target = new Target(loop, label, true);
      targets.push(target);
      loops.push(loop);
      Facts back;
      try {
        if (bodyFirst) {
          Facts afterBody = joinAll(with(statement(body, head), target.continues));
          Facts[] branches = condition(condition, afterBody);
          exitByCondition = branches[1];
          back = branches[0];
        } else {
          Facts[] branches =
              condition == null
                  ? new Facts[] {head, loop instanceof EnhancedForLoopTree ? head : null}
                  : condition(condition, head);
          exitByCondition = branches[1];
          Facts afterBody = joinAll(with(statement(body, branches[0]), target.continues));
          for (StatementTree step : update) {
            afterBody = statement(step, afterBody);
          }
          back = afterBody;
        }
      } finally {
        loops.pop();
        targets.pop();
      }
      Facts next = join2(in, null, back, "when " + name + " comes round again");
      if (sameOrigins(next, head)) {
        break;
      }
      head = next;
    }
    Facts exits =
        bodyFirst
            ? exitByCondition
            : relabel(exitByCondition, "when " + name + " runs no iteration");
    List<Facts> all = new ArrayList<>();
    all.add(exits);
    for (Facts b : target.breaks) {
      all.add(relabelOutside(b, loop, "when " + name + " ends in its first iteration"));
    }
    return joinAll(all);
  }

  private String loopName(Tree loop) {
    String kind =
        switch (loop.getKind()) {
          case WHILE_LOOP -> "while";
          case DO_WHILE_LOOP -> "do";
          default -> "for";
        };
    return "the `" + kind + "` loop at line " + line(loop);
  }

  /** {@code facts} where those with no reason yet and an origin outside {@code tree} get one. */
  private Facts relabelOutside(Facts facts, Tree tree, String reason) {
    if (facts == null) {
      return null;
    }
    Facts out = Facts.none();
    facts.reasons.forEach(
        (origin, r) ->
            out.put(
                origin,
                r == null && !inside(origin, tree) ? reason : r,
                facts.conditionsOf(origin)));
    return out;
  }

  private boolean inside(Tree inner, Tree outer) {
    int position = ASTHelpers.getStartPosition(inner);
    return position >= ASTHelpers.getStartPosition(outer) && position < state.getEndPosition(outer);
  }

  private static List<Facts> with(Facts first, List<Facts> more) {
    List<Facts> all = new ArrayList<>();
    all.add(first);
    all.addAll(more);
    return all;
  }

  private Facts switchStatement(SwitchTree tree, Facts in) {
    Facts selected = expression(tree.getExpression(), in);
    String quoted = quote("switch", tree);
    Target target = new Target(tree, null, false);
    targets.push(target);
    List<Facts> outs = new ArrayList<>();
    boolean hasDefault = false;
    Facts fallingThrough = null;
    try {
      for (CaseTree caseTree : tree.getCases()) {
        if (caseTree.getExpressions().isEmpty()) {
          hasDefault = true;
        }
        String label =
            caseTree.getExpressions().isEmpty()
                ? "when " + quoted + " takes its default"
                : "when "
                    + quoted
                    + " takes `case "
                    + source(caseTree.getExpressions().get(0))
                    + "`";
        Facts entry = relabel(selected, label);
        if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree body = caseTree.getBody();
          Facts out =
              body instanceof StatementTree statementTree
                  ? statement(statementTree, entry)
                  : expressionStatement((ExpressionTree) body, entry);
          outs.add(out);
        } else {
          Facts current = joinAll(listOf(entry, fallingThrough));
          for (StatementTree s : caseTree.getStatements()) {
            current = statement(s, current);
          }
          fallingThrough = current;
        }
      }
    } finally {
      targets.pop();
    }
    outs.add(fallingThrough);
    if (!hasDefault && !coversEveryConstant(tree)) {
      outs.add(relabel(selected, "when " + quoted + " matches no case"));
    }
    return joinAll(with(joinAll(outs), target.breaks));
  }

  /** Whether a switch over an enum names every constant of it (a new one would match no case). */
  private static boolean coversEveryConstant(SwitchTree tree) {
    Type type = ASTHelpers.getType(tree.getExpression());
    if (type == null || type.tsym == null || type.tsym.getKind() != ElementKind.ENUM) {
      return false;
    }
    long constants =
        type.tsym.getEnclosedElements().stream()
            .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
            .count();
    long named = 0;
    for (CaseTree caseTree : tree.getCases()) {
      named += caseTree.getExpressions().size();
    }
    return named >= constants;
  }

  private Facts tryStatement(TryTree tree, Facts in) {
    Facts current = in;
    List<Facts> throwing = new ArrayList<>();
    tries.push(throwing);
    Facts afterBlock;
    try {
      for (Tree resource : tree.getResources()) {
        if (resource instanceof VariableTree declaration) {
          if (ASTHelpers.getSymbol(declaration) == variable) {
            throw new GiveUp();
          }
          current = statement(declaration, current);
        } else {
          current = expression((ExpressionTree) resource, current);
        }
      }
      afterBlock = statement(tree.getBlock(), current);
    } finally {
      tries.pop();
    }
    String quoted = "the `try` block at line " + line(tree);
    List<Facts> outs = new ArrayList<>();
    outs.add(afterBlock);
    Facts caught = relabel(joinAll(throwing), "when " + quoted + " throws");
    for (CatchTree catchTree : tree.getCatches()) {
      outs.add(statement(catchTree.getBlock(), caught));
    }
    Facts out = joinAll(outs);
    if (tree.getFinallyBlock() != null) {
      if (assignsVariable(tree.getFinallyBlock())) {
        throw new GiveUp();
      }
      out = statement(tree.getFinallyBlock(), out);
    }
    return out;
  }

  private Target target(Name label, boolean isContinue) {
    for (Target target : targets) {
      if (label == null
          ? (isContinue ? target.loop : (target.loop || target.tree instanceof SwitchTree))
          : label.equals(target.label)) {
        if (isContinue && !target.loop) {
          continue;
        }
        return target;
      }
    }
    throw new GiveUp();
  }

  // ---- Expressions ------------------------------------------------------------------------------

  /**
   * The facts after {@code expression} is evaluated: records them at the use if it is inside, gives
   * up on an assignment of the variable, ends them after a dereference.
   */
  private Facts expression(ExpressionTree expression, Facts in) {
    if (in == null || expression == null) {
      return in;
    }
    if (onPath.contains(expression) || expression == use) {
      record(factsAt(expression, in));
    }
    if (assignsVariable(expression)) {
      throw new GiveUp();
    }
    if (canThrow(expression)) {
      mayThrow(in);
    }
    return dereferences(expression) ? Facts.none() : in;
  }

  /**
   * The facts where the use is evaluated inside {@code expression}: those of {@code in}, narrowed
   * by the conditions ({@code ?:}, {@code &&}, {@code ||}) that guard it.
   */
  private Facts factsAt(ExpressionTree expression, Facts in) {
    Tree current = expression;
    Facts facts = in;
    while (current != use && facts != null) {
      if (current instanceof ConditionalExpressionTree conditional) {
        Facts[] branches = condition(conditional.getCondition(), facts);
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
        Facts[] branches = condition(binary.getLeftOperand(), facts);
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

  /**
   * The facts when {@code condition} is true and when it is false. Null checks of the variable
   * narrow them; so does a dereference, which throws on null.
   */
  private Facts[] condition(ExpressionTree condition, Facts in) {
    if (in == null) {
      return new Facts[] {null, null};
    }
    if (condition == null) {
      return new Facts[] {in, null}; // for (;;)
    }
    ExpressionTree stripped = condition;
    while (stripped instanceof ParenthesizedTree parenthesized) {
      stripped = parenthesized.getExpression();
    }
    switch (stripped.getKind()) {
      case LOGICAL_COMPLEMENT -> {
        Facts[] inner = condition(((UnaryTree) stripped).getExpression(), in);
        return new Facts[] {inner[1], inner[0]};
      }
      case CONDITIONAL_AND -> {
        BinaryTree and = (BinaryTree) stripped;
        Facts[] left = condition(and.getLeftOperand(), in);
        Facts[] right = condition(and.getRightOperand(), left[0]);
        return new Facts[] {right[0], joinAll(listOf(left[1], right[1]))};
      }
      case CONDITIONAL_OR -> {
        BinaryTree or = (BinaryTree) stripped;
        Facts[] left = condition(or.getLeftOperand(), in);
        Facts[] right = condition(or.getRightOperand(), left[1]);
        return new Facts[] {joinAll(listOf(left[0], right[0])), right[1]};
      }
      case BOOLEAN_LITERAL -> {
        boolean value =
            Boolean.TRUE.equals(((com.sun.source.tree.LiteralTree) stripped).getValue());
        return value ? new Facts[] {in, null} : new Facts[] {null, in};
      }
      default -> {}
    }
    Facts after = expression(stripped, in);
    if (stripped instanceof BinaryTree binary
        && (binary.getKind() == Tree.Kind.EQUAL_TO || binary.getKind() == Tree.Kind.NOT_EQUAL_TO)
        && comparesVariableWithNull(binary)) {
      boolean equal = binary.getKind() == Tree.Kind.EQUAL_TO;
      return equal ? new Facts[] {after, Facts.none()} : new Facts[] {Facts.none(), after};
    }
    if (stripped instanceof InstanceOfTree instanceOf && isVariable(instanceOf.getExpression())) {
      return new Facts[] {Facts.none(), after};
    }
    if (stripped instanceof MethodInvocationTree call
        && call.getArguments().size() == 1
        && isVariable(call.getArguments().get(0))) {
      Name called = CheckSupport.calledName(call);
      if (called != null && called.contentEquals("nonNull")) {
        return new Facts[] {Facts.none(), after};
      }
      if (called != null && called.contentEquals("isNull")) {
        return new Facts[] {after, Facts.none()};
      }
    }
    return new Facts[] {after, after};
  }

  private boolean comparesVariableWithNull(BinaryTree binary) {
    return (isVariable(binary.getLeftOperand()) && isNullLiteral(binary.getRightOperand()))
        || (isVariable(binary.getRightOperand()) && isNullLiteral(binary.getLeftOperand()));
  }

  private boolean isVariable(ExpressionTree tree) {
    ExpressionTree stripped = CheckSupport.stripParenthesesAndCasts(tree);
    return stripped instanceof IdentifierTree && ASTHelpers.getSymbol(stripped) == variable;
  }

  private static boolean isNullLiteral(ExpressionTree tree) {
    return CheckSupport.stripParenthesesAndCasts(tree).getKind() == Tree.Kind.NULL_LITERAL;
  }

  /** Whether {@code tree} assigns the variable anywhere (lambdas and classes cannot). */
  private boolean assignsVariable(Tree tree) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitAssignment(AssignmentTree assignment, Void unused) {
            return ASTHelpers.getSymbol(assignment.getVariable()) == variable
                || Boolean.TRUE.equals(super.visitAssignment(assignment, null));
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
            return false;
          }

          @Override
          public Boolean visitClass(ClassTree classTree, Void unused) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /**
   * Whether evaluating {@code expression} dereferences the variable whenever it runs: {@code
   * ctx.method()} or {@code ctx.field}, or {@code requireNonNull(ctx)} / {@code checkNotNull(ctx)},
   * outside the parts that may not run (the arms of {@code ?:}, the right of {@code &&} and {@code
   * ||}, lambdas and classes).
   */
  private boolean dereferences(ExpressionTree expression) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitMemberSelect(MemberSelectTree select, Void unused) {
            return isVariable(select.getExpression())
                || Boolean.TRUE.equals(super.visitMemberSelect(select, null));
          }

          @Override
          public Boolean visitMethodInvocation(MethodInvocationTree call, Void unused) {
            Name called = CheckSupport.calledName(call);
            if (called != null
                && (called.contentEquals("requireNonNull") || called.contentEquals("checkNotNull"))
                && !call.getArguments().isEmpty()
                && isVariable(call.getArguments().get(0))) {
              return true;
            }
            return super.visitMethodInvocation(call, null);
          }

          @Override
          public Boolean visitConditionalExpression(ConditionalExpressionTree tree, Void unused) {
            return scan(tree.getCondition(), null);
          }

          @Override
          public Boolean visitBinary(BinaryTree tree, Void unused) {
            if (tree.getKind() == Tree.Kind.CONDITIONAL_AND
                || tree.getKind() == Tree.Kind.CONDITIONAL_OR) {
              return scan(tree.getLeftOperand(), null);
            }
            return super.visitBinary(tree, null);
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
            return false;
          }

          @Override
          public Boolean visitClass(ClassTree classTree, Void unused) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(expression, null);
    return Boolean.TRUE.equals(found);
  }

  /** Whether evaluating {@code expression} may throw: it calls, creates, indexes or casts. */
  private static boolean canThrow(ExpressionTree expression) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitNewClass(NewClassTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitNewArray(com.sun.source.tree.NewArrayTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitArrayAccess(com.sun.source.tree.ArrayAccessTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitTypeCast(com.sun.source.tree.TypeCastTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(expression, null);
    return Boolean.TRUE.equals(found);
  }

  // ---- Facts ------------------------------------------------------------------------------------

  /**
   * Adds {@code facts} to those at the use. Inside a loop, an assignment before the loop that
   * reaches the use unchanged does so in the loop's first iteration.
   */
  private void record(Facts facts) {
    Facts labelled = facts;
    Tree outermost = null;
    for (Tree loop : loops) {
      outermost = loop;
    }
    if (outermost != null) {
      labelled =
          relabelOutside(facts, outermost, "in the first iteration of " + loopName(outermost));
    }
    atUse = joinAll(listOf(atUse, labelled));
  }

  /** Facts where something may throw reach the catch blocks of the try blocks around. */
  private void mayThrow(Facts facts) {
    if (facts != null && !facts.reasons.isEmpty()) {
      for (List<Facts> throwing : tries) {
        throwing.add(facts);
      }
    }
  }

  /** {@code facts} with {@code reason} for the facts that have none yet. */
  private static Facts relabel(Facts facts, String reason) {
    if (facts == null || reason == null) {
      return facts;
    }
    Facts out = Facts.none();
    facts.reasons.forEach(
        (origin, r) -> out.put(origin, r == null ? reason : r, facts.conditionsOf(origin)));
    return out;
  }

  /**
   * Where two branches meet: an assignment that reaches from both keeps a reason of its own where
   * it has one on both; else the branch that let it through unchanged gives it its reason.
   */
  private static Facts join2(Facts a, String reasonA, Facts b, String reasonB) {
    if (a == null) {
      return b == null ? null : relabel(b, reasonB);
    }
    if (b == null) {
      return relabel(a, reasonA);
    }
    Facts out = Facts.none();
    for (Map.Entry<Tree, String> e : a.reasons.entrySet()) {
      String other = b.reasons.get(e.getKey());
      boolean inBoth = b.reasons.containsKey(e.getKey());
      out.put(
          e.getKey(),
          inBoth && e.getValue() == null && other == null
              ? null
              : e.getValue() == null ? reasonA : inBoth && other == null ? reasonB : e.getValue(),
          inBoth
              ? common(a.conditionsOf(e.getKey()), b.conditionsOf(e.getKey()))
              : a.conditionsOf(e.getKey()));
    }
    for (Map.Entry<Tree, String> e : b.reasons.entrySet()) {
      if (!out.reasons.containsKey(e.getKey())) {
        out.put(
            e.getKey(), e.getValue() == null ? reasonB : e.getValue(), b.conditionsOf(e.getKey()));
      }
    }
    return out;
  }

  /** The conditions two paths agree on. */
  private static Map<String, Boolean> common(Map<String, Boolean> a, Map<String, Boolean> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Map.of();
    }
    Map<String, Boolean> both = new LinkedHashMap<>();
    a.forEach(
        (condition, value) -> {
          if (value.equals(b.get(condition))) {
            both.put(condition, value);
          }
        });
    return both;
  }

  /**
   * The facts on the branch of an {@code if} where {@code condition} is {@code value}: those that
   * came through the other branch of an earlier test of the same condition cannot get here, the
   * others remember the branch.
   */
  private static Facts assume(Facts facts, String condition, boolean value) {
    if (facts == null || condition == null) {
      return facts;
    }
    Facts out = Facts.none();
    facts.reasons.forEach(
        (origin, r) -> {
          Map<String, Boolean> known = facts.conditionsOf(origin);
          Boolean earlier = known.get(condition);
          if (earlier == null) {
            Map<String, Boolean> more = new LinkedHashMap<>(known);
            more.put(condition, value);
            out.put(origin, r, more);
          } else if (earlier == value) {
            out.put(origin, r, known);
          }
        });
    return out;
  }

  /**
   * The condition of an {@code if} as a key (its source without parentheses, blanks and leading
   * {@code !}) and whether the {@code if} is taken when that key is true; null for a condition that
   * changes something (an assignment, {@code ++}). A call is taken to answer the same twice: where
   * it does not, a finding is missed, never made up.
   */
  private Map.Entry<String, Boolean> conditionKey(ExpressionTree condition) {
    ExpressionTree current = condition;
    boolean polarity = true;
    while (true) {
      if (current instanceof ParenthesizedTree parenthesized) {
        current = parenthesized.getExpression();
      } else if (current instanceof UnaryTree unary
          && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        polarity = !polarity;
        current = unary.getExpression();
      } else {
        break;
      }
    }
    if (hasSideEffect(current)) {
      return null;
    }
    String source = state.getSourceForNode(current);
    return source == null ? null : Map.entry(source.replaceAll("\\s+", ""), polarity);
  }

  private static boolean hasSideEffect(ExpressionTree tree) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitAssignment(AssignmentTree assignment, Void unused) {
            return true;
          }

          @Override
          public Boolean visitCompoundAssignment(
              com.sun.source.tree.CompoundAssignmentTree assignment, Void unused) {
            return true;
          }

          @Override
          public Boolean visitUnary(UnaryTree unary, Void unused) {
            return unary.getKind() == Tree.Kind.PREFIX_INCREMENT
                || unary.getKind() == Tree.Kind.PREFIX_DECREMENT
                || unary.getKind() == Tree.Kind.POSTFIX_INCREMENT
                || unary.getKind() == Tree.Kind.POSTFIX_DECREMENT
                || Boolean.TRUE.equals(super.visitUnary(unary, null));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** The union: a point reached by none of them is reached by none. */
  private static Facts joinAll(List<Facts> all) {
    Facts out = null;
    for (Facts f : all) {
      if (f == null) {
        continue;
      }
      if (out == null) {
        out = Facts.none();
      }
      for (Map.Entry<Tree, String> e : f.reasons.entrySet()) {
        if (out.reasons.containsKey(e.getKey())) {
          out.put(
              e.getKey(),
              out.reasons.get(e.getKey()),
              common(out.conditionsOf(e.getKey()), f.conditionsOf(e.getKey())));
        } else {
          out.put(e.getKey(), e.getValue(), f.conditionsOf(e.getKey()));
        }
      }
    }
    return out;
  }

  private static List<Facts> listOf(Facts a, Facts b) {
    List<Facts> list = new ArrayList<>(2);
    list.add(a);
    list.add(b);
    return list;
  }

  private static boolean sameOrigins(Facts a, Facts b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.reasons.keySet().equals(b.reasons.keySet());
  }

  // ---- Messages ---------------------------------------------------------------------------------

  private long line(Tree tree) {
    return lines.getLineNumber(ASTHelpers.getStartPosition(tree));
  }

  /** "the `if (retry)` at line 12", or "the `if` at line 12" when the source is long. */
  private String quote(String written, Tree tree) {
    String text = written.replaceAll("\\s+", " ");
    if (text.length() > MAX_QUOTED) {
      text =
          written.substring(0, written.indexOf(' ') < 0 ? written.length() : written.indexOf(' '));
    }
    return "the `" + text + "` at line " + line(tree);
  }

  private String source(Tree tree) {
    String source = state.getSourceForNode(tree);
    return source == null ? "..." : source;
  }
}
