package org.ctx4j;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The error of a context that is done: {@link Context#err()} returns one of its two subclasses,
 * {@link CanceledException} (Go's {@code context.Canceled}) or {@link DeadlineExceededException}
 * (Go's {@code context.DeadlineExceeded}).
 *
 * <p>Where Go compares {@code err == context.Canceled}, Java code tests the type: {@code err
 * instanceof CanceledException}. Instances carry no stack trace (creating one is cheap): like Go's
 * sentinel errors they say what happened, and {@link Context#cause(Context)} says why.
 *
 * <p>The runtime creates one instance per cancellation event (a {@code cancel()}, a deadline
 * passing) and shares it with every context that event ends; after a plain {@code cancel()} it is
 * created when first asked for, so that a context closed and never asked costs no exception. It is
 * not one instance per JVM: {@code CancellationException} cannot disable {@link
 * Throwable#addSuppressed}, so an instance thrown out of try-with-resources may collect suppressed
 * exceptions, and those should stay with the one event they belong to.
 */
public abstract sealed class ContextDoneException extends CancellationException
    permits CanceledException, DeadlineExceededException {
  private static final long serialVersionUID = 1L;

  /**
   * Why the context ended, as {@link Context#cause(Context)} reports it; null means "this exception
   * itself" (a plain {@code cancel()} or an expiry without a cause). Kept here, not in a field of
   * the context, so that the error and the cause are published together by one write: a reader can
   * never see one without the other. Not serialised.
   */
  private final transient @Nullable Throwable reason;

  ContextDoneException(String message, @Nullable Throwable reason) {
    super(message);
    this.reason = reason;
  }

  /** The cause this error was created with: the reason given, or this exception itself. */
  final Throwable causeOrSelf() {
    Throwable r = reason;
    return r == null ? this : r;
  }

  /**
   * Records no stack trace; returns this. The error says what happened (like Go's sentinel errors),
   * not where, and stays cheap to create: the runtime creates one per cancellation event.
   */
  @Override
  public final Throwable fillInStackTrace() {
    return this;
  }
}
