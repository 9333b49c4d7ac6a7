package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import java.lang.ref.WeakReference;
import java.util.function.Function;

/**
 * A value computed once per compilation (a type looked up by name, a set of interned names), for
 * the questions the checks ask on every tree: {@code static final} and safe in compilations that
 * run at the same time in one JVM.
 *
 * <p>Why not {@link VisitorState#memoize}: its {@code get} takes a lock and allocates a new {@code
 * VisitorState} on every call, and it does not keep a {@code null} (a type that is not on the class
 * path is looked up again on every call). Asked by several checks for every method call of a build,
 * that was a visible part of their cost.
 *
 * <p>Invariant: the value and the compilation it belongs to ({@link Symtab}, one per compilation)
 * are held together in one immutable entry that only a {@link WeakReference} refers to, so nothing
 * here keeps a compilation's types or names alive after it. The collector may clear the entry at
 * any time; the value is then computed again, which is cheap. Two compilations asking in turn each
 * replace the other's entry, which costs a recomputation, never a wrong answer: an entry is used
 * only for the compilation whose {@code Symtab} it holds.
 */
public final class PerCompilation<T> implements Supplier<T> {
  private final Function<VisitorState, T> compute;
  private volatile WeakReference<Entry<T>> last = new WeakReference<>(null);

  private record Entry<T>(Symtab compilation, T value) {}

  private PerCompilation(Function<VisitorState, T> compute) {
    this.compute = compute;
  }

  /** The value {@code compute} gives, computed once per compilation (null is a value too). */
  public static <T> PerCompilation<T> of(Function<VisitorState, T> compute) {
    return new PerCompilation<>(compute);
  }

  /** The type named {@code name} in the compilation, or null when it is not on the class path. */
  public static PerCompilation<Type> type(String name) {
    return of(state -> state.getTypeFromString(name));
  }

  /** The compilation's interned name spelt {@code spelling}. */
  public static PerCompilation<Name> name(String spelling) {
    return of(state -> state.getName(spelling));
  }

  @Override
  public T get(VisitorState state) {
    Symtab compilation = state.getSymtab();
    Entry<T> entry = last.get();
    if (entry == null || entry.compilation() != compilation) {
      entry = new Entry<>(compilation, compute.apply(state));
      last = new WeakReference<>(entry);
    }
    return entry.value();
  }
}
