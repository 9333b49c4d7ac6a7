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
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    if (CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(this, tree, state, () -> matchDiscarded(tree, state));
  }

  private Description matchDiscarded(MethodInvocationTree tree, VisitorState state) {
      if (!CancelPathAnalysis.isFactoryCall(tree, state)) {
        return Description.NO_MATCH;
      }
      if (ContextEscapes.follow(state.getPath(), state).fate != ContextEscapes.Fate.DISCARDED) {
        return Description.NO_MATCH;
      }
      TreePath lambda = CancelPathAnalysis.enclosingLambda(state.getPath());
      if (lambda != null && CheckSupport.isLambdaExpectedToThrow(lambda)) {
        return Description.NO_MATCH; // assertThrows(X.class, () -> Context.withTimeout(p, bad))
      }
      return buildDescription(tree)
          .setMessage(
              "This context can never be cancelled because it is not kept: its timer and its"
                  + " registration in the parent leak until the parent ends; keep it in"
                  + " try-with-resources (try (CancellableContext ctx = ...) { ... })")
          .build();
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (tree.getBody() == null || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    // `main` ends the program; a JUnit 4 test with `expected` fails if it ends normally.
    boolean checkNormalExit =
        !CancelPathAnalysis.isMain(tree) && !CheckSupport.isTestExpectedToThrow(tree);
    analyze(tree.getBody(), checkNormalExit, "method", state);
    return Description.NO_MATCH;
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH; // nothing in this compilation involves ctx4j
    }
    Boolean expectedToThrow =
        InternalErrors.orElse(
            this, tree, state, () -> CheckSupport.isLambdaExpectedToThrow(state.getPath()), null);
    if (expectedToThrow == null) {
      return Description.NO_MATCH;
    }
    // A lambda handed to assertThrows is expected to throw: its normal end is a test failure.
    analyze(tree.getBody(), !expectedToThrow, "lambda", state);
    return Description.NO_MATCH;
  }

  private void analyze(Tree body, boolean checkNormalExit, String what, VisitorState state) {
    CancelPathAnalysis.Result result =
        InternalErrors.orElse(
            this,
            body,
            state,
            () ->
                CancelPathAnalysis.analyze(
                    state.getPath(), body, exceptionalPaths, checkNormalExit, state),
            null);
    if (result == null) {
      return; // reported under FailOnInternalError; otherwise no finding
    }
    // Fixes first, in creation (source) order: a fix counts the fixes of earlier declarations in
    // its block, the trys it will be nested in.
    List<Leak> reported = new ArrayList<>();
    List<Optional<SuggestedFix>> fixes = new ArrayList<>();
    Set<Tree> fixed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Leak leak : result.leaks) {
      if (isSuppressed(leak.site.variable)) {
        continue;
      }
      Optional<SuggestedFix> fix =
          InternalErrors.orElse(
              this,
              leak.site.call,
              state,
              () -> fix(leak.site, result.variables.get(leak.site.variable), fixed, state),
              Optional.empty()); // no fix rather than no finding
      fix.ifPresent(f -> fixed.add(leak.site.holder));
      reported.add(leak);
      fixes.add(fix);
    }
    // Then the findings, last creation first: where several fixes in one block close their try
    // after the same statement, Error Prone joins the closing braces in the order the findings
    // are reported, and the innermost try (the latest declaration) must close first.
    for (int i = reported.size() - 1; i >= 0; i--) {
      Leak leak = reported.get(i);
      Description.Builder description =
          buildDescription(leak.site.call).setMessage(message(leak, what));
      fixes.get(i).ifPresent(description::addFix);
      state.reportMatch(description.build());
    }
  }

  private boolean isSuppressed(VarSymbol variable) {
    SuppressWarnings suppress = variable.getAnnotation(SuppressWarnings.class);
    return suppress != null && List.of(suppress.value()).contains(canonicalName());
  }

  /**
   * The finding in plain English: which path leaks, and how to cancel on it. For example "This
   * context is not cancelled on every path: it leaks when the method returns at line 12; use
   * try-with-resources (try (CancellableContext c = ...) { ... }) or call c.cancel() before that
   * return".
   */
  private static String message(Leak leak, String what) {
    String name = leak.site.variable.getSimpleName().toString();
    String resource = "use try-with-resources (try (CancellableContext " + name + " = ...) { ... })";
    String cancel = " or call " + name + ".cancel()";
    String finallyBlock = " or cancel it in a finally block";
    String where =
        switch (leak.exit) {
          case RETURN ->
              "it leaks when the " + what + " returns at line " + leak.line + "; " + resource
                  + cancel + " before that return";
          case END ->
              "it leaks when the " + what + " ends at line " + leak.line + "; " + resource + cancel
                  + " before its end";
          case LEFT_AFTER ->
              "it leaks when the " + what + " is left after line " + leak.line + "; " + resource
                  + cancel + " before it is left";
          case END_AFTER_CATCH ->
              "it leaks when the " + what + " is left after catching an exception thrown at line "
                  + leak.otherLine + "; " + resource + finallyBlock;
          case REASSIGNED ->
              "it leaks when " + name + " is reassigned at line " + leak.line + "; " + resource
                  + cancel + " before reassigning it";
          case NEXT_ITERATION ->
              "it leaks when the loop declares " + name + " again at line " + leak.line + "; "
                  + resource + cancel + " before the iteration ends";
          case EXCEPTION ->
              (leak.line > 0
                      ? "it leaks when an exception is thrown at line " + leak.line
                      : "it leaks when an exception is thrown")
                  + "; " + resource + finallyBlock;
          case ERROR_PAST_CATCH ->
              "it leaks when an Error thrown at line " + leak.line
                  + " escapes the catch that cancels it (an Error is not an Exception); " + resource
                  + finallyBlock;
        };
    return "This context is not cancelled on every path: " + where;
  }

  /**
   * Wraps the declaration and the rest of its block in try-with-resources, where that only adds
   * the missing cancel: the declaration is a statement of a block, the variable is never
   * reassigned and never handed over (a returned or stored context must outlive the block).
   */
  private static Optional<SuggestedFix> fix(
      Site site, VariableFacts facts, Set<Tree> fixed, VisitorState state) {
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
      // Several fixes in one block nest when applied together (as -XepPatchChecks and the
      // refactoring test helper do): the k-th declaration of the block (k = `earlier`) becomes a
      // try inside the k earlier ones, so its wrapped lines move k + 1 levels in all, one by each
      // fix, and its closing brace sits k levels deeper than the statement was. Error Prone drops
      // an insertion identical to one already made at the same place, so no two fixes insert at
      // the same place: the k-th inserts its level k characters into a line's indentation, and
      // the closing braces differ in their indentation (joined in order, innermost first).
      int earlier = 0;
      for (Tree other : fixed) {
        int at = statements.indexOf(other);
        if (other != declaration && at >= 0 && at < index) {
          earlier++;
        }
      }
      String indent = indentation(declaration, state);
      StatementTree last = statements.get(statements.size() - 1);
      String unit = startsLine(declaration, state) ? indentUnit(declarationPath, indent, state) : "";
      if (!unit.isEmpty()) {
        reindent(fix, state.getEndPosition(declaration), state.getEndPosition(last),
            statements.subList(index + 1, statements.size()), unit, earlier, state);
      }
      // Without a unit (the declaration shares its line), k trailing spaces keep the braces apart.
      fix.postfixWith(
          last,
          "\n" + indent + unit.repeat(earlier) + "}" + (unit.isEmpty() ? " ".repeat(earlier) : ""));
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
    // The context itself, or something made from it (`Context.withValue(ctx, k, v)`).
    return anyCall(
        statements,
        (call, arguments) ->
            isDeferred(ASTHelpers.getType(call), state)
                && arguments.stream().anyMatch(argument -> mentions(argument, variable)));
  }

  /**
   * Whether some statement passes {@code variable} to a method or constructor that has another
   * overload of the same arity, whose choice could depend on the variable's static type.
   */
  private static boolean passedToOverloadedMethod(
      List<? extends StatementTree> statements, VarSymbol variable, VisitorState state) {
    return anyCall(
        statements,
        (call, arguments) ->
            arguments.stream()
                    .anyMatch(a -> ASTHelpers.getSymbol(ContextEscapes.stripParens(a)) == variable)
                && mayHaveCompetingOverload(ASTHelpers.getSymbol(call), arguments.size(), state));
  }

  private static boolean mayHaveCompetingOverload(
      com.sun.tools.javac.code.Symbol symbol, int arity, VisitorState state) {
    if (!(symbol instanceof com.sun.tools.javac.code.Symbol.MethodSymbol)
        || !(symbol.owner instanceof com.sun.tools.javac.code.Symbol.ClassSymbol)) {
      return true;
    }
    com.sun.tools.javac.code.Symbol.MethodSymbol method =
        (com.sun.tools.javac.code.Symbol.MethodSymbol) symbol;
    for (Type t : state.getTypes().closure(method.owner.type)) {
      for (com.sun.tools.javac.code.Symbol other : t.tsym.members().getSymbolsByName(method.name)) {
        if (other != method
            && other instanceof com.sun.tools.javac.code.Symbol.MethodSymbol
            && (((com.sun.tools.javac.code.Symbol.MethodSymbol) other).isVarArgs()
                || ((com.sun.tools.javac.code.Symbol.MethodSymbol) other).getParameters().size()
                    == arity)
            && !method.overrides(
                other, (com.sun.tools.javac.code.Symbol.TypeSymbol) method.owner, state.getTypes(), true)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A test of one method or constructor call and its arguments. */
  private interface CallTest {
    boolean test(Tree call, List<? extends com.sun.source.tree.ExpressionTree> arguments);
  }

  /** Whether some method or constructor call inside {@code statements} passes {@code test}. */
  private static boolean anyCall(List<? extends StatementTree> statements, CallTest test) {
    boolean[] found = {false};
    com.sun.source.util.TreeScanner<Void, Void> scanner =
        new com.sun.source.util.TreeScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            found[0] = found[0] || test.test(tree, tree.getArguments());
            return super.visitMethodInvocation(tree, null);
          }

          @Override
          public Void visitNewClass(com.sun.source.tree.NewClassTree tree, Void unused) {
            found[0] = found[0] || test.test(tree, tree.getArguments());
            return super.visitNewClass(tree, null);
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

  /**
   * Moves every line from {@code from} to {@code to} one indentation level deeper, by inserting
   * {@code unit} into its leading whitespace ({@code offset} characters in, so that nested fixes
   * never insert at the same place). Blank lines stay empty, and lines that start inside a
   * multi-line string literal (a text block) stay as they are: their text is the string's value.
   */
  private static void reindent(
      SuggestedFix.Builder fix,
      int from,
      int to,
      List<? extends StatementTree> wrapped,
      String unit,
      int offset,
      VisitorState state) {
    CharSequence source = state.getSourceCode();
    if (source == null || from < 0 || to > source.length() || to <= from) {
      return;
    }
    List<int[]> literals = new java.util.ArrayList<>();
    com.sun.source.util.TreeScanner<Void, Void> scanner =
        new com.sun.source.util.TreeScanner<Void, Void>() {
          @Override
          public Void visitLiteral(com.sun.source.tree.LiteralTree literal, Void unused) {
            if (literal.getKind() == Tree.Kind.STRING_LITERAL) {
              int start = ASTHelpers.getStartPosition(literal);
              int end = state.getEndPosition(literal);
              if (start >= 0 && end > start && end <= source.length()) {
                for (int i = start; i < end; i++) {
                  if (source.charAt(i) == '\n') {
                    literals.add(new int[] {start, end});
                    break;
                  }
                }
              }
            }
            return null;
          }
        };
    for (StatementTree statement : wrapped) {
      scanner.scan(statement, null);
    }
    int literal = 0;
    for (int p = from; p < to; p++) {
      if (source.charAt(p) != '\n') {
        continue;
      }
      int lineStart = p + 1;
      while (literal < literals.size() && literals.get(literal)[1] <= lineStart) {
        literal++;
      }
      if (literal < literals.size()
          && literals.get(literal)[0] < lineStart
          && lineStart < literals.get(literal)[1]) {
        continue; // inside a text block
      }
      int text = lineStart;
      while (text < to && (source.charAt(text) == ' ' || source.charAt(text) == '\t')) {
        text++;
      }
      if (text >= to || source.charAt(text) == '\n' || source.charAt(text) == '\r') {
        continue; // a blank line
      }
      int at = lineStart + Math.min(offset, text - lineStart);
      fix.replace(at, at, unit);
    }
  }

  /** Whether only whitespace precedes {@code tree} on its line. */
  private static boolean startsLine(Tree tree, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(tree);
    if (source == null || start < 0 || start > source.length()) {
      return false;
    }
    for (int i = start - 1; i >= 0 && source.charAt(i) != '\n'; i--) {
      if (source.charAt(i) != ' ' && source.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * The file's indentation unit, as this block uses it: what the statement's indentation adds to
   * that of the line that opens the block. Otherwise a tab where the file indents with tabs, else
   * two spaces (four where the statement's indentation is a multiple of four).
   */
  private static String indentUnit(TreePath declarationPath, String indent, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int blockStart = ASTHelpers.getStartPosition(declarationPath.getParentPath().getLeaf());
    if (source != null && blockStart >= 0 && blockStart <= source.length()) {
      int lineStart = blockStart;
      while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
        lineStart--;
      }
      int text = lineStart;
      while (text < blockStart && (source.charAt(text) == ' ' || source.charAt(text) == '\t')) {
        text++;
      }
      String outer = source.subSequence(lineStart, text).toString();
      if (indent.length() > outer.length() && indent.startsWith(outer)) {
        return indent.substring(outer.length());
      }
    }
    if (indent.contains("\t")) {
      return "\t";
    }
    return !indent.isEmpty() && indent.length() % 4 == 0 ? "    " : "  ";
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
