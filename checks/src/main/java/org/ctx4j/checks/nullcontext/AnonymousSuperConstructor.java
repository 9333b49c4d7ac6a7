package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.List;

/**
 * Which constructor the arguments of a class instance creation go to, as its declaration states
 * what it accepts: for {@code new Super(args) { ... }}, the superclass constructor that the
 * anonymous class's constructor (made by javac) delegates to.
 */
final class AnonymousSuperConstructor {
  private AnonymousSuperConstructor() {}

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
  static MethodSymbol superConstructor(
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
}
