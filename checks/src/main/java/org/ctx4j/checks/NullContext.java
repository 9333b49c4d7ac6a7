package org.ctx4j.checks;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.ReturnTreeMatcher;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import java.util.List;

/**
 * Flags {@code null} where a context is expected: as an argument to a parameter of a context type
 * (the parents of the {@code Context} factories included) and as the value returned by a method or
 * lambda whose declared return type is a context type. Go's staticcheck SA1012: "do not pass a nil
 * Context, even if a function permits it; pass context.TODO if you are unsure".
 *
 * <p>"Null" means the {@code null} literal (also parenthesised, cast, or as both arms of a
 * conditional) or a local variable that Error Prone's nullness dataflow knows to be null at that
 * point. A parameter or return type declared {@code @Nullable} accepts null by contract and is not
 * checked; neither is a parameter whose declared type is a plain type variable such as the {@code
 * T} of {@code AtomicReference<T>.set(T)}: clearing a reference is not passing a context. Nor is a
 * call written to show that null is rejected: inside a lambda given to {@code assertThrows} (and
 * its relatives) or in a {@code try} block that catches {@code NullPointerException}. Nor is
 * {@code super(null)} or {@code this(null)} in a constructor of a user implementation of {@code
 * Context}, where null is how a root context says it has no parent.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = "NullContext",
    summary = "Pass Context.todo() or the caller's context instead of null where a context is expected",
    severity = ERROR,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/NullContext.md")
public final class NullContext extends BugChecker
    implements MethodInvocationTreeMatcher,
        NewClassTreeMatcher,
        ReturnTreeMatcher,
        LambdaExpressionTreeMatcher {

  private static final long serialVersionUID = 1L;

  private static final String ARGUMENT_MESSAGE =
      "This passes a null context, which fails at its first use; pass the caller's context, or"
          + " Context.todo() where none is available yet";

  private static final String RETURN_MESSAGE =
      "This returns a null context, which fails at its first use; return a real context, or"
          + " Context.todo() where none is available yet";

  /** Creates the check; Error Prone calls this through the service loader. */
  public NullContext() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (CheckSupport.ctx4jAbsent(state) || !anyArgumentMayBeNull(tree.getArguments())) {
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
          return checkArguments(method, tree.getArguments(), varargsCall, state);
        });
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    if (CheckSupport.ctx4jAbsent(state) || !anyArgumentMayBeNull(tree.getArguments())) {
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
            constructor = superConstructor(tree, constructor, state);
            if (constructor == null) {
              return Description.NO_MATCH;
            }
          }
          boolean varargsCall = ((JCNewClass) tree).varargsElement != null;
          return checkArguments(constructor, tree.getArguments(), varargsCall, state);
        });
  }

  @Override
  public Description matchReturn(ReturnTree tree, VisitorState state) {
    ExpressionTree expression = tree.getExpression();
    if (CheckSupport.ctx4jAbsent(state) || expression == null || !mayBeNull(expression)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          MethodSymbol returning = enclosingReturningMethod(state);
          return checkReturned(returning, new TreePath(state.getPath(), expression), state);
        });
  }

  @Override
  public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
    if (CheckSupport.ctx4jAbsent(state)
        || tree.getBodyKind() != LambdaExpressionTree.BodyKind.EXPRESSION
        || !mayBeNull((ExpressionTree) tree.getBody())) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () ->
            checkReturned(
                functionalMethod(tree, state), new TreePath(state.getPath(), tree.getBody()), state));
  }

  private Description checkArguments(
      MethodSymbol method,
      List<? extends ExpressionTree> arguments,
      boolean varargsCall,
      VisitorState state) {
    if (method == null || CheckSupport.insideCodeExpectedToThrow(state)) {
      return Description.NO_MATCH;
    }
    List<VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < arguments.size(); i++) {
      ExpressionTree argument = arguments.get(i);
      if (!mayBeNull(argument)) {
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
      if (expected == null
          || !ContextTypes.isContextValued(expected, state)
          || CheckSupport.isDeclaredNullable(parameter)
          || !isKnownNull(new TreePath(state.getPath(), argument), state)) {
        continue;
      }
      state.reportMatch(
          buildDescription(argument)
              .setMessage(ARGUMENT_MESSAGE)
              .addFix(todoFix(argument, expected, state))
              .build());
    }
    return Description.NO_MATCH;
  }

  private Description checkReturned(MethodSymbol returning, TreePath returned, VisitorState state) {
    if (returning == null
        || !ContextTypes.isContextValued(returning.getReturnType(), state)
        || CheckSupport.isDeclaredNullable(returning)
        || !isKnownNull(returned, state)) {
      return Description.NO_MATCH;
    }
    Tree expression = returned.getLeaf();
    return buildDescription(expression)
        .setMessage(RETURN_MESSAGE)
        .addFix(todoFix(expression, returning.getReturnType(), state))
        .build();
  }

  /**
   * {@code Context.todo()} in place of the null, with the import; only where a plain {@code
   * Context} is what the parameter or return type asks for (a {@code CancellableContext} or a type
   * variable would not accept it).
   */
  private static SuggestedFix todoFix(Tree replaced, Type expected, VisitorState state) {
    Type context = ContextTypes.contextType(state);
    if (context == null || !state.getTypes().isSameType(expected, context)) {
      return SuggestedFix.emptyFix();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String name = SuggestedFixes.qualifyType(state, fix, ContextTypes.CONTEXT);
    fix.replace(replaced, name + ".todo()");
    return fix.build();
  }

  /** The method (or the functional interface method of the lambda) that a return statement leaves. */
  private static MethodSymbol enclosingReturningMethod(VisitorState state) {
    for (TreePath path = state.getPath().getParentPath();
        path != null;
        path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof LambdaExpressionTree) {
        return functionalMethod((LambdaExpressionTree) leaf, state);
      }
      if (leaf instanceof MethodTree) {
        return ASTHelpers.getSymbol((MethodTree) leaf);
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
    return descriptor instanceof MethodSymbol ? (MethodSymbol) descriptor : null;
  }

  /**
   * The superclass constructor an anonymous class's constructor delegates to, or null. Its
   * parameters are the ones the arguments written in {@code new Super(args) { ... }} map to.
   *
   * <p>The anonymous class's constructor is made by javac and its parameter list is not the
   * superclass constructor's: for {@code outer.new Inner(args) { ... }} it starts with the outer
   * instance. So the answer comes from the {@code super(...)} call javac writes in that
   * constructor's body; where that is not there to read, from the superclass constructors whose
   * parameters match the anonymous constructor's (after the outer instance, when there is one).
   */
  private static MethodSymbol superConstructor(
      NewClassTree creation, MethodSymbol anonymous, VisitorState state) {
    if (anonymous == null || !(anonymous.owner instanceof ClassSymbol)) {
      return null;
    }
    ClassSymbol anonymousClass = (ClassSymbol) anonymous.owner;
    if (!anonymousClass.isAnonymous()) {
      return anonymous;
    }
    Types types = state.getTypes();
    Type superType = types.supertype(anonymousClass.type);
    if (superType == null || !(superType.tsym instanceof ClassSymbol)) {
      return null;
    }
    if ((superType.tsym.flags() & com.sun.tools.javac.code.Flags.INTERFACE) != 0
        || anonymousClass.getInterfaces().nonEmpty()) {
      return null; // new Interface() { ... } takes no arguments
    }
    MethodSymbol called = superCallIn(creation.getClassBody(), anonymous, superType.tsym);
    if (called != null) {
      return called;
    }
    List<VarSymbol> anonymousParameters = anonymous.getParameters();
    MethodSymbol match = null;
    for (Symbol member : superType.tsym.members().getSymbolsByName(state.getNames().init)) {
      if (!(member instanceof MethodSymbol)) {
        continue;
      }
      MethodSymbol candidate = (MethodSymbol) member;
      // The candidate's parameter types as seen from the anonymous class's supertype, so that
      // the T of `new Gen<String>(...) {}` reads String.
      List<Type> candidateParameters = types.memberType(superType, candidate).getParameterTypes();
      // javac puts the outer instance of a qualified `outer.new Inner(...) {}` first.
      int skip = anonymousParameters.size() - candidateParameters.size();
      if (skip != 0 && (skip != 1 || creation.getEnclosingExpression() == null)) {
        continue;
      }
      boolean same = true;
      for (int i = 0; i < candidateParameters.size() && same; i++) {
        same =
            types.isSameType(
                types.erasure(candidateParameters.get(i)),
                types.erasure(anonymousParameters.get(i + skip).type));
      }
      if (same) {
        if (match != null) {
          return null; // ambiguous: say nothing rather than guess
        }
        match = candidate;
      }
    }
    return match;
  }

  /**
   * The constructor of {@code superclass} that the {@code super(...)} call in the body of the
   * anonymous class's constructor {@code anonymous} invokes, or null if it cannot be read.
   */
  private static MethodSymbol superCallIn(
      ClassTree body, MethodSymbol anonymous, Symbol superclass) {
    if (body == null) {
      return null;
    }
    for (Tree member : body.getMembers()) {
      if (!(member instanceof MethodTree)
          || ASTHelpers.getSymbol((MethodTree) member) != anonymous
          || ((MethodTree) member).getBody() == null) {
        continue;
      }
      for (StatementTree statement : ((MethodTree) member).getBody().getStatements()) {
        if (!(statement instanceof ExpressionStatementTree)) {
          continue;
        }
        ExpressionTree expression = ((ExpressionStatementTree) statement).getExpression();
        if (!(expression instanceof MethodInvocationTree)) {
          continue;
        }
        MethodSymbol called = ASTHelpers.getSymbol((MethodInvocationTree) expression);
        if (called != null && called.isConstructor() && called.owner == superclass) {
          return called;
        }
      }
    }
    return null;
  }

  /**
   * Whether the method (or, outside methods, the class) around {@code path} contains a {@code null}
   * literal. The nullness dataflow can only know a local variable to be null from a null literal:
   * one assigned to it, or one it was compared with. Without one there is nothing to find, and the
   * dataflow (a control-flow graph per method) is not worth running. Scanned once per method.
   */
  private boolean declaringCodeMentionsNull(TreePath path) {
    Tree scope = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf.getKind() == Tree.Kind.CLASS
          || leaf.getKind() == Tree.Kind.ENUM || leaf.getKind() == Tree.Kind.INTERFACE
          || leaf.getKind().name().equals("RECORD")) {
        scope = leaf;
        break;
      }
    }
    if (scope == null) {
      return true;
    }
    if (scope != lastScope) {
      lastScope = scope;
      lastScopeMentionsNull = Boolean.TRUE.equals(new NullLiteralFinder().scan(scope, null));
    }
    return lastScopeMentionsNull;
  }

  /** The last method or class scanned for a null literal, and the answer (a one-entry cache). */
  private transient Tree lastScope;

  private transient boolean lastScopeMentionsNull;

  private static final class NullLiteralFinder extends TreeScanner<Boolean, Void> {
    @Override
    public Boolean scan(Tree tree, Void unused) {
      if (tree != null && tree.getKind() == Tree.Kind.NULL_LITERAL) {
        return true;
      }
      return super.scan(tree, unused);
    }

    @Override
    public Boolean reduce(Boolean a, Boolean b) {
      return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
    }
  }

  private static boolean anyArgumentMayBeNull(List<? extends ExpressionTree> arguments) {
    for (ExpressionTree argument : arguments) {
      if (mayBeNull(argument)) {
        return true;
      }
    }
    return false;
  }

  /** A cheap syntactic filter: only these shapes can be known to be null. */
  private static boolean mayBeNull(ExpressionTree expression) {
    switch (expression.getKind()) {
      case NULL_LITERAL:
      case PARENTHESIZED:
      case TYPE_CAST:
      case CONDITIONAL_EXPRESSION:
      case IDENTIFIER:
        return true;
      default:
        return false;
    }
  }

  /**
   * Whether the expression at {@code path} is null whenever it is evaluated: the null literal
   * (through parentheses, casts and both arms of a conditional), or a local variable that the
   * nullness dataflow knows to hold null there. Fields are not trusted: another method or thread
   * may have set them.
   */
  private boolean isKnownNull(TreePath path, VisitorState state) {
    Tree leaf = path.getLeaf();
    switch (leaf.getKind()) {
      case NULL_LITERAL:
        return true;
      case PARENTHESIZED:
        return isKnownNull(new TreePath(path, ((ParenthesizedTree) leaf).getExpression()), state);
      case TYPE_CAST:
        return isKnownNull(new TreePath(path, ((TypeCastTree) leaf).getExpression()), state);
      case CONDITIONAL_EXPRESSION:
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) leaf;
        return isKnownNull(new TreePath(path, conditional.getTrueExpression()), state)
            && isKnownNull(new TreePath(path, conditional.getFalseExpression()), state);
      case IDENTIFIER:
        Symbol symbol = ASTHelpers.getSymbol(leaf);
        if (!CheckSupport.isLocalVariable(symbol) || !declaringCodeMentionsNull(path)) {
          return false;
        }
        return ErrorProneCompat.nullness(path, state) == Nullness.NULL;
      default:
        return false;
    }
  }
}
