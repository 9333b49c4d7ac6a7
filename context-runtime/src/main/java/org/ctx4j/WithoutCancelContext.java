package org.ctx4j;

/**
 * {@link Context#withoutCancel(Context)}: Go's {@code withoutCancelCtx}. Keeps the parent's values
 * (it shares the parent's trie and user-written ancestor) and nothing else: never done, no
 * deadline, error or cause. Children of it never register anywhere.
 */
final class WithoutCancelContext extends NeverDoneContext {
  WithoutCancelContext(Context parent) {
    super(parent);
  }

  @Override
  void describe(StringBuilder sb) {
    sb.append(".withoutCancel");
  }
}
