package org.ctx4j.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a {@link TaskGroup} adds per task: {@code tasks} trivial tasks started and waited for with
 * {@code go} + {@code await} (a new group per operation, its context derived from {@code
 * background()} and cancelled at the end), next to the same tasks as {@code FutureTask}s handed to
 * the same executor and waited for with {@code get()} (what {@code ExecutorService.submit} + {@code
 * Future.get} does, for any {@link Executor}). The ratio {@code group / submitAndGet} at the same
 * {@code executor} and {@code tasks} is the cost of the group.
 *
 * <p>{@code executor}: {@code inline} ({@code Runnable::run}: no thread hand-over, so the
 * difference is the group's own bookkeeping, in CPU time on one thread, robust on a loaded
 * machine), {@code cached} ({@code Executors.newCachedThreadPool()}), {@code default} (the
 * runtime's {@code ctx4j-task} pool, what {@code TaskGroup.withContext(parent)} uses), {@code
 * thread-per-task} (a new platform thread per task), {@code virtual} (a virtual thread per task;
 * JDK 21+ only, made reflectively: pass {@code -p executor=virtual} on JDK 21+).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TaskGroupBenchmark {

  @Param({"inline", "cached", "default", "thread-per-task"})
  public String executor;

  @Param({"1", "10"})
  public int tasks;

  private Executor ex;
  private ExecutorService owned;
  private final Callable<Integer> work = () -> 1;
  private final TaskGroup.Task task = c -> {};

  @Setup
  public void setUp() throws ReflectiveOperationException {
    switch (executor) {
      case "inline":
        ex = Runnable::run;
        break;
      case "cached":
        owned = Executors.newCachedThreadPool(TaskGroupBenchmark::daemon);
        ex = owned;
        break;
      case "default":
        // The group's default pool is not reachable from outside the runtime: submitAndGet runs on
        // a cached pool of the same kind; group uses withContext(parent) itself.
        owned = Executors.newCachedThreadPool(TaskGroupBenchmark::daemon);
        ex = owned;
        break;
      case "thread-per-task":
        ex = r -> daemon(r).start();
        break;
      case "virtual":
        owned =
            (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        ex = owned;
        break;
      default:
        throw new IllegalArgumentException("unknown executor " + executor);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    return t;
  }

  @TearDown
  public void tearDown() {
    if (owned != null) {
      owned.shutdownNow();
    }
  }

  @Benchmark
  public int submitAndGet() throws InterruptedException, ExecutionException {
    @SuppressWarnings({"unchecked", "rawtypes"})
    FutureTask<Integer>[] fs = new FutureTask[tasks];
    for (int i = 0; i < tasks; i++) {
      fs[i] = new FutureTask<>(work);
      ex.execute(fs[i]);
    }
    int sum = 0;
    for (FutureTask<Integer> f : fs) {
      sum += f.get();
    }
    return sum;
  }

  @Benchmark
  public TaskGroup group() throws InterruptedException, ExecutionException {
    try (TaskGroup g =
        "default".equals(executor)
            ? TaskGroup.withContext(Context.background())
            : TaskGroup.withContext(Context.background(), ex)) {
      for (int i = 0; i < tasks; i++) {
        g.go(task);
      }
      g.await();
      return g;
    }
  }
}
