package org.ctx4j.checks;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.google.errorprone.dataflow.nullnesspropagation.NullnessAnnotations;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.ElementKind;

/**
 * Plumbing the four declaration and argument checks share: the "is this compilation about ctx4j at
 * all" fast path, and small questions about symbols (visibility, nullness annotations, where a
 * declaration lives in the compilation unit).
 */
final class CheckSupport {
  private static final java.util.regex.Pattern CAMEL_CASE_WORDS =
      java.util.regex.Pattern.compile("(?=[A-Z])");

  private CheckSupport() {}

  /**
   * True when this compilation has not met {@code org.ctx4j.Context}: then no type in the
   * compilation unit being analysed can be a context type and a check has nothing to look at.
   *
   * <p>Error Prone resolves a name only among the classes javac has already entered, and javac
   * enters {@code Context} as soon as any code being compiled refers to it, directly or through the
   * signature or supertypes of a class it uses (attribution of a unit always precedes its
   * analysis). So a unit that involves ctx4j always sees it, while a unit that does not (in a
   * compilation where nothing else did) gets {@code true} even when ctx4j is on the classpath. The
   * answer is cached by {@link VisitorState#getTypeFromString}: one map lookup per call.
   */
  static boolean ctx4jAbsent(VisitorState state) {
    return ContextTypes.contextType(state) == null;
  }

  /** {@code tree} without enclosing parentheses and casts. */
  static ExpressionTree stripParenthesesAndCasts(ExpressionTree tree) {
    ExpressionTree current = tree;
    while (true) {
      if (current instanceof ParenthesizedTree) {
        current = ((ParenthesizedTree) current).getExpression();
      } else if (current instanceof TypeCastTree) {
        current = ((TypeCastTree) current).getExpression();
      } else {
        return current;
      }
    }
  }

  /**
   * Whether {@code sym} is declared {@code @Nullable} (any of the annotations Error Prone knows).
   */
  static boolean isDeclaredNullable(Symbol sym) {
    if (sym == null) {
      return false;
    }
    Optional<Nullness> nullness = NullnessAnnotations.fromAnnotationsOn(sym);
    return nullness.isPresent() && nullness.get() == Nullness.NULLABLE;
  }

  /** Whether {@code sym} is a local variable, parameter, resource, catch or pattern variable. */
  static boolean isLocalVariable(Symbol sym) {
    if (sym == null) {
      return false;
    }
    ElementKind kind = sym.getKind();
    return kind == ElementKind.LOCAL_VARIABLE
        || kind == ElementKind.PARAMETER
        || kind == ElementKind.EXCEPTION_PARAMETER
        || kind == ElementKind.RESOURCE_VARIABLE
        || kind.name().equals("BINDING_VARIABLE");
  }

  /**
   * Whether code in another package can refer to {@code sym}: it and every class enclosing it are
   * public or protected (members of interfaces are implicitly public). Local and anonymous classes,
   * and anything inside them, are never reachable from outside.
   */
  static boolean accessibleOutsidePackage(Symbol sym) {
    for (Symbol s = sym; s != null && s.getKind() != ElementKind.PACKAGE; s = s.owner) {
      if (s instanceof ClassSymbol) {
        ClassSymbol c = (ClassSymbol) s;
        if (c.isAnonymous() || c.isDirectlyOrIndirectlyLocal()) {
          return false;
        }
      }
      if (s.owner != null
          && (s.owner.getKind() == ElementKind.METHOD
              || s.owner.getKind() == ElementKind.CONSTRUCTOR
              || s.owner instanceof Symbol.VarSymbol)) {
        return false; // a local class or a symbol declared inside a method
      }
      if ((s.flags() & (Flags.PUBLIC | Flags.PROTECTED)) == 0 && !isImplicitlyPublicMember(s)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isImplicitlyPublicMember(Symbol sym) {
    Symbol owner = sym.owner;
    return owner instanceof ClassSymbol
        && (owner.flags() & Flags.INTERFACE) != 0
        && (sym.flags() & Flags.PRIVATE) == 0;
  }

  /**
   * Whether only code in this compilation unit can refer to {@code sym}: it is private, or it sits
   * (at any depth) inside a private, local or anonymous class.
   */
  static boolean confinedToCompilationUnit(Symbol sym) {
    for (Symbol s = sym; s != null && s.getKind() != ElementKind.PACKAGE; s = s.owner) {
      if ((s.flags() & Flags.PRIVATE) != 0) {
        return true;
      }
      if (s instanceof ClassSymbol) {
        ClassSymbol c = (ClassSymbol) s;
        if (c.isAnonymous() || c.isDirectlyOrIndirectlyLocal()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The path to the declaration of {@code sym} in {@code unit}, or null if it is not declared
   * there.
   */
  static TreePath findDeclaration(Symbol sym, CompilationUnitTree unit) {
    if (sym == null || unit == null) {
      return null;
    }
    TreePath[] found = new TreePath[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        if (found[0] != null) {
          return null;
        }
        return super.scan(tree, null);
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == sym) {
          found[0] = getCurrentPath();
          return null;
        }
        return super.visitClass(tree, null);
      }

      @Override
      public Void visitMethod(MethodTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == sym) {
          found[0] = getCurrentPath();
          return null;
        }
        return super.visitMethod(tree, null);
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == sym) {
          found[0] = getCurrentPath();
          return null;
        }
        return super.visitVariable(tree, null);
      }
    }.scan(unit, null);
    return found[0];
  }

  /**
   * The test frameworks' methods whose lambda argument is expected to throw: JUnit 5's and JUnit
   * 4.13's {@code assertThrows}, JUnit 5's {@code assertThrowsExactly}, TestNG's and Truth's {@code
   * expectThrows}/{@code assertThrows}, AssertJ's {@code assertThatThrownBy}, {@code
   * catchThrowable} and relatives, and AssertJ's {@code isThrownBy} (as in {@code
   * assertThatExceptionOfType(X.class).isThrownBy(...)} or {@code
   * assertThatNullPointerException().isThrownBy(...)}), except after {@code
   * assertThatNoException()}. Not {@code assertDoesNotThrow}, {@code assertTimeout}, {@code
   * assertAll} or AssertJ's {@code assertThatCode}: their lambdas are expected to succeed.
   */
  private static final ImmutableSet<String> THROWING_ASSERTIONS =
      ImmutableSet.of(
          "assertThrows",
          "assertThrowsExactly",
          "expectThrows",
          "assertThatThrownBy",
          "catchThrowable",
          "catchThrowableOfType",
          "catchException",
          "isThrownBy");

  /** The packages of the test frameworks whose assertion methods are known by name. */
  private static final ImmutableSet<String> TEST_FRAMEWORK_PACKAGES =
      ImmutableSet.of(
          "org.junit", "org.assertj", "com.google.common.truth", "org.testng", "junit.framework");

  /**
   * The functional interfaces test frameworks define for "run this and catch what it throws" (JUnit
   * 5's {@code Executable} and {@code ThrowingSupplier}, JUnit 4's {@code ThrowingRunnable},
   * AssertJ's {@code ThrowingCallable}). The frameworks' own methods also take them for code
   * expected to succeed ({@code assertDoesNotThrow}, {@code assertTimeout}, {@code
   * assertThatCode}), so the type counts only for a helper the project wrote itself, such as {@code
   * npe(String, Executable)} in a test of bad input.
   */
  private static final ImmutableSet<String> THROWING_FUNCTIONAL_TYPES =
      ImmutableSet.of(
          "org.junit.jupiter.api.function.Executable",
          "org.junit.jupiter.api.function.ThrowingSupplier",
          "org.junit.function.ThrowingRunnable",
          "org.assertj.core.api.ThrowableAssert.ThrowingCallable");

  /**
   * Whether the code at {@code state}'s path is written to show that bad input is rejected: inside
   * a lambda handed to {@code assertThrows} and its relatives (see {@link #THROWING_ASSERTIONS}),
   * or to a helper outside the test frameworks that either takes one of their throwing functional
   * interfaces or is named for a failure ({@code assertNpe}, {@code expectRejected}: an {@code
   * assert}/{@code expect} name that mentions a throw, an NPE, a rejection or a failure); or inside
   * a {@code try} block (or its resources) that catches {@code NullPointerException}. Such code
   * breaks the rules on purpose, and what it builds never lives. Lambdas that the frameworks expect
   * to succeed ({@code assertDoesNotThrow}, {@code assertTimeout}, {@code assertAll}, {@code
   * assertThatCode}, {@code assertThatNoException().isThrownBy}) are checked like any other code.
   */
  static boolean insideCodeExpectedToThrow(VisitorState state) {
    TreePath child = state.getPath();
    for (TreePath path = child.getParentPath(); path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (child.getLeaf() instanceof LambdaExpressionTree) {
        LambdaExpressionTree lambda = (LambdaExpressionTree) child.getLeaf();
        boolean expectedToThrow =
            (leaf instanceof MethodInvocationTree methodInvocationTree
                    && methodInvocationTree.getArguments().contains(lambda))
                ? receivesCodeExpectedToThrow(methodInvocationTree, lambda)
                // Not handed straight to a method (stored in a variable, returned, ...): its type
                // is all there is to go by.
                : hasThrowingFunctionalType(lambda);
        if (expectedToThrow) {
          return true;
        }
      }
      if (leaf instanceof TryTree tryTree
          && (tryTree.getBlock() == child.getLeaf()
              || tryTree.getResources().contains(child.getLeaf()))
          && catchesNullPointerException(tryTree, state)) {
        return true;
      }
      if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return false;
      }
      child = path;
    }
    return false;
  }

  /**
   * Whether the lambda at {@code lambdaPath} is itself code a test expects to throw, so that its
   * normal end is a test failure: handed (through parentheses) to {@code assertThrows} and its
   * relatives, or to a project helper that takes a throwing functional interface or is named for a
   * failure, or not handed to a method at all but typed as a throwing functional interface. The
   * same rules as {@link #insideCodeExpectedToThrow}, for one lambda: {@code
   * assertThatNoException().isThrownBy}, {@code assertDoesNotThrow} and the like expect success.
   */
  static boolean isLambdaExpectedToThrow(TreePath lambdaPath) {
    if (!(lambdaPath.getLeaf() instanceof LambdaExpressionTree lambda)) {
      return false;
    }
    TreePath parent = lambdaPath.getParentPath();
    Tree argument = lambda;
    while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
      argument = parent.getLeaf();
      parent = parent.getParentPath();
    }
    if (parent != null
        && parent.getLeaf() instanceof MethodInvocationTree call
        && call.getArguments().contains(argument)) {
      return receivesCodeExpectedToThrow(call, lambda);
    }
    return hasThrowingFunctionalType(lambda);
  }

  /**
   * Whether {@code method} is a JUnit 4 test that expects an exception ({@code @Test(expected =
   * X.class)}, or a statement {@code thrown.expect(...)} on an {@code ExpectedException} rule in
   * its body): its normal end is a test failure.
   */
  static boolean isTestExpectedToThrow(MethodTree method) {
    if (method.getBody() != null) {
      for (StatementTree statement : method.getBody().getStatements()) {
        if (statement instanceof ExpressionStatementTree expression
            && expression.getExpression() instanceof MethodInvocationTree call
            && methodName(call).startsWith("expect")
            && call.getMethodSelect() instanceof MemberSelectTree select) {
          Type rule = ASTHelpers.getType(select.getExpression());
          if (rule != null
              && rule.tsym != null
              && rule.tsym.getQualifiedName().contentEquals("org.junit.rules.ExpectedException")) {
            return true;
          }
        }
      }
    }
    for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
      Symbol type = ASTHelpers.getSymbol(annotation.getAnnotationType());
      if (type == null || !type.getQualifiedName().contentEquals("org.junit.Test")) {
        continue;
      }
      for (ExpressionTree argument : annotation.getArguments()) {
        if (argument instanceof AssignmentTree assignment
            && assignment.getVariable() instanceof IdentifierTree name
            && name.getName().contentEquals("expected")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code call}, given {@code lambda} as an argument, expects it to throw. */
  private static boolean receivesCodeExpectedToThrow(
      MethodInvocationTree call, LambdaExpressionTree lambda) {
    String name = methodName(call);
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(call);
    if (THROWING_ASSERTIONS.contains(name)) {
      return !(name.equals("isThrownBy") && afterAssertThatNoException(call, method));
    }
    if (method != null && declaredInTestFramework(method)) {
      return false; // assertDoesNotThrow, assertTimeout, assertAll, assertThatCode, ...
    }
    return hasThrowingFunctionalType(lambda) || namedForAFailure(name);
  }

  private static boolean hasThrowingFunctionalType(LambdaExpressionTree lambda) {
    Type lambdaType = ASTHelpers.getType(lambda);
    return lambdaType != null
        && lambdaType.tsym != null
        && THROWING_FUNCTIONAL_TYPES.contains(lambdaType.tsym.getQualifiedName().toString());
  }

  private static boolean declaredInTestFramework(Symbol.MethodSymbol method) {
    Symbol.PackageSymbol pkg = method.packge();
    if (pkg == null) {
      return false;
    }
    String name = pkg.getQualifiedName().toString();
    for (String framework : TEST_FRAMEWORK_PACKAGES) {
      if (name.equals(framework) || name.startsWith(framework + ".")) {
        return true;
      }
    }
    return false;
  }

  /** AssertJ's {@code assertThatNoException().isThrownBy(...)} expects no exception at all. */
  private static boolean afterAssertThatNoException(
      MethodInvocationTree call, Symbol.MethodSymbol method) {
    if (method != null && method.owner.getSimpleName().contentEquals("NotThrownAssert")) {
      return true;
    }
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree memberSelectTree) {
      ExpressionTree receiver = ASTHelpers.stripParentheses(memberSelectTree.getExpression());
      return receiver instanceof MethodInvocationTree methodInvocationTree
          && methodName(methodInvocationTree).equals("assertThatNoException");
    }
    return false;
  }

  /**
   * A helper of the project's own whose name says the code it runs fails: {@code assert} or {@code
   * expect} followed by a mention of a throw, an NPE, a null pointer, a rejection or a failure
   * ({@code assertNpe}, {@code expectThrowsIae}, {@code assertRejected}), but not a denial of one
   * ({@code assertDoesNotThrow}, {@code assertNoFailure}).
   */
  private static boolean namedForAFailure(String name) {
    if (!name.startsWith("assert") && !name.startsWith("expect")) {
      return false;
    }
    // The camel-case words after the prefix ("assert" and "expect" are both six letters).
    boolean failure = name.contains("NPE");
    for (String word : CAMEL_CASE_WORDS.splitAsStream(name.substring(6)).toList()) {
      String w = word.toLowerCase(Locale.ROOT);
      if (w.equals("not") || w.equals("no") || w.equals("never") || w.equals("doesnt")) {
        return false;
      }
      failure |=
          w.startsWith("throw")
              || w.equals("npe")
              || w.equals("pointer")
              || w.startsWith("reject")
              || w.startsWith("fail");
    }
    return failure;
  }

  private static String methodName(MethodInvocationTree invocation) {
    ExpressionTree select = invocation.getMethodSelect();
    if (select instanceof MemberSelectTree memberSelectTree) {
      return memberSelectTree.getIdentifier().toString();
    }
    if (select instanceof IdentifierTree identifierTree) {
      return identifierTree.getName().toString();
    }
    return "";
  }

  private static boolean catchesNullPointerException(TryTree tryTree, VisitorState state) {
    Type npe = JAVA_LANG_NULLPOINTEREXCEPTION.get(state);
    if (npe == null) {
      return false;
    }
    for (CatchTree catchTree : tryTree.getCatches()) {
      Type caught = ASTHelpers.getType(catchTree.getParameter());
      if (caught == null) {
        continue;
      }
      if (caught.isUnion()) {
        for (Type alternative : ((Type.UnionClassType) caught).getAlternativeTypes()) {
          if (state.getTypes().isSameType(alternative, npe)) {
            return true;
          }
        }
      } else if (state.getTypes().isSameType(caught, npe)) {
        return true;
      }
    }
    return false;
  }

  // ---- The context in scope ---------------------------------------------------------------------

  /**
   * The path to the method, constructor or lambda whose body holds {@code path}'s leaf (the nearest
   * one), or null when a class comes first (a field initializer or an initializer block, which
   * declare no parameters).
   */
  static TreePath enclosingMethodOrLambda(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree) {
        return p;
      }
      if (leaf instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  /**
   * The context in scope at {@code path}: the first parameter of a context type declared by the
   * nearest enclosing method, constructor or lambda itself, or null. A context captured from an
   * enclosing scope (a lambda or anonymous class inside a method that has one) is not in scope: the
   * code may run later, on another thread, after that call has ended.
   */
  static Symbol.VarSymbol contextInScope(TreePath path, VisitorState state) {
    TreePath scope = enclosingMethodOrLambda(path);
    return scope == null ? null : firstContextParameter(scope.getLeaf(), state);
  }

  /** The first context-typed parameter of a method, constructor or lambda, or null. */
  static Symbol.VarSymbol firstContextParameter(Tree methodOrLambda, VisitorState state) {
    List<? extends VariableTree> parameters =
        methodOrLambda instanceof MethodTree methodTree
            ? methodTree.getParameters()
            : methodOrLambda instanceof LambdaExpressionTree lambdaExpressionTree
                ? lambdaExpressionTree.getParameters()
                : List.of();
    for (VariableTree parameter : parameters) {
      Symbol.VarSymbol sym = ASTHelpers.getSymbol(parameter);
      if (sym != null && ContextTypes.isContextValued(sym.type, state)) {
        return sym;
      }
    }
    return null;
  }

  // ---- Checked exceptions at a point
  // -------------------------------------------------------------

  /**
   * Whether an exception of class {@code exception} thrown at {@code path} would be caught by a
   * {@code try} around it inside {@code scope} or declared by {@code scope} itself (a method's
   * {@code throws} clause, or the function type's method for a lambda): then code at {@code path}
   * may throw it and still compile.
   */
  static boolean exceptionHandled(
      String exception, TreePath path, TreePath scope, VisitorState state) {
    Type thrown = state.getTypeFromString(exception);
    if (thrown == null) {
      return false;
    }
    if (caughtBy(thrown, path, scope, state, /* subtypesCount= */ false)) {
      return true;
    }
    List<Type> declared;
    if (scope.getLeaf() instanceof MethodTree) {
      Symbol.MethodSymbol method = ASTHelpers.getSymbol((MethodTree) scope.getLeaf());
      declared = method == null ? List.of() : method.getThrownTypes();
    } else {
      Type lambda = ASTHelpers.getType(scope.getLeaf());
      Type descriptor = lambda == null ? null : state.getTypes().findDescriptorType(lambda);
      declared = descriptor == null ? List.of() : descriptor.getThrownTypes();
    }
    for (Type type : declared) {
      if (state.getTypes().isSubtype(thrown, type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a {@code try} around {@code path} inside {@code scope} has a catch clause for {@code
   * exception} itself or one of its subtypes (a handler that sees only that kind of failure).
   */
  static boolean caughtAround(String exception, TreePath path, TreePath scope, VisitorState state) {
    Type caught = state.getTypeFromString(exception);
    return caught != null && caughtBy(caught, path, scope, state, /* subtypesCount= */ true);
  }

  private static boolean caughtBy(
      Type exception, TreePath path, TreePath scope, VisitorState state, boolean subtypesCount) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null && p != scope; p = p.getParentPath()) {
      if (p.getLeaf() instanceof TryTree && ((TryTree) p.getLeaf()).getBlock() == child) {
        for (CatchTree catchTree : ((TryTree) p.getLeaf()).getCatches()) {
          Type type = ASTHelpers.getType(catchTree.getParameter());
          Iterable<? extends Type> alternatives =
              type == null
                  ? List.of()
                  : type.isUnion()
                      ? ((Type.UnionClassType) type).getAlternativeTypes()
                      : List.of(type);
          for (Type alternative : alternatives) {
            if (state.getTypes().isSubtype(exception, alternative)
                || (subtypesCount && state.getTypes().isSubtype(alternative, exception))) {
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
   * Whether another method of the same name (another constructor, for a constructor), declared or
   * inherited, could compete with {@code method} in overload resolution: then a fix that changes a
   * parameter list, or the static type of an argument, might change which one a call picks or clash
   * with an existing signature. Conservative: true when the owner is not a class.
   */
  static boolean hasCompetingOverload(MethodSymbol method, VisitorState state) {
    if (!(method.owner instanceof ClassSymbol)) {
      return true;
    }
    Types types = state.getTypes();
    ClassSymbol owner = (ClassSymbol) method.owner;
    List<Type> searched = new ArrayList<>();
    if (method.isConstructor()) {
      searched.add(owner.type);
    } else {
      for (Type t : types.closure(owner.type)) {
        searched.add(t);
      }
    }
    int arity = method.getParameters().size();
    for (Type t : searched) {
      for (Symbol member : t.tsym.members().getSymbolsByName(method.name)) {
        if (member == method
            || !(member instanceof MethodSymbol other)
            || method.overrides(other, owner, types, true)) {
          continue;
        }
        int otherArity = other.getParameters().size();
        // A fixed-arity method takes exactly its arity; a varargs one at least one fewer.
        boolean compete =
            other.isVarArgs()
                || (method.isVarArgs() ? otherArity >= arity - 1 : otherArity == arity);
        if (compete) {
          return true;
        }
      }
    }
    return false;
  }

  private static final Supplier<Type> JAVA_LANG_NULLPOINTEREXCEPTION =
      VisitorState.memoize(state -> state.getTypeFromString("java.lang.NullPointerException"));
}
