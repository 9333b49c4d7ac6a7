package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Done} of a {@link CancelContext}: Go's {@code cancelCtx.done} channel. A read-only
 * view: it exposes no way to cancel the context. Fired means {@code node.err != null}; everything
 * here is built on {@link CancelContext#addEntry}, which either registers an entry that the cancel
 * path fires later or reports that the context is already done.
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
  private volatile DoneFuture future;

  CancelDone(CancelContext node) {
    this.node = node;
  }

  @Override
  public boolean isDone() {
    return node.err != null;
  }

  /** Parks the thread; the cancel path unparks it. Returns at once if already fired, even if interrupted. */
  @Override
  public void await() throws InterruptedException {
    if (node.err != null) {
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
    if (node.err != null) {
      return true;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long nanos = Contexts.saturatedNanos(timeout);
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
    return node.err == null ? "Done[pending]" : "Done[fired]";
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
