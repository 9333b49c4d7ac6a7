package org.ctx4j;

import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * A group of tasks working on parts of one job under one context: Go's {@code
 * golang.org/x/sync/errgroup.Group}. The first task that fails cancels the group's context, so
 * every sibling sees it at once; {@link #await()} waits for every task and reports that first
 * failure; {@link #close()} makes sure no task outlives a try-with-resources block.
 *
 * <pre>{@code
 * try (TaskGroup g = TaskGroup.withContext(ctx)) {
 *   for (String id : ids) {
 *     g.go(c -> store.put(id, fetch(c, id)));   // c is the group's context, not ctx
 *   }
 *   g.await();                                   // the first failure, or every task done
 * }
 * }</pre>
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li><b>The group's context</b> ({@link #context()}) is a child of the parent, as from {@link
 *       Context#withCancel(Context)}. It ends when the parent ends, when a task fails (with that
 *       failure as its {@link Context#cause(Context) cause}), when {@link #await()} has waited for
 *       every task (Go's {@code Wait} cancels too), and in {@link #close()}. It is always cancelled
 *       by the time {@code await()} or {@code close()} returns, so it never stays registered in its
 *       parent.
 *   <li><b>A task starts only while the group's context is live.</b> A task handed to {@link
 *       #go(Task)} whose executor has not yet started it when the context ends never runs: it
 *       counts as done, and {@code await()} reports that not every task ran (see below).
 *   <li><b>Interrupts.</b> While a task's body runs, the end of the group's context interrupts its
 *       thread, so that waits that cannot see the context ({@code Thread.sleep}, {@code
 *       Future.get}, blocking I/O, {@code BlockingQueue.take}) end too. The interrupt is delivered
 *       only between the moment the body starts and the moment it returns or throws; when the body
 *       ends, an interrupt the group delivered is cleared, and none can arrive afterwards, so a
 *       pooled thread goes to its next job without the flag (the same protocol as {@link
 *       Context#interruptWhenDone(Context)}, which it uses).
 *   <li><b>Failures.</b> A task fails when its body throws (any {@link Throwable}). The first
 *       failure cancels the group's context with that failure as cause. A failure that only says
 *       the group has ended (a {@link ContextDoneException} or an interruption, {@link
 *       InterruptedException}, {@link InterruptedIOException} or {@link
 *       ClosedByInterruptException}, anywhere in its cause chain, thrown after the group's context
 *       ended) is the consequence of the end, not a failure of its own: it is never reported over a
 *       real one.
 *   <li><b>{@link #await()}</b> waits until every task handed to the group has ended (tasks may
 *       start other tasks of the group meanwhile), then cancels the context and returns normally
 *       only if every task ran and returned normally. Otherwise it throws an {@link
 *       ExecutionException}: caused by the first failure, with the later failures (not the
 *       consequences of the end) as suppressed exceptions; or, if no task failed but some did not
 *       run or were ended by the group's end, caused by the context's error, so that {@link
 *       Context#isCanceled(Throwable)} and {@link Context#isDeadlineExceeded(Throwable)} tell
 *       whether the parent was cancelled or ran out of time.
 *   <li><b>Limit.</b> A group made by {@link #withLimit(Context, int)} runs at most that many tasks
 *       at once (Go's {@code SetLimit}): {@link #go(Task)} waits for a free slot, a wait that also
 *       ends when the group's context ends; {@link #tryGo(Task)} never waits.
 * </ul>
 *
 * <h2>Why {@code await()} throws a checked {@link ExecutionException}</h2>
 *
 * Go's {@code Wait} returns an {@code error} that the caller must look at. Java's way of saying "a
 * task you started failed" is the checked {@code ExecutionException} of {@link
 * java.util.concurrent.Future#get()} and {@link java.util.concurrent.ExecutorService#invokeAny}:
 * the compiler makes callers handle it, and it can carry a task's checked exception as its cause
 * without a wrapper of ctx4j's own. Look through it with {@link Context#findDoneError(Throwable)}
 * or {@link ExecutionException#getCause()}.
 *
 * <h2>The default executor</h2>
 *
 * {@link #withContext(Context)} runs tasks on the runtime's shared pool of daemon threads named
 * {@code ctx4j-task-N}: a cached pool (a thread per running task, made on demand, reused, ended
 * after a minute idle), on every JDK. A cached pool is Go's "a goroutine per task" with platform
 * threads: no task waits for another to free a thread, so tasks that wait for each other cannot
 * deadlock; reusing threads makes a task about as cheap as {@code ExecutorService.submit} (a new
 * thread per task costs tens of microseconds more; {@code benchmarks/README.md}). It is the same on
 * every JDK rather than virtual threads on 21+, so that behaviour does not change with the JDK
 * (virtual threads pin their carrier in {@code synchronized} blocks up to JDK 23); on JDK 21+, pass
 * {@code Executors.newVirtualThreadPerTaskExecutor()} to {@link #withContext(Context, Executor)}
 * for large fan-outs. Bound a large fan-out on platform threads with {@link #withLimit(Context,
 * int)}.
 *
 * <h2>Thread safety and invariants</h2>
 *
 * All methods may be called from any thread. The invariants are kept in one word, {@link #state}:
 * the number of tasks handed to the group that have not ended, plus a {@code FINISHED} bit. A task
 * is counted before it is handed to the executor and uncounted as the very last thing it does
 * (after its interrupt scope is closed and its slot released), so a count of zero means no code of
 * the group's tasks is running. {@code await()} and {@code close()} finish the group by one
 * compare-and-set from "zero tasks, not finished" to "finished"; {@code go} counts a task by a
 * compare-and-set that fails once the bit is set. So a task is either counted before the group
 * finishes (and waited for) or rejected with {@link IllegalStateException}: none is lost and none
 * runs after {@code await()} or {@code close()} has returned.
 */
public final class TaskGroup implements AutoCloseable {

  /**
   * A task of a group: Go's {@code func() error} passed to {@code Group.Go}. It receives the
   * group's context, which it should use for everything it calls (not a context captured from the
   * enclosing code, which does not end when a sibling fails).
   */
  @FunctionalInterface
  public interface Task {
    /**
     * Does the task's work.
     *
     * @param ctx the group's context
     * @throws Exception to fail the task, and with it the group
     */
    void run(Context ctx) throws Exception;
  }

  /**
   * A task that produces a value, for {@link TaskGroup#fork(ValueTask)}. Go's pattern of a {@code
   * Group.Go} function that writes its result into a variable the caller reads after {@code Wait}.
   *
   * @param <T> the value's type
   */
  @FunctionalInterface
  public interface ValueTask<T> {
    /**
     * Computes the value.
     *
     * @param ctx the group's context
     * @return the value (may be null)
     * @throws Exception to fail the task, and with it the group
     */
    T call(Context ctx) throws Exception;
  }

  /**
   * The value of a task started with {@link TaskGroup#fork(ValueTask)}, readable once the group has
   * finished. No Go counterpart: Go code assigns to a captured variable and reads it after {@code
   * Wait}.
   *
   * @param <T> the value's type
   */
  public static final class Result<T> {
    private static final int PENDING = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    private static final int NOT_RUN = 3;

    private final TaskGroup group;
    // Plain fields: written by the task's thread before it is uncounted, read only after the group
    // has finished (a volatile read of state that sees the FINISHED bit), which happens after.
    private int outcome = PENDING;
    private T value;
    private Throwable failure;

    Result(TaskGroup group) {
      this.group = group;
    }

    /**
     * The task's value.
     *
     * @return what the task returned
     * @throws IllegalStateException if the group has not finished yet ({@link TaskGroup#await()} or
     *     {@link TaskGroup#close()} has not returned), if the task failed (its failure is the
     *     cause), or if it never ran because the group's context ended first
     */
    public T get() {
      if (!group.isFinished()) {
        throw new IllegalStateException(
            "Result.get() before the group finished: call await() (or close()) first");
      }
      switch (outcome) {
        case SUCCEEDED:
          return value;
        case FAILED:
          throw new IllegalStateException("the task failed: " + failure, failure);
        default:
          throw new IllegalStateException(
              "the task did not run: the group's context ended before it started");
      }
    }

    @Override
    public String toString() {
      if (!group.isFinished()) {
        return "Result[pending]";
      }
      switch (outcome) {
        case SUCCEEDED:
          return "Result[" + value + "]";
        case FAILED:
          return "Result[failed: " + failure + "]";
        default:
          return "Result[not run]";
      }
    }
  }

  private static final long FINISHED = 1L << 62;
  private static final long COUNT = FINISHED - 1;

  /** Permits released when the context ends, so that every go() waiting for a slot wakes up. */
  private static final int FLOOD = 1 << 29;

  private static final VarHandle STATE;
  private static final VarHandle FIRST_FAILURE;
  private static final VarHandle LATER_FAILURES;
  private static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(TaskGroup.class, "state", long.class);
      FIRST_FAILURE = l.findVarHandle(TaskGroup.class, "firstFailure", Throwable.class);
      LATER_FAILURES =
          l.findVarHandle(TaskGroup.class, "laterFailures", ConcurrentLinkedQueue.class);
      WAITERS = l.findVarHandle(TaskGroup.class, "waiters", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The tasks running on the current thread, innermost first (tasks of nested groups). */
  private static final ThreadLocal<Runner> RUNNING = new ThreadLocal<>();

  private final Context parent;
  private final CancellableContext ctx;
  private final Executor executor;
  private final Semaphore slots; // null: no limit
  private final int limit;

  /** The number of counted tasks that have not ended, plus {@link #FINISHED}. */
  @SuppressWarnings("UnusedVariable") // accessed through STATE
  private volatile long state;

  /** The first real failure; set once (compare-and-set), then cancels the context. */
  private volatile Throwable firstFailure;

  /** Real failures after the first, in the order they were recorded; created on first use. */
  private volatile ConcurrentLinkedQueue<Throwable> laterFailures;

  /** Whether some task did not run, or ended by the group's end: await() then reports the end. */
  private volatile boolean incomplete;

  /** Threads parked in await() or close(): a stack, emptied by the task that ends the last one. */
  private volatile Waiter waiters;

  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    Waiter next;
  }

  private TaskGroup(Context parent, Executor executor, int limit) {
    this.parent = parent;
    this.executor = executor;
    this.limit = limit;
    this.ctx = Context.withCancel(parent);
    if (limit > 0) {
      Semaphore s = new Semaphore(limit);
      this.slots = s;
      ctx.done().onDone(() -> s.release(FLOOD));
    } else {
      this.slots = null;
    }
  }

  // ---- Factories ------------------------------------------------------------------------------

  /**
   * A group whose tasks run on the runtime's default executor (see the class comment: a shared
   * cached pool of daemon threads) with no limit. Go's {@code errgroup.WithContext(ctx)}.
   *
   * @param parent the parent of the group's context
   * @return the group; await or close it (try-with-resources)
   * @throws NullPointerException if {@code parent} is null
   */
  public static TaskGroup withContext(Context parent) {
    Objects.requireNonNull(parent, "parent");
    return new TaskGroup(parent, Scheduler.taskPool(), 0);
  }

  /**
   * A group whose tasks run on {@code executor}, with no limit. Go's {@code
   * errgroup.WithContext(ctx)}; the executor plays the part of the {@code go} statement. Any
   * executor works, for example {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+, or
   * a bounded pool. With a pool that has fewer threads than the group has tasks, tasks that wait
   * for one another can deadlock, as with any pool.
   *
   * @param parent the parent of the group's context
   * @param executor runs each task; one that rejects a task makes that task fail with a {@link
   *     RejectedExecutionException}
   * @return the group; await or close it (try-with-resources)
   * @throws NullPointerException if an argument is null
   */
  public static TaskGroup withContext(Context parent, Executor executor) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(executor, "executor");
    return new TaskGroup(parent, executor, 0);
  }

  /**
   * A group on the default executor that runs at most {@code limit} tasks at once. Go's {@code
   * errgroup.WithContext(ctx)} followed by {@code g.SetLimit(limit)}.
   *
   * @param parent the parent of the group's context
   * @param limit the largest number of tasks running at once; at least 1
   * @return the group; await or close it (try-with-resources)
   * @throws NullPointerException if {@code parent} is null
   * @throws IllegalArgumentException if {@code limit} is zero or negative
   */
  public static TaskGroup withLimit(Context parent, int limit) {
    Objects.requireNonNull(parent, "parent");
    checkLimit(limit);
    return new TaskGroup(parent, Scheduler.taskPool(), limit);
  }

  /**
   * A group on {@code executor} that runs at most {@code limit} tasks at once. Go's {@code
   * errgroup.WithContext(ctx)} followed by {@code g.SetLimit(limit)}.
   *
   * @param parent the parent of the group's context
   * @param executor runs each task
   * @param limit the largest number of tasks running at once; at least 1
   * @return the group; await or close it (try-with-resources)
   * @throws NullPointerException if {@code parent} or {@code executor} is null
   * @throws IllegalArgumentException if {@code limit} is zero or negative
   */
  public static TaskGroup withLimit(Context parent, Executor executor, int limit) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(executor, "executor");
    checkLimit(limit);
    return new TaskGroup(parent, executor, limit);
  }

  private static void checkLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException(
          "limit must be at least 1, got "
              + limit
              + " (for no limit, use withContext instead of withLimit)");
    }
  }

  // ---- The group ------------------------------------------------------------------------------

  /**
   * The group's context, which every task receives: a child of the parent, cancelled by the first
   * failure (cause: that failure), by {@link #close()}, and when {@link #await()} has waited for
   * every task. The context Go's {@code errgroup.WithContext} returns.
   *
   * @return the group's context
   */
  public Context context() {
    return ctx;
  }

  /**
   * Runs {@code task.run(context())} on the group's executor, unless the group's context has ended.
   * Go's {@code Group.Go}. With a limit, waits first until fewer than the limit are running; that
   * wait ends when the group's context ends (the task then does not run). Tasks may call {@code go}
   * to start more tasks of their own group.
   *
   * <p>A task handed over runs only if the group's context is still live when the executor starts
   * it; otherwise, and if the context has ended before {@code go} hands it over, it does not run,
   * counts as done, and makes {@link #await()} report the context's end. If the executor rejects
   * the task (or throws anything else), the task fails with a {@link RejectedExecutionException}
   * caused by what it threw, as if the task had thrown it: it cancels the group if it is the first
   * failure, and {@code go} returns normally.
   *
   * <p>If the calling thread is interrupted while waiting for a slot, the group's context is
   * cancelled (its cause is the {@link InterruptedException}), the task does not run, and the
   * thread's interrupt status is set again.
   *
   * @param task the task
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalStateException if the group has finished ({@link #await()} or {@link #close()}
   *     has returned)
   */
  public void go(Task task) {
    Objects.requireNonNull(task, "task");
    submit(new Runner(this, task, null), true);
  }

  /**
   * {@link #go(Task)} if a slot is free now; never waits. Go's {@code Group.TryGo}.
   *
   * @param task the task
   * @return true if the task was handed to the executor; false if the group's limit is reached or
   *     its context has ended (the task will not run)
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalStateException if the group has finished
   */
  public boolean tryGo(Task task) {
    Objects.requireNonNull(task, "task");
    return submit(new Runner(this, task, null), false);
  }

  /**
   * As {@link #go(Task)}, for a task that produces a value, which the returned {@link Result} gives
   * once the group has finished. No Go counterpart (Go assigns to a captured variable).
   *
   * @param task the task
   * @param <T> the value's type
   * @return where the value will be
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalStateException if the group has finished
   */
  public <T> Result<T> fork(ValueTask<T> task) {
    Objects.requireNonNull(task, "task");
    Result<T> result = new Result<>(this);
    submit(new Runner(this, c -> result.value = task.call(c), result), true);
    return result;
  }

  /**
   * Waits until every task handed to the group has ended, cancels the group's context, and reports
   * the outcome. Go's {@code Group.Wait}. Calling it again (or after {@link #close()}) reports the
   * same outcome at once.
   *
   * @throws ExecutionException if a task failed (the first failure is the cause, later ones are
   *     suppressed), or if no task failed but some did not run or were ended by the group's end
   *     (the cause is the context's error: {@link Context#isCanceled(Throwable)} or {@link
   *     Context#isDeadlineExceeded(Throwable)} is true)
   * @throws InterruptedException if the calling thread is interrupted while waiting; the group is
   *     then not finished (its tasks go on), and {@link #close()} still cancels and waits for them
   * @throws IllegalStateException if called from inside one of the group's own tasks, which would
   *     wait for itself
   */
  public void await() throws InterruptedException, ExecutionException {
    if (insideOwnTask()) {
      throw new IllegalStateException(
          "await() called from inside one of the group's own tasks, which would wait for itself;"
              + " let the task return and await the group from the code that made it");
    }
    waitAndFinish(true);
    ExecutionException e = outcome();
    if (e != null) {
      throw e;
    }
  }

  /**
   * Cancels the group's context and waits until every task has ended; nothing outlives a
   * try-with-resources block. Go: the {@code defer cancel()} of the context plus {@code g.Wait()}
   * whose error is dropped. Reports nothing: call {@link #await()} for the outcome. After {@code
   * await()} it does nothing. The wait is not interruptible (a task must not outlive the block); an
   * interrupt meanwhile is kept and set again on return.
   *
   * <p>Called from inside one of the group's own tasks, it cannot wait for the task that calls it:
   * it then cancels the group's context and returns at once, and the group finishes when its owner
   * awaits or closes it.
   */
  @Override
  public void close() {
    if ((state & FINISHED) != 0) {
      return;
    }
    ctx.cancel();
    if (insideOwnTask()) {
      return;
    }
    try {
      waitAndFinish(false);
    } catch (InterruptedException e) {
      throw new AssertionError(e); // not thrown when not interruptible
    }
  }

  @Override
  public String toString() {
    long s = state;
    return "TaskGroup["
        + ((s & FINISHED) != 0 ? "finished" : (s & COUNT) + " running")
        + (limit > 0 ? ", limit " + limit : "")
        + (firstFailure != null ? ", failed: " + firstFailure : "")
        + "]";
  }

  // ---- Internals ------------------------------------------------------------------------------

  boolean isFinished() {
    return (state & FINISHED) != 0;
  }

  /** Counts and hands over one task; false if it was not handed over (no slot, or not run). */
  private boolean submit(Runner runner, boolean wait) {
    if ((state & FINISHED) != 0) {
      throw finishedError();
    }
    if (slots != null && !slots.tryAcquire()) {
      if (!wait) {
        return false;
      }
      try {
        slots.acquire(); // released by FLOOD when the context ends
      } catch (InterruptedException e) {
        ctx.cancel(e);
        Thread.currentThread().interrupt();
        runner.notRun();
        return false;
      }
    }
    long s;
    do {
      s = state;
      if ((s & FINISHED) != 0) {
        if (slots != null) {
          slots.release();
        }
        throw finishedError();
      }
    } while (!STATE.compareAndSet(this, s, s + 1));
    // Counted: from here on, the runner (or this method) calls end() exactly once.
    if (ctx.err() != null) {
      runner.claim();
      runner.notRun();
      end();
      return false;
    }
    try {
      executor.execute(runner);
    } catch (Throwable t) {
      if (runner.claim()) { // else the executor ran it after all (caller-runs policies)
        RejectedExecutionException e =
            new RejectedExecutionException(
                "the group's executor " + executor + " did not accept a task: " + t, t);
        runner.failed(e);
        end();
      }
    }
    return true;
  }

  private static IllegalStateException finishedError() {
    return new IllegalStateException(
        "the task group has finished (await() or close() returned): start tasks before that, or"
            + " use a new TaskGroup");
  }

  /** Uncounts a task: its last action, after its slot is free and its interrupt scope closed. */
  private void end() {
    if (slots != null) {
      slots.release();
    }
    long s = (long) STATE.getAndAdd(this, -1L) - 1;
    if ((s & COUNT) == 0) {
      for (Waiter w = (Waiter) WAITERS.getAndSet(this, null); w != null; w = w.next) {
        LockSupport.unpark(w.thread);
      }
    }
  }

  /**
   * Waits until no task is counted and sets {@link #FINISHED} (or sees it set), then cancels the
   * context. Dekker with {@link #end()}: a waiter pushes itself, then reads the count; the last
   * task decrements the count, then empties the stack; one of the two sees the other's write.
   */
  private void waitAndFinish(boolean interruptible) throws InterruptedException {
    boolean interrupted = false;
    try {
      for (; ; ) {
        long s = state;
        if ((s & FINISHED) != 0) {
          break;
        }
        if (s == 0) {
          if (STATE.compareAndSet(this, 0L, FINISHED)) {
            break;
          }
          continue;
        }
        Waiter w = new Waiter();
        Waiter head;
        do {
          head = waiters;
          w.next = head;
        } while (!WAITERS.compareAndSet(this, head, w));
        while ((state & COUNT) != 0) {
          LockSupport.park(this);
          if (Thread.interrupted()) {
            if (interruptible) {
              throw new InterruptedException("interrupted while waiting for the group's tasks");
            }
            interrupted = true;
          }
        }
      }
      ctx.cancel(firstFailure);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ExecutionException outcome() {
    Throwable first = firstFailure;
    if (first != null) {
      ExecutionException e = new ExecutionException("a task of the group failed: " + first, first);
      ConcurrentLinkedQueue<Throwable> later = laterFailures;
      if (later != null) {
        for (Throwable t : later) {
          e.addSuppressed(t);
        }
      }
      return e;
    }
    if (!incomplete) {
      return null;
    }
    ContextDoneException err = ctx.err();
    boolean fromParent = err == parent.err();
    ExecutionException e =
        new ExecutionException(
            (fromParent ? "the parent context ended" : "the group's context was cancelled")
                + " before every task had run: "
                + err.getMessage(),
            err);
    Throwable cause = Context.cause(ctx);
    if (cause != null && cause != err) {
      e.addSuppressed(cause);
    }
    return e;
  }

  private boolean insideOwnTask() {
    for (Runner r = RUNNING.get(); r != null; r = r.outer) {
      if (r.group == this) {
        return true;
      }
    }
    return false;
  }

  /** Records a task's failure: the first real one cancels the context. */
  private void recordFailure(Throwable t) {
    if (ctx.err() != null && endedByTheGroup(t)) {
      incomplete = true;
      return;
    }
    if (FIRST_FAILURE.compareAndSet(this, null, t)) {
      ctx.cancel(t);
      return;
    }
    ConcurrentLinkedQueue<Throwable> later = laterFailures;
    if (later == null) {
      later = new ConcurrentLinkedQueue<>();
      if (!LATER_FAILURES.compareAndSet(this, null, later)) {
        later = laterFailures;
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
   * One task on its way through the executor. {@link #claimed} decides, once, whether the executor
   * runs it or {@code submit} fails it (an executor that throws after running the task anyway).
   */
  private static final class Runner implements Runnable {
    private static final VarHandle CLAIMED;

    static {
      try {
        CLAIMED = MethodHandles.lookup().findVarHandle(Runner.class, "claimed", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final TaskGroup group;
    final Task task;
    final Result<?> result; // null for go/tryGo
    Runner outer; // the task this thread was running when this one started (nested groups)

    @SuppressWarnings("UnusedVariable") // accessed through CLAIMED
    private volatile boolean claimed;

    Runner(TaskGroup group, Task task, Result<?> result) {
      this.group = group;
      this.task = task;
      this.result = result;
    }

    boolean claim() {
      return CLAIMED.compareAndSet(this, false, true);
    }

    void notRun() {
      group.incomplete = true;
      if (result != null) {
        result.outcome = Result.NOT_RUN;
      }
    }

    void failed(Throwable t) {
      if (result != null) {
        result.failure = t;
        result.outcome = Result.FAILED;
      }
      group.recordFailure(t);
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
            result.outcome = Result.SUCCEEDED;
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
        g.end();
      }
    }
  }
}
