package org.ctx4j.checks.nullcontext;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import java.util.List;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.LambdaExpressionMatcher;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextChecker.NewClassMatcher;
import org.ctx4j.checks.support.ContextChecker.ReturnMatcher;
import org.ctx4j.checks.support.ContextInScopeFix;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.ExpectedToThrow;
import org.ctx4j.checks.support.InternalErrors;
import org.ctx4j.checks.support.RuntimeRoles;
import org.ctx4j.checks.support.RuntimeRoles.Role;

/**
 * Flags {@code null} where a context is expected: as an argument to a parameter of a context type
 * (the parents of the {@code Context} factories included) and as the value returned by a method or
 * lambda whose declared return type is a context type. Go's staticcheck SA1012: "do not pass a nil
 * Context, even if a function permits it; pass context.TODO if you are unsure".
 *
 * <p>"Null" means a value that is null whenever the code runs: the {@code null} literal (also
 * parenthesised or cast), a conditional or {@code switch} expression whose every value is null, a
 * {@code final} field or a final (or effectively final) local variable initialised with one of
 * these; or a local variable that Error Prone's nullness dataflow knows to be null at that point.
 * The first kind is a test of the code's shape; the dataflow is asked only about locals that an
 * assignment or a comparison in the method could make null (see {@link NullableLocals}). A
 * parameter or return type declared {@code @Nullable} accepts null by contract and is not checked;
 * neither is a parameter whose declared type is a plain type variable such as the {@code T} of
 * {@code AtomicReference<T>.set(T)}: clearing a reference is not passing a context. Nor is a call
 * written to show that null is rejected: inside a lambda given to {@code assertThrows} (and its
 * relatives) or in a {@code try} block that catches {@code NullPointerException}. Nor is {@code
 * super(null)} or {@code this(null)} in a constructor of a user implementation of {@code Context},
 * where null is how a root context says it has no parent.
 *
 * <p>A local variable that is null only on some paths reaching the use (assigned the {@code null}
 * literal on that path, not reassigned since) is flagged too, with the path in the message and no
 * fix: {@link NullPaths} walks the member's code, only for a local the member assigns {@code null}.
 * And a null key where a runtime method takes one ({@code Context.withValue}'s, {@code
 * ctx.value}'s: the {@link RuntimeRoles.Role#TAKES_KEY} methods) is flagged, without a fix.
 *
 * <p>Fix: the context already in scope (the enclosing lambda's or method's first context parameter,
 * else the only context local), else {@code Context.todo()}: see {@link ContextInScopeFix}.
 *
 * <p>Cost: every matcher first asks {@link KnownNull#mayBeNull}, a test of the tree and its
 * symbols, then the declared parameter or return type, and only then scans the member's code
 * ({@link NullableLocals}, once per member) or asks the dataflow.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Pass Context.todo() or the caller's context instead of null where a context is expected",
    severity = ERROR,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/NullContext.md")
public final class NullContext extends ContextChecker
    implements MethodInvocationMatcher, NewClassMatcher, ReturnMatcher, LambdaExpressionMatcher {

  private static final long serialVersionUID = 1L;

  private static final String ARGUMENT_MESSAGE =
      "This passes a null context, which fails with a NullPointerException at its first use; pass"
          + " the caller's context, or Context.todo() where none is available yet";

  private static final String KEY_MESSAGE =
      "This passes a null key, which fails with a NullPointerException; pass a key no other"
          + " package can obtain, such as a ContextKey held in a private static final field";

  /** Follows "ctx is null here when ...": what that means and what to do. */
  private static final String MAYBE_NULL_ADVICE =
      ", and fails with a NullPointerException at its first use there; give it a context on that"
          + " path too (the caller's, or Context.todo() where none is available yet)";

  private static final String RETURN_MESSAGE =
      "This returns a null context, which fails with a NullPointerException at its first use;"
          + " return the caller's context, or Context.todo() where none is available yet";

  /**
   * What the member being analysed can make null: the one cache of the check, shared by the
   * known-null test and the fix, emptied at the start of each compilation unit.
   */
  private final transient NullableLocals.Cache scopes = new NullableLocals.Cache();

  /** Creates the check; Error Prone calls this through the service loader. */
  public NullContext() {}

  @Override
  protected void startFile() {
    scopes.clear(); // no tree of the previous compilation unit is held while this one is analysed
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!KnownNull.anyMayBeNull(tree.getArguments())) {
      return Description.NO_MATCH;
    }
    Type context = ContextTypes.contextType(state); // null: CheckSupport.ctx4jAbsent
    if (context == null) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          MethodSymbol method = ASTHelpers.getSymbol(tree);
          if (method != null
              && method.isConstructor()
              && ContextTypes.isContext(method.owner.type, state)) {
            // super(null) or this(null) inside a Context implementation: a root context has no
            // parent, and the implementation's own constructors are where it says so.
            return Description.NO_MATCH;
          }
          boolean varargsCall = ((JCMethodInvocation) tree).varargsElement != null;
          return checkArguments(method, tree.getArguments(), varargsCall, context, state);
        });
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    if (!KnownNull.anyMayBeNull(tree.getArguments())) {
      return Description.NO_MATCH;
    }
    Type context = ContextTypes.contextType(state); // null: CheckSupport.ctx4jAbsent
    if (context == null) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          MethodSymbol constructor = ASTHelpers.getSymbol(tree);
          if (tree.getClassBody() != null) {
            // An anonymous class passes its arguments on to a constructor of its superclass, whose
            // declaration (annotations included) is the one that states what it accepts.
            constructor = AnonymousSuperConstructor.superConstructor(tree, constructor, state);
            if (constructor == null) {
              return Description.NO_MATCH;
            }
          }
          boolean varargsCall = ((JCNewClass) tree).varargsElement != null;
          return checkArguments(constructor, tree.getArguments(), varargsCall, context, state);
        });
  }

  @Override
  public Description matchReturn(ReturnTree tree, VisitorState state) {
    ExpressionTree expression = tree.getExpression();
    if (expression == null || !KnownNull.mayBeNull(expression) || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this, tree, state, () -> checkReturned(enclosingReturningMethod(state), expression, state));
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (tree.getBodyKind() != LambdaExpressionTree.BodyKind.EXPRESSION
        || !KnownNull.mayBeNull((ExpressionTree) tree.getBody())
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> checkReturned(functionalMethod(tree, state), tree.getBody(), state));
  }

  /**
   * Reports each argument that is null where its parameter declares a context type. Per argument,
   * cheapest first: its shape, the parameter's declared type, whether it is known null, and last
   * the parameter's nullness annotations.
   */
  private Description checkArguments(
      MethodSymbol method,
      List<? extends ExpressionTree> arguments,
      boolean varargsCall,
      Type context,
      VisitorState state) {
    if (method == null) {
      return Description.NO_MATCH;
    }
    List<VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < arguments.size(); i++) {
      ExpressionTree argument = arguments.get(i);
      if (!KnownNull.mayBeNull(argument)) {
        continue;
      }
      VarSymbol parameter;
      Type expected;
      if (varargsCall && i >= parameters.size() - 1) {
        parameter = parameters.get(parameters.size() - 1);
        expected = state.getTypes().elemtype(parameter.type);
      } else if (i < parameters.size()) {
        parameter = parameters.get(i);
        expected = parameter.type;
      } else {
        return Description.NO_MATCH; // an arity the symbol does not explain: stay silent
      }
      if (expected != null && isKeyArgument(method, i, state)) {
        checkKey(argument, parameter, state);
        continue;
      }
      if (expected == null || !expectsContext(expected, context, state)) {
        continue;
      }
      TreePath argumentPath = new TreePath(state.getPath(), argument);
      boolean known = KnownNull.isKnownNull(argumentPath, scopes, state);
      String path = known ? null : nullOnSomePath(argumentPath, state);
      if ((!known && path == null)
          // After the null test: reading annotations costs more, and most arguments are not null.
          || CheckSupport.isDeclaredNullable(parameter)) {
        continue;
      }
      // Asked last: it walks up the tree, and most calls have no null context to report.
      if (ExpectedToThrow.insideCodeExpectedToThrow(state)) {
        return Description.NO_MATCH;
      }
      state.reportMatch(
          known
              ? buildDescription(argument)
                  .setMessage(ARGUMENT_MESSAGE)
                  .addFix(contextInScopeFix(argument, expected, state))
                  .build()
              : buildDescription(argument).setMessage(path + MAYBE_NULL_ADVICE).build());
    }
    return Description.NO_MATCH;
  }

  /**
   * Whether argument {@code index} of {@code method} is the key of a runtime method that takes one
   * ({@code Context.withValue}'s, {@code ctx.value}'s): see {@link RuntimeRoles}.
   */
  private static boolean isKeyArgument(MethodSymbol method, int index, VisitorState state) {
    if (!RuntimeRoles.names(Role.TAKES_KEY).contains(method.name, state)) {
      return false;
    }
    RuntimeRoles.Entry entry = RuntimeRoles.of(method, state);
    return entry != null && entry.has(Role.TAKES_KEY) && entry.key() == index;
  }

  /** Reports a key argument that is null whenever it runs. */
  private void checkKey(ExpressionTree argument, VarSymbol parameter, VisitorState state) {
    if (!KnownNull.isKnownNull(new TreePath(state.getPath(), argument), scopes, state)
        || CheckSupport.isDeclaredNullable(parameter)
        || ExpectedToThrow.insideCodeExpectedToThrow(state)) {
      return;
    }
    state.reportMatch(buildDescription(argument).setMessage(KEY_MESSAGE).build());
  }

  /**
   * Reports {@code returned} if it is null where {@code returning} (a method, or a lambda's
   * functional interface method) declares a context return type without {@code @Nullable}; the type
   * is asked first.
   */
  private Description checkReturned(MethodSymbol returning, Tree returned, VisitorState state) {
    if (returning == null
        || !expectsContext(returning.getReturnType(), ContextTypes.contextType(state), state)) {
      return Description.NO_MATCH;
    }
    TreePath returnedPath = new TreePath(state.getPath(), returned);
    boolean known = KnownNull.isKnownNull(returnedPath, scopes, state);
    String path = known ? null : nullOnSomePath(returnedPath, state);
    if ((!known && path == null) || CheckSupport.isDeclaredNullable(returning)) {
      return Description.NO_MATCH;
    }
    if (!known) {
      return buildDescription(returned).setMessage(path + MAYBE_NULL_ADVICE).build();
    }
    return buildDescription(returned)
        .setMessage(RETURN_MESSAGE)
        .addFix(contextInScopeFix(returned, returning.getReturnType(), state))
        .build();
  }

  /**
   * The path on which the local variable at {@code path} is still null from a {@code null} assigned
   * to it, as the start of the finding's message, or null. Only a local variable that its member
   * assigns the {@code null} literal is walked ({@link NullPaths}).
   */
  private String nullOnSomePath(TreePath path, VisitorState state) {
    Tree leaf = path.getLeaf();
    while (leaf instanceof ParenthesizedTree parenthesized) {
      leaf = parenthesized.getExpression();
      path = new TreePath(path, leaf);
    }
    if (!(leaf instanceof IdentifierTree identifier)) {
      return null;
    }
    Symbol local = ASTHelpers.getSymbol(identifier);
    if (!CheckSupport.isLocalVariable(local)) {
      return null;
    }
    NullableLocals scope = scopes.of(path, state);
    if (scope == null) {
      return null;
    }
    if (!scope.assignedNull(local)) {
      // A local of an enclosing method, captured by a local or anonymous class: that method's
      // code says whether it is ever assigned null (scanned apart, the cache keeps this member).
      Tree declaring = declaringMethod(path, local);
      if (declaring == null || !NullableLocals.scanApart(declaring, state).assignedNull(local)) {
        return null;
      }
    }
    return NullPaths.whereNull(path, state);
  }

  /**
   * The method that declares {@code local}, when it is not the member around {@code path} (the
   * local is captured by a class inside it); else null.
   */
  private static Tree declaringMethod(TreePath path, Symbol local) {
    Tree member = NullableLocals.memberAround(path);
    if (member instanceof MethodTree method && ASTHelpers.getSymbol(method) == local.owner) {
      return null; // declared in the member itself: its scan has answered
    }
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree method
          && method != member
          && ASTHelpers.getSymbol(method) == local.owner) {
        return method;
      }
    }
    return null;
  }

  /**
   * {@link ContextTypes#isContextValued}, asked of every declared type an argument or a returned
   * value that may be null goes to; {@code context} is {@code org.ctx4j.Context}, looked up once
   * per call. A class or interface type, the common case, is a context type when its class is
   * {@code Context} or inherits from it: javac answers that from the class's supertypes, with none
   * of the bookkeeping of a full subtype test.
   */
  private static boolean expectsContext(Type expected, Type context, VisitorState state) {
    if (expected.getKind() == TypeKind.DECLARED && expected.tsym instanceof ClassSymbol declared) {
      return context != null
          && !ContextTypes.isJdkClass(declared) // String, Object, collections: no supertype walk
          && declared.isSubClass(context.tsym, state.getTypes());
    }
    return ContextTypes.isContextValued(expected, state);
  }

  /**
   * The method (or the functional interface method of the lambda) that a return statement leaves.
   */
  private static MethodSymbol enclosingReturningMethod(VisitorState state) {
    for (TreePath path = state.getPath().getParentPath();
        path != null;
        path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof LambdaExpressionTree lambdaExpressionTree) {
        return functionalMethod(lambdaExpressionTree, state);
      }
      if (leaf instanceof MethodTree methodTree) {
        return ASTHelpers.getSymbol(methodTree);
      }
      if (leaf.getKind() == Tree.Kind.CLASS) {
        return null;
      }
    }
    return null;
  }

  /**
   * The abstract method a lambda implements, as its interface declares it (so {@code Supplier<
   * Context>} yields {@code T get()}, whose return type is not a context type).
   */
  private static MethodSymbol functionalMethod(LambdaExpressionTree lambda, VisitorState state) {
    Type type = ASTHelpers.getType(lambda);
    if (type == null) {
      return null;
    }
    Symbol descriptor = state.getTypes().findDescriptorSymbol(type.tsym);
    return descriptor instanceof MethodSymbol methodSymbol ? methodSymbol : null;
  }

  /**
   * The context in scope in place of the null {@code replaced}, never a local this member's
   * nullness dataflow may find null (see {@link ContextInScopeFix}).
   */
  private SuggestedFix contextInScopeFix(Tree replaced, Type expected, VisitorState state) {
    NullableLocals scope = scopes.of(state.getPath(), state);
    return ContextInScopeFix.fix(
        replaced,
        expected,
        variable -> scope != null && scope.dataflowMayFindNull(variable),
        state);
  }
}
