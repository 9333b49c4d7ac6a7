package org.ctx4j;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#withDeadline(Context, Instant)} and friends: Go's {@code timerCtx}. A {@link
 * CancelContext} with its own deadline and a task on the shared timer thread ({@link Scheduler})
 * that expires it.
 *
 * <p>Invariant: a cancelled context leaves no task in the scheduler's queue. The canceller sets
 * {@code err} and then reads {@link #timer}; the creator writes {@link #timer} and then reads
 * {@code err}; both are volatile, so at least one of them sees the other and cancels the task
 * (cancelling twice is harmless). The scheduler removes a cancelled task from its queue at once.
 */
final class TimerContext extends CancelContext {
  /** The cause reported on expiry (Go's {@code WithDeadlineCause}); null means the error itself. */
  private final @Nullable Throwable expiryCause;

  private volatile @Nullable ScheduledFuture<?> timer;

  TimerContext(Context parent, Deadline deadline, @Nullable Throwable expiryCause) {
    super(parent, deadline);
    this.expiryCause = expiryCause;
  }

  /**
   * Arms the timer, or expires at once if the deadline has passed (Go: {@code d <= 0}), unless an
   * ancestor is done already (Go's {@code propagateCancel} runs first: the ancestor's error wins).
   * A timer context registers with its runtime ancestor at once, unlike a plain child (see {@link
   * CancelContext}): the ancestor's cancel must stop the timer, not leave it queued until it fires.
   */
  @SuppressWarnings("NullAway") // a timer context always has its own deadline (constructor)
  void start() {
    long delay = deadline.nanos - System.nanoTime();
    if (delay <= 0) {
      if (!isDoneNow()) {
        expire();
      }
      return;
    }
    if (up() != null && registeredEntries() == null) {
      return; // born cancelled by an ancestor: no timer
    }
    if (err != null) {
      return; // cancelled by a user-written parent at attach: no timer
    }
    ScheduledFuture<?> t = Scheduler.timers().schedule(this::expire, delay, TimeUnit.NANOSECONDS);
    timer = t;
    if (err != null) {
      t.cancel(false);
    }
  }

  /** The deadline passed: Go's {@code c.cancel(true, DeadlineExceeded, cause)}. */
  void expire() {
    if (err == null) {
      cancelTree(new DeadlineExceededException(expiryCause), true);
    }
  }

  @Override
  void release() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      timer = null;
      t.cancel(false);
    }
  }

  @Override
  @SuppressWarnings("NullAway") // a timer context always has its own deadline (constructor)
  void describe(StringBuilder sb) {
    sb.append(".withDeadline(")
        .append(deadline.instant)
        .append(" [")
        .append(ContextFactories.formatDuration(deadline.nanos - System.nanoTime()))
        .append("])");
  }
}
