package org.ctx4j;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The count of a {@link TaskGroup}'s tasks and the end of the group: Go's {@code sync.WaitGroup}
 * inside {@code errgroup.Group}, with the group's end folded into the same word. It works on two
 * fields of the group, {@link TaskGroup#state} and {@link TaskGroup#waiters} (through the group's
 * handles on them), rather than on an object of its own, so that {@code go()} and {@code await()}
 * reach the word without an extra load and a group allocates nothing more.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>One word.</b> {@code state} is the number of tasks handed to the group that have not
 *       ended ({@link #COUNT} bits), plus the {@link #FINISHED} bit. A task is counted by {@link
 *       #count} before it is handed to the executor, and uncounted by {@link #uncount} as the very
 *       last thing it does (see {@link TaskRunner}), so a count of zero means that no code of the
 *       group's tasks is running.
 *   <li><b>Counted or refused, never lost.</b> {@link #waitAndFinish} finishes the group by one
 *       compare-and-set from "zero tasks, not finished" to {@code FINISHED}; {@link #count} adds a
 *       task by a compare-and-set that fails once the bit is set. So a task is either counted
 *       before the group finishes (and waited for) or refused, and none runs after {@code await()},
 *       or a {@code close()} called from outside the group's tasks, has returned. The bit is never
 *       cleared.
 *   <li><b>Waiting for zero (Dekker).</b> A thread waits for the count in {@link #waitAndFinish} by
 *       pushing a {@link Waiter} onto the {@code waiters} stack and then reading the count; the
 *       task that brings the count to zero decrements it and then empties the stack, unparking
 *       every waiter. Both accesses are volatile: at least one of the two sees the other's write,
 *       so either the waiter sees zero or the last task sees the waiter. A waiter pushes itself
 *       again before every park: the last task takes every waiter off the stack, and a {@code go()}
 *       from outside the group's tasks can count a new task before the woken waiter reads the
 *       count, so a waiter that parked again without pushing itself would be reached by no later
 *       uncount. A spurious wake-up leaves a stale node on the stack, which costs one needless
 *       unpark.
 *   <li><b>Publication.</b> What a task writes before it is uncounted (its {@link
 *       TaskGroup.Result}, the failures it recorded) happens-before what a thread does after it has
 *       seen the count at zero or the {@code FINISHED} bit set, through the volatile
 *       read-modify-write of {@code state}.
 * </ul>
 */
final class TaskCount {
  static final long FINISHED = 1L << 62;
  static final long COUNT = FINISHED - 1;

  private TaskCount() {}

  /** A thread parked in {@code await()} or {@code close()}: one node of the group's stack. */
  static final class Waiter {
    final Thread thread = Thread.currentThread();
    @Nullable Waiter next;
  }

  /** Counts one task; false if the group has finished (the task must not be handed over). */
  static boolean count(TaskGroup g) {
    long s;
    do {
      s = g.state;
      if ((s & FINISHED) != 0) {
        return false;
      }
    } while (!TaskGroup.STATE.compareAndSet(g, s, s + 1));
    return true;
  }

  /**
   * Uncounts one task: the last thing it does. The task that brings the count to zero wakes every
   * waiter.
   */
  static void uncount(TaskGroup g) {
    long s = (long) TaskGroup.STATE.getAndAdd(g, -1L) - 1;
    if ((s & COUNT) == 0) {
      for (Waiter w = (Waiter) TaskGroup.WAITERS.getAndSet(g, null); w != null; w = w.next) {
        LockSupport.unpark(w.thread);
      }
    }
  }

  /**
   * Waits until no task is counted and sets {@link #FINISHED} (or sees it set), then cancels the
   * group's context, with the first failure as cause.
   *
   * @param interruptible whether an interrupt ends the wait with {@link InterruptedException} (the
   *     group is then not finished); otherwise an interrupt is kept and set again on return
   */
  static void waitAndFinish(TaskGroup g, boolean interruptible) throws InterruptedException {
    boolean interrupted = false;
    try {
      for (; ; ) {
        long s = g.state;
        if ((s & FINISHED) != 0) {
          break;
        }
        if (s == 0) {
          if (TaskGroup.STATE.compareAndSet(g, 0L, FINISHED)) {
            break;
          }
          continue;
        }
        Waiter w = new Waiter();
        Waiter head;
        do {
          head = g.waiters;
          w.next = head;
        } while (!TaskGroup.WAITERS.compareAndSet(g, head, w));
        if ((g.state & COUNT) != 0) {
          // One park per push: whatever woke us (the last task, which took us off the stack, or a
          // spurious wake-up), the outer loop reads the count again and, if a go() counted a task
          // in the meantime, pushes a new waiter before parking again.
          LockSupport.park(g);
          if (Thread.interrupted()) {
            if (interruptible) {
              throw new InterruptedException("interrupted while waiting for the group's tasks");
            }
            interrupted = true;
          }
        }
      }
      g.ctx.cancel(g.firstFailure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
