package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Name;

/**
 * The {@link NullPaths} walk through the statements of the body that declares the variable: the
 * facts after each statement completes normally, from those before it. It decides on which path a
 * {@code null} assignment reaches the use: where branches meet ({@code if}, {@code switch}, {@code
 * catch}), round each loop until its facts settle, and out of it by {@code break} and {@code
 * continue}. Expressions, and the facts at the use, are {@link ExpressionWalk}'s.
 */
final class StatementWalk {
  /** How often a loop body is walked before the walk gives up. */
  private static final int MAX_LOOP_ROUNDS = 8;

  private final VarSymbol variable;
  private final ExpressionEffects effects;
  private final ExpressionWalk expressions;
  private final PathNames names;
  private final VisitorState state;

  /** Where break and continue go: loops, switches and labelled statements around the walk. */
  private final Deque<Target> targets = new ArrayDeque<>();

  private static final class Target {
    final Tree tree;
    final Name label;
    final boolean loop;
    final List<ReachingNulls> breaks = new ArrayList<>();
    final List<ReachingNulls> continues = new ArrayList<>();

    Target(Tree tree, Name label, boolean loop) {
      this.tree = tree;
      this.label = label;
      this.loop = loop;
    }
  }

  StatementWalk(
      VarSymbol variable,
      ExpressionEffects effects,
      ExpressionWalk expressions,
      PathNames names,
      VisitorState state) {
    this.variable = variable;
    this.effects = effects;
    this.expressions = expressions;
    this.names = names;
    this.state = state;
  }

  /** The facts after {@code tree} completes normally, from {@code in}; null if it cannot. */
  ReachingNulls statement(StatementTree tree, ReachingNulls in) {
    if (in == null || tree == null) {
      return in;
    }
    switch (tree.getKind()) {
      case BLOCK -> {
        ReachingNulls current = in;
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
            return ReachingNulls.none();
          }
          expressions.expression(initializer, in);
          return ExpressionEffects.isNullLiteral(initializer)
              ? ReachingNulls.of(declaration)
              : ReachingNulls.none();
        }
        return initializer == null ? in : expressions.expression(initializer, in);
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
        ReachingNulls current = in;
        for (StatementTree init : loop.getInitializer()) {
          current = statement(init, current);
        }
        // A loop whose first test compares constants and passes runs its body at least once: it
        // is walked as a do-while (body, update, then the test), with no path that skips it.
        return loop(
            tree,
            loop.getCondition(),
            loop.getStatement(),
            loop.getUpdate(),
            current,
            firstTestPasses(loop));
      }
      case ENHANCED_FOR_LOOP -> {
        EnhancedForLoopTree loop = (EnhancedForLoopTree) tree;
        return loop(
            tree,
            null,
            loop.getStatement(),
            List.of(),
            expressions.expression(loop.getExpression(), in),
            false);
      }
      case LABELED_STATEMENT -> {
        LabeledStatementTree labeled = (LabeledStatementTree) tree;
        Target target = new Target(labeled.getStatement(), labeled.getLabel(), false);
        targets.push(target);
        ReachingNulls out;
        try {
          out = statement(labeled.getStatement(), in);
        } finally {
          targets.pop();
        }
        return ReachingNulls.joinAll(ReachingNulls.with(out, target.breaks));
      }
      case SWITCH -> {
        return switchStatement((SwitchTree) tree, in);
      }
      case TRY -> {
        return tryStatement((TryTree) tree, in);
      }
      case SYNCHRONIZED -> {
        SynchronizedTree sync = (SynchronizedTree) tree;
        return statement(sync.getBlock(), expressions.expression(sync.getExpression(), in));
      }
      case RETURN, THROW -> {
        for (Tree child : children(tree)) {
          expressions.expression((ExpressionTree) child, in);
        }
        if (tree instanceof ThrowTree) {
          expressions.mayThrow(in);
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
        if (expressions.leadsToUse(tree)) {
          expressions.record(in);
        }
        if (effects.assignsVariable(tree)) {
          throw new UnfollowedShape();
        }
        return in;
      }
      default -> throw new UnfollowedShape(); // yield, and shapes this walk does not know
    }
  }

  private static List<Tree> children(Tree tree) {
    List<Tree> children = new ArrayList<>();
    if (tree instanceof ReturnTree r && r.getExpression() != null) {
      children.add(r.getExpression());
    } else if (tree instanceof ThrowTree t) {
      children.add(t.getExpression());
    }
    return children;
  }

  /** The facts after an expression statement: an assignment of the variable, or any other. */
  private ReachingNulls expressionStatement(ExpressionTree expression, ReachingNulls in) {
    if (expression instanceof AssignmentTree assignment
        && ASTHelpers.getSymbol(assignment.getVariable()) == variable
        && assignment.getVariable() instanceof IdentifierTree) {
      expressions.expression(assignment.getExpression(), in);
      return ExpressionEffects.isNullLiteral(assignment.getExpression())
          ? ReachingNulls.of(assignment)
          : ReachingNulls.none();
    }
    return expressions.expression(expression, in);
  }

  private ReachingNulls ifStatement(IfTree tree, ReachingNulls in) {
    ReachingNulls[] branches = expressions.condition(tree.getCondition(), in);
    Map.Entry<String, Boolean> key = effects.conditionKey(tree.getCondition());
    ReachingNulls thenIn =
        key == null ? branches[0] : ReachingNulls.assume(branches[0], key.getKey(), key.getValue());
    ReachingNulls elseIn =
        key == null
            ? branches[1]
            : ReachingNulls.assume(branches[1], key.getKey(), !key.getValue());
    ReachingNulls then = statement(tree.getThenStatement(), thenIn);
    ReachingNulls otherwise = statement(tree.getElseStatement(), elseIn);
    return ReachingNulls.join2(
        then, names.ifBranch(tree, true), otherwise, names.ifBranch(tree, false));
  }

  private ReachingNulls loop(
      Tree loop,
      ExpressionTree condition,
      StatementTree body,
      List<? extends StatementTree> update,
      ReachingNulls in,
      boolean bodyFirst) {
    if (in == null) {
      return null;
    }
    Name label =
        targets.peek() != null && targets.peek().tree == loop ? targets.peek().label : null;
    ReachingNulls head = in;
    ReachingNulls exitByCondition = null;
    Target target = null;
    for (int round = 0; ; round++) {
      if (round > MAX_LOOP_ROUNDS) {
        throw new UnfollowedShape();
      }
      target = new Target(loop, label, true);
      targets.push(target);
      expressions.enterLoop(loop);
      ReachingNulls back;
      try {
        if (bodyFirst) {
          ReachingNulls afterBody =
              ReachingNulls.joinAll(ReachingNulls.with(statement(body, head), target.continues));
          for (StatementTree step : update) {
            afterBody = statement(step, afterBody);
          }
          ReachingNulls[] branches = expressions.condition(condition, afterBody);
          exitByCondition = branches[1];
          back = branches[0];
        } else {
          ReachingNulls[] branches =
              condition == null
                  ? new ReachingNulls[] {head, loop instanceof EnhancedForLoopTree ? head : null}
                  : expressions.condition(condition, head);
          exitByCondition = branches[1];
          ReachingNulls afterBody =
              ReachingNulls.joinAll(
                  ReachingNulls.with(statement(body, branches[0]), target.continues));
          for (StatementTree step : update) {
            afterBody = statement(step, afterBody);
          }
          back = afterBody;
        }
      } finally {
        expressions.leaveLoop();
        targets.pop();
      }
      ReachingNulls next = ReachingNulls.join2(in, null, back, names.loopComesRound(loop));
      if (ReachingNulls.sameOrigins(next, head)) {
        break;
      }
      head = next;
    }
    ReachingNulls exits =
        bodyFirst
            ? exitByCondition
            : ReachingNulls.relabel(exitByCondition, names.loopRunsNoIteration(loop));
    List<ReachingNulls> all = new ArrayList<>();
    all.add(exits);
    for (ReachingNulls b : target.breaks) {
      all.add(ReachingNulls.relabelOutside(b, loop, names.loopEndsInFirstIteration(loop), state));
    }
    return ReachingNulls.joinAll(all);
  }

  private ReachingNulls switchStatement(SwitchTree tree, ReachingNulls in) {
    ReachingNulls selected = expressions.expression(tree.getExpression(), in);
    Target target = new Target(tree, null, false);
    targets.push(target);
    List<ReachingNulls> outs = new ArrayList<>();
    boolean hasDefault = false;
    ReachingNulls fallingThrough = null;
    try {
      for (CaseTree caseTree : tree.getCases()) {
        if (caseTree.getExpressions().isEmpty()) {
          hasDefault = true;
        }
        ReachingNulls entry = ReachingNulls.relabel(selected, names.switchCase(tree, caseTree));
        if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
          Tree body = caseTree.getBody();
          ReachingNulls out =
              body instanceof StatementTree statementTree
                  ? statement(statementTree, entry)
                  : expressionStatement((ExpressionTree) body, entry);
          outs.add(out);
        } else {
          ReachingNulls current =
              ReachingNulls.joinAll(ReachingNulls.listOf(entry, fallingThrough));
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
      outs.add(ReachingNulls.relabel(selected, names.switchMatchesNoCase(tree)));
    }
    return ReachingNulls.joinAll(ReachingNulls.with(ReachingNulls.joinAll(outs), target.breaks));
  }

  /**
   * Whether the first test of {@code loop} passes whatever the method's state: the loop declares
   * one variable with a constant integral initializer and tests it against a constant with {@code
   * <}, {@code <=}, {@code >}, {@code >=} or {@code !=}, as in {@code for (int i = 0; i < 3; i++)}
   * or {@code for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)} with a {@code static
   * final} constant.
   */
  private static boolean firstTestPasses(ForLoopTree loop) {
    if (loop.getInitializer().size() != 1
        || !(loop.getInitializer().get(0) instanceof VariableTree variable)
        || !(loop.getCondition() instanceof BinaryTree test)
        || !(test.getLeftOperand() instanceof IdentifierTree tested)
        || ASTHelpers.getSymbol(tested) != ASTHelpers.getSymbol(variable)) {
      return false;
    }
    Long start = integral(ASTHelpers.constValue(variable.getInitializer()));
    Long bound = integral(ASTHelpers.constValue(test.getRightOperand()));
    if (start == null || bound == null) {
      return false;
    }
    long a = start;
    long b = bound;
    return switch (test.getKind()) {
      case LESS_THAN -> a < b;
      case LESS_THAN_EQUAL -> a <= b;
      case GREATER_THAN -> a > b;
      case GREATER_THAN_EQUAL -> a >= b;
      case NOT_EQUAL_TO -> a != b;
      default -> false;
    };
  }

  private static Long integral(Object constant) {
    return constant instanceof Integer
            || constant instanceof Long
            || constant instanceof Short
            || constant instanceof Byte
        ? ((Number) constant).longValue()
        : null;
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

  private ReachingNulls tryStatement(TryTree tree, ReachingNulls in) {
    ReachingNulls current = in;
    List<ReachingNulls> throwing = new ArrayList<>();
    expressions.enterTry(throwing);
    ReachingNulls afterBlock;
    try {
      for (Tree resource : tree.getResources()) {
        if (resource instanceof VariableTree declaration) {
          if (ASTHelpers.getSymbol(declaration) == variable) {
            throw new UnfollowedShape();
          }
          current = statement(declaration, current);
        } else {
          current = expressions.expression((ExpressionTree) resource, current);
        }
      }
      afterBlock = statement(tree.getBlock(), current);
    } finally {
      expressions.leaveTry();
    }
    List<ReachingNulls> outs = new ArrayList<>();
    outs.add(afterBlock);
    ReachingNulls caught =
        ReachingNulls.relabel(ReachingNulls.joinAll(throwing), names.tryThrows(tree));
    for (CatchTree catchTree : tree.getCatches()) {
      outs.add(statement(catchTree.getBlock(), caught));
    }
    ReachingNulls out = ReachingNulls.joinAll(outs);
    if (tree.getFinallyBlock() != null) {
      if (effects.assignsVariable(tree.getFinallyBlock())) {
        throw new UnfollowedShape();
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
    throw new UnfollowedShape();
  }
}
