package org.ctx4j;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bridges between contexts and {@link Executor}s: work handed to an executor that still ends when
 * the context that asked for it ends. Go needs no such thing: {@code go f(ctx)} passes the context
 * along, and {@code f} selects on {@code ctx.Done()}. In Java the task often blocks where it cannot
 * see the context, so these bridges also interrupt it, with the protocol of {@link
 * Context#interruptWhenDone(Context)}: only while the task runs, and never leaving the interrupt
 * flag set on the executor's thread once the task has returned.
 *
 * <p>For a set of tasks that fail together, use {@link TaskGroup}, Go's {@code errgroup}.
 */
public final class ContextExecutors {
  private ContextExecutors() {}

  /**
   * Runs {@code task} on {@code executor} under a child of {@code ctx} of its own, and returns its
   * outcome as a future. Go's {@code go func() { ch <- f(ctx) }()} read through a {@code select} on
   * {@code ch} and {@code ctx.Done()}.
   *
   * <ul>
   *   <li>The task receives a new child of {@code ctx} (as from {@link
   *       Context#withCancel(Context)}), cancelled as soon as the future completes, however it
   *       completes, so it never stays registered in {@code ctx}.
   *   <li>When {@code ctx} ends before the task has returned, the future completes exceptionally at
   *       once with {@code ctx}'s error (a {@link ContextDoneException}, which is a {@link
   *       java.util.concurrent.CancellationException}, so the future then reports itself
   *       cancelled), a task that has not started never starts, and a running task is interrupted.
   *   <li>Cancelling the future ({@code cancel(true)} or {@code cancel(false)}), or completing it
   *       from outside, cancels the task's context: the task is interrupted if it is running and
   *       never starts otherwise.
   *   <li>The future completes with what the task returns, or exceptionally with what it throws.
   * </ul>
   *
   * @param ctx the context bounding the task
   * @param executor where the task runs
   * @param task the task; receives its own context
   * @param <T> the value's type
   * @return the task's future
   * @throws NullPointerException if an argument is null
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} rejects the task
   *     (as {@link CompletableFuture#supplyAsync(java.util.function.Supplier, Executor)} throws)
   */
  public static <T> CompletableFuture<T> callAsync(
      Context ctx, Executor executor, TaskGroup.ValueTask<T> task) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(task, "task");
    BoundTask<T> bound = new BoundTask<>(ctx, task, new CompletableFuture<>());
    try {
      executor.execute(bound);
    } catch (RuntimeException | Error e) {
      bound.taskCtx.cancel(e);
      throw e;
    }
    return bound.future;
  }

  /**
   * {@link #callAsync(Context, Executor, TaskGroup.ValueTask)} for a task without a value: the
   * future completes with null when the task returns.
   *
   * @param ctx the context bounding the task
   * @param executor where the task runs
   * @param task the task; receives its own context
   * @return the task's future
   * @throws NullPointerException if an argument is null
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} rejects the task
   */
  public static CompletableFuture<Void> runAsync(
      Context ctx, Executor executor, TaskGroup.Task task) {
    Objects.requireNonNull(task, "task");
    return callAsync(
        ctx,
        executor,
        c -> {
          task.run(c);
          return null;
        });
  }

  /**
   * An executor that runs every task it is given on {@code executor}, bound to {@code ctx}: a task
   * that has not started when {@code ctx} ends never runs, and one that is running is interrupted.
   * For code that takes a plain {@link Executor} and knows nothing of contexts. Go has no
   * counterpart (a goroutine is given the context itself).
   *
   * @param ctx the context the tasks are bound to
   * @param executor where the tasks run
   * @return the bound executor
   * @throws NullPointerException if an argument is null
   */
  public static Executor bind(Context ctx, Executor executor) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(executor, "executor");
    return new BoundExecutor(ctx, executor);
  }

  /**
   * An executor service whose tasks are bound to {@code ctx}, as those of {@link #bind(Context,
   * Executor)}; the futures it returns ({@code submit}, {@code invokeAll}, {@code invokeAny})
   * complete with {@code ctx}'s error ({@link ContextDoneException}, a {@link
   * java.util.concurrent.CancellationException}) as soon as {@code ctx} ends, and cancelling one
   * interrupts its task. The life cycle ({@code shutdown}, {@code shutdownNow}, {@code
   * awaitTermination}) is {@code service}'s own: the view delegates it, as {@link
   * java.util.concurrent.Executors#unconfigurableExecutorService} does.
   *
   * @param ctx the context the tasks are bound to
   * @param service where the tasks run
   * @return the bound executor service
   * @throws NullPointerException if an argument is null
   */
  public static ExecutorService bind(Context ctx, ExecutorService service) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(service, "service");
    return new BoundExecutorService(ctx, service);
  }

  /** Runs {@code r} unless {@code ctx} has ended, interrupted when it ends meanwhile. */
  static void runBound(Context ctx, Runnable r) {
    if (ctx.err() != null) {
      return;
    }
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      r.run();
    }
  }

  /**
   * The task of {@code callAsync}. Its future completes once: by the task, by the end of the
   * context (the {@code onDone} callback), or from outside; whichever completion comes first
   * cancels {@link #taskCtx}, which interrupts the task if it runs and stops it from starting.
   */
  private static final class BoundTask<T> implements Runnable {
    final CancellableContext taskCtx;
    final TaskGroup.ValueTask<T> task;
    final CompletableFuture<T> future;

    BoundTask(Context ctx, TaskGroup.ValueTask<T> task, CompletableFuture<T> future) {
      this.task = task;
      this.future = future;
      this.taskCtx = Context.withCancel(ctx);
      var unused = future.whenComplete((v, e) -> taskCtx.cancel());
      taskCtx.done().onDone(() -> future.completeExceptionally(taskCtx.err()));
    }

    @Override
    public void run() {
      if (taskCtx.err() != null) {
        return; // the future is complete already
      }
      T value;
      try (InterruptScope scope = Context.interruptWhenDone(taskCtx)) {
        value = task.call(taskCtx);
      } catch (Throwable t) {
        future.completeExceptionally(t);
        return;
      }
      future.complete(value);
    }
  }

  private static final class BoundExecutor implements Executor {
    private final Context ctx;
    private final Executor executor;

    BoundExecutor(Context ctx, Executor executor) {
      this.ctx = ctx;
      this.executor = executor;
    }

    @Override
    public void execute(Runnable command) {
      Objects.requireNonNull(command, "command");
      executor.execute(() -> runBound(ctx, command));
    }

    @Override
    public String toString() {
      return "ContextExecutors.bind(" + ctx + ", " + executor + ")";
    }
  }

  private static final class BoundExecutorService extends AbstractExecutorService {
    private final Context ctx;
    private final ExecutorService service;

    BoundExecutorService(Context ctx, ExecutorService service) {
      this.ctx = ctx;
      this.service = service;
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
      return new BoundFuture<>(ctx, callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
      return new BoundFuture<>(
          ctx,
          () -> {
            runnable.run();
            return value;
          });
    }

    @Override
    public void execute(Runnable command) {
      Objects.requireNonNull(command, "command");
      if (command instanceof BoundFuture) {
        service.execute(command); // submit/invokeAll/invokeAny: the future binds itself
      } else {
        service.execute(() -> runBound(ctx, command));
      }
    }

    @Override
    public void shutdown() {
      service.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return service.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return service.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return service.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return service.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
      return "ContextExecutors.bind(" + ctx + ", " + service + ")";
    }
  }

  /**
   * A future of {@link BoundExecutorService}: a {@link CompletableFuture} that runs its callable,
   * completed exceptionally with the context's error when the context ends first; cancelling it
   * cancels the task's own context, which interrupts a running task.
   */
  private static final class BoundFuture<T> extends CompletableFuture<T>
      implements RunnableFuture<T> {
    private final BoundTask<T> task;

    BoundFuture(Context ctx, Callable<T> callable) {
      this.task = new BoundTask<>(ctx, c -> callable.call(), this);
    }

    @Override
    public void run() {
      task.run();
    }
  }
}
