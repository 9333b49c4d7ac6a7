package org.ctx4j;

import java.lang.reflect.Method;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * What every context the runtime creates shares: its parent (for {@link #toString()}), the context
 * whose done signal it reports ({@link #signal()}), its cause and its step in {@code toString()}.
 * The values it inherits are in {@link TrieContext}, the superclass of every runtime context but
 * one: a {@link FirstValueContext}, the first value of a chain, which needs none of them and so
 * stays a small object.
 */
abstract class BaseContext implements Context {
  /**
   * The context this one was derived from; null for the roots (declared non-null: it is read only
   * for contexts derived from another, see RootContext).
   */
  final Context parent;

  BaseContext(Context parent) {
    this.parent = parent;
  }

  /**
   * The context whose done signal, error and deadline this one reports: itself, except for a value
   * context, whose signal is that of the nearest ancestor that is not a value context (so that
   * {@code err()} on a value context 100,000 deep is one hop, not a walk).
   */
  Context signal() {
    return this;
  }

  /** Go's {@code Cause(ctx)} for this context; see {@link Context#cause(Context)}. */
  abstract @Nullable Throwable cause();

  /**
   * What this context answers for {@link CauseKey#KEY}: the {@link Done} of the {@link
   * CancelContext} whose cause applies to it, or null when none does (a root, {@code
   * withoutCancel}). Go's {@code Value(&cancelCtxKey)}. A {@code Done} rather than the context
   * itself, so that a user-written context handed the key learns nothing it could cancel.
   */
  abstract @Nullable Object causeSource();

  /** Appends this context's step of the derivation chain, such as {@code .withCancel}. */
  abstract void describe(StringBuilder sb);

  /**
   * The derivation chain, as Go prints it: {@code Context.background.withCancel.withValue(k, v)}.
   * Built iteratively, so chains of any depth print without recursion (a user-written context in
   * the chain prints itself, with its own {@code toString()} if it has one).
   */
  @Override
  public final String toString() {
    ArrayList<BaseContext> steps = new ArrayList<>();
    Context c = this;
    while (c instanceof BaseContext && !(c instanceof RootContext)) {
      steps.add((BaseContext) c);
      c = ((BaseContext) c).parent;
    }
    StringBuilder sb = new StringBuilder();
    if (c instanceof RootContext) {
      sb.append(((RootContext) c).name);
    } else {
      sb.append(stringify(c));
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      steps.get(i).describe(sb);
    }
    return sb.toString();
  }

  /**
   * Go's {@code stringify}: a value prints itself if its class has its own {@code toString()} (Go:
   * implements {@code Stringer}), and its type name otherwise; a string prints as is. A {@code
   * toString()} that throws prints the type name.
   */
  static String stringify(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String string) {
      return string;
    }
    Class<?> type = v.getClass();
    try {
      Method m = type.getMethod("toString");
      if (m.getDeclaringClass() != Object.class) {
        return String.valueOf(v.toString());
      }
    } catch (RuntimeException | NoSuchMethodException | LinkageError e) {
      // fall through to the type name
    }
    return type.getName();
  }
}
