package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;

/**
 * What every context the runtime creates shares: its parent (for {@link #toString()}), and the
 * values it can answer itself.
 *
 * <p>Values: {@link #values} holds every {@link Context#withValue} between this context and its
 * nearest user-written ancestor {@link #outer} (or the root, when {@code outer} is null), except
 * the entry of a value context itself, which that context answers first (see {@link ValueContext}).
 * A lookup reads the trie and asks {@code outer} only for keys the trie does not hold, so it takes
 * constant time however deep the chain of runtime contexts is, and user-written contexts in the
 * chain are still asked. Both fields are final and the trie is immutable: lookups take no lock.
 *
 * <p>Its fields are all that a value context needs besides its own key, value and signal, so that
 * {@link Context#withValue} allocates one small object; a {@link CancelContext}'s state lives in
 * that class.
 */
abstract class BaseContext implements Context {
  /** What {@link #memoKey} holds while its filler writes {@link #memoVal}: equal to no key. */
  private static final Object CLAIMED = new Object();

  private static final VarHandle MEMO_KEY;

  static {
    try {
      MEMO_KEY = MethodHandles.lookup().findVarHandle(BaseContext.class, "memoKey", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The context this one was derived from; null for the roots. */
  final Context parent;

  final Values values;

  final Context outer;

  /**
   * A one-entry memo of lookups: the first key found in {@link #values} (or found nowhere, when
   * there is no user-written ancestor to ask) by a lookup on this context, and its value. Repeated
   * lookups of one key on one context (a request id asked for by every log line) then cost two
   * reads instead of a trie descent. Filled once and never replaced, so a context shared by many
   * threads is written at most once, not on every lookup: {@link #memoKey} goes from null to {@link
   * #CLAIMED} by a compare-and-set (one filler wins), then {@link #memoVal} is written, then {@code
   * memoKey} (volatile) is set to the key; a reader that sees the key therefore sees the value.
   * Only answers that cannot change are memoized: the trie is immutable, and a user-written
   * ancestor, which could answer differently over time, is never memoized.
   */
  private volatile Object memoKey;

  private Object memoVal;

  BaseContext(Context parent) {
    this.parent = parent;
    if (parent instanceof BaseContext p) {

      this.values = trieOf(p);
      this.outer = p.outer;
    } else {
      this.values = Values.EMPTY;
      this.outer = parent;
    }
  }

  /** For {@link ValueContext}, whose factory computes both (see {@link ValueContext#create}). */
  BaseContext(Context parent, Values values, Context outer) {
    this.parent = parent;
    this.values = values;
    this.outer = outer;
  }

  /**
   * The trie a child of {@code p} starts from: {@code p}'s values, which a value context makes when
   * its first child is derived (see {@link ValueContext#trie()}).
   */
  static Values trieOf(BaseContext p) {
    return p instanceof ValueContext valueContext ? valueContext.trie() : p.values;
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
  abstract Throwable cause();

  /**
   * What this context answers for {@link CauseKey#KEY}: the {@link Done} of the {@link
   * CancelContext} whose cause applies to it, or null when none does (a root, {@code
   * withoutCancel}). Go's {@code Value(&cancelCtxKey)}. A {@code Done} rather than the context
   * itself, so that a user-written context handed the key learns nothing it could cancel.
   */
  abstract Object causeSource();

  /** Appends this context's step of the derivation chain, such as {@code .withCancel}. */
  abstract void describe(StringBuilder sb);

  /**
   * Go's {@code Value}: the memo, the trie, then the nearest user-written ancestor. {@link
   * CauseKey#KEY} is never stored in a trie (see {@link ValueContext#trie()}), so testing for it
   * only after the trie missed keeps it off the path of a key that is found.
   */
  @Override
  public Object value(Object key) {
    if (key == null) { // first: an unfilled memo holds null as its key
      throw new NullPointerException("key");
    }
    Object m = memoized(key);
    return m != Values.MISSING ? m : lookUp(key);
  }

  /**
   * The memoized answer for {@code key} (not null) if it is the memoized key, else {@link
   * Values#MISSING}.
   */
  final Object memoized(Object key) {
    return key == memoKey ? memoVal : Values.MISSING;
  }

  /**
   * {@link #value} for a non-null key past the memo: {@link #values}, then the user-written
   * ancestor; fills the memo with the first answer that cannot change.
   */
  final Object lookUp(Object key) {
    Object v = values.get(key);
    if (v != Values.MISSING) {
      memoize(key, v);
      return v;
    }
    if (key == CauseKey.KEY) {
      return causeSource();
    }
    Context o = outer;
    if (o == null) {
      memoize(key, null);
      return null;
    }
    return o.value(key);
  }

  private void memoize(Object key, Object value) {
    if (memoKey == null && MEMO_KEY.compareAndSet(this, null, CLAIMED)) {
      memoVal = value;
      memoKey = key;
    }
  }

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
  static String stringify(Object v) {
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
