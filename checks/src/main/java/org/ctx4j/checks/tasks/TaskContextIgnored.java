package org.ctx4j.checks.tasks;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextChecker.NewClassMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Flags, inside a task that receives a context of its own (a lambda, or a method of an anonymous or
 * local class, implementing a functional interface whose method declares a context as its first
 * parameter: {@code TaskGroup.Task}, {@code TaskGroup.ValueTask}, a user's own), a context captured
 * from the enclosing code passed as an argument where a context is expected, the parent of a
 * factory included. The captured context does not end when the task's does (in a {@code TaskGroup},
 * when a sibling task fails), so the call it goes to keeps running for nothing. Go: errgroup's
 * classic bug, {@code g.Go(func() error { return fetch(ctx) })} with the outer {@code ctx} instead
 * of the group's.
 *
 * <p>Not flagged: the captured context used as a receiver ({@code ctx.value(key)}, {@code
 * ctx.deadline()}, which the task's context answers the same way), passed where a plain {@code
 * Object} or a type variable is expected (logging, equality), read through {@code ContextKey.get}
 * or {@code Context.cause}, or passed to a helper of this file that only reads values or the
 * deadline from it ({@link ReadingHelpers}), or passed where the task's own context would not fit
 * (a parameter typed {@code CancellableContext}: a cancel handle handed over, not a context to work
 * under); a context declared inside the task (derived from its own); the own context of an
 * enclosing task handed to the same group (both are the group's context); a field; a method
 * reference.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Inside a task that receives its own context, pass that context, not one captured from the"
            + " enclosing code",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/TaskContextIgnored.md")
public final class TaskContextIgnored extends ContextChecker
    implements MethodInvocationMatcher, NewClassMatcher {

  private static final long serialVersionUID = 1L;

  /** Creates the check; Error Prone calls this through the service loader. */
  public TaskContextIgnored() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    return matchCall(tree, tree.getArguments(), state);
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    return matchCall(tree, tree.getArguments(), state);
  }

  private Description matchCall(
      ExpressionTree call, List<? extends ExpressionTree> arguments, VisitorState state) {
    if (arguments.isEmpty() || !hasCapturedLookingArgument(arguments, state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        call,
        state,
        () -> {
          if (!(ASTHelpers.getSymbol(call) instanceof MethodSymbol method)
              || TaskScopes.READS.matches(call, state)) {
            return Description.NO_MATCH;
          }
          TaskScopes.Task task = null;
          for (int i = 0; i < arguments.size(); i++) {
            ExpressionTree argument = CheckSupport.stripParenthesesAndCasts(arguments.get(i));
            if (!(argument instanceof IdentifierTree)
                || !(ASTHelpers.getSymbol(argument) instanceof VarSymbol captured)
                || !isContextLocal(captured, state)) {
              continue;
            }
            if (task == null) {
              task = TaskScopes.enclosingTask(state.getPath(), state);
              if (task == null) {
                return Description.NO_MATCH;
              }
            }
            if (task.declares(captured, state)) {
              continue;
            }
            Type expected = parameterType(method, i);
            if (expected == null
                || !ContextTypes.isContextValued(expected, state)
                || !state
                    .getTypes()
                    .isAssignable(task.ownContext().type, state.getTypes().erasure(expected))
                || task.holdsItsGroupsContext(captured, state)
                || ReadingHelpers.onlyReads(method, i, state)) {
              continue;
            }
            state.reportMatch(describe(argument, captured, method, expected, task, state));
          }
          return Description.NO_MATCH;
        });
  }

  /** The cheap test: an argument that is a bare name of a local whose type is a context type. */
  private static boolean hasCapturedLookingArgument(
      List<? extends ExpressionTree> arguments, VisitorState state) {
    for (ExpressionTree argument : arguments) {
      if (CheckSupport.stripParenthesesAndCasts(argument) instanceof IdentifierTree identifier
          && ASTHelpers.getSymbol(identifier) instanceof VarSymbol variable
          && CheckSupport.isLocalVariable(variable)
          && !CheckSupport.ctx4jAbsent(state)
          && ContextTypes.isContextValued(variable.type, state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isContextLocal(VarSymbol variable, VisitorState state) {
    return CheckSupport.isLocalVariable(variable)
        && ContextTypes.isContextValued(variable.type, state);
  }

  /** The declared type of the parameter the {@code index}th argument goes to (varargs unpacked). */
  private static Type parameterType(MethodSymbol method, int index) {
    List<VarSymbol> parameters = method.getParameters();
    if (parameters.isEmpty()) {
      return null;
    }
    int last = parameters.size() - 1;
    if (index < last || (index == last && !method.isVarArgs())) {
      return parameters.get(index).type;
    }
    if (!method.isVarArgs()) {
      return null;
    }
    // A context argument in the varargs position is an element (a context is not an array).
    return parameters.get(last).type instanceof Type.ArrayType array
        ? array.getComponentType()
        : null;
  }

  private Description describe(
      ExpressionTree use,
      VarSymbol captured,
      MethodSymbol method,
      Type expected,
      TaskScopes.Task task,
      VisitorState state) {
    String own = task.ownContext().getSimpleName().toString();
    String name = captured.getSimpleName().toString();
    Description.Builder description =
        buildDescription(use)
            .setMessage(
                name
                    + " is captured from the code that started this task, which receives its own"
                    + " context ("
                    + (own.isEmpty() || own.equals("_") ? "unnamed" : own)
                    + "): pass that one, which also ends when the task must stop (in a TaskGroup,"
                    + " when a sibling task fails), while "
                    + name
                    + " does not");
    if (canReplace(captured, method, expected, task, own, state)) {
      description.addFix(SuggestedFix.replace(use, own));
    }
    return description.build();
  }

  /**
   * Whether the task's own context can stand in for the captured one at {@code use} by name: it has
   * a name, no class between the use and the task could shadow it, and a different static type
   * cannot change which overload is called or what a generic method returns.
   */
  private static boolean canReplace(
      VarSymbol captured,
      MethodSymbol method,
      Type expected,
      TaskScopes.Task task,
      String own,
      VisitorState state) {
    if (own.isEmpty() || own.equals("_") || task.classBetween(state.getPath())) {
      return false;
    }
    if (ASTHelpers.isSameType(captured.type, task.ownContext().type, state)) {
      return true;
    }
    return expected.getKind() != TypeKind.TYPEVAR
        && !CheckSupport.hasCompetingOverload(method, state);
  }
}
