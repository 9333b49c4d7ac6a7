package org.ctx4j;

import java.util.concurrent.Semaphore;

/**
 * The limit of a group made by {@link TaskGroup#withLimit}: Go's {@code errgroup.Group.sem}, one
 * permit a task that may run at once. A semaphore itself rather than an object that holds one, so
 * that taking and releasing a slot costs no extra load; and the group context's callback that opens
 * every slot when the context ends ({@link #run()}), so that a group with a limit registers no
 * other object.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>At most {@code limit} tasks at once, while the context is live.</b> A task holds a slot
 *       from before it is counted until after its body has ended: {@link TaskRunner} takes it
 *       ({@link #take}) before it counts the task, and releases it just before the task is
 *       uncounted, or at once if the group refused the task because it had finished.
 *   <li><b>The end of the context wakes every waiting {@code go()}.</b> When the group's context
 *       ends, {@link #run()} releases {@link #FLOOD} permits: every {@code go()} waiting for a slot
 *       gets one, then finds the context ended, and its task does not run. Permits released beyond
 *       the limit after that are harmless, since no task starts once the context has ended.
 * </ul>
 */
final class TaskSlots extends Semaphore implements Runnable {
  /** Permits released when the context ends, so that every go() waiting for a slot wakes up. */
  private static final int FLOOD = 1 << 29;

  /** Slots for {@code limit} tasks of the group whose context is {@code ctx}. */
  static TaskSlots open(int limit, Context ctx) {
    TaskSlots s = new TaskSlots(limit);
    ctx.done().onDone(s);
    return s;
  }

  private TaskSlots(int limit) {
    super(limit);
  }

  /**
   * Takes a slot for a task that is about to be counted: at once if one is free; else, if {@code
   * wait}, when one is, or when the group's context ends.
   *
   * @param ctx the group's context, cancelled if the wait is interrupted
   * @return whether a slot was taken; false if none is free and {@code wait} is false, or if the
   *     thread was interrupted while waiting: the group's context is then cancelled (its cause is
   *     the {@link InterruptedException}) and the thread's interrupt status set again
   */
  boolean take(boolean wait, CancellableContext ctx) {
    if (tryAcquire()) {
      return true;
    }
    if (!wait) {
      return false;
    }
    try {
      acquire(); // released by FLOOD when the context ends
      return true;
    } catch (InterruptedException e) {
      ctx.cancel(e);
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The group's context ended: opens every slot (see the class comment). */
  @Override
  public void run() {
    release(FLOOD);
  }
}
