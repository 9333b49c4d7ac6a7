package org.ctx4j.checks.contextkey;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextChecker.VariableMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.ExpectedToThrow;
import org.ctx4j.checks.support.InternalErrors;
import org.ctx4j.checks.support.PerCompilation;
import org.ctx4j.checks.support.RuntimeRoles;
import org.ctx4j.checks.support.RuntimeRoles.Role;

/**
 * Flags the key of {@code Context.withValue(parent, key, value)} and of {@code ctx.value(key)} when
 * code outside the key's package can obtain a key equal to it. Go's staticcheck SA1029 and revive's
 * context-keys-type: "the provided key should not be of type string or any other built-in type to
 * avoid collisions between packages; define your own unexported type for keys".
 *
 * <p>Keys are compared with {@code equals}, so what decides is how a key is compared and where it
 * comes from:
 *
 * <ul>
 *   <li>A key of a class that keeps {@code Object}'s identity {@code equals} (no override below
 *       {@code Object}; enums included) equals only itself. It is private when it is a fresh object
 *       ({@code new}), {@code this} inside the key class, or read from a field no other package can
 *       read (private, package-private, or inside a type they cannot name), even when its class is
 *       public, as typed keys (grpc's {@code Context.Key}) are. Read from a public or protected
 *       field (a public enum's constants included), it is flagged: other packages can read it.
 *   <li>A key of a class that overrides {@code equals} is flagged wherever it comes from when other
 *       packages can make one: a JDK type ({@code String}, the boxed primitives, {@code Class} and
 *       the others), or a class they can name with an accessible constructor or static factory.
 *   <li>A key whose static type says nothing ({@code Object}, an interface) is judged by where it
 *       comes from: a field or local variable by its initializer, a public field as above. A
 *       parameter, a method result or a collection element only passes on a key chosen elsewhere (a
 *       forwarding helper, a {@code Context} implementation's {@code value}), and is not flagged.
 * </ul>
 *
 * <p>A typed key ({@code ContextKey}) compares by identity, so it is judged where a field holds it
 * ({@link #matchVariable}): flagged on a field code in another package can read, with no fix (that
 * code needs accessors first), and not at the calls that use it. Which calls take a key, and where,
 * is {@link RuntimeRoles}' answer.
 *
 * <p>Fix, when what is wrong is declared in this compilation unit: a public or protected field
 * becomes package-private; so does a key type (or the enum of a constant) that is a member of a
 * class (not of an interface, whose members are always public, and not a class the call itself sits
 * in). Package-private rather than private: other files of the same package may use the key, and
 * they keep compiling, while no other package can reach it. A top-level type gets no fix: a public
 * one is there to be used from other packages.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Use a context key that no other package can obtain, such as a private enum",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextKeyNotPrivate.md")
public final class ContextKeyNotPrivate extends ContextChecker
    implements MethodInvocationMatcher, VariableMatcher {

  private static final long serialVersionUID = 1L;

  private static final int MAX_DEPTH = 6;

  private static final Supplier<Type> CONTEXT_KEY = PerCompilation.type("org.ctx4j.ContextKey");

  private static final Supplier<Type> GRPC_KEY = PerCompilation.type("io.grpc.Context.Key");

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextKeyNotPrivate() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    // The name as written comes first: it rules out almost every call without a symbol lookup.
    if (!namesKeyCall(tree, state) || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          int keyIndex = keyIndex(tree, state);
          if (keyIndex < 0) {
            return Description.NO_MATCH;
          }
          ExpressionTree key = tree.getArguments().get(keyIndex);
          if (readsGrpcKey(tree, key, state)) {
            return Description.NO_MATCH;
          }
          KeyVisibility verdict = judge(key, state.getPath(), state, 0);
          if (verdict.isPrivate() || ExpectedToThrow.insideCodeExpectedToThrow(state)) {
            return Description.NO_MATCH;
          }
          return buildDescription(key)
              .setMessage(verdict.message)
              .addFix(fix(verdict, state))
              .build();
        });
  }

  /**
   * Whether the call's source names a runtime method that takes a key ({@link RuntimeRoles}): the
   * cheap test on every call of every build (no symbol, no string).
   */
  private static boolean namesKeyCall(MethodInvocationTree tree, VisitorState state) {
    return RuntimeRoles.names(Role.TAKES_KEY).contains(CheckSupport.calledName(tree), state);
  }

  /**
   * The index of the key argument of a runtime method that takes one as an argument ({@code
   * Context.withValue(parent, key, value)}, {@code ctx.value(key)} and its overrides); -1 for any
   * other call, and for a {@code ContextKey}'s own methods, whose key is their receiver: a {@code
   * ContextKey} is judged where it is declared, by {@link #matchVariable}.
   */
  private static int keyIndex(MethodInvocationTree tree, VisitorState state) {
    RuntimeRoles.Entry entry = RuntimeRoles.ofCall(tree, Role.TAKES_KEY, state);
    return entry == null || entry.key() < 0 || entry.key() >= tree.getArguments().size()
        ? -1
        : entry.key();
  }

  /**
   * {@code ctx.value(key)} with a grpc {@code io.grpc.Context.Key}: a context converted from grpc's
   * ({@code GrpcBridge.fromGrpc}) reads such keys from the grpc context. A grpc key is shared
   * through grpc's own API by design ({@code KEY.get()}), often from a library's public constant;
   * where it is declared, not where a ctx4j context reads it, is the place to judge it, and grpc's
   * keys are not this check's to judge there.
   */
  private static boolean readsGrpcKey(
      MethodInvocationTree tree, ExpressionTree key, VisitorState state) {
    Type grpcKey = GRPC_KEY.get(state);
    Type type = ASTHelpers.getType(CheckSupport.stripParenthesesAndCasts(key));
    return grpcKey != null
        && type != null
        && type.tsym == grpcKey.tsym
        && ContextTypes.VALUE_LOOKUP.matches(tree, state);
  }

  /**
   * Flags a field of type {@code ContextKey} that code in another package can read: whoever holds
   * the key can read and replace its values. No fix: the field's users in other packages need
   * accessors first.
   */
  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    VarSymbol field = ASTHelpers.getSymbol(tree);
    if (field == null
        || field.getKind() != ElementKind.FIELD
        || !mayBeVisibleOutside(field)
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          Type contextKey = CONTEXT_KEY.get(state);
          if (contextKey == null
              || field.type == null
              || field.type.tsym != contextKey.tsym
              || !readableOutsidePackage(field)) {
            return Description.NO_MATCH;
          }
          return buildDescription(tree)
              .setMessage(
                  "Code in other packages can read the ContextKey "
                      + field.owner.getSimpleName()
                      + "."
                      + field.getSimpleName()
                      + " and with it read or replace your values; make the field private and"
                      + " give other packages typed accessors instead (Go's NewContext/FromContext"
                      + " pattern: a static method that returns KEY.with(ctx, value) and one that"
                      + " returns KEY.get(ctx))")
              .build();
        });
  }

  /** The cheap test of the flags: public or protected, or in an interface. */
  private static boolean mayBeVisibleOutside(VarSymbol field) {
    return (field.flags() & (Flags.PUBLIC | Flags.PROTECTED)) != 0
        || (field.owner != null && (field.owner.flags() & Flags.INTERFACE) != 0);
  }

  /**
   * Whether code in another package can read {@code field}: it and every class around it are public
   * or protected ({@link CheckSupport#accessibleOutsidePackage}), and a protected field (or class)
   * is in a class other packages can extend: not final, sealed, an enum or a record, and with a
   * public or protected constructor.
   */
  private static boolean readableOutsidePackage(VarSymbol field) {
    if (!CheckSupport.accessibleOutsidePackage(field)) {
      return false;
    }
    for (Symbol s = field; s != null && s.owner instanceof ClassSymbol owner; s = s.owner) {
      if ((s.flags() & Flags.PROTECTED) != 0 && !extensibleOutsidePackage(owner)) {
        return false;
      }
    }
    return true;
  }

  private static boolean extensibleOutsidePackage(ClassSymbol c) {
    if ((c.flags() & (Flags.FINAL | Flags.ENUM | Flags.RECORD)) != 0 || c.isSealed()) {
      return false;
    }
    if ((c.flags() & Flags.INTERFACE) != 0) {
      return true;
    }
    for (Symbol member : c.getEnclosedElements()) {
      // Only a public or protected constructor can be called by a subclass in another package.
      if (member.isConstructor() && (member.flags() & (Flags.PUBLIC | Flags.PROTECTED)) != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Judges the key expression {@code tree}; {@code context} is a path to {@code tree} or to code
   * around it (where its local variables are declared), or null for code outside any method.
   */
  private KeyVisibility judge(
      ExpressionTree tree, TreePath context, VisitorState state, int depth) {
    if (tree == null || depth > MAX_DEPTH) {
      return KeyVisibility.PRIVATE;
    }
    switch (tree.getKind()) {
      case PARENTHESIZED:
        return judge(((ParenthesizedTree) tree).getExpression(), context, state, depth + 1);
      case TYPE_CAST:
        // A cast changes the static type, not the object.
        return judge(((TypeCastTree) tree).getExpression(), context, state, depth + 1);
      case NULL_LITERAL:
        return KeyVisibility.PRIVATE; // a null key fails at run time; not this check's business
      case NEW_CLASS:
        {
          NewClassTree creation = (NewClassTree) tree;
          Type type = ASTHelpers.getType(tree);
          if (creation.getClassBody() != null || type == null) {
            return KeyVisibility.PRIVATE; // an anonymous class: nobody else can make one
          }
          // A fresh object: equal only to itself unless its class compares by value.
          return KeyEquality.byValue(type, state);
        }
      case MEMBER_SELECT:
        if (((MemberSelectTree) tree).getIdentifier().contentEquals("class")) {
          return KeyEquality.judgeType(ASTHelpers.getType(tree), state);
        }
      // fall through
      case IDENTIFIER:
        {
          Symbol symbol = ASTHelpers.getSymbol(tree);
          if (symbol instanceof VarSymbol varSymbol) {
            return judgeVariable(varSymbol, context, state, depth);
          }
          break;
        }
      default:
        break;
    }
    return KeyEquality.judgeType(ASTHelpers.getType(tree), state);
  }

  /** Judges a key read from a variable: by its type, by who can read it, by its initializer. */
  private KeyVisibility judgeVariable(
      VarSymbol variable, TreePath context, VisitorState state, int depth) {
    if (variable.getSimpleName().contentEquals("this")) {
      // `this` inside the key class: the object itself, equal only to itself unless its class
      // compares by value.
      return KeyEquality.byValue(variable.type, state);
    }
    KeyVisibility byValue = KeyEquality.byValue(variable.type, state);
    if (!byValue.isPrivate()) {
      return byValue; // a String, a boxed number, a public record: wherever it comes from
    }
    switch (variable.getKind()) {
      case ENUM_CONSTANT:
        return CheckSupport.accessibleOutsidePackage(variable)
            ? KeyVisibility.readable(variable)
            : KeyVisibility.PRIVATE;
      case FIELD:
        {
          if (isContextKey(variable, state)) {
            return KeyVisibility.PRIVATE; // judged where it is declared, by matchVariable
          }
          boolean isFinal = (variable.flags() & Flags.FINAL) != 0;
          ExpressionTree initializer = isFinal ? fieldInitializer(variable, state) : null;
          if (initializer != null) {
            KeyVisibility fromInitializer = judge(initializer, null, state, depth + 1);
            if (!fromInitializer.isPrivate()) {
              return fromInitializer; // `static final Object KEY = "user"`
            }
          }
          if (CheckSupport.accessibleOutsidePackage(variable)) {
            return KeyVisibility.readable(variable);
          }
          // A field only this package can read, of an identity class, or whose initializer is
          // private: private. Its static type decides only when it says something (an interface).
          return initializer != null || KeyEquality.isClassOrObject(variable.type)
              ? KeyVisibility.PRIVATE
              : KeyEquality.judgeType(variable.type, state);
        }
      case LOCAL_VARIABLE:
      case RESOURCE_VARIABLE:
        {
          TreePath declaration =
              ASTHelpers.isConsideredFinal(variable) && context != null
                  ? KeyDeclarations.localDeclaration(variable, context)
                  : null;
          ExpressionTree initializer =
              declaration == null ? null : ((VariableTree) declaration.getLeaf()).getInitializer();
          return initializer != null
              ? judge(initializer, declaration, state, depth + 1)
              : KeyEquality.judgeType(variable.type, state);
        }
      default:
        // A parameter, a catch or pattern variable: its value was chosen elsewhere.
        return KeyEquality.judgeType(variable.type, state);
    }
  }

  private static boolean isContextKey(VarSymbol variable, VisitorState state) {
    Type contextKey = CONTEXT_KEY.get(state);
    return contextKey != null && variable.type != null && variable.type.tsym == contextKey.tsym;
  }

  // ---- Where keys are declared ------------------------------------------------------------------

  /** The declarations of the compilation unit being analysed; replaced for each new unit. */
  private transient KeyDeclarations declarations;

  private ExpressionTree fieldInitializer(VarSymbol field, VisitorState state) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (declarations == null || !declarations.isFor(unit)) {
      declarations = new KeyDeclarations(unit);
    }
    return declarations.fieldInitializer(field, state);
  }

  // ---- The fix -------------------------------------------------------------------------------

  /**
   * Makes the verdict's key type or field package-private (drops {@code public} and {@code
   * protected}) when it is declared in this compilation unit as a member of a class, and the call
   * is not inside it. Not private: code in other files of the same package may use it, and
   * package-private keeps that code compiling while no other package can reach the key any more.
   * Users may go further and make it private.
   */
  private static SuggestedFix fix(KeyVisibility verdict, VisitorState state) {
    Symbol target = verdict.fixTarget;
    if (target == null
        || !(target.owner instanceof ClassSymbol)
        || (target.owner.flags() & Flags.INTERFACE) != 0) {
      // A top-level type is there to be used from other packages: no fix. Members of interfaces
      // are public whatever their modifiers say.
      return SuggestedFix.emptyFix();
    }
    ClassSymbol outermost = target.outermostClass();
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (outermost == null || outermost.sourcefile != unit.getSourceFile()) {
      return SuggestedFix.emptyFix();
    }
    if (target instanceof ClassSymbol) {
      // Never hide the class the call is written in (or one around it): that is not a key type.
      for (TreePath path = state.getPath(); path != null; path = path.getParentPath()) {
        if (path.getLeaf() instanceof ClassTree
            && ASTHelpers.getSymbol((ClassTree) path.getLeaf()) == target) {
          return SuggestedFix.emptyFix();
        }
      }
    }
    Tree declaration = JavacTrees.instance(state.context).getTree(target);
    if (declaration == null) {
      return SuggestedFix.emptyFix();
    }
    return SuggestedFixes.removeModifiers(declaration, state, Modifier.PUBLIC, Modifier.PROTECTED)
        .orElse(SuggestedFix.emptyFix());
  }
}
