package org.ctx4j.checks.support;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
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
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.Locale;
import javax.lang.model.element.Name;

/**
 * One answer, for every check, to "is this code expected to throw?": a lambda handed to {@code
 * assertThrows} and its relatives, a test method declared to expect an exception, code inside a
 * {@code try} that catches {@code NullPointerException}. There a leak or a null is the point of the
 * test, not a bug. A lambda handed to {@code assertDoesNotThrow}, {@code assertTimeout}, {@code
 * assertAll}, AssertJ's {@code assertThatCode} or {@code assertThatNoException().isThrownBy} is
 * expected to succeed, and is checked like any other code.
 */
public final class ExpectedToThrow {
  private static final java.util.regex.Pattern CAMEL_CASE_WORDS =
      java.util.regex.Pattern.compile("(?=[A-Z])");

  private static final Supplier<Type> JAVA_LANG_NULLPOINTEREXCEPTION =
      PerCompilation.type("java.lang.NullPointerException");

  private ExpectedToThrow() {}

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
  public static boolean insideCodeExpectedToThrow(VisitorState state) {
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
  public static boolean isLambdaExpectedToThrow(TreePath lambdaPath) {
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
  public static boolean isTestExpectedToThrow(MethodTree method) {
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

  /** The called method's name as written, or "" for another shape. */
  private static String methodName(MethodInvocationTree invocation) {
    Name name = CheckSupport.calledName(invocation);
    return name == null ? "" : name.toString();
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
}
