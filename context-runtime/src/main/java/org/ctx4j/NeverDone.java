package org.ctx4j;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Done} of {@link Context#background()}, {@link Context#todo()} and {@link
 * Context#withoutCancel}: Go's nil {@code Done()} channel, which never fires. It keeps nothing: a
 * callback registered on it is dropped at once (it could never run), so registering callbacks on it
 * leaks nothing.
 */
final class NeverDone implements Done {
  static final NeverDone INSTANCE = new NeverDone();

  private NeverDone() {}

  @Override
  public boolean isDone() {
    return false;
  }

  /** Blocks until the thread is interrupted (Go: receiving from a nil channel blocks forever). */
  @Override
  public void await() throws InterruptedException {
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.park(this);
    }
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long end = System.nanoTime() + ContextFactories.saturatedNanos(timeout);
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(this, left);
    }
  }

  @Override
  public Registration onDone(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    AtomicBoolean removed = new AtomicBoolean();
    return () -> removed.compareAndSet(false, true);
  }

  /**
   * A fresh future per call that never completes (and that callers cannot complete either): it is
   * registered nowhere, so it and its dependents are garbage as soon as the caller drops them.
   */
  @Override
  public CompletableFuture<Void> toFuture() {
    return new DoneFuture();
  }

  @Override
  public String toString() {
    return "Done[never]";
  }
}
