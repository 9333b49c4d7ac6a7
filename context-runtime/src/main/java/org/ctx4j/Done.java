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
   * Blocks until the signal fires. Go's {@code <-ctx.Done()}. Returns at once if the signal has
   * already fired (even if the thread is interrupted); the {@code Done} of {@link
   * Context#background()} blocks until the thread is interrupted.
   *
   * @throws InterruptedException if the waiting thread is interrupted before the signal fires
   */
  void await() throws InterruptedException;

  /**
   * Blocks until the signal fires or {@code timeout} passes. Go's {@code select} over {@code
   * ctx.Done()} and {@code time.After(timeout)}.
   *
   * <p>A zero or negative timeout polls.
   *
   * @param timeout the longest time to wait
   * @return true if the signal fired, false if the time ran out
   * @throws InterruptedException if the waiting thread is interrupted before the signal fires
   * @throws NullPointerException if {@code timeout} is null
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Runs {@code callback} once when the signal fires, on the thread that fires it (the canceller,
   * or the timer thread for a deadline), after every context the cancellation ends already reports
   * its error, with no lock held; at once on the calling thread if it has already fired. Keep
   * callbacks short. One that throws does not stop the others or the cancellation: its exception
   * goes to the running thread's {@link Thread.UncaughtExceptionHandler}. A callback registered on
   * a signal that never fires ({@link Context#background()}'s) is not kept at all. Go has no direct
   * counterpart (see {@link Context#afterFunc(Context, Runnable)}, which runs on its own thread;
   * Go's {@code context.AfterFunc} plays this role for custom contexts).
   *
   * @param callback what to run
   * @return a handle that removes the callback again
   * @throws NullPointerException if {@code callback} is null
   */
  Registration onDone(Runnable callback);

  /**
   * A future that completes normally (with null) when the signal fires: Go's {@code ctx.Done()}
   * channel, for code that composes futures. Only the runtime completes it: its {@code complete},
   * {@code completeExceptionally} and {@code cancel} do nothing and return false ({@code orTimeout}
   * and {@code completeOnTimeout} on it therefore have no effect), {@code obtrude*} and {@code
   * completeAsync} throw {@link UnsupportedOperationException}. Stages derived from it are ordinary
   * futures; their actions without an executor run on the thread that fires the signal.
   *
   * <p>For a context that can end, every call returns the same future, so asking a long-lived
   * context for it again and again keeps nothing more. For one that never ends, each call returns a
   * fresh future that is registered nowhere.
   *
   * @return the future
   */
  CompletableFuture<Void> toFuture();

  /**
   * A callback registered with {@link Done#onDone(Runnable)}. Go has none: it plays the part of the
   * {@code stop} function of {@code context.AfterFunc}.
   */
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
