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
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;
import javax.lang.model.type.TypeKind;

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
public final class ContextKeyNotPrivate extends BugChecker implements MethodInvocationTreeMatcher {

  private static final long serialVersionUID = 1L;

  private static final int MAX_DEPTH = 6;

  private static final String USE_INSTEAD =
      "use a key no other package can obtain, such as `private enum Key { REQUEST_ID }` or an"
          + " identity key held in a private field (`private static final Object KEY = new"
          + " Object();`)";

  /** The packages whose types are JDK types: all value keys there can be made by anyone. */
  private static final String[] JDK_PACKAGES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextKeyNotPrivate() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    List<? extends ExpressionTree> arguments = tree.getArguments();
    // The name as written comes first: it rules out almost every call without a symbol lookup.
    if (!isCalled(
            tree, arguments.size() == 3 ? "withValue" : arguments.size() == 1 ? "value" : null)
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          int keyIndex = keyIndex(tree, state);
          if (keyIndex < 0 || ExpectedToThrow.insideCodeExpectedToThrow(state)) {
            return Description.NO_MATCH;
          }
          ExpressionTree key = arguments.get(keyIndex);
          Verdict verdict = judge(key, state.getPath(), state, 0);
          if (verdict.isPrivate()) {
            return Description.NO_MATCH;
          }
          return buildDescription(key)
              .setMessage(verdict.message)
              .addFix(fix(verdict, state))
              .build();
        });
  }

  /** Whether the method named in {@code tree}'s source is {@code name}. */
  private static boolean isCalled(MethodInvocationTree tree, String name) {
    Name called = CheckSupport.calledName(tree);
    return name != null && called != null && called.contentEquals(name);
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

  // ---- The verdict ---------------------------------------------------------------------------

  /** What is known about a key: private, or what is wrong and what the fix would change. */
  private static final class Verdict {
    static final Verdict PRIVATE = new Verdict(null, null);

    /** The finding's message; null when the key is private. */
    final String message;

    /** The declaration the fix makes package-private (a key type or a field), or null. */
    final Symbol fixTarget;

    private Verdict(String message, Symbol fixTarget) {
      this.message = message;
      this.fixTarget = fixTarget;
    }

    boolean isPrivate() {
      return message == null;
    }

    /**
     * Other packages can make an equal key: its class compares by value and they can create one.
     */
    static Verdict constructible(Type type) {
      return new Verdict(
          "Code in other packages can create a key equal to this one (its type "
              + type
              + " compares by value and is visible to them), so their values can collide with"
              + " yours; "
              + USE_INSTEAD,
          type.tsym);
    }

    /** Other packages can read this very key from a field they can reach. */
    static Verdict readable(VarSymbol field) {
      boolean constant = field.getKind() == ElementKind.ENUM_CONSTANT;
      String where =
          constant
              ? "the constant " + field.getSimpleName() + " of the enum " + field.owner
              : "the field " + field.owner.getSimpleName() + "." + field.getSimpleName();
      return new Verdict(
          "Code in other packages can read this key from "
              + where
              + ", so it can read or replace your value; "
              + (constant
                  ? "make the enum private (or package-private), "
                  : "keep the key in a private (or package-private) field, ")
              + "and give other packages accessor methods instead",
          constant ? field.owner : field);
    }

    /** The key's type is visible and says nothing about how it compares (an interface). */
    static Verdict visibleType(Type type) {
      return new Verdict(
          "Code in other packages can name this key's type "
              + type
              + " and may make an equal key, so their values can collide with yours; "
              + USE_INSTEAD,
          type.tsym);
    }
  }

  /**
   * Judges the key expression {@code tree}; {@code context} is a path to {@code tree} or to code
   * around it (where its local variables are declared), or null for code outside any method.
   */
  private Verdict judge(ExpressionTree tree, TreePath context, VisitorState state, int depth) {
    if (tree == null || depth > MAX_DEPTH) {
      return Verdict.PRIVATE;
    }
    switch (tree.getKind()) {
      case PARENTHESIZED:
        return judge(((ParenthesizedTree) tree).getExpression(), context, state, depth + 1);
      case TYPE_CAST:
        // A cast changes the static type, not the object.
        return judge(((TypeCastTree) tree).getExpression(), context, state, depth + 1);
      case NULL_LITERAL:
        return Verdict.PRIVATE; // a null key fails at run time; not this check's business
      case NEW_CLASS:
        {
          NewClassTree creation = (NewClassTree) tree;
          Type type = ASTHelpers.getType(tree);
          if (creation.getClassBody() != null || type == null) {
            return Verdict.PRIVATE; // an anonymous class: nobody else can make one
          }
          // A fresh object: equal only to itself unless its class compares by value.
          return byValue(type, state);
        }
      case MEMBER_SELECT:
        if (((MemberSelectTree) tree).getIdentifier().contentEquals("class")) {
          return judgeType(ASTHelpers.getType(tree), state);
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
    return judgeType(ASTHelpers.getType(tree), state);
  }

  /** Judges a key read from a variable: by its type, by who can read it, by its initializer. */
  private Verdict judgeVariable(
      VarSymbol variable, TreePath context, VisitorState state, int depth) {
    if (variable.getSimpleName().contentEquals("this")) {
      // `this` inside the key class: the object itself, equal only to itself unless its class
      // compares by value.
      return byValue(variable.type, state);
    }
    Verdict byValue = byValue(variable.type, state);
    if (!byValue.isPrivate()) {
      return byValue; // a String, a boxed number, a public record: wherever it comes from
    }
    switch (variable.getKind()) {
      case ENUM_CONSTANT:
        return CheckSupport.accessibleOutsidePackage(variable)
            ? Verdict.readable(variable)
            : Verdict.PRIVATE;
      case FIELD:
        {
          boolean isFinal = (variable.flags() & Flags.FINAL) != 0;
          ExpressionTree initializer = isFinal ? fieldInitializer(variable, state) : null;
          if (initializer != null) {
            Verdict fromInitializer = judge(initializer, null, state, depth + 1);
            if (!fromInitializer.isPrivate()) {
              return fromInitializer; // `static final Object KEY = "user"`
            }
          }
          if (CheckSupport.accessibleOutsidePackage(variable)) {
            return Verdict.readable(variable);
          }
          // A field only this package can read, of an identity class, or whose initializer is
          // private: private. Its static type decides only when it says something (an interface).
          return initializer != null || isClassOrObject(variable.type)
              ? Verdict.PRIVATE
              : judgeType(variable.type, state);
        }
      case LOCAL_VARIABLE:
      case RESOURCE_VARIABLE:
        {
          TreePath declaration =
              ASTHelpers.isConsideredFinal(variable) && context != null
                  ? localDeclaration(variable, context)
                  : null;
          ExpressionTree initializer =
              declaration == null ? null : ((VariableTree) declaration.getLeaf()).getInitializer();
          return initializer != null
              ? judge(initializer, declaration, state, depth + 1)
              : judgeType(variable.type, state);
        }
      default:
        // A parameter, a catch or pattern variable: its value was chosen elsewhere.
        return judgeType(variable.type, state);
    }
  }

  /**
   * Judges a key by its static type alone, for a key whose origin is out of sight (a parameter, a
   * method result, an element): {@code Object} and identity classes pass on a key chosen elsewhere;
   * a value class others can create is flagged; so is an interface others can name.
   */
  private static Verdict judgeType(Type type, VisitorState state) {
    if (type == null) {
      return Verdict.PRIVATE;
    }
    Types types = state.getTypes();
    switch (type.getKind()) {
      case TYPEVAR -> {
        return judgeType(type.getUpperBound(), state);
      }
      case INTERSECTION -> {
        for (Type component : ((Type.IntersectionClassType) type).getComponents()) {
          if (judgeType(component, state).isPrivate()) {
            return Verdict.PRIVATE;
          }
        }
        return Verdict.visibleType(types.erasure(type));
      }
      case DECLARED -> {
        if (!(type.tsym instanceof ClassSymbol)) {
          return Verdict.PRIVATE;
        }
        if ((type.tsym.flags() & Flags.INTERFACE) != 0) {
          return CheckSupport.accessibleOutsidePackage(type.tsym)
              ? Verdict.visibleType(types.erasure(type))
              : Verdict.PRIVATE;
        }
        return byValue(type, state);
      }
      default -> {
        // Primitives (boxed when passed) and anything else byValue understands; arrays are
        // compared by identity.
        return byValue(type, state);
      }
    }
  }

  /**
   * Flags a key of {@code type} that other packages can create an equal copy of: a class that
   * compares by value (overrides {@code equals}) and that they can make, a JDK value type always (a
   * primitive counts as its box, and {@code Class} objects are there for anyone to ask for).
   * Private for identity classes, interfaces, arrays and type variables: those need their origin.
   */
  private static Verdict byValue(Type type, VisitorState state) {
    if (type == null) {
      return Verdict.PRIVATE;
    }
    Types types = state.getTypes();
    if (type.isPrimitive()) {
      type = types.boxedClass(type).type;
    }
    if (type.getKind() != TypeKind.DECLARED || !(type.tsym instanceof ClassSymbol)) {
      return Verdict.PRIVATE;
    }
    ClassSymbol keyClass = (ClassSymbol) type.tsym;
    if ((keyClass.flags() & Flags.INTERFACE) != 0) {
      return Verdict.PRIVATE;
    }
    boolean jdk = isJdk(keyClass);
    boolean byValue =
        (jdk && keyClass == state.getSymtab().classType.tsym) || comparesByValue(keyClass, state);
    if (!byValue) {
      return Verdict.PRIVATE;
    }
    return jdk || constructibleOutsidePackage(keyClass, state)
        ? Verdict.constructible(types.erasure(type))
        : Verdict.PRIVATE;
  }

  /**
   * Whether instances of {@code keyClass} compare by value: it or a superclass below {@code Object}
   * declares {@code equals(Object)} (enums never do: {@code Enum.equals} is identity), or it is a
   * record.
   */
  private static boolean comparesByValue(ClassSymbol keyClass, VisitorState state) {
    Types types = state.getTypes();
    Symbol object = state.getSymtab().objectType.tsym;
    Symbol enumClass = state.getSymtab().enumSym;
    for (Type t = keyClass.type;
        t != null && t.tsym instanceof ClassSymbol;
        t = types.supertype(t)) {
      ClassSymbol c = (ClassSymbol) t.tsym;
      if (c == object || c == enumClass) {
        return false;
      }
      if ((c.flags() & Flags.RECORD) != 0) {
        return true;
      }
      for (Symbol member : c.members().getSymbolsByName(state.getNames().equals)) {
        if (member instanceof MethodSymbol methodSymbol
            && methodSymbol.getParameters().size() == 1
            && types.isSameType(
                types.erasure(methodSymbol.getParameters().get(0).type),
                state.getSymtab().objectType)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether code in another package can make an instance of {@code keyClass}: it can name the
   * class, and the class has a public or protected constructor (not abstract) or a public or
   * protected static method that returns one.
   */
  private static boolean constructibleOutsidePackage(ClassSymbol keyClass, VisitorState state) {
    if (!CheckSupport.accessibleOutsidePackage(keyClass)) {
      return false;
    }
    Types types = state.getTypes();
    for (Symbol member : keyClass.members().getSymbols()) {
      if (!(member instanceof MethodSymbol method)
          || (member.flags() & (Flags.PUBLIC | Flags.PROTECTED)) == 0) {
        continue;
      }

      if (method.isConstructor()) {
        return true; // of an abstract class too: a subclass elsewhere inherits its equals
      } else if (method.isStatic()
          && types.isSubtype(types.erasure(method.getReturnType()), types.erasure(keyClass.type))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJdk(ClassSymbol keyClass) {
    String name = keyClass.packge().getQualifiedName().toString() + ".";
    for (String prefix : JDK_PACKAGES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A class type (not an interface, a type variable or an intersection), {@code Object} included.
   */
  private static boolean isClassOrObject(Type type) {
    return type != null
        && type.getKind() == TypeKind.DECLARED
        && (type.tsym.flags() & Flags.INTERFACE) == 0;
  }

  // ---- Where keys are declared ------------------------------------------------------------------

  /** The compilation unit whose field initializers {@link #initializers} holds. */
  private transient CompilationUnitTree initializersUnit;

  /**
   * The initializers of the fields declared in {@link #initializersUnit}, collected in one scan the
   * first time a key there is read from a field, and of fields of other files as they are asked
   * about (a null value: none in view).
   */
  private transient Map<Symbol, ExpressionTree> initializers;

  /**
   * The initializer of a field declared in this compilation (in any of its files); null for a field
   * of a class file or without one. One scan per compilation unit, not one per key.
   */
  private ExpressionTree fieldInitializer(VarSymbol field, VisitorState state) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (unit != initializersUnit) {
      initializersUnit = unit;
      initializers = new HashMap<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
          VarSymbol symbol = ASTHelpers.getSymbol(tree);
          if (symbol != null
              && symbol.getKind() == ElementKind.FIELD
              && tree.getInitializer() != null) {
            initializers.put(symbol, tree.getInitializer());
          }
          return super.visitVariable(tree, null);
        }
      }.scan(unit, null);
    }
    if (!initializers.containsKey(field)) {
      // Declared in another file of this compilation, or in a class file: ask through the symbol.
      Tree declaration = JavacTrees.instance(state.context).getTree(field);
      initializers.put(
          field,
          declaration instanceof VariableTree variableTree ? variableTree.getInitializer() : null);
    }
    return initializers.get(field);
  }

  /**
   * The path to the declaration of the local variable {@code local}, found by walking out from
   * {@code use} through the blocks, loops, resources and parameter lists around it (also out of a
   * local or anonymous class, which sees the locals of the code around it); null if not found.
   */
  private static TreePath localDeclaration(VarSymbol local, TreePath use) {
    for (TreePath path = use; path != null; path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      List<? extends Tree> candidates;
      if (leaf instanceof BlockTree blockTree) {
        candidates = blockTree.getStatements();
      } else if (leaf instanceof CaseTree caseTree) {
        candidates = caseTree.getStatements();
      } else if (leaf instanceof ForLoopTree forLoopTree) {
        candidates = forLoopTree.getInitializer();
      } else if (leaf instanceof TryTree tryTree) {
        candidates = tryTree.getResources();
      } else if (leaf instanceof CompilationUnitTree) {
        return null;
      } else {
        continue;
      }
      if (candidates == null) {
        continue;
      }
      for (Tree candidate : candidates) {
        if (candidate instanceof VariableTree variableTree
            && ASTHelpers.getSymbol(variableTree) == local) {
          return new TreePath(path, candidate);
        }
      }
    }
    return null;
  }

  // ---- The fix -------------------------------------------------------------------------------

  /**
   * Makes the verdict's key type or field package-private (drops {@code public} and {@code
   * protected}) when it is declared in this compilation unit as a member of a class, and the call
   * is not inside it. Not private: code in other files of the same package may use it, and
   * package-private keeps that code compiling while no other package can reach the key any more.
   * Users may go further and make it private.
   */
  private static SuggestedFix fix(Verdict verdict, VisitorState state) {
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
