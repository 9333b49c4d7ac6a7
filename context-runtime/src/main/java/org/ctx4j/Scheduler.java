package org.ctx4j;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's threads, all daemons, all started on first use:
 *
 * <ul>
 *   <li>{@code ctx4j-timer}: one thread for every deadline of every context (Go's runtime timers).
 *       Its queue drops a task the moment it is cancelled ({@code setRemoveOnCancelPolicy}), so
 *       cancelled contexts leave nothing behind. An expiring context is cancelled on this thread,
 *       so the {@link Done#onDone} callbacks of a context that times out run here.
 *   <li>{@code ctx4j-afterfunc-N}: a cached pool (threads are made on demand and end after a minute
 *       idle) that runs {@link Context#afterFunc} functions, as Go runs each in its own goroutine;
 *       never the cancelling thread.
 *   <li>{@code ctx4j-task-N}: the default executor of {@link TaskGroup}, a cached pool of the same
 *       kind (a thread per running task, reused, ended after a minute idle).
 * </ul>
 *
 * <p>A callback or function that throws is reported to the current thread's {@link
 * Thread.UncaughtExceptionHandler} (by default: printed to {@code System.err}) and the thread goes
 * on.
 */
final class Scheduler {
  private Scheduler() {}

  private static volatile ScheduledThreadPoolExecutor timers;

  static ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor t = timers;
    if (t == null) {
      synchronized (Scheduler.class) {
        t = timers;
        if (t == null) {
          t = new ScheduledThreadPoolExecutor(1, daemons("ctx4j-timer", false));
          t.setRemoveOnCancelPolicy(true);
          t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
          timers = t;
        }
      }
    }
    return t;
  }

  /** Tasks in the timer queue now; 0 if the timer thread was never needed. */
  static int timerQueueSize() {
    ScheduledThreadPoolExecutor t = timers;
    return t == null ? 0 : t.getQueue().size();
  }

  private static final class AfterFuncPool {
    static final ExecutorService POOL =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemons("ctx4j-afterfunc-", true));
  }

  private static final class TaskPool {
    static final ExecutorService POOL =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemons("ctx4j-task-", true));
  }

  /** The default executor of {@link TaskGroup}. */
  static ExecutorService taskPool() {
    return TaskPool.POOL;
  }

  static void runAfterFunc(Runnable f) {
    AfterFuncPool.POOL.execute(
        () -> {
          try {
            f.run();
          } catch (Throwable t) {
            report(t);
          }
        });
  }

  /** Reports a callback's exception to the current thread's uncaught-exception handler. */
  static void report(Throwable t) {
    Thread th = Thread.currentThread();
    try {
      th.getUncaughtExceptionHandler().uncaughtException(th, t);
    } catch (Throwable ignored) {
      // A handler that throws must not stop the cancel path either.
    }
  }

  private static ThreadFactory daemons(String name, boolean numbered) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, numbered ? name + n.incrementAndGet() : name);
      t.setDaemon(true);
      return t;
    };
  }
}
