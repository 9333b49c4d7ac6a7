package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * The error of a context that was cancelled: Go's {@code context.Canceled}. Its message is Go's,
 * {@code "context canceled"}.
 */
public final class CanceledException extends ContextDoneException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error; user-written {@link Context} implementations may return one from {@code
   * err()}.
   */
  public CanceledException() {
    super("context canceled", null);
  }

  /** The runtime's constructor: {@code reason} is the cause of this cancellation, or null. */
  CanceledException(@Nullable Throwable reason) {
    super("context canceled", reason);
  }
}
