package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One task of a {@link TaskGroup} on its way through the group's executor: Go's {@code go func()
 * {...}()} in {@code errgroup.Group.Go}, with the body's interrupt handling around it. Made by
 * {@code go}, {@code tryGo} and {@code fork}; {@link #handOver} counts it and gives it to the
 * executor, which calls {@link #run()}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>Claimed once.</b> {@link #claimed} decides, by one compare-and-set, whether the executor
 *       runs the task or {@link #handOver} settles it: an executor that throws after running the
 *       task anyway (a caller-runs policy) must not make it also count as rejected, and one that
 *       runs it after {@code handOver} has settled it finds it claimed and does nothing.
 *   <li><b>Uncounted exactly once, last.</b> From the moment {@link TaskCount#count} has counted
 *       the task, exactly one {@link #end()} follows: in {@link #run()} if {@code run} claimed it,
 *       else in {@code handOver}. {@code end()} is the last thing the task does, after its
 *       interrupt scope is closed and its result written; it releases the task's slot, then
 *       uncounts the task. So a count of zero means that no code of the group's tasks is running.
 *   <li><b>A task starts only while the context is live.</b> {@code run()} checks the group's
 *       context after claiming the task; if it has ended, the task counts as not run ({@link
 *       #notRun()}), and so does a task that {@code handOver} finds the context ended for after
 *       counting it.
 *   <li><b>Interrupts only while the body runs.</b> The body runs inside {@link
 *       Context#interruptWhenDone(Context)} on the group's context, opened just before the body and
 *       closed as soon as it returns or throws: the end of the context interrupts the thread only
 *       in that window, an interrupt it delivered is cleared on the way out, and none arrives after
 *       (see {@link InterruptWhenDone}), so a pooled thread goes to its next job without the flag.
 *   <li><b>Which tasks a thread is running.</b> {@link #RUNNING} holds the innermost task the
 *       current thread is running, and each task's {@link #outer} the task that was running on the
 *       thread when it started (a task of another group, run in place by an executor that runs
 *       tasks on the caller's thread), so that {@code await()} and {@code close()} can tell when
 *       they are called from inside one of the group's own tasks. Only the thread itself reads or
 *       writes this list.
 * </ul>
 */
final class TaskRunner implements Runnable {
  private static final VarHandle CLAIMED;

  static {
    try {
      CLAIMED = MethodHandles.lookup().findVarHandle(TaskRunner.class, "claimed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The tasks running on the current thread, innermost first (tasks of nested groups). */
  private static final ThreadLocal<TaskRunner> RUNNING = new ThreadLocal<>();

  private final TaskGroup group;
  private final TaskGroup.Task task;
  private final TaskGroup.@Nullable Result<?> result; // null for go/tryGo
  private @Nullable TaskRunner outer; // the task this thread was running when this one started

  @SuppressWarnings("UnusedVariable") // accessed through CLAIMED
  private volatile boolean claimed;

  TaskRunner(TaskGroup group, TaskGroup.Task task, TaskGroup.@Nullable Result<?> result) {
    this.group = group;
    this.task = task;
    this.result = result;
  }

  /** Whether the current thread is running a task of {@code group}, directly or further out. */
  static boolean insideTaskOf(TaskGroup group) {
    for (TaskRunner r = RUNNING.get(); r != null; r = r.outer) {
      if (r.group == group) {
        return true;
      }
    }
    return false;
  }

  /**
   * Counts this task and hands it to the group's executor: the body of {@code go}, {@code tryGo}
   * and {@code fork}.
   *
   * @param wait whether to wait for a slot if the group has a limit and none is free
   * @return false if the task was not handed over (no slot free without {@code wait}, or it will
   *     not run); true if it was, including when the executor rejected it (it then failed)
   * @throws IllegalStateException if the group has finished
   */
  boolean handOver(boolean wait) {
    TaskGroup g = group;
    if (g.isFinished()) {
      throw TaskGroup.finishedError();
    }
    TaskSlots slots = g.slots;
    if (slots != null && !slots.take(wait, g.ctx)) {
      if (wait) {
        notRun(); // interrupted while waiting for a slot
      }
      return false;
    }
    if (!TaskCount.count(g)) {
      if (slots != null) {
        slots.release();
      }
      throw TaskGroup.finishedError();
    }
    // Counted: from here on, run() (or this method) calls end() exactly once.
    if (g.ctx.err() != null) {
      claim();
      notRun();
      end();
      return false;
    }
    try {
      g.executor.execute(this);
    } catch (Throwable t) {
      if (claim()) { // else the executor ran it after all (caller-runs policies)
        RejectedExecutionException e =
            new RejectedExecutionException(
                "the group's executor " + g.executor + " did not accept a task: " + t, t);
        failed(e);
        end();
      }
    }
    return true;
  }

  private boolean claim() {
    return CLAIMED.compareAndSet(this, false, true);
  }

  private void notRun() {
    group.incomplete = true;
    if (result != null) {
      result.outcome = TaskGroup.Result.NOT_RUN;
    }
  }

  private void failed(Throwable t) {
    if (result != null) {
      result.failure = t;
      result.outcome = TaskGroup.Result.FAILED;
    }
    TaskFailures.record(group, t);
  }

  /** Uncounts this task: its last action, after its slot is free and its interrupt scope closed. */
  private void end() {
    TaskGroup g = group;
    TaskSlots slots = g.slots;
    if (slots != null) {
      slots.release();
    }
    TaskCount.uncount(g);
  }

  @Override
  public void run() {
    if (!claim()) {
      return;
    }
    TaskGroup g = group;
    try {
      if (g.ctx.err() != null) {
        notRun();
        return;
      }
      outer = RUNNING.get();
      RUNNING.set(this);
      try (InterruptScope scope = Context.interruptWhenDone(g.ctx)) {
        task.run(g.ctx);
        if (result != null) {
          result.outcome = TaskGroup.Result.SUCCEEDED;
        }
      } catch (Throwable t) {
        failed(t);
      } finally {
        if (outer == null) {
          RUNNING.remove();
        } else {
          RUNNING.set(outer);
        }
      }
    } finally {
      end();
    }
  }
}
