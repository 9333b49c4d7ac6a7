package org.ctx4j;

import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

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
 *       failure while the group's context is live cancels it, with that failure as cause. A failure
 *       that only says the group has ended (a {@link ContextDoneException} or an interruption,
 *       {@link InterruptedException}, {@link InterruptedIOException} or {@link
 *       ClosedByInterruptException}, anywhere in its cause chain, thrown after the group's context
 *       ended) is the consequence of the end, not a failure of its own, and is not reported.
 *   <li><b>{@link #await()}</b> waits until every task handed to the group has ended (tasks may
 *       start other tasks of the group meanwhile), then cancels the context and returns normally
 *       only if every task ran and returned normally. Otherwise it throws an {@link
 *       ExecutionException} whose cause is what ended the group's context: the first failure, if a
 *       failure did; else the context's error, when the parent was cancelled or ran out of time (or
 *       the group was closed) before every task had completed, so that {@link
 *       Context#isCanceled(Throwable)} and {@link Context#isDeadlineExceeded(Throwable)} tell
 *       which. Failures after that are attached as suppressed exceptions (the consequences of the
 *       end are not), and so is a cause given to the parent's {@code cancel(cause)}.
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
 * runs after {@code await()}, or a {@code close()} called from outside the group's tasks, has
 * returned.
 */
public final class TaskGroup implements AutoCloseable {

  /**
   * A task of a group: Go's {@code func() error} passed to {@code Group.Go}. It receives the
   * context it runs under (the group's; for {@link ContextExecutors}, one of its own), which it
   * should use for everything it calls, not a context captured from the enclosing code, which does
   * not end when a sibling fails.
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
    @Nullable T call(Context ctx) throws Exception;
  }

  /**
   * The value of a task started with {@link TaskGroup#fork(ValueTask)}, readable once the group has
   * finished. No Go counterpart: Go code assigns to a captured variable and reads it after {@code
   * Wait}.
   *
   * @param <T> the value's type
   */
  public static final class Result<T> {
    static final int PENDING = 0;
    static final int SUCCEEDED = 1;
    static final int FAILED = 2;
    static final int NOT_RUN = 3;

    private final TaskGroup group;
    // Plain fields: written by the task's thread (its TaskRunner) before it is uncounted, read only
    // after the group has finished (a volatile read of state that sees the FINISHED bit), which
    // happens after (see TaskCount).
    int outcome = PENDING;
    @Nullable T value;
    @Nullable Throwable failure;

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
    public @Nullable T get() {
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

  // ---- State ----------------------------------------------------------------------------------

  // Package-private, with handles on the fields that change by compare-and-set, for the classes
  // that keep the group's invariants and document them: TaskCount (state, waiters), TaskFailures
  // (firstFailure, laterFailures, incomplete), TaskRunner (one task, from go() to its end) and
  // TaskSlots (the limit).

  static final VarHandle STATE;
  static final VarHandle FIRST_FAILURE;
  static final VarHandle LATER_FAILURES;
  static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(TaskGroup.class, "state", long.class);
      FIRST_FAILURE = l.findVarHandle(TaskGroup.class, "firstFailure", Throwable.class);
      LATER_FAILURES =
          l.findVarHandle(TaskGroup.class, "laterFailures", ConcurrentLinkedQueue.class);
      WAITERS = l.findVarHandle(TaskGroup.class, "waiters", TaskCount.Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Context parent;
  final CancellableContext ctx;
  final Executor executor;
  final @Nullable TaskSlots slots; // null: no limit
  private final int limit;

  /** The number of counted tasks that have not ended, plus {@link TaskCount#FINISHED}. */
  volatile long state;

  /** The first real failure; set once (compare-and-set), then cancels the context. */
  volatile @Nullable Throwable firstFailure;

  /** Real failures after the first, in the order they were recorded; created on first use. */
  volatile @Nullable ConcurrentLinkedQueue<Throwable> laterFailures;

  /** Whether some task did not run, or ended by the group's end: await() then reports the end. */
  volatile boolean incomplete;

  /** Threads parked in await() or close(): a stack, emptied by the task that ends the last one. */
  volatile TaskCount.@Nullable Waiter waiters;

  private TaskGroup(Context parent, Executor executor, int limit) {
    this.parent = parent;
    this.executor = executor;
    this.limit = limit;
    // Under leak detection the group, not its context, is what a report names: a group dropped
    // without close() or await() is reported with the caller's line.
    this.ctx =
        LeakDetector.ownedBy(Context.withCancel(parent), this, "TaskGroup", "close() or await()");
    this.slots = limit > 0 ? TaskSlots.open(limit, ctx) : null;
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
   * for one another can deadlock, as with any pool. An executor that silently drops a task (a
   * {@code ThreadPoolExecutor} with {@code DiscardPolicy}) leaves it counted for ever, so {@code
   * await()} and {@code close()} never return: let it throw {@link RejectedExecutionException}
   * instead.
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
    new TaskRunner(this, task, null).handOver(true);
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
    return new TaskRunner(this, task, null).handOver(false);
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
    new TaskRunner(this, c -> result.value = task.call(c), result).handOver(true);
    return result;
  }

  /**
   * Waits until every task handed to the group has ended, cancels the group's context, and reports
   * the outcome. Go's {@code Group.Wait}. Calling it again (or after {@link #close()}) reports the
   * same outcome at once.
   *
   * @throws ExecutionException if not every task ran and returned normally; its cause is what ended
   *     the group's context: the first failure, or, if the parent ended (or the group was closed)
   *     first, the context's error, on which {@link Context#isCanceled(Throwable)} or {@link
   *     Context#isDeadlineExceeded(Throwable)} is true; later failures are suppressed
   * @throws InterruptedException if the calling thread is interrupted while waiting; the group is
   *     then not finished (its tasks go on), and {@link #close()} still cancels and waits for them
   * @throws IllegalStateException if called from inside one of the group's own tasks, which would
   *     wait for itself
   */
  public void await() throws InterruptedException, ExecutionException {
    if (TaskRunner.insideTaskOf(this)) {
      throw new IllegalStateException(
          "await() called from inside one of the group's own tasks, which would wait for itself;"
              + " let the task return and await the group from the code that made it");
    }
    TaskCount.waitAndFinish(this, true);
    ExecutionException e = TaskFailures.outcome(this);
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
    if (isFinished()) {
      return;
    }
    ctx.cancel();
    if (TaskRunner.insideTaskOf(this)) {
      return;
    }
    try {
      TaskCount.waitAndFinish(this, false);
    } catch (InterruptedException e) {
      throw new AssertionError(e); // not thrown when not interruptible
    }
  }

  @Override
  public String toString() {
    long s = state;
    return "TaskGroup["
        + ((s & TaskCount.FINISHED) != 0 ? "finished" : (s & TaskCount.COUNT) + " running")
        + (limit > 0 ? ", limit " + limit : "")
        + (firstFailure != null ? ", failed: " + firstFailure : "")
        + "]";
  }

  // ---- Internals ------------------------------------------------------------------------------

  boolean isFinished() {
    return (state & TaskCount.FINISHED) != 0;
  }

  static IllegalStateException finishedError() {
    return new IllegalStateException(
        "the task group has finished (await() or close() returned): start tasks before that, or"
            + " use a new TaskGroup");
  }
}
