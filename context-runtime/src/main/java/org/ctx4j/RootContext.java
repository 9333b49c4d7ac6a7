package org.ctx4j;

import java.time.Instant;
import java.util.Optional;

/** {@link Context#background()} and {@link Context#todo()}: Go's {@code backgroundCtx}/{@code todoCtx}. */
final class RootContext extends BaseContext {
  static final RootContext BACKGROUND = new RootContext("Context.background");
  static final RootContext TODO = new RootContext("Context.todo");

  final String name;

  private RootContext(String name) {
    super(null);
    this.name = name;
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
    sb.append(name);
  }
}
