package org.ctx4j;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
  public final @Nullable ContextDoneException err() {
    return null;
  }

  @Override
  public final void throwIfDone() {}

  @Override
  final @Nullable Throwable cause() {
    return null;
  }

  @Override
  final @Nullable Object causeSource() {
    return null;
  }
}
