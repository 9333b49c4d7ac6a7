package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#afterFunc(Context, Runnable)}: Go's {@code afterFuncCtx}. One compare-and-set on
 * {@link #state} decides between running and stopping, so the function runs at most once and {@link
 * #stop()} returns true only if it prevented the run. The run itself is handed to {@link
 * Scheduler#runAfterFunc}, so the canceller never waits for it.
 */
final class AfterFuncEntry extends Entry implements AfterFunc {
  private static final int PENDING = 0;
  private static final int STARTED = 1;
  private static final int STOPPED = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(AfterFuncEntry.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;
  private @Nullable Runnable f;

  /** When the context is user-written: the registration with its done signal. */
  Done.@Nullable Registration registration;

  AfterFuncEntry(Runnable f) {
    this.f = f;
  }

  @Override
  @SuppressWarnings("NullAway") // f is null only after the one way out of PENDING, won just here
  void fire() {
    if (STATE.compareAndSet(this, PENDING, STARTED)) {
      Runnable run = f;
      f = null;
      Scheduler.runAfterFunc(run);
    }
  }

  @Override
  public boolean stop() {
    if (!STATE.compareAndSet(this, PENDING, STOPPED)) {
      return false;
    }
    f = null;
    if (!unlink()) {
      Done.Registration r = registration;
      if (r != null) {
        r.remove();
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return switch (state) {
      case PENDING -> "AfterFunc[pending]";
      case STARTED -> "AfterFunc[started]";
      default -> "AfterFunc[stopped]";
    };
  }
}
