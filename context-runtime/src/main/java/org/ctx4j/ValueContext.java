package org.ctx4j;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#withValue(Context, Object, Object)}: Go's {@code valueCtx}, over any parent but
 * those a {@link FirstValueContext} takes (see {@link #create}). It answers its own key itself and
 * every other key from the trie of its parent (see {@link TrieContext}); its done signal, error and
 * deadline are those of {@link #signal}, the nearest ancestor that is not a value context, read in
 * one hop. It never registers with its parent: cancellation reaches its cancellable descendants
 * because they register with {@link #signal} directly.
 *
 * <p>Its own trie (the parent's plus this entry), which its children start from, is made when the
 * first child is derived ({@link #trie()}), not here: creating a value context is then one
 * allocation, and a context that is only read (the common end of a chain) never pays for a trie
 * copy. Several threads deriving the first children at once may each make the trie; they make equal
 * ones, any of which may stay in {@link #own}, and a {@link Values} is safely published through its
 * final fields, so the race is benign.
 */
final class ValueContext extends TrieContext {
  private final Object key;
  private final @Nullable Object val;
  private final Context signal;

  /** {@link #values} plus this entry; null until {@link #trie()} is first called. */
  private @Nullable Values own;

  private ValueContext(
      Context parent,
      Object key,
      @Nullable Object val,
      Values values,
      @Nullable Context outer,
      Context signal) {
    super(parent, values, outer);
    this.key = key;
    this.val = val;
    this.signal = signal;
  }

  /**
   * Go's {@code WithValue}. The work is done here and handed to constructors that only store
   * fields, so that the JIT inlines the whole creation into its caller (see docs/performance.md,
   * "object layout"). Over a runtime context that holds no values and has no user-written ancestor
   * (a root, or a cancellable or {@code withoutCancel} context with no value above it), the context
   * is a {@link FirstValueContext}, which needs neither a trie nor a memo.
   */
  static BaseContext create(Context parent, Object key, @Nullable Object val) {
    if (parent instanceof ValueContext p) {
      return new ValueContext(parent, key, val, p.trie(), p.outer, p.signal);
    }
    if (parent instanceof TrieContext p) { // its own signal, and its trie is its values
      Values values = p.values;
      Context outer = p.outer;
      if (values == Values.EMPTY && outer == null) {
        return new FirstValueContext(p, key, val);
      }
      return new ValueContext(parent, key, val, values, outer, parent);
    }
    if (parent instanceof FirstValueContext p) {
      return new ValueContext(parent, key, val, p.trie(), null, p.parent);
    }
    return new ValueContext(parent, key, val, Values.EMPTY, parent, parent);
  }

  /** This context's trie, as its children start from it: the parent's plus this entry. */
  Values trie() {
    Values t = own;
    if (t == null) {
      // CauseKey.KEY (which a user-written context may have been handed) is answered by
      // causeSource() in descendants: keep it out of the trie.
      t = key == CauseKey.KEY ? values : values.put(key, val);
      own = t;
    }
    return t;
  }

  /**
   * The key this context set, the memo (see {@link TrieContext}), else the parent's trie: the same
   * answers as {@link #trie()} would give, without making it. This is the hottest path of the
   * runtime after {@code err()}, and it is written for the JIT: the own key is tested with {@code
   * equals} first (a private key class inherits {@code Object.equals}, which the JIT turns into an
   * identity compare, and then folds the identity test after it, which is there for a key whose
   * {@code equals} is not reflexive, as {@link java.util.HashMap} finds one), then one compare with
   * the memoized key, each a branch that falls through for a key set further up (see
   * docs/performance.md, "Value lookup with a different key each call").
   */
  @Override
  public @Nullable Object value(Object key) {
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (key.equals(this.key) || key == this.key) {
      return val;
    }
    if (key == memoKey()) {
      return memoVal();
    }
    return lookUp(key);
  }

  @Override
  Context signal() {
    return signal;
  }

  @Override
  public Optional<Instant> deadline() {
    return signal.deadline();
  }

  @Override
  public Done done() {
    return signal.done();
  }

  @Override
  public @Nullable ContextDoneException err() {
    return signal.err();
  }

  @Override
  @Nullable Throwable cause() {
    Context s = signal;
    return s instanceof BaseContext baseContext
        ? baseContext.cause()
        : ContextFactories.userCause(s);
  }

  @Override
  @Nullable Object causeSource() {
    Context s = signal;
    return s instanceof BaseContext baseContext ? baseContext.causeSource() : s.value(CauseKey.KEY);
  }

  @Override
  void describe(StringBuilder sb) {
    describe(sb, key, val);
  }

  /** The step of a value context in the derivation chain: {@code .withValue(key, value)}. */
  static void describe(StringBuilder sb, Object key, @Nullable Object val) {
    sb.append(".withValue(").append(stringify(key)).append(", ").append(stringify(val)).append(')');
  }
}
