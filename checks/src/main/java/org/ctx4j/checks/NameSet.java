package org.ctx4j.checks;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Name;
import com.sun.tools.javac.util.Names;
import javax.annotation.Nullable;

/**
 * A fixed set of simple names (method names, mostly) that a check asks about on every tree of its
 * kind: "is the called method named {@code background} or {@code todo}?".
 *
 * <p>Why not {@code name.contentEquals("todo")}: on JDK 17 a javac {@link Name} answers {@code
 * contentEquals}, {@code length} and {@code toString} by decoding its bytes into a new {@code
 * String}, every time; asked for every method call of a compilation by several checks, that was a
 * measurable part of their cost. javac interns names (one {@code Name} object per spelling in a
 * compilation's name table, compared with {@code ==} throughout javac), so this set turns its
 * strings into that compilation's {@code Name}s once and answers by identity.
 *
 * <p>The interned names are kept in javac's own per-compilation {@link Context} (as javac and Error
 * Prone keep their per-compilation services), so nothing outlives the compilation that made it and
 * one {@code NameSet} can be a {@code static final} constant shared by every compilation, also
 * compilations running at the same time in one JVM.
 */
final class NameSet {
  private final String[] strings;
  private final Context.Key<Name[]> key = new Context.Key<>();

  private NameSet(String[] strings) {
    this.strings = strings;
  }

  static NameSet of(String... strings) {
    if (strings.length == 0) {
      throw new IllegalArgumentException("a NameSet needs at least one name");
    }
    return new NameSet(strings.clone());
  }

  /** Whether {@code name} (of the compilation {@code state} belongs to) is one of this set's. */
  boolean contains(@Nullable javax.lang.model.element.Name name, VisitorState state) {
    if (name == null) {
      return false;
    }
    for (Name known : names(state.context)) {
      if (known == name) {
        return true;
      }
    }
    return false;
  }

  private Name[] names(Context context) {
    Name[] names = context.get(key);
    if (names == null) {
      Names table = Names.instance(context);
      names = new Name[strings.length];
      for (int i = 0; i < strings.length; i++) {
        names[i] = table.fromString(strings[i]);
      }
      context.put(key, names);
    }
    return names;
  }
}
