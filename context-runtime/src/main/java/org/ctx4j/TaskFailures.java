package org.ctx4j;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TaskGroup}'s tasks threw, and what {@link TaskGroup#await()} reports of it: Go's
 * {@code errOnce} and {@code err} in {@code errgroup.Group}. Like {@link TaskCount}, it works on
 * the group's own fields ({@link TaskGroup#firstFailure}, {@link TaskGroup#laterFailures}, {@link
 * TaskGroup#incomplete}, and the group's handles on the first two), so that a group allocates
 * nothing for failures it does not have.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>The first failure wins, once.</b> {@link #record} sets {@code firstFailure} by one
 *       compare-and-set from null, and only while the group's context is live; the winner then
 *       cancels the context with itself as cause, so every sibling sees it. The field never changes
 *       again. A failure that races the end of the context may still win the field after the
 *       context has ended for another reason; {@link #outcome} tells the two apart by asking
 *       whether the context's cause is that failure.
 *   <li><b>The consequences of the end are not failures.</b> Once the context has ended, a failure
 *       that only says so ({@link #endedByTheGroup}) marks the group {@code incomplete} and is
 *       dropped; any other goes to {@code laterFailures}, a queue created on first use by one
 *       compare-and-set (the loser adds to the winner's queue), so no failure is lost.
 *   <li><b>Read once the group has finished.</b> {@link #outcome} runs after {@link
 *       TaskCount#waitAndFinish}: every task has been uncounted, so every failure it recorded is
 *       visible (see {@link TaskCount}), and nothing is recorded any more.
 * </ul>
 */
final class TaskFailures {
  private TaskFailures() {}

  /**
   * Records a task's failure. The first one while the context is live cancels it, with the failure
   * as cause. Once the context has ended, a failure that only says so is dropped (the task is
   * counted as ended by the group's end); any other is kept, to be reported as suppressed.
   */
  @SuppressWarnings("NullAway") // a failed compare-and-set saw laterFailures set; it stays set
  static void record(TaskGroup g, Throwable t) {
    if (g.ctx.err() == null && TaskGroup.FIRST_FAILURE.compareAndSet(g, null, t)) {
      g.ctx.cancel(t);
      return;
    }
    if (g.ctx.err() != null && endedByTheGroup(t)) {
      g.incomplete = true;
      return;
    }
    ConcurrentLinkedQueue<Throwable> later = g.laterFailures;
    if (later == null) {
      later = new ConcurrentLinkedQueue<>();
      if (!TaskGroup.LATER_FAILURES.compareAndSet(g, null, later)) {
        later = g.laterFailures;
      }
    }
    later.add(t);
  }

  /** Whether {@code t} says only that the task was stopped: a context error or an interruption. */
  private static boolean endedByTheGroup(Throwable t) {
    if (Context.findDoneError(t).isPresent()) {
      return true;
    }
    List<Throwable> seen = new ArrayList<>();
    for (Throwable x = t; x != null && seen.size() < 32; x = x.getCause()) {
      for (Throwable y : seen) {
        if (y == x) {
          return false;
        }
      }
      seen.add(x);
      if (x instanceof InterruptedException
          || x instanceof InterruptedIOException
          || x instanceof ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The outcome {@code await()} reports, once the group has finished (its context is cancelled).
   * The primary error is what ended the group's context: the first failure if it did, else the
   * context's own error (the parent ended, or the group was closed), with the failures that came
   * after it suppressed.
   *
   * @return null if every task ran and returned normally
   */
  @SuppressWarnings("NullAway") // the group has finished: its context is cancelled, err() is set
  static @Nullable ExecutionException outcome(TaskGroup g) {
    Throwable first = g.firstFailure;
    ConcurrentLinkedQueue<Throwable> later = g.laterFailures;
    Throwable cause = Context.cause(g.ctx);
    ExecutionException e;
    if (first != null && cause == first) {
      e = new ExecutionException("a task of the group failed: " + first, first);
    } else if (first != null || later != null || g.incomplete) {
      ContextDoneException err = g.ctx.err();
      e =
          new ExecutionException(
              (err == g.parent.err()
                      ? "the parent context ended"
                      : "the group's context was cancelled")
                  + " before every task had completed: "
                  + err.getMessage(),
              err);
      if (cause != null && cause != err) {
        e.addSuppressed(cause);
      }
      if (first != null) {
        e.addSuppressed(first); // lost the race with the end of the context
      }
    } else {
      return null;
    }
    if (later != null) {
      for (Throwable t : later) {
        e.addSuppressed(t);
      }
    }
    return e;
  }
}
