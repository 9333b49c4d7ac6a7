package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A runtime context that carries the values of its ancestors: every one but {@link
 * FirstValueContext} (see {@link BaseContext}).
 *
 * <p>Values: {@link #values} holds every {@link Context#withValue} between this context and its
 * nearest user-written ancestor {@link #outer} (or the root, when {@code outer} is null), except
 * the entry of a value context itself, which that context answers first (see {@link ValueContext}).
 * A lookup reads the trie and asks {@code outer} only for keys the trie does not hold, so it takes
 * constant time however deep the chain of runtime contexts is, and user-written contexts in the
 * chain are still asked. Both fields are final and the trie is immutable: lookups take no lock.
 *
 * <p>Its fields are all that a value context needs besides its own key, value and signal, so that
 * {@link Context#withValue} allocates one object; a {@link CancelContext}'s state lives in that
 * class, right after these fields (see docs/performance.md, "object layout").
 */
abstract class TrieContext extends BaseContext {
  /** What {@link #memoKey} holds while its filler writes {@link #memoVal}: equal to no key. */
  private static final Object CLAIMED = new Object();

  private static final VarHandle MEMO_KEY;

  static {
    try {
      MEMO_KEY = MethodHandles.lookup().findVarHandle(TrieContext.class, "memoKey", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Values values;

  final @Nullable Context outer;

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
  private volatile @Nullable Object memoKey;

  private @Nullable Object memoVal;

  TrieContext(Context parent) {
    super(parent);
    if (parent instanceof TrieContext p) {
      // A value context makes the trie its children start from when the first one is derived.
      this.values = p instanceof ValueContext valueContext ? valueContext.trie() : p.values;
      this.outer = p.outer;
    } else if (parent instanceof FirstValueContext p) {
      this.values = p.trie();
      this.outer = null;
    } else {
      this.values = Values.EMPTY;
      this.outer = parent;
    }
  }

  /** For {@link ValueContext}, whose factory computes both (see {@link ValueContext#create}). */
  TrieContext(Context parent, Values values, @Nullable Context outer) {
    super(parent);
    this.values = values;
    this.outer = outer;
  }

  /**
   * Go's {@code Value}: the memo, the trie, then the nearest user-written ancestor. {@link
   * CauseKey#KEY} is never stored in a trie (see {@link ValueContext#trie()}), so testing for it
   * only after the trie missed keeps it off the path of a key that is found.
   */
  @Override
  public @Nullable Object value(Object key) {
    if (key == null) { // first: an unfilled memo holds null as its key
      throw new NullPointerException("key");
    }
    if (key == memoKey) {
      return memoVal;
    }
    return lookUp(key);
  }

  /**
   * The memoized key: null until the memo is filled, {@link #CLAIMED} while it is being filled,
   * then the key whose answer {@link #memoVal()} holds. Compare a non-null key with it before
   * reading {@code memoVal()}: the volatile read orders the two.
   */
  final @Nullable Object memoKey() {
    return memoKey;
  }

  /** The memoized answer, valid once {@link #memoKey()} returned the key asked for. */
  final @Nullable Object memoVal() {
    return memoVal;
  }

  /**
   * {@link #value} for a non-null key past the memo: {@link #values}, then the user-written
   * ancestor; fills the memo with the first answer that cannot change.
   */
  final @Nullable Object lookUp(Object key) {
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

  private void memoize(Object key, @Nullable Object value) {
    if (memoKey == null && MEMO_KEY.compareAndSet(this, null, CLAIMED)) {
      memoVal = value;
      memoKey = key;
    }
  }
}
