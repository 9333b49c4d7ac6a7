package org.ctx4j.checks;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.ctx4j.checks.CancelPathAnalysis.Leak;
import org.ctx4j.checks.CancelPathAnalysis.Site;
import org.ctx4j.checks.CancelPathAnalysis.VariableFacts;

/**
 * Go's {@code go vet} lostcancel for ctx4j: a {@code CancellableContext} must be cancelled on every
 * path, because until it is, its timer and its registration in the parent stay alive.
 *
 * <p>Two findings, both reported on the call that created the context: a context that is discarded
 * (never kept where anyone could cancel it), and a context held in a local variable that some
 * normal path leaves the method with, uncancelled and not handed over. The path analysis is {@link
 * CancelPathAnalysis}; what counts as handing over is {@link ContextEscapes}.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = "LostCancel",
    summary =
        "Cancel every CancellableContext on every path, for example with try-with-resources;"
            + " an uncancelled context leaks its timer and its registration in the parent",
    severity = ERROR,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/LostCancel.md")
public final class LostCancel extends BugChecker
    implements MethodTreeMatcher, LambdaExpressionTreeMatcher, MethodInvocationTreeMatcher {

  private static final String CANCELLABLE_CONTEXT = "org.ctx4j.CancellableContext";

  private final boolean exceptionalPaths;

  /** Creates the check with its defaults: only normal paths (returns, the end of a body) count. */
  public LostCancel() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Creates the check with its options: {@code -XepOpt:LostCancel:ExceptionalPaths=true} also
   * counts paths that leave the method by an exception.
   */
  @Inject
  public LostCancel(ErrorProneFlags flags) {
    this.exceptionalPaths = flags.getBoolean("LostCancel:ExceptionalPaths").orElse(false);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    try {
      if (CheckSupport.ctx4jAbsent(state) || !CancelPathAnalysis.isFactoryCall(tree, state)) {
        return Description.NO_MATCH;
      }
      if (ContextEscapes.follow(state.getPath(), state).fate != ContextEscapes.Fate.DISCARDED) {
        return Description.NO_MATCH;
      }
      TreePath lambda = CancelPathAnalysis.enclosingLambda(state.getPath());
      if (lambda != null && CancelPathAnalysis.isExpectedToThrow(lambda)) {
        return Description.NO_MATCH; // assertThrows(X.class, () -> Context.withTimeout(p, bad))
      }
      return buildDescription(tree)
          .setMessage(
              "This context can never be cancelled because it is not kept: its timer and its"
                  + " registration in the parent leak until the parent ends; keep it in"
                  + " try-with-resources (try (CancellableContext ctx = ...) { ... })")
          .build();
    } catch (RuntimeException | AssertionError | LinkageError e) {
      return Description.NO_MATCH; // an unexpected shape: never break the build over it
    }
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (tree.getBody() == null || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    analyze(tree.getBody(), !CancelPathAnalysis.isMain(tree), "method", state);
    return Description.NO_MATCH;
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH; // nothing in this compilation involves ctx4j
    }
    boolean expectedToThrow;
    try {
      expectedToThrow = CancelPathAnalysis.isExpectedToThrow(state.getPath());
    } catch (RuntimeException e) {
      return Description.NO_MATCH;
    }
    // A lambda handed to assertThrows is expected to throw: its normal end is a test failure.
    analyze(tree.getBody(), !expectedToThrow, "lambda", state);
    return Description.NO_MATCH;
  }

  private void analyze(Tree body, boolean checkNormalExit, String what, VisitorState state) {
    CancelPathAnalysis.Result result;
    try {
      result =
          CancelPathAnalysis.analyze(
              state.getPath(), body, exceptionalPaths, checkNormalExit, state);
    } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
      // An unexpected shape, or a graph deeper than the dataflow library's recursion allows:
      // report nothing rather than break the build.
      return;
    }
    for (Leak leak : result.leaks) {
      if (isSuppressed(leak.site.variable)) {
        continue;
      }
      Description.Builder description =
          buildDescription(leak.site.call).setMessage(message(leak, what));
      try {
        fix(leak.site, result.variables.get(leak.site.variable), result.leaks, state)
            .ifPresent(description::addFix);
      } catch (RuntimeException e) {
        // no fix rather than no finding
      }
      state.reportMatch(description.build());
    }
  }

  private boolean isSuppressed(VarSymbol variable) {
    SuppressWarnings suppress = variable.getAnnotation(SuppressWarnings.class);
    return suppress != null && List.of(suppress.value()).contains(canonicalName());
  }

  private String message(Leak leak, String what) {
    String name = leak.site.variable.getSimpleName().toString();
    String where;
    switch (leak.exit) {
      case RETURN:
        where = "it leaks when the " + what + " returns at line " + leak.line;
        break;
      case END:
        where = "it leaks when the " + what + " ends at line " + leak.line;
        break;
      case LEFT_AFTER:
        where = "it leaks when the " + what + " is left after line " + leak.line;
        break;
      case END_AFTER_CATCH:
        where =
            "it leaks when the "
                + what
                + " is left after catching an exception thrown at line "
                + leak.otherLine;
        break;
      case REASSIGNED:
        where = "it leaks when " + name + " is reassigned at line " + leak.line;
        break;
      case NEXT_ITERATION:
        where = "it leaks when the loop declares " + name + " again at line " + leak.line;
        break;
      case EXCEPTION:
        where =
            leak.line > 0
                ? "it leaks when an exception is thrown at line " + leak.line
                : "it leaks when an exception is thrown";
        break;
      default:
        where = "it leaks";
    }
    String remedy =
        leak.exit == CancelPathAnalysis.Exit.EXCEPTION
            ? "use try-with-resources (try (CancellableContext "
                + name
                + " = ...) { ... }) or cancel it in a finally block"
            : "use try-with-resources (try (CancellableContext "
                + name
                + " = ...) { ... }) or call "
                + name
                + ".cancel()";
    return "The cancel of this context is not called on all paths; " + where + ": " + remedy;
  }

  /**
   * Wraps the declaration and the rest of its block in try-with-resources, where that only adds
   * the missing cancel: the declaration is a statement of a block, the variable is never
   * reassigned and never handed over (a returned or stored context must outlive the block).
   */
  private static Optional<SuggestedFix> fix(
      Site site, VariableFacts facts, List<Leak> leaks, VisitorState state) {
    if (!(site.holder instanceof VariableTree) || facts == null || facts.escapes || facts.writes > 0) {
      return Optional.empty();
    }
    VariableTree declaration = (VariableTree) site.holder;
    TreePath declarationPath = TreePath.getPath(state.getPath(), declaration);
    if (declarationPath == null || !(declarationPath.getParentPath().getLeaf() instanceof BlockTree)) {
      return Optional.empty();
    }
    List<? extends StatementTree> statements =
        ((BlockTree) declarationPath.getParentPath().getLeaf()).getStatements();
    int index = statements.indexOf(declaration);
    if (index < 0 || declaration.getInitializer() == null) {
      return Optional.empty();
    }
    // `CancellableContext a = ..., b = ...;` is one statement of two declarators (javac gives
    // both the statement's start): a resource declares one variable, so no fix.
    int start = ASTHelpers.getStartPosition(declaration);
    for (StatementTree statement : statements) {
      if (statement != declaration
          && statement instanceof VariableTree
          && ASTHelpers.getStartPosition(statement) == start) {
        return Optional.empty();
      }
    }
    Type initializerType = ASTHelpers.getType(declaration.getInitializer());
    if (!ContextTypes.isCancellableContext(initializerType, state)) {
      return Optional.empty();
    }
    if (startsDeferredWork(statements.subList(index + 1, statements.size()), symbol(declaration), state)
        || returnsDeferredWork(declarationPath, state)) {
      // Closing the context when the block ends would cancel work that is meant to outlive it
      // (a future, a stream, a task): the right cancel point is where that work ends.
      return Optional.empty();
    }
    String source = state.getSourceForNode(declaration);
    if (source == null || !source.trim().endsWith(";")) {
      return Optional.empty(); // e.g. one of several declarators in one statement
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String resource = source.trim();
    resource = resource.substring(0, resource.length() - 1).trim();
    VarSymbol symbol = ASTHelpers.getSymbol(declaration);
    if (symbol != null && !ContextTypes.isCancellableContext(symbol.type, state)) {
      // `Context c = Context.withCancel(p)`: a resource must be AutoCloseable.
      if (passedToOverloadedMethod(
          statements.subList(index + 1, statements.size()), symbol, state)) {
        // A new static type could pick another overload, or make a call ambiguous.
        return Optional.empty();
      }
      Tree type = declaration.getType();
      int declarationStart = ASTHelpers.getStartPosition(declaration);
      int typeStart = ASTHelpers.getStartPosition(type);
      int typeEnd = state.getEndPosition(type);
      if (typeStart < declarationStart || typeEnd <= typeStart) {
        return Optional.empty();
      }
      String before = resource.substring(0, typeStart - declarationStart);
      String after = resource.substring(typeEnd - declarationStart);
      resource = before + SuggestedFixes.qualifyType(state, fix, CANCELLABLE_CONTEXT) + after;
    }
    if (index == statements.size() - 1) {
      fix.replace(declaration, "try (" + resource + ") {}");
    } else {
      fix.replace(declaration, "try (" + resource + ") {");
      // Each fix in this block closes its try after the same last statement. Error Prone drops an
      // insertion identical to one already made at the same place (applying every fix at once,
      // as -XepPatchChecks does, would then lose a brace) and joins different ones; so the k-th
      // fix of the block ends its brace with k spaces, which formatters remove.
      int earlier = 0;
      for (Leak other : leaks) {
        if (other.site.holder != declaration
            && other.site.holder instanceof VariableTree
            && statements.indexOf(other.site.holder) >= 0
            && statements.indexOf(other.site.holder) < index) {
          earlier++;
        }
      }
      fix.postfixWith(
          statements.get(statements.size() - 1),
          "\n" + indentation(declaration, state) + "}" + " ".repeat(earlier));
    }
    return Optional.of(fix.build());
  }

  /**
   * Result types of calls that start work which may still run after the call returns: handing the
   * context to such a call means the context must live until that work ends, not until the block
   * ends.
   */
  private static final String[] DEFERRED_TYPES = {
    "java.util.concurrent.Future",
    "java.util.concurrent.CompletionStage",
    "java.util.stream.BaseStream",
    "java.util.Iterator",
    "java.util.Spliterator",
    "java.util.concurrent.Flow.Publisher",
    "java.lang.Runnable",
    "java.util.concurrent.Callable",
    "java.util.function.Supplier",
  };

  private static boolean isDeferred(Type type, VisitorState state) {
    if (type == null || type.isPrimitive()) {
      return false;
    }
    for (String name : DEFERRED_TYPES) {
      Type deferred = state.getTypeFromString(name);
      if (deferred != null
          && ASTHelpers.isSubtype(state.getTypes().erasure(type), state.getTypes().erasure(deferred), state)) {
        return true;
      }
    }
    return false;
  }

  private static VarSymbol symbol(VariableTree declaration) {
    return ASTHelpers.getSymbol(declaration);
  }

  /** Whether some statement passes {@code variable} to a call whose result is deferred work. */
  private static boolean startsDeferredWork(
      List<? extends StatementTree> statements, VarSymbol variable, VisitorState state) {
    if (variable == null) {
      return true;
    }
    boolean[] found = {false};
    com.sun.source.util.TreeScanner<Void, Void> scanner =
        new com.sun.source.util.TreeScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            check(tree.getArguments(), ASTHelpers.getType(tree));
            return super.visitMethodInvocation(tree, null);
          }

          @Override
          public Void visitNewClass(com.sun.source.tree.NewClassTree tree, Void unused) {
            check(tree.getArguments(), ASTHelpers.getType(tree));
            return super.visitNewClass(tree, null);
          }

          private void check(List<? extends com.sun.source.tree.ExpressionTree> arguments, Type result) {
            if (!found[0] && isDeferred(result, state)) {
              for (com.sun.source.tree.ExpressionTree argument : arguments) {
                // The context itself, or something made from it (`Context.withValue(ctx, k, v)`).
                if (mentions(argument, variable)) {
                  found[0] = true;
                }
              }
            }
          }
        };
    for (StatementTree statement : statements) {
      scanner.scan(statement, null);
    }
    return found[0];
  }

  /**
   * Whether some statement passes {@code variable} to a method or constructor that has another
   * overload of the same arity, whose choice could depend on the variable's static type.
   */
  private static boolean passedToOverloadedMethod(
      List<? extends StatementTree> statements, VarSymbol variable, VisitorState state) {
    boolean[] found = {false};
    com.sun.source.util.TreeScanner<Void, Void> scanner =
        new com.sun.source.util.TreeScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            check(tree.getArguments(), ASTHelpers.getSymbol(tree));
            return super.visitMethodInvocation(tree, null);
          }

          @Override
          public Void visitNewClass(com.sun.source.tree.NewClassTree tree, Void unused) {
            check(tree.getArguments(), ASTHelpers.getSymbol(tree));
            return super.visitNewClass(tree, null);
          }

          private void check(
              List<? extends com.sun.source.tree.ExpressionTree> arguments,
              com.sun.tools.javac.code.Symbol.MethodSymbol method) {
            boolean passed = false;
            for (com.sun.source.tree.ExpressionTree argument : arguments) {
              passed |= ASTHelpers.getSymbol(ContextEscapes.stripParens(argument)) == variable;
            }
            if (!passed) {
              return;
            }
            if (method == null || !(method.owner instanceof com.sun.tools.javac.code.Symbol.ClassSymbol)) {
              found[0] = true;
              return;
            }
            for (Type t : state.getTypes().closure(method.owner.type)) {
              for (com.sun.tools.javac.code.Symbol other : t.tsym.members().getSymbolsByName(method.name)) {
                if (other != method
                    && other instanceof com.sun.tools.javac.code.Symbol.MethodSymbol
                    && (((com.sun.tools.javac.code.Symbol.MethodSymbol) other).isVarArgs()
                        || ((com.sun.tools.javac.code.Symbol.MethodSymbol) other).getParameters().size()
                            == arguments.size())
                    && !method.overrides(other, (com.sun.tools.javac.code.Symbol.TypeSymbol) method.owner, state.getTypes(), true)) {
                  found[0] = true;
                }
              }
            }
          }
        };
    for (StatementTree statement : statements) {
      scanner.scan(statement, null);
    }
    return found[0];
  }

  /** Whether {@code tree} reads {@code variable} anywhere inside it. */
  private static boolean mentions(Tree tree, VarSymbol variable) {
    boolean[] found = {false};
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(com.sun.source.tree.IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) == variable) {
          found[0] = true;
        }
        return null;
      }
    }.scan(tree, null);
    return found[0];
  }

  /** Whether the method or lambda around {@code path} returns deferred work (a future, ...). */
  private static boolean returnsDeferredWork(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree) {
        com.sun.tools.javac.code.Symbol.MethodSymbol method = ASTHelpers.getSymbol((MethodTree) leaf);
        return method == null || isDeferred(method.getReturnType(), state);
      }
      if (leaf instanceof LambdaExpressionTree) {
        Type type = ASTHelpers.getType(leaf);
        Type descriptor = type == null ? null : state.getTypes().findDescriptorType(type);
        return descriptor == null || isDeferred(descriptor.getReturnType(), state);
      }
    }
    return true;
  }

  /** The whitespace before {@code tree} on its line, so the closing brace lines up with the try. */
  private static String indentation(Tree tree, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(tree);
    if (source == null || start < 0 || start > source.length()) {
      return "";
    }
    int lineStart = start;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    String prefix = source.subSequence(lineStart, start).toString();
    return prefix.isBlank() ? prefix : "";
  }
}
