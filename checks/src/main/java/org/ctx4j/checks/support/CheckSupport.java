package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.google.errorprone.dataflow.nullnesspropagation.NullnessAnnotations;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Name;

/**
 * Plumbing the four declaration and argument checks share: the "is this compilation about ctx4j at
 * all" fast path, and small questions about symbols (visibility, nullness annotations, where a
 * declaration lives in the compilation unit).
 */
public final class CheckSupport {
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
  public static boolean ctx4jAbsent(VisitorState state) {
    return ContextTypes.contextType(state) == null;
  }

  /**
   * The name of the called method as the source writes it ({@code foo} in {@code foo(x)} and {@code
   * a.b.foo(x)}), or null for another shape. Syntactic and allocation-free: checks ask it first, on
   * every call of every build, to rule out calls before any symbol lookup.
   */
  public static Name calledName(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree memberSelect) {
      return memberSelect.getIdentifier();
    }
    return select instanceof IdentifierTree identifier ? identifier.getName() : null;
  }

  /** {@code tree} without enclosing parentheses and casts. */
  public static ExpressionTree stripParenthesesAndCasts(ExpressionTree tree) {
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
  public static boolean isDeclaredNullable(Symbol sym) {
    if (sym == null) {
      return false;
    }
    Optional<Nullness> nullness = NullnessAnnotations.fromAnnotationsOn(sym);
    return nullness.isPresent() && nullness.get() == Nullness.NULLABLE;
  }

  /** Whether {@code sym} is a local variable, parameter, resource, catch or pattern variable. */
  public static boolean isLocalVariable(Symbol sym) {
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
  public static boolean accessibleOutsidePackage(Symbol sym) {
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
  public static boolean confinedToCompilationUnit(Symbol sym) {
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
   * The initializer of a field declared in this compilation (in any of its files), found through
   * its symbol; null for a field read from a class file or declared without one.
   */
  public static ExpressionTree fieldInitializer(Symbol.VarSymbol field, VisitorState state) {
    Tree declaration = JavacTrees.instance(state.context).getTree(field);
    return declaration instanceof VariableTree variableTree ? variableTree.getInitializer() : null;
  }

  /**
   * The path to the declaration of {@code sym} in {@code unit}, or null if it is not declared
   * there.
   */
  public static TreePath findDeclaration(Symbol sym, CompilationUnitTree unit) {
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

  // ---- The context in scope ---------------------------------------------------------------------

  /**
   * The path to the method, constructor or lambda whose body holds {@code path}'s leaf (the nearest
   * one), or null when a class comes first (a field initializer or an initializer block, which
   * declare no parameters).
   */
  public static TreePath enclosingMethodOrLambda(TreePath path) {
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
  public static Symbol.VarSymbol contextInScope(TreePath path, VisitorState state) {
    TreePath scope = enclosingMethodOrLambda(path);
    return scope == null ? null : firstContextParameter(scope.getLeaf(), state);
  }

  /** The first context-typed parameter of a method, constructor or lambda, or null. */
  public static Symbol.VarSymbol firstContextParameter(Tree methodOrLambda, VisitorState state) {
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
  public static boolean exceptionHandled(
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
  public static boolean caughtAround(
      String exception, TreePath path, TreePath scope, VisitorState state) {
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
  public static boolean hasCompetingOverload(MethodSymbol method, VisitorState state) {
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
}
