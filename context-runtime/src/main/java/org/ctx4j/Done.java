package org.ctx4j;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The signal that a context is done: Go's {@code <-chan struct{}} from {@code ctx.Done()}. It fires
 * once and stays fired. It can be polled without blocking, awaited, given a callback, or seen as a
 * {@link CompletableFuture}.
 */
public interface Done {

  /**
   * Whether the signal has fired; never blocks. Go's {@code select { case <-ctx.Done(): ...
   * default: }}.
   *
   * @return true once the context is done
   */
  boolean isDone();

  /**
   * Blocks until the signal fires. Go's {@code <-ctx.Done()}.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void await() throws InterruptedException;

  /**
   * Blocks until the signal fires or {@code timeout} passes. Go's {@code select} over {@code
   * ctx.Done()} and {@code time.After(timeout)}.
   *
   * @param timeout the longest time to wait
   * @return true if the signal fired, false if the time ran out
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws NullPointerException if {@code timeout} is null
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Runs {@code callback} once when the signal fires, on the thread that fires it (the canceller,
   * or the timer thread for a deadline); at once on the calling thread if it has already fired.
   * Keep callbacks short; one that throws does not stop the others. Go has no direct counterpart
   * (see {@link Context#afterFunc(Context, Runnable)}, which runs on its own thread).
   *
   * @param callback what to run
   * @return a handle that removes the callback again
   * @throws NullPointerException if {@code callback} is null
   */
  Registration onDone(Runnable callback);

  /**
   * A future that completes normally (with null) when the signal fires. It is a view: completing
   * or cancelling it does not affect the context.
   *
   * @return the future
   */
  CompletableFuture<Void> toFuture();

  /** A callback registered with {@link Done#onDone(Runnable)}. */
  @FunctionalInterface
  interface Registration {
    /**
     * Removes the callback.
     *
     * @return true if this call removed it before it ran; false if it has run (or is running) or
     *     was already removed
     */
    boolean remove();
  }
}
