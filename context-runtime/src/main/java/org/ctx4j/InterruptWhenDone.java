package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#interruptWhenDone(Context)}: interrupts {@link #owner} when the context ends,
 * until {@link #close()}.
 *
 * <p>Invariant: no interrupt is delivered after {@code close()} returns. {@link #state} moves
 * {@code OPEN -> INTERRUPTING -> INTERRUPTED} (the context ended) or {@code OPEN -> CLOSED}; the
 * callback interrupts only after winning {@code OPEN -> INTERRUPTING}, and {@code close()} either
 * wins {@code OPEN -> CLOSED} (then no interrupt can follow) or waits until the interrupt it lost
 * to has been delivered.
 *
 * <p>Interrupt flag: if this scope interrupted the thread, {@code close()} (on the owner thread)
 * clears the flag, so that the end of the context does not leak into code after the scope; the code
 * learns of it from {@code ctx.err()}. If the thread was already interrupted when the context
 * ended, this scope did not interrupt it and leaves the flag alone.
 */
final class InterruptWhenDone implements InterruptScope, Runnable {
  private static final int OPEN = 0;
  private static final int INTERRUPTING = 1;
  private static final int INTERRUPTED = 2;
  private static final int CLOSED = 3;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(InterruptWhenDone.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Thread owner = Thread.currentThread();
  private volatile int state;
  private boolean delivered; // written before state = INTERRUPTED, read after seeing it
  private Done.@Nullable Registration registration;

  static InterruptScope open(Context ctx) {
    InterruptWhenDone s = new InterruptWhenDone();
    Done d = ctx.done();
    if (d != null && d != NeverDone.INSTANCE) {
      s.registration = d.onDone(s);
    }
    return s;
  }

  /** The context ended. */
  @Override
  public void run() {
    if (STATE.compareAndSet(this, OPEN, INTERRUPTING)) {
      boolean already = owner.isInterrupted();
      if (!already) {
        owner.interrupt();
      }
      delivered = !already;
      state = INTERRUPTED;
    }
  }

  @Override
  @SuppressWarnings("ThreadPriorityCheck") // Thread.yield in a spin of a few instructions
  public void close() {
    Done.Registration r = registration;
    if (r != null) {
      registration = null;
      r.remove();
    }
    if (STATE.compareAndSet(this, OPEN, CLOSED)) {
      return;
    }
    int s;
    while ((s = state) == INTERRUPTING) {
      Thread.yield(); // the window is a few instructions on the other thread
    }
    if (s == INTERRUPTED) {
      state = CLOSED;
      if (delivered && Thread.currentThread() == owner) {
        Thread.interrupted();
      }
    }
  }

  @Override
  public String toString() {
    return state == CLOSED
        ? "InterruptScope[closed]"
        : "InterruptScope[open, " + owner.getName() + "]";
  }
}
