package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * A context its creator must cancel: the result of {@link Context#withCancel(Context)}, {@link
 * Context#withTimeout}, {@link Context#withDeadline} and their {@code *Cause} variants. It joins
 * Go's derived context and its {@code CancelFunc} in one object, and is {@link AutoCloseable} so
 * that try-with-resources plays Go's {@code defer cancel()}:
 *
 * <pre>{@code
 * try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
 *   return fetchUser(ctx, id);
 * }
 * }</pre>
 *
 * <p>Cancelling releases the context's registration in its parent and its timer at once.
 */
public interface CancellableContext extends Context, AutoCloseable {

  /**
   * Cancels this context and its descendants with {@link CanceledException}; later calls do
   * nothing. Go's {@code CancelFunc}.
   */
  void cancel();

  /**
   * Cancels this context and its descendants with {@link CanceledException} and records {@code
   * cause} for {@link Context#cause(Context)}; the first cancellation wins. A null cause means
   * {@link CanceledException}. Go's {@code CancelCauseFunc}.
   *
   * @param cause why the context is cancelled, may be null
   */
  void cancel(@Nullable Throwable cause);

  /** Same as {@link #cancel()}; declares no checked exception. Go's {@code defer cancel()}. */
  @Override
  void close();
}
