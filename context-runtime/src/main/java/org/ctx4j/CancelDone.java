package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Done} of a {@link CancelContext}: Go's {@code cancelCtx.done} channel. A read-only
 * view: it exposes no way to cancel the context. Fired means {@link CancelContext#isDoneNow()};
 * everything here is built on {@link CancelContext#addEntry}, which either registers an entry (and
 * the context with its ancestors) that the cancel path fires later or reports that the context is
 * already done. Once an entry is registered, the context's own {@code err} is authoritative.
 */
final class CancelDone implements Done {
  private static final VarHandle FUTURE;

  static {
    try {
      FUTURE = MethodHandles.lookup().findVarHandle(CancelDone.class, "future", DoneFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final CancelContext node;
  private volatile @Nullable DoneFuture future;

  CancelDone(CancelContext node) {
    this.node = node;
  }

  @Override
  public boolean isDone() {
    return node.isDoneNow();
  }

  /**
   * Parks the thread; the cancel path unparks it. Returns at once if already fired, even if
   * interrupted.
   */
  @Override
  public void await() throws InterruptedException {
    if (node.isDoneNow()) {
      return;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Waiter w = new Waiter(Thread.currentThread());
    if (!node.addEntry(w)) {
      return;
    }
    try {
      while (node.err == null) {
        LockSupport.park(this);
        if (node.err == null && Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      w.unlink();
    }
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (node.isDoneNow()) {
      return true;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long nanos = ContextFactories.saturatedNanos(timeout);
    if (nanos <= 0) {
      return false;
    }
    long end = System.nanoTime() + nanos;
    Waiter w = new Waiter(Thread.currentThread());
    if (!node.addEntry(w)) {
      return true;
    }
    try {
      while (node.err == null) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, left);
        if (node.err == null && Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return true;
    } finally {
      w.unlink();
    }
  }

  @Override
  public Registration onDone(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    CallbackEntry e = new CallbackEntry(callback);
    if (node.addEntry(e)) {
      return e;
    }
    try {
      callback.run();
    } catch (Throwable t) {
      Scheduler.report(t);
    }
    return CallbackEntry.GONE;
  }

  /** One per context, made and registered on first call; see {@link DoneFuture}. */
  @Override
  @SuppressWarnings("NullAway") // future is set by the compare-and-set, won or lost, and stays set
  public CompletableFuture<Void> toFuture() {
    DoneFuture f = future;
    if (f == null) {
      DoneFuture mine = new DoneFuture();
      if (FUTURE.compareAndSet(this, null, mine)) {
        if (!node.addEntry(mine.entry)) {
          mine.fire();
        }
      }
      f = future;
    }
    return f;
  }

  @Override
  public String toString() {
    return node.isDoneNow() ? "Done[fired]" : "Done[pending]";
  }

  /** A thread blocked in {@link #await()}. */
  private static final class Waiter extends Entry {
    private final Thread thread;

    Waiter(Thread thread) {
      this.thread = thread;
    }

    @Override
    void fire() {
      LockSupport.unpark(thread);
    }
  }
}
