package org.ctx4j.checks;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;

/**
 * Flags the key of {@code Context.withValue(parent, key, value)} and of {@code ctx.value(key)} when
 * code in another package could make an equal key: its type is a JDK type ({@code String}, a boxed
 * primitive, {@code Class}, an enum such as {@code TimeUnit}), or a public or protected type whose
 * enclosing types are all visible. Go's staticcheck SA1029 and revive's context-keys-type: "the
 * provided key should not be of type string or any other built-in type to avoid collisions
 * between packages; define your own unexported type for keys".
 *
 * <p>Not flagged: keys of a private or package-private type (a public type nested in a
 * package-private class is private to its package), local and anonymous classes, and an identity
 * key read from a private or package-private {@code final} field initialised with {@code new
 * Object()}. A key whose static type is {@code Object} is judged by where it comes from: a field or
 * local variable by its initializer (a public {@code Object} field is a key any package can use);
 * a parameter, a method result or a collection element only passes on a key chosen elsewhere, so
 * it is not flagged.
 *
 * <p>Fix, when the key's type is a member of a class declared in this compilation unit (not of an
 * interface, whose members are always public, and not a class the call itself sits in): make it
 * package-private by dropping {@code public}/{@code protected}; for a public or protected identity
 * field declared here, the same for the field. Package-private rather than private: other files of
 * the same package may use the key, and they keep compiling, while no other package can name it.
 * A top-level key type gets no fix: a public one is there to be used from other packages.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = "ContextKeyNotPrivate",
    summary = "Use a context key whose type no other package can name, such as a private enum",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextKeyNotPrivate.md")
public final class ContextKeyNotPrivate extends BugChecker implements MethodInvocationTreeMatcher {

  private static final long serialVersionUID = 1L;

  private static final int MAX_DEPTH = 4;

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextKeyNotPrivate() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    List<? extends ExpressionTree> arguments = tree.getArguments();
    if ((arguments.size() != 3 && arguments.size() != 1) || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          int keyIndex = keyIndex(tree, state);
          if (keyIndex < 0 || CheckSupport.insideCodeExpectedToThrow(state)) {
            return Description.NO_MATCH;
          }
          ExpressionTree key = arguments.get(keyIndex);
          Verdict verdict = judge(new TreePath(state.getPath(), key), state, 0);
          if (verdict.isPrivate) {
            return Description.NO_MATCH;
          }
          return buildDescription(key)
              .setMessage(
                  "Other packages can create this context key"
                      + (verdict.type == null ? "" : " (its type " + verdict.type + " is visible to them)")
                      + ", so their values can collide with or read yours; use a key no other"
                      + " package can name, such as `private enum Key { REQUEST_ID }` or"
                      + " `private static final Object KEY = new Object();`")
              .addFix(fix(verdict, state))
              .build();
        });
  }

  /**
   * The index of the key argument: 1 for {@code Context.withValue(parent, key, value)}, 0 for
   * {@code value(Object)} on any context type; -1 for any other call.
   */
  private static int keyIndex(MethodInvocationTree tree, VisitorState state) {
    if (tree.getArguments().size() == 3 && ContextTypes.WITH_VALUE.matches(tree, state)) {
      return 1;
    }
    if (tree.getArguments().size() == 1 && ContextTypes.VALUE_LOOKUP.matches(tree, state)) {
      // Only Context.value(Object) and its overrides, not some other value(...) of a subtype.
      MethodSymbol method = ASTHelpers.getSymbol(tree);
      Types types = state.getTypes();
      return method != null
              && method.getParameters().size() == 1
              && types.isSameType(
                  types.erasure(method.getParameters().get(0).type), state.getSymtab().objectType)
          ? 0
          : -1;
    }
    return -1;
  }

  /** What is known about a key expression. */
  private static final class Verdict {
    static final Verdict PRIVATE = new Verdict(true, null, null);

    final boolean isPrivate;
    /** The visible type that makes the key nameable, when that is what is wrong. */
    final Type type;
    /** A public identity field to make package-private, when that is what is wrong. */
    final VarSymbol field;

    Verdict(boolean isPrivate, Type type, VarSymbol field) {
      this.isPrivate = isPrivate;
      this.type = type;
      this.field = field;
    }
  }

  private static Verdict judge(TreePath path, VisitorState state, int depth) {
    Tree leaf = path.getLeaf();
    if (depth > MAX_DEPTH || !(leaf instanceof ExpressionTree)) {
      return Verdict.PRIVATE;
    }
    switch (leaf.getKind()) {
      case PARENTHESIZED:
        return judge(
            new TreePath(path, ((com.sun.source.tree.ParenthesizedTree) leaf).getExpression()),
            state,
            depth + 1);
      case TYPE_CAST:
        {
          // A cast to Object hides nothing: judge the operand. A cast to another type says what
          // the object is; it is private if that type, or the operand's own type, is.
          ExpressionTree operand = ((TypeCastTree) leaf).getExpression();
          Type castType = ASTHelpers.getType(leaf);
          if (isObjectLike(castType, state)) {
            return judge(new TreePath(path, operand), state, depth + 1);
          }
          Verdict byCast = judgeType(castType, state, null);
          if (byCast.isPrivate || judgeType(ASTHelpers.getType(operand), state, null).isPrivate) {
            return Verdict.PRIVATE;
          }
          return byCast;
        }
      case NULL_LITERAL:
        return Verdict.PRIVATE; // a null key fails at run time; not this check's business
      case NEW_CLASS:
        if (isNewPlainObject((NewClassTree) leaf)) {
          return Verdict.PRIVATE; // a fresh identity nobody else holds
        }
        break;
      case IDENTIFIER:
      case MEMBER_SELECT:
        {
          Symbol sym = ASTHelpers.getSymbol(leaf);
          if (sym instanceof VarSymbol) {
            Verdict fromVariable = judgeVariable((VarSymbol) sym, state, depth);
            if (fromVariable != null) {
              return fromVariable;
            }
          }
          break;
        }
      default:
        break;
    }
    Type type = ASTHelpers.getType(leaf);
    if (isObjectLike(type, state)) {
      return Verdict.PRIVATE; // an Object from a call or an element: the key was chosen elsewhere
    }
    return judgeType(type, state, null);
  }

  /**
   * Judges a variable by its declaration: an identity field, an initializer we can see, or a
   * parameter that passes an {@code Object} along. Null when only its type can tell.
   */
  private static Verdict judgeVariable(VarSymbol variable, VisitorState state, int depth) {
    ElementKind kind = variable.getKind();
    boolean objectLike = isObjectLike(variable.type, state);
    if (kind == ElementKind.PARAMETER) {
      return objectLike ? Verdict.PRIVATE : null;
    }
    if (kind == ElementKind.ENUM_CONSTANT) {
      return null; // the enum's type decides
    }
    boolean isField = kind == ElementKind.FIELD;
    if (!isField && kind != ElementKind.LOCAL_VARIABLE) {
      return objectLike ? Verdict.PRIVATE : null;
    }
    if (!objectLike) {
      return null; // a String, an enum, ...: its type decides (and `new Object()` needs an Object)
    }
    boolean reachableFromOtherPackages = isField && CheckSupport.accessibleOutsidePackage(variable);
    if (!CheckSupport.isFinalOrEffectivelyFinal(variable)) {
      // Its value changes: only a field other packages can read (and write) says anything.
      return reachableFromOtherPackages ? new Verdict(false, variable.type, null) : Verdict.PRIVATE;
    }
    TreePath declaration = declarationOf(variable, state);
    ExpressionTree initializer =
        declaration == null ? null : ((VariableTree) declaration.getLeaf()).getInitializer();
    if (initializer != null && isNewPlainObject(initializer)) {
      // `declaration` is in this compilation unit, so the fix can make the field private.
      return reachableFromOtherPackages ? new Verdict(false, null, variable) : Verdict.PRIVATE;
    }
    if (initializer != null) {
      Verdict fromInitializer = judge(new TreePath(declaration, initializer), state, depth + 1);
      if (!fromInitializer.isPrivate || !reachableFromOtherPackages) {
        return fromInitializer;
      }
      return new Verdict(false, variable.type, null); // a private value behind a public field
    }
    // An Object we cannot trace: a public field is a key any package can use; anything else is
    // given the benefit of the doubt.
    return reachableFromOtherPackages ? new Verdict(false, variable.type, null) : Verdict.PRIVATE;
  }

  /** Whether {@code type}'s class (and every class around it) can be named in another package. */
  private static Verdict judgeType(Type type, VisitorState state, Verdict fallback) {
    Types types = state.getTypes();
    if (type == null) {
      return Verdict.PRIVATE;
    }
    if (type.isPrimitive()) {
      type = types.boxedClass(type).type;
    }
    switch (type.getKind()) {
      case TYPEVAR:
        {
          Type bound = type.getUpperBound();
          return isObjectLike(bound, state) ? Verdict.PRIVATE : judgeType(bound, state, fallback);
        }
      case INTERSECTION:
        for (Type component : ((Type.IntersectionClassType) type).getComponents()) {
          if (judgeType(component, state, null).isPrivate) {
            return Verdict.PRIVATE;
          }
        }
        return new Verdict(false, type, null);
      case ARRAY:
        {
          Verdict element = judgeType(types.elemtype(type), state, null);
          return element.isPrivate ? Verdict.PRIVATE : new Verdict(false, type, null);
        }
      case DECLARED:
        if (!(type.tsym instanceof ClassSymbol)) {
          return Verdict.PRIVATE;
        }
        return CheckSupport.accessibleOutsidePackage(type.tsym)
            ? new Verdict(false, types.erasure(type), null)
            : Verdict.PRIVATE;
      default:
        return fallback == null ? Verdict.PRIVATE : fallback;
    }
  }

  private static boolean isObjectLike(Type type, VisitorState state) {
    if (type == null) {
      return false;
    }
    Types types = state.getTypes();
    Type erased = types.erasure(type);
    return erased != null && types.isSameType(erased, state.getSymtab().objectType)
        && type.getKind() != javax.lang.model.type.TypeKind.INTERSECTION;
  }

  /** {@code new Object()}: no arguments, no class body. */
  private static boolean isNewPlainObject(ExpressionTree tree) {
    ExpressionTree e = CheckSupport.stripParentheses(tree);
    if (!(e instanceof NewClassTree)) {
      return false;
    }
    NewClassTree newClass = (NewClassTree) e;
    Symbol type = ASTHelpers.getSymbol(newClass.getIdentifier());
    return newClass.getClassBody() == null
        && newClass.getArguments().isEmpty()
        && type != null
        && type.getQualifiedName().contentEquals("java.lang.Object");
  }

  /** The declaration of a local variable or field, if this compilation unit holds it. */
  private static TreePath declarationOf(VarSymbol variable, VisitorState state) {
    return CheckSupport.findDeclaration(variable, state.getPath().getCompilationUnit());
  }

  // ---- The fix -------------------------------------------------------------------------------

  private static SuggestedFix fix(Verdict verdict, VisitorState state) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (verdict.field != null) {
      return makePackagePrivate(verdict.field, unit, state);
    }
    if (verdict.type == null
        || verdict.type.getKind() != javax.lang.model.type.TypeKind.DECLARED
        || !(verdict.type.tsym instanceof ClassSymbol)) {
      return SuggestedFix.emptyFix();
    }
    ClassSymbol keyType = (ClassSymbol) verdict.type.tsym;
    // Never hide the class the call is written in (or one around it): that is not a key type.
    for (TreePath path = state.getPath(); path != null; path = path.getParentPath()) {
      if (path.getLeaf() instanceof ClassTree
          && ASTHelpers.getSymbol((ClassTree) path.getLeaf()) == keyType) {
        return SuggestedFix.emptyFix();
      }
    }
    return makePackagePrivate(keyType, unit, state);
  }

  /**
   * Makes a member type or a field package-private (drops {@code public} and {@code protected})
   * when it is declared in {@code unit} and the change keeps the code legal. Not private: code in
   * other files of the same package may use it, and package-private keeps that code compiling while
   * no other package can name the key any more. Users may go further and make it private.
   */
  private static SuggestedFix makePackagePrivate(
      Symbol sym, CompilationUnitTree unit, VisitorState state) {
    TreePath declaration = CheckSupport.findDeclaration(sym, unit);
    if (declaration == null) {
      return SuggestedFix.emptyFix();
    }
    Tree tree = declaration.getLeaf();
    Symbol owner = sym.owner;
    // A top-level type is there to be used from other packages: no fix. Members of interfaces are
    // public whatever their modifiers say.
    if (!(owner instanceof ClassSymbol) || (owner.flags() & Flags.INTERFACE) != 0) {
      return SuggestedFix.emptyFix();
    }
    return SuggestedFixes.removeModifiers(tree, state, Modifier.PUBLIC, Modifier.PROTECTED)
        .orElse(SuggestedFix.emptyFix());
  }
}
