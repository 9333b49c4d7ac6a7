package org.ctx4j.checks.loops;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.AssignmentMatcher;
import org.ctx4j.checks.support.InternalErrors;
import org.ctx4j.checks.support.PerCompilation;
import org.ctx4j.checks.support.RuntimeRoles;
import org.ctx4j.checks.support.RuntimeRoles.Role;
import org.ctx4j.checks.support.TreeSearch;

/**
 * Flags, inside a loop body, {@code ctx = Context.withValue(ctx, ...)} and the like ({@code ctx =
 * KEY.with(ctx, v)}, any method {@link RuntimeRoles} says derives a context): an assignment to a
 * variable declared outside the loop of a context derived from that same variable, so that each
 * iteration nests one level deeper (a longer chain to search, deadlines that only shrink, values of
 * earlier iterations still visible). Go: fatcontext. Not flagged when every path through the
 * iteration first resets the variable from something not derived from it, or resets it after the
 * assignment before the next iteration (a walker that restores its context after each child), nor
 * over a map's keys when only a key equal to a constant derives (middleware copying known headers),
 * nor in a loop body that never comes round again (it ends in {@code return}, {@code throw} or
 * {@code break}, or a statement that always ends in one, and has no {@code continue}), nor when the
 * assignment is followed in its block by such a jump out of the loop ({@code if (found) { ctx =
 * KEY.with(ctx, v); break; }}).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Derive a fresh context in each iteration instead of nesting the loop's context one level"
            + " deeper every time",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextDerivedInLoop.md")
public final class ContextDerivedInLoop extends ContextChecker implements AssignmentMatcher {

  private static final long serialVersionUID = 1L;

  private static final Supplier<Type> MAP = PerCompilation.type("java.util.Map");

  /** What a key may go through and stay the same key: a change of case, or trimming. */
  private static final Set<String> NORMALIZERS =
      Set.of("toLowerCase", "toUpperCase", "trim", "strip");

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextDerivedInLoop() {}

  @Override
  public Description matchAssignment(AssignmentTree tree, VisitorState state) {
    if (!(tree.getVariable() instanceof IdentifierTree)
        || !(CheckSupport.stripParenthesesAndCasts(tree.getExpression())
            instanceof MethodInvocationTree call)
        || !RuntimeRoles.names(Role.DERIVES_CONTEXT).contains(CheckSupport.calledName(call), state)
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          Symbol variable = ASTHelpers.getSymbol(tree.getVariable());
          if (!CheckSupport.isLocalVariable(variable)
              || !derivedFrom(tree.getExpression(), variable, state)) {
            return Description.NO_MATCH;
          }
          TreePath loop = enclosingLoop(state.getPath());
          if (loop == null
              || declaredIn(variable, body(loop.getLeaf()), state)
              || (loop.getLeaf() instanceof EnhancedForLoopTree
                  && ASTHelpers.getSymbol(((EnhancedForLoopTree) loop.getLeaf()).getVariable())
                      == variable) // fresh in each iteration too
              || resetEarlierInIteration(state.getPath(), loop, variable, state)
              || resetLaterInIteration(state.getPath(), loop, variable, state)
              || collectsValuesOfEachIteration(tree.getExpression(), loop.getLeaf(), state)
              || selectedByAMapKey(state.getPath(), loop, state)
              || runsOnce(body(loop.getLeaf()), loop)
              || leavesTheLoopAfter(state.getPath(), loop)) {
            return Description.NO_MATCH;
          }
          Description.Builder description =
              buildDescription(tree)
                  .setMessage(
                      "Each iteration derives "
                          + variable.getSimpleName()
                          + " from the previous iteration's context, nesting it one level deeper;"
                          + " derive a fresh context inside the loop from one declared outside it");
          SuggestedFix fix =
              InternalErrors.orElse(
                  this,
                  tree,
                  state,
                  () -> LoopVariableFix.build(state.getPath(), loop, variable, state),
                  null);
          if (fix != null) {
            description.addFix(fix);
          }
          return description.build();
        });
  }

  /**
   * Whether {@code expression} is a context derived from {@code variable}: a runtime method that
   * derives a context ({@link RuntimeRoles}: the {@code Context} factories, {@code KEY.with(ctx,
   * v)}) whose parent is the variable, or is itself such a call ({@code withValue(withValue(ctx, a,
   * 1), b, 2)}).
   */
  static boolean derivedFrom(ExpressionTree expression, Symbol variable, VisitorState state) {
    ExpressionTree current = CheckSupport.stripParenthesesAndCasts(expression);
    while (current instanceof MethodInvocationTree call) {
      RuntimeRoles.Entry derives = RuntimeRoles.ofCall(call, Role.DERIVES_CONTEXT, state);
      ExpressionTree parent = derives == null ? null : derives.parentOf(call);
      if (parent == null) {
        break;
      }
      current = CheckSupport.stripParenthesesAndCasts(parent);
    }
    return current instanceof IdentifierTree && ASTHelpers.getSymbol(current) == variable;
  }

  /**
   * Whether every derivation of {@code expression}'s chain takes a key ({@code withValue}, {@code
   * KEY.with}) that depends on the iteration (it mentions a variable declared in {@code loop}: the
   * loop's own variable or a local of its body), as in {@code ctx = Context.withValue(ctx, new
   * HeaderKey(header.getKey()), header.getValue())} over a map's entries: the chain then holds one
   * value per item, which is what the loop is for, not the same value stacked again and again.
   */
  private static boolean collectsValuesOfEachIteration(
      ExpressionTree expression, Tree loop, VisitorState state) {
    int loopStart = ASTHelpers.getStartPosition(loop);
    int loopEnd = state.getEndPosition(loop);
    ExpressionTree current = CheckSupport.stripParenthesesAndCasts(expression);
    boolean any = false;
    while (current instanceof MethodInvocationTree call) {
      RuntimeRoles.Entry derives = RuntimeRoles.ofCall(call, Role.DERIVES_CONTEXT, state);
      if (derives == null || derives.parentOf(call) == null) {
        break;
      }
      ExpressionTree key = derives.has(Role.TAKES_KEY) ? derives.keyOf(call) : null;
      if (key == null || !mentionsVariableDeclaredIn(key, loopStart, loopEnd)) {
        return false;
      }
      any = true;
      current = CheckSupport.stripParenthesesAndCasts(derives.parentOf(call));
    }
    return any;
  }

  /**
   * Whether {@code loop} runs over the keys of a map ({@code for (var e : map.entrySet())} or
   * {@code for (var k : map.keySet())}) and the assignment at {@code path} runs only for a key
   * equal to a constant: inside the {@code then} branch of an {@code if} whose condition (or one
   * operand of its {@code &&}) is {@code key.equals(CONSTANT)}, {@code
   * key.equalsIgnoreCase(CONSTANT)} or the same with the two swapped, or in a {@code case} with
   * constant labels (an arrow {@code case}, or one no other {@code case} falls into) of a {@code
   * switch} on the key, as in middleware that copies the headers it knows into the context. The key
   * is {@code e.getKey()} or {@code k}, also lower- or upper-cased or trimmed. A map's keys are
   * distinct, so each such assignment runs at most once per constant however long the map (once per
   * spelling of it, for a comparison that ignores case).
   */
  private static boolean selectedByAMapKey(TreePath path, TreePath loop, VisitorState state) {
    if (!(loop.getLeaf() instanceof EnhancedForLoopTree forEach)
        || !(CheckSupport.stripParenthesesAndCasts(forEach.getExpression())
            instanceof MethodInvocationTree keys)
        || !(keys.getMethodSelect() instanceof MemberSelectTree select)) {
      return false;
    }
    String name = select.getIdentifier().toString();
    boolean entries = name.equals("entrySet");
    if (!(entries || name.equals("keySet"))
        || !keys.getArguments().isEmpty()
        || !ASTHelpers.isSubtype(
            ASTHelpers.getType(select.getExpression()), MAP.get(state), state)) {
      return false;
    }
    Symbol item = ASTHelpers.getSymbol(forEach.getVariable());
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null && p != loop; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof IfTree ifTree
          && ifTree.getThenStatement() == child
          && testsKeyAgainstConstant(ifTree.getCondition(), item, entries)) {
        return true;
      }
      if (leaf instanceof CaseTree caseTree
          && p.getParentPath().getLeaf() instanceof SwitchTree switchTree
          && isKey(switchTree.getExpression(), item, entries)
          && !caseTree.getExpressions().isEmpty()
          && caseTree.getExpressions().stream().allMatch(e -> ASTHelpers.constValue(e) != null)
          && noneFallsInto(caseTree, switchTree)) {
        return true;
      }
      child = leaf;
    }
    return false;
  }

  /**
   * Whether {@code condition}, or an operand of its {@code &&}, compares the key with a constant.
   */
  private static boolean testsKeyAgainstConstant(
      ExpressionTree condition, Symbol item, boolean entries) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(condition);
    if (stripped instanceof BinaryTree binary && binary.getKind() == Tree.Kind.CONDITIONAL_AND) {
      return testsKeyAgainstConstant(binary.getLeftOperand(), item, entries)
          || testsKeyAgainstConstant(binary.getRightOperand(), item, entries);
    }
    if (!(stripped instanceof MethodInvocationTree call)
        || call.getArguments().size() != 1
        || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return false;
    }
    String name = select.getIdentifier().toString();
    if (!name.equals("equals") && !name.equals("equalsIgnoreCase")) {
      return false;
    }
    ExpressionTree receiver = select.getExpression();
    ExpressionTree argument = call.getArguments().get(0);
    return (isKey(receiver, item, entries) && ASTHelpers.constValue(argument) != null)
        || (isKey(argument, item, entries) && ASTHelpers.constValue(receiver) != null);
  }

  /**
   * Whether {@code tree} is the loop's key: {@code e.getKey()} for entries, the variable itself for
   * keys, also through {@code toLowerCase}, {@code toUpperCase}, {@code trim} or {@code strip}.
   */
  private static boolean isKey(ExpressionTree tree, Symbol item, boolean entries) {
    ExpressionTree current = ASTHelpers.stripParentheses(tree);
    while (current instanceof MethodInvocationTree call
        && call.getMethodSelect() instanceof MemberSelectTree select
        && NORMALIZERS.contains(select.getIdentifier().toString())) {
      current = ASTHelpers.stripParentheses(select.getExpression());
    }
    if (entries) {
      return current instanceof MethodInvocationTree call
          && call.getArguments().isEmpty()
          && call.getMethodSelect() instanceof MemberSelectTree select
          && select.getIdentifier().contentEquals("getKey")
          && select.getExpression() instanceof IdentifierTree identifier
          && ASTHelpers.getSymbol(identifier) == item;
    }
    return current instanceof IdentifierTree identifier && ASTHelpers.getSymbol(identifier) == item;
  }

  /**
   * Whether no other {@code case} of {@code switchTree} falls into {@code caseTree}: it is an arrow
   * {@code case}, the first one, or the one before it ends in a jump.
   */
  private static boolean noneFallsInto(CaseTree caseTree, SwitchTree switchTree) {
    if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
      return true;
    }
    List<? extends CaseTree> cases = switchTree.getCases();
    int index = cases.indexOf(caseTree);
    if (index <= 0) {
      return index == 0;
    }
    List<? extends StatementTree> previous = cases.get(index - 1).getStatements();
    if (previous == null || previous.isEmpty()) {
      return false;
    }
    StatementTree last = previous.get(previous.size() - 1);
    return last instanceof BreakTree
        || last instanceof ReturnTree
        || last instanceof ThrowTree
        || last instanceof ContinueTree;
  }

  private static boolean mentionsVariableDeclaredIn(ExpressionTree key, int start, int end) {
    if (start < 0 || end < 0) {
      return false;
    }
    return TreeSearch.holds(
        key,
        node ->
            node instanceof IdentifierTree identifier
                && ASTHelpers.getSymbol(identifier) instanceof VarSymbol local
                && CheckSupport.isLocalVariable(local)
                && local.pos >= start
                && local.pos < end,
        node -> false);
  }

  /**
   * The innermost loop whose body holds {@code path}'s leaf, or null when a method, lambda or class
   * comes first (or the leaf is in a loop's header rather than its body).
   */
  private static TreePath enclosingLoop(TreePath path) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return null;
      }
      Tree body = body(leaf);
      if (body != null) {
        return body == child ? p : null;
      }
      child = leaf;
    }
    return null;
  }

  /** The body of a loop statement, or null for any other tree. */
  static StatementTree body(Tree tree) {
    if (tree instanceof ForLoopTree forLoopTree) {
      return forLoopTree.getStatement();
    }
    if (tree instanceof EnhancedForLoopTree enhancedForLoopTree) {
      return enhancedForLoopTree.getStatement();
    }
    if (tree instanceof WhileLoopTree whileLoopTree) {
      return whileLoopTree.getStatement();
    }
    if (tree instanceof DoWhileLoopTree doWhileLoopTree) {
      return doWhileLoopTree.getStatement();
    }
    return null;
  }

  /** Whether {@code variable} is declared inside {@code tree} (then it is fresh each iteration). */
  private static boolean declaredIn(Symbol variable, Tree tree, VisitorState state) {
    TreePath declaration =
        CheckSupport.findDeclaration(variable, state.getPath().getCompilationUnit());
    if (declaration == null) {
      return false;
    }
    for (TreePath p = declaration; p != null; p = p.getParentPath()) {
      if (p.getLeaf() == tree) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a statement that runs on every path from the start of the iteration to {@code path}
   * assigns {@code variable} a value not derived from it: an earlier statement of a block that
   * encloses the assignment, up to the loop body.
   */
  private static boolean resetEarlierInIteration(
      TreePath path, TreePath loop, Symbol variable, VisitorState state) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != loop; p = p.getParentPath()) {
      if (p.getLeaf() instanceof BlockTree) {
        for (StatementTree statement : ((BlockTree) p.getLeaf()).getStatements()) {
          if (statement == child) {
            break;
          }
          if (statement instanceof ExpressionStatementTree expressionStatementTree
              && expressionStatementTree.getExpression() instanceof AssignmentTree) {
            AssignmentTree assignment = (AssignmentTree) expressionStatementTree.getExpression();
            if (ASTHelpers.getSymbol(assignment.getVariable()) == variable
                && !derivedFrom(assignment.getExpression(), variable, state)) {
              return true;
            }
          }
        }
      }
      child = p.getLeaf();
    }
    return false;
  }

  /**
   * Whether every path from the assignment at {@code path} to the next iteration resets {@code
   * variable} to a value not derived from it, so that the derived context never reaches the next
   * iteration (a walker that saves and restores its context around each child): a reset among the
   * direct statements of the {@code finally} of a {@code try} inside the loop around the
   * assignment, or a later statement of a block around the assignment, up to the loop body, with no
   * {@code continue} before it, nor a {@code break} to a label around the assignment inside the
   * loop (whose path may go round it). A later statement of a block inside a {@code try} with a
   * {@code catch} does not count (an exception before it may be caught and the loop go on), nor
   * does any when such a {@code catch} holds a jump, or the assignment is inside a {@code switch}.
   */
  private static boolean resetLaterInIteration(
      TreePath path, TreePath loop, Symbol variable, VisitorState state) {
    List<TreePath> ancestors = new ArrayList<>();
    Set<Name> labels = new HashSet<>();
    for (TreePath p = path; p != null && p != loop; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof SwitchTree
          || leaf instanceof CaseTree
          || leaf instanceof SwitchExpressionTree) {
        return false;
      }
      ancestors.add(p);
      if (leaf instanceof LabeledStatementTree labeled) {
        labels.add(labeled.getLabel());
      }
    }
    for (int i = 1; i < ancestors.size(); i++) {
      if (ancestors.get(i).getLeaf() instanceof TryTree tryTree
          && tryTree.getFinallyBlock() != null
          && ancestors.get(i - 1).getLeaf() != tryTree.getFinallyBlock()
          && endsWithReset(tryTree.getFinallyBlock().getStatements(), variable, labels, state)) {
        return true;
      }
    }
    for (int i = 1; i < ancestors.size(); i++) {
      if (caughtAt(ancestors, i)) {
        for (CatchTree catchTree : ((TryTree) ancestors.get(i).getLeaf()).getCatches()) {
          if (continues(catchTree) || jumpsOut(catchTree, labels)) {
            return false;
          }
        }
      }
      if (ancestors.get(i).getLeaf() instanceof TryTree tryTree
          && tryTree.getFinallyBlock() != null
          && (continues(tryTree.getFinallyBlock())
              || jumpsOut(tryTree.getFinallyBlock(), labels))) {
        return false;
      }
    }
    for (int i = 1; i < ancestors.size(); i++) {
      if (!(ancestors.get(i).getLeaf() instanceof BlockTree block)) {
        continue;
      }
      boolean caughtAround = false;
      for (int j = i + 1; j < ancestors.size(); j++) {
        caughtAround |= caughtAt(ancestors, j);
      }
      Tree child = ancestors.get(i - 1).getLeaf();
      boolean after = false;
      for (StatementTree statement : block.getStatements()) {
        if (!after) {
          after = statement == child;
          continue;
        }
        if (continues(statement) || jumpsOut(statement, labels)) {
          return false;
        }
        if (!caughtAround && isReset(statement, variable, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the ancestor at {@code index} is a {@code try} with a {@code catch} whose block holds
   * the path.
   */
  private static boolean caughtAt(List<TreePath> ancestors, int index) {
    return ancestors.get(index).getLeaf() instanceof TryTree tryTree
        && ancestors.get(index - 1).getLeaf() == tryTree.getBlock()
        && !tryTree.getCatches().isEmpty();
  }

  /**
   * Whether the last of {@code statements} that assigns {@code variable} resets it, and none of
   * them holds a {@code continue} or a {@code break} to one of {@code labels}.
   */
  private static boolean endsWithReset(
      List<? extends StatementTree> statements,
      Symbol variable,
      Set<Name> labels,
      VisitorState state) {
    boolean reset = false;
    for (StatementTree statement : statements) {
      if (continues(statement) || jumpsOut(statement, labels)) {
        return false;
      }
      if (isReset(statement, variable, state)) {
        reset = true;
      } else if (assigns(statement, variable)) {
        reset = false;
      }
    }
    return reset;
  }

  /** Whether {@code statement} is {@code variable = value;} of a value not derived from it. */
  private static boolean isReset(StatementTree statement, Symbol variable, VisitorState state) {
    return statement instanceof ExpressionStatementTree expressionStatementTree
        && expressionStatementTree.getExpression() instanceof AssignmentTree assignment
        && ASTHelpers.getSymbol(assignment.getVariable()) == variable
        && !derivedFrom(assignment.getExpression(), variable, state);
  }

  /** Whether {@code tree} assigns {@code variable} anywhere (not inside a class or lambda). */
  private static boolean assigns(Tree tree, Symbol variable) {
    return TreeSearch.holdsOutsideBodies(
        tree,
        node ->
            node instanceof AssignmentTree assignment
                && ASTHelpers.getSymbol(assignment.getVariable()) == variable);
  }

  /**
   * Whether {@code tree} holds a {@code break} to one of {@code labels} (not inside a class or
   * lambda): a jump that may go round the statements after it and reach the next iteration. An
   * unlabelled {@code break} here leaves the loop or a loop or {@code switch} inside {@code tree},
   * and a {@code yield} a {@code switch} expression inside it, so neither goes round them.
   */
  private static boolean jumpsOut(Tree tree, Set<Name> labels) {
    return TreeSearch.holdsOutsideBodies(
        tree,
        node ->
            node instanceof BreakTree breakTree
                && breakTree.getLabel() != null
                && labels.contains(breakTree.getLabel()));
  }

  /**
   * Whether the iteration that makes the assignment at {@code path} never comes round again: a
   * later statement of a block around the assignment, inside the loop body, always leaves the loop
   * (see {@link #alwaysLeaves}: a {@code return}, a {@code throw}, a {@code break} that leaves the
   * loop, or an {@code if}/{@code else}, {@code try} or block made of them), and no statement
   * between holds a {@code continue}, as in {@code if (found) { ctx = KEY.with(ctx, v); break; }},
   * a search of nested loops that ends with {@code break outer;}, or a router that returns the
   * matching route's answer from a try-with-resources. Not when a {@code try} with a {@code catch}
   * inside the loop encloses the assignment (an exception thrown before the jump may be caught and
   * the loop go on), nor inside a {@code switch} (whose {@code break} does not leave the loop).
   */
  private static boolean leavesTheLoopAfter(TreePath path, TreePath loop) {
    for (TreePath p = path.getParentPath(); p != null && p != loop; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if ((leaf instanceof TryTree tryTree && !tryTree.getCatches().isEmpty())
          || leaf instanceof SwitchTree
          || leaf instanceof CaseTree
          || leaf instanceof SwitchExpressionTree) {
        return false;
      }
    }
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null && p != loop; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof BlockTree block) {
        boolean after = false;
        for (StatementTree statement : block.getStatements()) {
          if (!after) {
            after = statement == child;
            continue;
          }
          if (continues(statement)) {
            return false;
          }
          if (alwaysLeaves(statement, loop)) {
            return true;
          }
        }
      }
      child = leaf;
    }
    return false;
  }

  /** Whether {@code tree} holds a {@code continue} (not inside a class or lambda). */
  private static boolean continues(Tree tree) {
    return TreeSearch.holdsOutsideBodies(tree, node -> node instanceof ContinueTree);
  }

  /**
   * Whether {@code breakTree}, a statement of {@code loop}'s body (not of a loop or {@code switch}
   * nested in it), leaves {@code loop}: it is unlabelled, or its label is on {@code loop} itself or
   * on a statement around it ({@code break outer;} out of nested loops, {@code break search;} out
   * of a labelled block that holds the loop). A label on a statement inside the loop only ends that
   * statement. Java forbids a label inside the scope of the same label, so the name alone tells.
   */
  private static boolean leaves(BreakTree breakTree, TreePath loop) {
    if (breakTree.getLabel() == null) {
      return true;
    }
    for (TreePath p = loop.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof LabeledStatementTree labeled
          && labeled.getLabel().contentEquals(breakTree.getLabel())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a loop body never starts a second iteration: it is a block whose last statement always
   * leaves the loop ({@link #alwaysLeaves}), and it holds no {@code continue}.
   */
  private static boolean runsOnce(StatementTree body, TreePath loop) {
    if (!(body instanceof BlockTree blockTree)) {
      return false;
    }
    List<? extends StatementTree> statements = blockTree.getStatements();
    if (statements.isEmpty()) {
      return false;
    }
    StatementTree last = statements.get(statements.size() - 1);
    return !continues(body) && alwaysLeaves(last, loop);
  }

  /**
   * Whether {@code statement}, which holds no {@code continue}, never completes normally but leaves
   * the loop: a {@code return}, a {@code throw}, a {@code break} that leaves the loop, or a
   * statement made of them: a block whose last statement always leaves, an {@code if} whose two
   * branches always leave, a {@code try} (with resources or not) whose block and every {@code
   * catch} always leave, a {@code synchronized} block that always leaves, as in a router that names
   * the matching route and returns its handler's answer from a try-with-resources. Not when it
   * holds a {@code break} to a label that does not leave the loop, which may jump over its end.
   */
  private static boolean alwaysLeaves(StatementTree statement, TreePath loop) {
    boolean breaksInside =
        TreeSearch.holdsOutsideBodies(
            statement,
            node ->
                node instanceof BreakTree breakTree
                    && breakTree.getLabel() != null
                    && !leaves(breakTree, loop));
    return !breaksInside && completesAbruptly(statement, loop);
  }

  private static boolean completesAbruptly(StatementTree statement, TreePath loop) {
    if (statement instanceof ReturnTree || statement instanceof ThrowTree) {
      return true;
    }
    if (statement instanceof BreakTree breakTree) {
      return leaves(breakTree, loop);
    }
    if (statement instanceof BlockTree block) {
      List<? extends StatementTree> statements = block.getStatements();
      return !statements.isEmpty()
          && completesAbruptly(statements.get(statements.size() - 1), loop);
    }
    if (statement instanceof IfTree ifTree) {
      return ifTree.getElseStatement() != null
          && completesAbruptly(ifTree.getThenStatement(), loop)
          && completesAbruptly(ifTree.getElseStatement(), loop);
    }
    if (statement instanceof TryTree tryTree) {
      return completesAbruptly(tryTree.getBlock(), loop)
          && tryTree.getCatches().stream().allMatch(c -> completesAbruptly(c.getBlock(), loop));
    }
    if (statement instanceof SynchronizedTree synchronizedTree) {
      return completesAbruptly(synchronizedTree.getBlock(), loop);
    }
    return false;
  }
}
