package org.ctx4j.checks.contextkey;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.support.CheckSupport;

/**
 * For {@code ContextKeyNotPrivate}, what a key's type alone says: can code in another package
 * obtain a key equal to one of this type? Yes when the type compares by value (overrides {@code
 * equals}, is a record, or is a JDK value type such as {@code String}, a boxed primitive or {@code
 * Class}) and other packages can make one (a JDK type, or a type they can name with an accessible
 * constructor or static factory), and for an interface they can name; no for identity classes,
 * whose keys are judged by where they come from.
 */
final class KeyEquality {
  /** The packages whose types are JDK types: all value keys there can be made by anyone. */
  private static final String[] JDK_PACKAGES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

  private KeyEquality() {}

  /**
   * Judges a key by its static type alone, for a key whose origin is out of sight (a parameter, a
   * method result, an element): {@code Object} and identity classes pass on a key chosen elsewhere;
   * a value class others can create is flagged; so is an interface others can name.
   */
  static KeyVisibility judgeType(Type type, VisitorState state) {
    if (type == null) {
      return KeyVisibility.PRIVATE;
    }
    Types types = state.getTypes();
    switch (type.getKind()) {
      case TYPEVAR -> {
        return judgeType(type.getUpperBound(), state);
      }
      case INTERSECTION -> {
        for (Type component : ((Type.IntersectionClassType) type).getComponents()) {
          if (judgeType(component, state).isPrivate()) {
            return KeyVisibility.PRIVATE;
          }
        }
        return KeyVisibility.visibleType(types.erasure(type));
      }
      case DECLARED -> {
        if (!(type.tsym instanceof ClassSymbol)) {
          return KeyVisibility.PRIVATE;
        }
        if ((type.tsym.flags() & Flags.INTERFACE) != 0) {
          return CheckSupport.accessibleOutsidePackage(type.tsym)
              ? KeyVisibility.visibleType(types.erasure(type))
              : KeyVisibility.PRIVATE;
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
  static KeyVisibility byValue(Type type, VisitorState state) {
    if (type == null) {
      return KeyVisibility.PRIVATE;
    }
    Types types = state.getTypes();
    if (type.isPrimitive()) {
      type = types.boxedClass(type).type;
    }
    if (type.getKind() != TypeKind.DECLARED || !(type.tsym instanceof ClassSymbol)) {
      return KeyVisibility.PRIVATE;
    }
    ClassSymbol keyClass = (ClassSymbol) type.tsym;
    if ((keyClass.flags() & Flags.INTERFACE) != 0) {
      return KeyVisibility.PRIVATE;
    }
    // java.lang.Class is a JDK type; whether a class is one is asked only of value classes.
    boolean byValue =
        keyClass == state.getSymtab().classType.tsym || comparesByValue(keyClass, state);
    if (!byValue) {
      return KeyVisibility.PRIVATE;
    }
    return isJdk(keyClass) || constructibleOutsidePackage(keyClass, state)
        ? KeyVisibility.constructible(types.erasure(type))
        : KeyVisibility.PRIVATE;
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
  static boolean isClassOrObject(Type type) {
    return type != null
        && type.getKind() == TypeKind.DECLARED
        && (type.tsym.flags() & Flags.INTERFACE) == 0;
  }
}
