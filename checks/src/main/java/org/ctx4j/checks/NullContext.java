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
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree.JCMethodInvocation;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Name;

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
 * assignment or a comparison in the method could make null (see {@link Scope}). A parameter or
 * return type declared {@code @Nullable} accepts null by contract and is not checked; neither is a
 * parameter whose declared type is a plain type variable such as the {@code T} of {@code
 * AtomicReference<T>.set(T)}: clearing a reference is not passing a context. Nor is a call written
 * to show that null is rejected: inside a lambda given to {@code assertThrows} (and its relatives)
 * or in a {@code try} block that catches {@code NullPointerException}. Nor is {@code super(null)}
 * or {@code this(null)} in a constructor of a user implementation of {@code Context}, where null is
 * how a root context says it has no parent.
 *
 * <p>Fix: the context already in scope (the enclosing lambda's or method's first context parameter,
 * else the only context local), else {@code Context.todo()}.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Pass Context.todo() or the caller's context instead of null where a context is expected",
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
      "This passes a null context, which fails with a NullPointerException at its first use; pass"
          + " the caller's context, or Context.todo() where none is available yet";

  private static final String RETURN_MESSAGE =
      "This returns a null context, which fails with a NullPointerException at its first use;"
          + " return the caller's context, or Context.todo() where none is available yet";

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
    if (CheckSupport.ctx4jAbsent(state)
        || expression == null
        || !mayBeNull(expression)
        || variableNeverKnownNull(expression, state.getPath())) {
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
                functionalMethod(tree, state),
                new TreePath(state.getPath(), tree.getBody()),
                state));
  }

  private Description checkArguments(
      MethodSymbol method,
      List<? extends ExpressionTree> arguments,
      boolean varargsCall,
      VisitorState state) {
    if (method == null) {
      return Description.NO_MATCH;
    }
    List<VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < arguments.size(); i++) {
      ExpressionTree argument = arguments.get(i);
      if (!mayBeNull(argument) || variableNeverKnownNull(argument, state.getPath())) {
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
          || !isKnownNull(new TreePath(state.getPath(), argument), state, 0)) {
        continue;
      }
      // Asked last: it walks up the tree, and most calls have no null context to report.
      if (ExpectedToThrow.insideCodeExpectedToThrow(state)) {
        return Description.NO_MATCH;
      }
      state.reportMatch(
          buildDescription(argument)
              .setMessage(ARGUMENT_MESSAGE)
              .addFix(fix(argument, expected, state))
              .build());
    }
    return Description.NO_MATCH;
  }

  private Description checkReturned(MethodSymbol returning, TreePath returned, VisitorState state) {
    if (returning == null
        || !ContextTypes.isContextValued(returning.getReturnType(), state)
        || CheckSupport.isDeclaredNullable(returning)
        || !isKnownNull(returned, state, 0)) {
      return Description.NO_MATCH;
    }
    Tree expression = returned.getLeaf();
    return buildDescription(expression)
        .setMessage(RETURN_MESSAGE)
        .addFix(fix(expression, returning.getReturnType(), state))
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
    if ((superType.tsym.flags() & Flags.INTERFACE) != 0
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
      if (!(member instanceof MethodSymbol candidate)) {
        continue;
      }

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
      if (!(member instanceof MethodTree methodTree)
          || ASTHelpers.getSymbol(methodTree) != anonymous
          || methodTree.getBody() == null) {
        continue;
      }
      for (StatementTree statement : methodTree.getBody().getStatements()) {
        if (!(statement instanceof ExpressionStatementTree expressionStatementTree)) {
          continue;
        }
        ExpressionTree expression = expressionStatementTree.getExpression();
        if (!(expression instanceof MethodInvocationTree methodInvocationTree)) {
          continue;
        }
        MethodSymbol called = ASTHelpers.getSymbol(methodInvocationTree);
        if (called != null && called.isConstructor() && called.owner == superclass) {
          return called;
        }
      }
    }
    return null;
  }

  // ---- What is null ------------------------------------------------------------------------

  /** How deep the syntactic test follows initializers and nested expressions. */
  private static final int MAX_DEPTH = 8;

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
    return switch (expression.getKind()) {
      case NULL_LITERAL,
          PARENTHESIZED,
          TYPE_CAST,
          CONDITIONAL_EXPRESSION,
          SWITCH_EXPRESSION,
          IDENTIFIER,
          MEMBER_SELECT ->
          true;
      default -> false;
    };
  }

  /**
   * Whether {@code expression} is a variable that can never be known null, asked of its symbol
   * before anything costlier (the parameter's type, the dataflow): a local variable of a method
   * without any {@code null} (nothing there can make it null), a field that is not {@code final},
   * anything that is not a variable. Other expressions: false, they need the full test.
   */
  private boolean variableNeverKnownNull(ExpressionTree expression, TreePath around) {
    if (!(expression instanceof IdentifierTree) && !(expression instanceof MemberSelectTree)) {
      return false;
    }
    Symbol symbol = ASTHelpers.getSymbol(expression);
    if (!(symbol instanceof VarSymbol)) {
      return true;
    }
    if (symbol.getKind() == ElementKind.FIELD) {
      return (symbol.flags() & Flags.FINAL) == 0;
    }
    if (!CheckSupport.isLocalVariable(symbol)) {
      return true; // an enum constant, `this`, ...
    }
    Scope scope = scopeOf(around);
    return scope == null || !scope.mentionsNull;
  }

  /**
   * Whether the expression at {@code path} is null whenever it is evaluated: what {@link
   * #isCertainlyNull} proves from the code's shape, or a local variable that the nullness dataflow
   * knows to hold null there.
   */
  private boolean isKnownNull(TreePath path, VisitorState state, int depth) {
    Tree leaf = path.getLeaf();
    if (depth > MAX_DEPTH || !(leaf instanceof ExpressionTree expressionTree)) {
      return false;
    }
    switch (leaf.getKind()) {
      case PARENTHESIZED:
        return isKnownNull(
            new TreePath(path, ((ParenthesizedTree) leaf).getExpression()), state, depth + 1);
      case TYPE_CAST:
        return isKnownNull(
            new TreePath(path, ((TypeCastTree) leaf).getExpression()), state, depth + 1);
      case CONDITIONAL_EXPRESSION:
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) leaf;
        return isKnownNull(new TreePath(path, conditional.getTrueExpression()), state, depth + 1)
            && isKnownNull(new TreePath(path, conditional.getFalseExpression()), state, depth + 1);
      case IDENTIFIER:
      case MEMBER_SELECT:
        Scope scope = scopeOf(path);
        if (isCertainlyNull(expressionTree, scope, state, depth)) {
          return true;
        }
        Symbol symbol = ASTHelpers.getSymbol(leaf);
        return symbol != null
            && CheckSupport.isLocalVariable(symbol)
            && scope != null
            && scope.dataflowMayFindNull.contains(symbol)
            && dataflowSaysNull(path, scope, state);
      default:
        return isCertainlyNull(expressionTree, scopeOf(path), state, depth);
    }
  }

  /**
   * Whether {@code expression} is null by its shape alone, with no dataflow: the {@code null}
   * literal (parenthesised or cast), a conditional or a {@code switch} expression whose every value
   * is certainly null, or a variable that can only ever hold such a value: a local that is final or
   * effectively final, or a {@code final} field, whose initializer is certainly null. This is also
   * the whole test where the dataflow cannot analyse a method.
   */
  private static boolean isCertainlyNull(
      ExpressionTree expression, Scope scope, VisitorState state, int depth) {
    if (expression == null || depth > MAX_DEPTH) {
      return false;
    }
    switch (expression.getKind()) {
      case NULL_LITERAL -> {
        return true;
      }
      case PARENTHESIZED -> {
        return isCertainlyNull(
            ((ParenthesizedTree) expression).getExpression(), scope, state, depth + 1);
      }
      case TYPE_CAST -> {
        return isCertainlyNull(
            ((TypeCastTree) expression).getExpression(), scope, state, depth + 1);
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) expression;
        return isCertainlyNull(conditional.getTrueExpression(), scope, state, depth + 1)
            && isCertainlyNull(conditional.getFalseExpression(), scope, state, depth + 1);
      }
      case SWITCH_EXPRESSION -> {
        List<ExpressionTree> values = switchValues((SwitchExpressionTree) expression);
        if (values == null || values.isEmpty()) {
          return false;
        }
        for (ExpressionTree value : values) {
          if (!isCertainlyNull(value, scope, state, depth + 1)) {
            return false;
          }
        }
        return true;
      }
      case IDENTIFIER, MEMBER_SELECT -> {
        Symbol symbol = ASTHelpers.getSymbol(expression);
        if (!(symbol instanceof VarSymbol variable)) {
          return false;
        }
        if (symbol.getKind() == ElementKind.FIELD) {
          return (symbol.flags() & Flags.FINAL) != 0
              && isCertainlyNull(fieldInitializer(variable, state), null, state, depth + 1);
        }
        return scope != null
            && ASTHelpers.isConsideredFinal(symbol)
            && isCertainlyNull(scope.nullableInitializers.get(symbol), scope, state, depth + 1);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Every value a {@code switch} expression can yield (the expression of a {@code case ... ->}
   * rule, the operand of each {@code yield} that leaves it), or null for a shape not understood.
   * Arms that throw yield nothing.
   */
  private static List<ExpressionTree> switchValues(SwitchExpressionTree tree) {
    List<ExpressionTree> values = new ArrayList<>();
    for (CaseTree caseTree : tree.getCases()) {
      if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree body = caseTree.getBody();
        if (body instanceof ExpressionTree expressionTree) {
          values.add(expressionTree);
        } else if (body instanceof BlockTree) {
          collectYields(body, values);
        } else if (!(body instanceof ThrowTree)) {
          return null;
        }
      } else if (caseTree.getStatements() != null) {
        for (StatementTree statement : caseTree.getStatements()) {
          collectYields(statement, values);
        }
      }
    }
    return values;
  }

  /**
   * The operands of the {@code yield}s in {@code tree} that leave the switch expression around it.
   */
  private static void collectYields(Tree tree, List<ExpressionTree> values) {
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitYield(YieldTree yield, Void unused) {
        values.add(yield.getValue());
        return null;
      }

      // A yield in these belongs to them.
      @Override
      public Void visitSwitchExpression(SwitchExpressionTree nested, Void unused) {
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree classTree, Void unused) {
        return null;
      }
    }.scan(tree, null);
  }

  /**
   * The initializer of a field declared in this compilation (in any of its files), found through
   * its symbol; null for a field read from a class file or declared without one.
   */
  private static ExpressionTree fieldInitializer(VarSymbol field, VisitorState state) {
    Tree declaration = JavacTrees.instance(state.context).getTree(field);
    return declaration instanceof VariableTree variableTree ? variableTree.getInitializer() : null;
  }

  /**
   * Asks the nullness dataflow about the local variable at {@code path}, once per method or lambda
   * that it cannot analyse: after the first refusal, the answer there is "not known".
   */
  private static boolean dataflowSaysNull(TreePath path, Scope scope, VisitorState state) {
    Tree analysed = analysedCode(path);
    if (scope.unanalysable.contains(analysed)) {
      return false;
    }
    Nullness nullness = ErrorProneCompat.nullnessIfAnalysable(path, state);
    if (nullness == null) {
      scope.unanalysable.add(analysed);
      return false;
    }
    return nullness == Nullness.NULL;
  }

  /**
   * The lambda, method or initializer whose control-flow graph the dataflow builds for {@code
   * path}.
   */
  private static Tree analysedCode(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree
          || leaf instanceof MethodTree
          || (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof ClassTree)) {
        return leaf;
      }
    }
    return path.getLeaf();
  }

  // ---- What a method (or class, for code outside methods) can make null ------------------------

  /**
   * What one method (or, for code outside methods, one field or initializer) can make null, learnt
   * in one scan of its code. The dataflow can only know a local variable to be null from a {@code
   * null} literal assigned to it, from a comparison ({@code ==}, {@code !=}, {@code
   * Objects.isNull}, {@code Objects.nonNull}), or from another variable it was assigned or compared
   * with: a variable with none of these is never null to the dataflow, and the dataflow (a
   * control-flow graph and a fixpoint per method) is not asked about it.
   */
  private static final class Scope {
    final Tree tree;

    /** The locals that an assignment or a comparison could give the dataflow's NULL. */
    final Set<Symbol> dataflowMayFindNull = new HashSet<>();

    /** The initializers of locals declared with an expression that can be null by its shape. */
    final Map<Symbol, ExpressionTree> nullableInitializers = new HashMap<>();

    /** The methods and lambdas whose control-flow graph the dataflow could not build. */
    final Set<Tree> unanalysable = new HashSet<>();

    /** Whether the code holds a {@code null} literal or an {@code isNull}/{@code nonNull} call. */
    boolean mentionsNull;

    Scope(Tree tree) {
      this.tree = tree;
    }
  }

  /** The scope last scanned (a one-entry cache: checks visit a method's trees together). */
  private transient Scope lastScope;

  /**
   * What the method around {@code path} (or, outside methods, the field or initializer block, or
   * the class itself) can make null; null outside any class. A local variable never outlives the
   * member it is declared in, so one member's code is all there is to scan.
   */
  private Scope scopeOf(TreePath path) {
    Tree tree = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree
          || leaf instanceof ClassTree
          || (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof ClassTree)) {
        tree = leaf;
        break;
      }
    }
    if (tree == null) {
      return null;
    }
    if (lastScope == null || lastScope.tree != tree) {
      Scope scope = new Scope(tree);
      new ScopeScanner(scope).scan(tree, null);
      if (!scope.mentionsNull) {
        // Without a null nothing is null: the sets stay empty, and no question reaches them.
        scope.dataflowMayFindNull.clear();
        scope.nullableInitializers.clear();
      }
      lastScope = scope;
    }
    return lastScope;
  }

  /** Fills a {@link Scope}. */
  private static final class ScopeScanner extends TreeScanner<Void, Void> {
    private final Scope scope;

    ScopeScanner(Scope scope) {
      this.scope = scope;
    }

    @Override
    public Void visitLiteral(LiteralTree tree, Void unused) {
      if (tree.getKind() == Tree.Kind.NULL_LITERAL) {
        scope.mentionsNull = true;
      }
      return null;
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      ExpressionTree initializer = tree.getInitializer();
      if (initializer != null && mayHoldNull(initializer)) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        if (CheckSupport.isLocalVariable(symbol)) {
          scope.dataflowMayFindNull.add(symbol);
          scope.nullableInitializers.put(symbol, initializer);
        }
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      if (mayHoldNull(tree.getExpression())) {
        addLocal(tree.getVariable());
      }
      return super.visitAssignment(tree, null);
    }

    @Override
    public Void visitBinary(BinaryTree tree, Void unused) {
      if (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO) {
        addLocal(tree.getLeftOperand());
        addLocal(tree.getRightOperand());
      }
      return super.visitBinary(tree, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      // Objects.isNull(x) and Objects.nonNull(x) tell the dataflow that x is null on one branch.
      Name name = CheckSupport.calledName(tree);
      if (name != null && (name.contentEquals("isNull") || name.contentEquals("nonNull"))) {
        scope.mentionsNull = true;
        for (ExpressionTree argument : tree.getArguments()) {
          addLocal(argument);
        }
      }
      return super.visitMethodInvocation(tree, null);
    }

    private void addLocal(ExpressionTree expression) {
      ExpressionTree stripped = ASTHelpers.stripParentheses(expression);
      if (stripped instanceof IdentifierTree) {
        Symbol symbol = ASTHelpers.getSymbol(stripped);
        if (CheckSupport.isLocalVariable(symbol)) {
          scope.dataflowMayFindNull.add(symbol);
        }
      }
    }

    /**
     * Whether the dataflow could find {@code expression} null: a {@code null} literal, or a shape
     * that passes on a value which might be (a variable, a field, a conditional, a switch, an
     * assignment). A call, an object creation or a literal of another kind never is.
     */
    private static boolean mayHoldNull(ExpressionTree expression) {
      return switch (CheckSupport.stripParenthesesAndCasts(expression).getKind()) {
        case NULL_LITERAL,
            IDENTIFIER,
            MEMBER_SELECT,
            CONDITIONAL_EXPRESSION,
            SWITCH_EXPRESSION,
            ASSIGNMENT ->
            true;
        default -> false;
      };
    }
  }

  // ---- The fix ---------------------------------------------------------------------------------

  /**
   * The context already in scope at the finding, else {@code Context.todo()}: see {@link
   * #contextInScope}.
   */
  private SuggestedFix fix(Tree replaced, Type expected, VisitorState state) {
    VarSymbol inScope = contextInScope(replaced, expected, state);
    if (inScope != null) {
      return SuggestedFix.replace(replaced, inScope.getSimpleName().toString());
    }
    return todoFix(replaced, expected, state);
  }

  /**
   * The context the code around {@code state}'s path already has, to pass instead of the null: the
   * first context parameter of the innermost enclosing lambda or method that has one, else the only
   * context local variable in scope there (declared with a value before this point, in the same
   * method). Never a variable that may be null (declared {@code @Nullable}, assigned or compared
   * with something that may be null), the variable the finding is about, one whose type the
   * parameter or return type does not accept, or a variable of an enclosing method that a lambda
   * may not capture. Null when there is none (or more than one local): then {@code Context.todo()}.
   */
  private VarSymbol contextInScope(Tree replaced, Type expected, VisitorState state) {
    Scope scope = scopeOf(state.getPath());
    Symbol replacedSymbol =
        replaced instanceof ExpressionTree expressionTree
            ? ASTHelpers.getSymbol(CheckSupport.stripParenthesesAndCasts(expressionTree))
            : null;
    List<VarSymbol> locals = new ArrayList<>();
    boolean capturing = false; // whether a lambda lies between the finding and what is looked at
    Tree child = null;
    for (TreePath path = state.getPath(); path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof ClassTree) {
        break;
      }
      if (leaf instanceof LambdaExpressionTree || leaf instanceof MethodTree) {
        VarSymbol parameter = CheckSupport.firstContextParameter(leaf, state);
        if (parameter != null
            && usable(parameter, replacedSymbol, expected, capturing, scope, state)) {
          return parameter;
        }
        if (leaf instanceof MethodTree) {
          break;
        }
        capturing = true;
      } else if (leaf instanceof BlockTree blockTree) {
        addLocalsBefore(blockTree.getStatements(), child, capturing, locals);
      } else if (leaf instanceof CaseTree caseTree) {
        addLocalsBefore(caseTree.getStatements(), child, capturing, locals);
      } else if (leaf instanceof ForLoopTree forLoopTree) {
        addLocalsBefore(forLoopTree.getInitializer(), child, capturing, locals);
      } else if (leaf instanceof EnhancedForLoopTree enhancedForLoopTree
          && enhancedForLoopTree.getStatement() == child) {
        addLocal(enhancedForLoopTree.getVariable(), capturing, locals);
      } else if (leaf instanceof TryTree tryTree
          && (tryTree.getBlock() == child || tryTree.getResources().contains(child))) {
        addLocalsBefore(tryTree.getResources(), child, capturing, locals);
      }
      child = leaf;
    }
    locals.removeIf(
        local -> !usable(local, replacedSymbol, expected, /* capturing= */ false, scope, state));
    return locals.size() == 1 ? locals.get(0) : null;
  }

  /**
   * Adds the locals declared with a value among {@code trees} before {@code child} (all of them
   * when {@code child} is not among them: it comes after, as a try block after its resources); when
   * {@code capturing}, only those a lambda may capture.
   */
  private static void addLocalsBefore(
      List<? extends Tree> trees, Tree child, boolean capturing, List<VarSymbol> locals) {
    if (trees == null) {
      return; // the statements of a `case ... ->` rule
    }
    for (Tree tree : trees) {
      if (tree == child) {
        return;
      }
      if (tree instanceof VariableTree variableTree && variableTree.getInitializer() != null) {
        addLocal(variableTree, capturing, locals);
      }
    }
  }

  private static void addLocal(VariableTree tree, boolean capturing, List<VarSymbol> locals) {
    VarSymbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol != null && (!capturing || ASTHelpers.isConsideredFinal(symbol))) {
      locals.add(symbol);
    }
  }

  private static boolean usable(
      VarSymbol variable,
      Symbol replaced,
      Type expected,
      boolean capturing,
      Scope scope,
      VisitorState state) {
    return variable != replaced
        && ContextTypes.isContext(variable.type, state)
        && state.getTypes().isSubtype(variable.type, expected)
        && !CheckSupport.isDeclaredNullable(variable)
        && (scope == null || !scope.dataflowMayFindNull.contains(variable))
        && (!capturing || ASTHelpers.isConsideredFinal(variable));
  }
}
