package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.sun.tools.javac.util.Name;
import java.util.List;

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
 * <p>The interned names are kept per compilation with {@link PerCompilation}, so nothing outlives
 * the compilation that made it and one {@code NameSet} can be a {@code static final} constant
 * shared by every compilation, also compilations running at the same time in one JVM.
 */
public final class NameSet {
  private final PerCompilation<Name[]> names;

  private NameSet(String[] strings) {
    this.names =
        PerCompilation.of(
            state -> {
              Name[] interned = new Name[strings.length];
              for (int i = 0; i < strings.length; i++) {
                interned[i] = state.getName(strings[i]);
              }
              return interned;
            });
  }

  public static NameSet of(String... strings) {
    if (strings.length == 0) {
      throw new IllegalArgumentException("a NameSet needs at least one name");
    }
    return new NameSet(strings.clone());
  }

  /** The set of {@code strings}, as {@link #of(String...)}. */
  public static NameSet of(List<String> strings) {
    return of(strings.toArray(new String[0]));
  }

  /**
   * Whether {@code name} (of the compilation {@code state} belongs to) is one of this set's; false
   * for null, which {@link CheckSupport#calledName} answers for a call it cannot name.
   */
  public boolean contains(javax.lang.model.element.Name name, VisitorState state) {
    if (name == null) {
      return false;
    }
    for (Name known : names.get(state)) {
      if (known == name) {
        return true;
      }
    }
    return false;
  }
}
