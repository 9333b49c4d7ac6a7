package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * The duty to cancel a context, without the context: Go's {@code context.CancelFunc} and {@code
 * context.CancelCauseFunc}. A class that starts work under a context it derived and ends that work
 * later (in {@code close()}, {@code stop()}, a shutdown hook) keeps this in a field instead of the
 * context, which belongs on the parameter lists of the methods that do the work:
 *
 * <pre>{@code
 * CancellableContext ctx = Context.withCancel(parent);
 * this.stop = ctx::cancel; // a CancelFunc field
 * executor.execute(() -> poll(ctx));
 * ...
 * stop.cancel(); // in close()
 * }</pre>
 *
 * <p>{@code ctx::cancel} refers to {@link CancellableContext#cancel(Throwable)}, so the handle has
 * the context's rules: the first cancellation wins, later calls (with or without a cause) do
 * nothing, a null cause means {@link CanceledException}. Neither method declares a checked
 * exception. {@link CancellableContext} does not extend this interface: a context is passed down, a
 * {@code CancelFunc} is kept by whoever owns the work.
 */
@FunctionalInterface
public interface CancelFunc {

  /**
   * Cancels the context with {@link CanceledException} and records {@code cause} for {@link
   * Context#cause(Context)}; does nothing if the context is already done. Go's {@code
   * cancel(cause)} from {@code context.WithCancelCause}.
   *
   * @param cause why the context is cancelled; null means {@link CanceledException}
   */
  void cancel(@Nullable Throwable cause);

  /** {@code cancel(null)}: Go's {@code cancel()} from {@code context.WithCancel}. */
  default void cancel() {
    cancel(null);
  }
}
