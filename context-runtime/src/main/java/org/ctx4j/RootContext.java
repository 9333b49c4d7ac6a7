package org.ctx4j;

/**
 * {@link Context#background()} and {@link Context#todo()}: Go's {@code backgroundCtx}/{@code
 * todoCtx}.
 */
final class RootContext extends NeverDoneContext {
  static final RootContext BACKGROUND = new RootContext("Context.background");
  static final RootContext TODO = new RootContext("Context.todo");

  final String name;

  @SuppressWarnings("NullAway") // a root has no parent; BaseContext reads parent only below roots
  private RootContext(String name) {
    super(null);
    this.name = name;
  }

  @Override
  void describe(StringBuilder sb) {
    sb.append(name);
  }
}
