package org.ctx4j.checks.contextkey;

import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.element.ElementKind;

/**
 * What {@code ContextKeyNotPrivate} knows about one key: private (no other package can obtain an
 * equal key), or the finding's message and the declaration its fix would make package-private.
 */
final class KeyVisibility {
  private static final String USE_INSTEAD =
      "use a key no other package can obtain, such as `private enum Key { REQUEST_ID }` or an"
          + " identity key held in a private field (`private static final Object KEY = new"
          + " Object();`)";

  static final KeyVisibility PRIVATE = new KeyVisibility(null, null);

  /** The finding's message; null when the key is private. */
  final String message;

  /** The declaration the fix makes package-private (a key type or a field), or null. */
  final Symbol fixTarget;

  private KeyVisibility(String message, Symbol fixTarget) {
    this.message = message;
    this.fixTarget = fixTarget;
  }

  boolean isPrivate() {
    return message == null;
  }

  /** Other packages can make an equal key: its class compares by value and they can create one. */
  static KeyVisibility constructible(Type type) {
    return new KeyVisibility(
        "Code in other packages can create a key equal to this one (its type "
            + type
            + " compares by value and is visible to them), so their values can collide with"
            + " yours; "
            + USE_INSTEAD,
        type.tsym);
  }

  /** Other packages can read this very key from a field they can reach. */
  static KeyVisibility readable(VarSymbol field) {
    boolean constant = field.getKind() == ElementKind.ENUM_CONSTANT;
    String where =
        constant
            ? "the constant " + field.getSimpleName() + " of the enum " + field.owner
            : "the field " + field.owner.getSimpleName() + "." + field.getSimpleName();
    return new KeyVisibility(
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
  static KeyVisibility visibleType(Type type) {
    return new KeyVisibility(
        "Code in other packages can name this key's type "
            + type
            + " and may make an equal key, so their values can collide with yours; "
            + USE_INSTEAD,
        type.tsym);
  }
}
