package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * The error of a context whose deadline passed: Go's {@code context.DeadlineExceeded}. Its message
 * is Go's, {@code "context deadline exceeded"}. Where Go's error reports {@code Timeout() == true},
 * a Java caller tells it from {@link CanceledException} by its type.
 */
public final class DeadlineExceededException extends ContextDoneException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error; user-written {@link Context} implementations may return one from {@code
   * err()}.
   */
  public DeadlineExceededException() {
    super("context deadline exceeded", null);
  }

  /** The runtime's constructor: {@code reason} is the cause of this expiry, or null. */
  DeadlineExceededException(@Nullable Throwable reason) {
    super("context deadline exceeded", reason);
  }

  /**
   * Always true: Go's {@code DeadlineExceeded} reports itself as a timeout ({@code net.Error}).
   *
   * @return {@code true}
   */
  public boolean isTimeout() {
    return true;
  }
}
