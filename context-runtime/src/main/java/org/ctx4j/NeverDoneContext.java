package org.ctx4j;

import java.time.Instant;
import java.util.Optional;

/**
 * A runtime context that can never end: the roots and {@link Context#withoutCancel(Context)}. No
 * deadline, no done signal that fires, no error, no cause; children of one never register anywhere,
 * since there is nothing to propagate.
 */
abstract class NeverDoneContext extends TrieContext {
  NeverDoneContext(Context parent) {
    super(parent);
  }

  @Override
  public final Optional<Instant> deadline() {
    return Optional.empty();
  }

  @Override
  public final Done done() {
    return NeverDone.INSTANCE;
  }

  @Override
  public final ContextDoneException err() {
    return null;
  }

  @Override
  public final void throwIfDone() {}

  @Override
  final Throwable cause() {
    return null;
  }

  @Override
  final Object causeSource() {
    return null;
  }
}
