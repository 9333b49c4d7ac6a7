package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.util.ASTHelpers;
import com.google.errorprone.util.FindIdentifiers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.Indentation;

/**
 * LostCancel's suggested fix: the declaration becomes a try-with-resources resource whose block
 * spans the statements that use the context, the way a person would write it.
 *
 * <pre>{@code
 * CancellableContext c = Context.withTimeout(ctx, d);    try (CancellableContext c = Context.withTimeout(ctx, d)) {
 * if (b) {                                                  if (b) {
 *   return "early";                                           return "early";
 * }                                                         }
 * String s = read(c);                              ->       String s = read(c);
 * c.cancel();                                               return s;
 * return s;                                               }
 * log("done");                                            log("done");
 * }</pre>
 *
 * <p>The block ends after the last statement of the enclosing block that uses the context, or a
 * local declared or assigned inside the new block (which must stay in scope); a plain {@code
 * c.cancel()} or {@code c.close()} statement of that block that nothing after it needs becomes
 * redundant and is deleted. No fix is offered where try-with-resources would change what the code
 * does: the variable is reassigned, handed over or copied, the work it starts outlives the block (a
 * future, a stream), or retyping a {@code Context} variable could change which overload a call
 * picks.
 */
final class LostCancelFix {
  private static final String CANCELLABLE_CONTEXT = ContextTypes.CANCELLABLE_CONTEXT;

  /**
   * Result types of calls that start work which may still run after the call returns: handing the
   * context to such a call means the context must live until that work ends, not until the block
   * ends.
   */
  private static final List<String> DEFERRED_TYPES =
      List.of(
          "java.util.concurrent.Future",
          "java.util.concurrent.CompletionStage",
          "java.util.stream.BaseStream",
          "java.util.Iterator",
          "java.util.Spliterator",
          "java.util.concurrent.Flow.Publisher",
          "java.lang.Runnable",
          "java.util.concurrent.Callable",
          "java.util.function.Supplier");

  private LostCancelFix() {}

  /**
   * The fix for the leak of the context {@code holder} stores, or empty where try-with-resources
   * would not be right. {@code fixed} holds the declarations of the same analysis already given a
   * fix: a fix nested inside those moves its lines further in, so that all of them apply together.
   */
  static Optional<SuggestedFix> build(
      Tree holder, Leak.Resource made, VariableFacts facts, Set<Tree> fixed, VisitorState state) {
    if (made == Leak.Resource.GRPC_ATTACHED // restored by detach, not a resource
        || !(holder instanceof VariableTree declaration)
        || facts == null
        || facts.escapes
        || facts.writes > 0
        || declaration.getInitializer() == null) {
      return Optional.empty();
    }
    TreePath declarationPath = TreePath.getPath(state.getPath(), declaration);
    if (declarationPath == null
        || !(declarationPath.getParentPath().getLeaf() instanceof BlockTree block)) {
      return Optional.empty();
    }
    List<? extends StatementTree> statements = block.getStatements();
    int index = statements.indexOf(declaration);
    VarSymbol variable = ASTHelpers.getSymbol(declaration);
    if (index < 0
        || variable == null
        || sharesItsStatement(declaration, statements)
        || !isResourceType(made, ASTHelpers.getType(declaration.getInitializer()), state)) {
      return Optional.empty();
    }
    List<? extends StatementTree> rest = statements.subList(index + 1, statements.size());
    if (copied(rest, variable)
        || startsDeferredWork(rest, variable, state)
        || returnsDeferredWork(declarationPath, state)) {
      // Closing the context when the block ends would cancel work that is meant to outlive it
      // (a future, a stream, a task, a copy kept elsewhere): the right cancel point is where that
      // work ends.
      return Optional.empty();
    }
    String source = state.getSourceForNode(declaration);
    if (source == null || !source.trim().endsWith(";")) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String resource = source.trim();
    resource = resource.substring(0, resource.length() - 1).trim();
    if (!isResourceType(made, variable.type, state)) {
      if (made != Leak.Resource.CANCELLABLE_CONTEXT) {
        return Optional.empty(); // an AutoCloseable or Context variable: left as it is
      }
      // `Context c = Context.withCancel(p)`: a resource must be AutoCloseable.
      Optional<String> retyped = retype(declaration, resource, rest, variable, fix, state);
      if (retyped.isEmpty()) {
        return Optional.empty();
      }
      resource = retyped.get();
    }
    int last = LostCancelFixRange.lastStatement(statements, index, variable);
    List<Integer> redundant =
        LostCancelFixRange.redundantCancels(statements, index, last, variable, state);
    int lastKept = last;
    while (lastKept > index && redundant.contains(lastKept)) {
      lastKept--;
    }
    List<StatementTree> nestedRedundant =
        LostCancelFixRange.redundantNestedCancels(statements, index, lastKept, variable, state);
    if (lastKept == index) {
      fix.replace(declaration, "try (" + resource + ") {}");
    } else {
      fix.replace(declaration, "try (" + resource + ") {");
      wrap(
          fix,
          declaration,
          declarationPath,
          statements,
          index,
          lastKept,
          redundant,
          nestedRedundant,
          fixed,
          state);
    }
    for (int at : redundant) {
      deleteLine(fix, statements.get(at), state);
    }
    for (StatementTree nested : nestedRedundant) {
      deleteLine(fix, nested, state);
    }
    return Optional.of(fix.build());
  }

  /**
   * The fix for a context created in a statement of its own and discarded ({@code
   * Context.withTimeout(ctx, d);}): the statement becomes an empty try-with-resources, {@code try
   * (CancellableContext timeoutCtx = Context.withTimeout(ctx, d)) {}}. Nothing could use the
   * discarded context, so cancelling it at once keeps what the code does, while the block shows
   * where code that should run under it belongs. The variable's name comes from the factory ({@code
   * timeoutCtx}, {@code deadlineCtx}, {@code cancelCtx}) and, when that name already means
   * something where the statement is (a local, a parameter, a lambda parameter, a field of an
   * enclosing class), gets the first free number ({@code timeoutCtx2}). Empty where the statement
   * cannot become a try statement (the body of a switch rule or of a lambda).
   */
  static Optional<SuggestedFix> forDiscarded(MethodInvocationTree call, VisitorState state) {
    TreePath path = state.getPath();
    if (path.getLeaf() != call
        || !(path.getParentPath().getLeaf() instanceof ExpressionStatementTree statement)
        || !(path.getParentPath().getParentPath().getLeaf() instanceof BlockTree)
        || !ContextTypes.isCancellableContext(ASTHelpers.getType(call), state)) {
      return Optional.empty();
    }
    String source = state.getSourceForNode(call);
    if (source == null) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String type = SuggestedFixes.qualifyType(state, fix, CANCELLABLE_CONTEXT);
    String name = freeName(nameFor(call), state);
    fix.replace(statement, "try (" + type + " " + name + " = " + source + ") {}");
    return Optional.of(fix.build());
  }

  /** {@code timeoutCtx} for {@code withTimeout} and {@code withTimeoutCause}, and so on. */
  private static String nameFor(MethodInvocationTree call) {
    Name called = CheckSupport.calledName(call);
    String method = called == null ? "" : called.toString();
    if (method.startsWith("withTimeout")) {
      return "timeoutCtx";
    }
    if (method.startsWith("withDeadline")) {
      return "deadlineCtx";
    }
    return method.startsWith("withCancel") ? "cancelCtx" : "ctx";
  }

  /**
   * {@code base}, else {@code base} followed by 2, 3, ...: the first that names nothing visible at
   * the current path (locals, parameters, fields of the enclosing classes, static imports).
   */
  static String freeName(String base, VisitorState state) {
    Set<String> lambdaParameters = new HashSet<>();
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree lambda) {
        lambda.getParameters().forEach(v -> lambdaParameters.add(v.getName().toString()));
      }
    }
    String name = base;
    for (int i = 2;
        lambdaParameters.contains(name) || FindIdentifiers.findIdent(name, state) != null;
        i++) {
      name = base + i;
    }
    return name;
  }

  /**
   * Moves the wrapped statements one level in and closes the new block after the last of them.
   *
   * <p>Several fixes in one block nest when applied together (as {@code -XepPatchChecks} and the
   * refactoring test helper do): the k-th declaration of the block (k = {@code earlier}) becomes a
   * try inside the k earlier ones, so its wrapped lines move k + 1 levels in all, one by each fix,
   * and its closing brace sits k levels deeper than the statement was. Error Prone drops an
   * insertion identical to one already made at the same place, so no two fixes insert at the same
   * place: the k-th inserts its level k characters into a line's indentation, and the closing
   * braces differ in their indentation (joined in order, innermost first).
   */
  private static void wrap(
      SuggestedFix.Builder fix,
      VariableTree declaration,
      TreePath declarationPath,
      List<? extends StatementTree> statements,
      int index,
      int lastKept,
      List<Integer> redundant,
      List<StatementTree> nestedRedundant,
      Set<Tree> fixed,
      VisitorState state) {
    int earlier = 0;
    for (Tree other : fixed) {
      int at = statements.indexOf(other);
      if (other != declaration && at >= 0 && at < index) {
        earlier++;
      }
    }
    String indent = Indentation.of(declaration, state);
    StatementTree last = statements.get(lastKept);
    String unit =
        Indentation.startsLine(declaration, state)
            ? Indentation.unit(declarationPath, indent, state)
            : "";
    if (!unit.isEmpty()) {
      List<Tree> wrapped = new ArrayList<>();
      List<Tree> skipped = new ArrayList<>(nestedRedundant);
      for (int i = index + 1; i <= lastKept; i++) {
        (redundant.contains(i) ? skipped : wrapped).add(statements.get(i));
      }
      Indentation.reindent(
          fix,
          state.getEndPosition(declaration),
          state.getEndPosition(last),
          wrapped,
          skipped,
          unit,
          earlier,
          state);
    }
    // Without a unit (the declaration shares its line), k trailing spaces keep the braces apart.
    fix.postfixWith(
        last,
        "\n" + indent + unit.repeat(earlier) + "}" + (unit.isEmpty() ? " ".repeat(earlier) : ""));
  }

  /**
   * Whether a value of {@code type} is {@code resource}'s type, so a try-with-resources closes it.
   */
  private static boolean isResourceType(Leak.Resource resource, Type type, VisitorState state) {
    return switch (resource) {
      case CANCELLABLE_CONTEXT -> ContextTypes.isCancellableContext(type, state);
      case TASK_GROUP -> ContextTypes.isTaskGroup(type, state);
      case GRPC_CANCELLABLE_CONTEXT -> ContextTypes.isGrpcCancellableContext(type, state);
      case GRPC_ATTACHED -> false;
    };
  }

  /** Deletes {@code statement} with its line, which holds nothing else. */
  private static void deleteLine(
      SuggestedFix.Builder fix, StatementTree statement, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(statement);
    int end = state.getEndPosition(statement);
    int lineStart = start;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    int lineEnd = end;
    while (lineEnd < source.length() && source.charAt(lineEnd) != '\n') {
      lineEnd++;
    }
    fix.replace(lineStart, Math.min(lineEnd + 1, source.length()), "");
  }

  /**
   * {@code resource} with the declared type replaced by {@code CancellableContext}, or empty when a
   * new static type could pick another overload of a call the variable is passed to.
   */
  private static Optional<String> retype(
      VariableTree declaration,
      String resource,
      List<? extends StatementTree> rest,
      VarSymbol variable,
      SuggestedFix.Builder fix,
      VisitorState state) {
    if (anyCall(
        rest,
        (call, arguments) ->
            arguments.stream()
                    .anyMatch(a -> ASTHelpers.getSymbol(ASTHelpers.stripParentheses(a)) == variable)
                && (!(ASTHelpers.getSymbol(call) instanceof MethodSymbol method)
                    || CheckSupport.hasCompetingOverload(method, state)))) {
      return Optional.empty();
    }
    Tree type = declaration.getType();
    int declarationStart = ASTHelpers.getStartPosition(declaration);
    int typeStart = ASTHelpers.getStartPosition(type);
    int typeEnd = state.getEndPosition(type);
    if (typeStart < declarationStart || typeEnd <= typeStart) {
      return Optional.empty();
    }
    return Optional.of(
        resource.substring(0, typeStart - declarationStart)
            + SuggestedFixes.qualifyType(state, fix, CANCELLABLE_CONTEXT)
            + resource.substring(typeEnd - declarationStart));
  }

  /**
   * {@code CancellableContext a = ..., b = ...;} is one statement of two declarators (javac gives
   * both the statement's start): a resource declares one variable.
   */
  private static boolean sharesItsStatement(
      VariableTree declaration, List<? extends StatementTree> statements) {
    int start = ASTHelpers.getStartPosition(declaration);
    for (StatementTree statement : statements) {
      if (statement != declaration
          && statement instanceof VariableTree
          && ASTHelpers.getStartPosition(statement) == start) {
        return true;
      }
    }
    return false;
  }

  /** Whether some statement copies the variable into another variable (an alias). */
  private static boolean copied(List<? extends StatementTree> statements, VarSymbol variable) {
    boolean[] found = {false};
    TreeScanner<Void, Void> scanner =
        new TreeScanner<>() {
          @Override
          public Void visitVariable(VariableTree tree, Void unused) {
            found[0] |= isTheVariable(tree.getInitializer(), variable);
            return super.visitVariable(tree, null);
          }

          @Override
          public Void visitAssignment(AssignmentTree tree, Void unused) {
            found[0] |= isTheVariable(tree.getExpression(), variable);
            return super.visitAssignment(tree, null);
          }
        };
    statements.forEach(statement -> scanner.scan(statement, null));
    return found[0];
  }

  private static boolean isTheVariable(ExpressionTree expression, VarSymbol variable) {
    return expression != null
        && ASTHelpers.getSymbol(CheckSupport.stripParenthesesAndCasts(expression)) == variable;
  }

  private static boolean isDeferred(Type type, VisitorState state) {
    if (type == null || type.isPrimitive()) {
      return false;
    }
    for (String name : DEFERRED_TYPES) {
      Type deferred = state.getTypeFromString(name);
      if (deferred != null
          && ASTHelpers.isSubtype(
              state.getTypes().erasure(type), state.getTypes().erasure(deferred), state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some statement passes the variable, or something made from it ({@code
   * Context.withValue(ctx, k, v)}), to a call whose result is deferred work.
   */
  private static boolean startsDeferredWork(
      List<? extends StatementTree> statements, VarSymbol variable, VisitorState state) {
    return anyCall(
        statements,
        (call, arguments) ->
            isDeferred(ASTHelpers.getType(call), state)
                && arguments.stream()
                    .anyMatch(
                        argument -> LostCancelFixRange.mentionsAny(argument, Set.of(variable))));
  }

  /** Whether the method or lambda around {@code path} returns deferred work (a future, ...). */
  private static boolean returnsDeferredWork(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree method) {
        MethodSymbol symbol = ASTHelpers.getSymbol(method);
        return symbol == null || isDeferred(symbol.getReturnType(), state);
      }
      if (leaf instanceof LambdaExpressionTree) {
        Type type = ASTHelpers.getType(leaf);
        Type descriptor = type == null ? null : state.getTypes().findDescriptorType(type);
        return descriptor == null || isDeferred(descriptor.getReturnType(), state);
      }
    }
    return true;
  }

  /** Whether some method or constructor call inside {@code statements} passes {@code test}. */
  private static boolean anyCall(
      List<? extends StatementTree> statements,
      BiPredicate<Tree, List<? extends ExpressionTree>> test) {
    boolean[] found = {false};
    TreeScanner<Void, Void> scanner =
        new TreeScanner<>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            found[0] = found[0] || test.test(tree, tree.getArguments());
            return super.visitMethodInvocation(tree, null);
          }

          @Override
          public Void visitNewClass(NewClassTree tree, Void unused) {
            found[0] = found[0] || test.test(tree, tree.getArguments());
            return super.visitNewClass(tree, null);
          }
        };
    statements.forEach(statement -> scanner.scan(statement, null));
    return found[0];
  }
}
