package org.ctx4j;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#withValue(Context, Object, Object)} over a runtime context that is not a value
 * context, holds no values and has no user-written ancestor: the first value of a chain, such as
 * {@code withValue(background(), k, v)} or a value under a request's first {@code withTimeout}.
 * Go's {@code valueCtx}, like {@link ValueContext}, but with four fields instead of nine: nothing
 * above it holds a value, so a lookup of any key other than its own is answered without a trie
 * (there is none to read), a memo (there is nothing to save) or a user-written ancestor (there is
 * none to ask). Its signal is its parent.
 *
 * <p>Its trie, which its children start from, is made when the first child is derived ({@link
 * #trie()}), with the same benign race as {@link ValueContext#trie()}.
 */
final class FirstValueContext extends BaseContext {
  private final Object key;
  private final @Nullable Object val;

  /** This entry as a trie; null until {@link #trie()} is first called. */
  private @Nullable Values own;

  /**
   * Only stores fields (see {@link ValueContext#create}).
   *
   * @param parent a runtime context that is not a value context, whose trie is empty and that has
   *     no user-written ancestor
   */
  FirstValueContext(BaseContext parent, Object key, @Nullable Object val) {
    super(parent);
    this.key = key;
    this.val = val;
  }

  /** This context's trie, as its children start from it: this entry alone. */
  Values trie() {
    Values t = own;
    if (t == null) {
      // CauseKey.KEY is answered by causeSource() in descendants: keep it out of the trie.
      t = key == CauseKey.KEY ? Values.EMPTY : Values.EMPTY.put(key, val);
      own = t;
    }
    return t;
  }

  /**
   * Its own key by identity, then by equality; every other key is absent, except {@link
   * CauseKey#KEY}, which the parent answers. The same answers as a {@link ValueContext} over the
   * same parent.
   */
  @Override
  public @Nullable Object value(Object key) {
    if (key == this.key) {
      return val;
    }
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (key.equals(this.key)) {
      return val;
    }
    return key == CauseKey.KEY ? causeSource() : null;
  }

  private BaseContext signalContext() {
    return (BaseContext) parent;
  }

  @Override
  Context signal() {
    return parent;
  }

  @Override
  public Optional<Instant> deadline() {
    return parent.deadline();
  }

  @Override
  public Done done() {
    return parent.done();
  }

  @Override
  public @Nullable ContextDoneException err() {
    return parent.err();
  }

  @Override
  @Nullable Throwable cause() {
    return signalContext().cause();
  }

  @Override
  @Nullable Object causeSource() {
    return signalContext().causeSource();
  }

  @Override
  void describe(StringBuilder sb) {
    ValueContext.describe(sb, key, val);
  }
}
