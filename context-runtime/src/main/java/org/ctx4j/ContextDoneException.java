package org.ctx4j;

import java.util.concurrent.CancellationException;

/**
 * The error of a context that is done: {@link Context#err()} returns one of its two subclasses,
 * {@link CanceledException} (Go's {@code context.Canceled}) or {@link DeadlineExceededException}
 * (Go's {@code context.DeadlineExceeded}).
 *
 * <p>Where Go compares {@code err == context.Canceled}, Java code tests the type: {@code err
 * instanceof CanceledException}. Instances carry no stack trace (creating one is cheap): like Go's
 * sentinel errors they say what happened, and {@link Context#cause(Context)} says why.
 */
public abstract sealed class ContextDoneException extends CancellationException
    permits CanceledException, DeadlineExceededException {
  private static final long serialVersionUID = 1L;

  ContextDoneException(String message) {
    super(message);
  }

  /** Records no stack trace; returns this. */
  @Override
  public final synchronized Throwable fillInStackTrace() {
    return this;
  }
}
