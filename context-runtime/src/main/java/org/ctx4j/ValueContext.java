package org.ctx4j;

import java.time.Instant;
import java.util.Optional;

/**
 * {@link Context#withValue(Context, Object, Object)}: Go's {@code valueCtx}. Its lookup answers
 * from the trie it carries (see {@link BaseContext}); its done signal, error and deadline are those
 * of {@link #signal}, the nearest ancestor that is not a value context, read in one hop. It never
 * registers with its parent: cancellation reaches its cancellable descendants because they
 * register with {@link #signal} directly.
 */
final class ValueContext extends BaseContext {
  private final Object key;
  private final Object val;
  private final Context signal;

  ValueContext(Context parent, Object key, Object val) {
    super(parent, key, val);
    this.key = key;
    this.val = val;
    this.signal = parent instanceof BaseContext ? ((BaseContext) parent).signal() : parent;
  }

  /** The key this context set, by identity (the common case of private enum keys), else the trie. */
  @Override
  public Object value(Object key) {
    return key == this.key ? val : super.value(key);
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
  public ContextDoneException err() {
    return signal.err();
  }

  @Override
  Throwable cause() {
    Context s = signal;
    return s instanceof BaseContext ? ((BaseContext) s).cause() : Contexts.userCause(s);
  }

  @Override
  Object causeSource() {
    Context s = signal;
    return s instanceof BaseContext ? ((BaseContext) s).causeSource() : s.value(CauseKey.KEY);
  }

  @Override
  void describe(StringBuilder sb) {
    sb.append(".withValue(").append(stringify(key)).append(", ").append(stringify(val)).append(')');
  }
}
