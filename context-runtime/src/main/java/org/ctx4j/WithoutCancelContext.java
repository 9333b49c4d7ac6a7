package org.ctx4j;

import java.time.Instant;
import java.util.Optional;

/**
 * {@link Context#withoutCancel(Context)}: Go's {@code withoutCancelCtx}. Keeps the parent's values
 * (it shares the parent's trie and user-written ancestor) and nothing else: never done, no
 * deadline, error or cause. Children of it never register anywhere.
 */
final class WithoutCancelContext extends BaseContext {
  WithoutCancelContext(Context parent) {
    super(parent);
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.empty();
  }

  @Override
  public Done done() {
    return NeverDone.INSTANCE;
  }

  @Override
  public ContextDoneException err() {
    return null;
  }

  @Override
  public void throwIfDone() {}

  @Override
  Throwable cause() {
    return null;
  }

  @Override
  Object causeSource() {
    return null;
  }

  @Override
  void describe(StringBuilder sb) {
    sb.append(".withoutCancel");
  }
}
