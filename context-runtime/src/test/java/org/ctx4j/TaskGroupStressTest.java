package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Races on real threads, bounded in iterations (each test well under 30 s on a loaded 2-core
 * machine; the time limits only catch a hang): no task starts after its group's context ended;
 * await never hangs; no task's outcome is lost when a failure, the parent's cancel and close race;
 * nothing accumulates over 100,000 groups.
 */
final class TaskGroupStressTest {

  private static final Duration LIMIT = Duration.ofSeconds(120);

  private static void spin(int maxNanos) {
    long end = System.nanoTime() + ThreadLocalRandom.current().nextInt(maxNanos + 1);
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  private static ThreadPoolExecutor fixedPool(int threads) {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads);
    pool.prestartAllCoreThreads();
    return pool;
  }

  @Test
  void noTaskStartsAfterTheGroupsContextEnded() {
    ThreadPoolExecutor pool = fixedPool(4);
    try {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            AtomicInteger late = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            ThreadLocal<boolean[]> bodyRan = new ThreadLocal<>();
            for (int i = 0; i < 20_000; i++) {
              CancellableContext parent = Context.withCancel(Context.background());
              AtomicBoolean cancelReturned = new AtomicBoolean();
              // A task "starts" when the executor hands it to the group's runner: if cancel() had
              // returned by then, its body must not run.
              Executor watching =
                  r ->
                      pool.execute(
                          () -> {
                            boolean cancelledBefore = cancelReturned.get();
                            boolean[] mark = new boolean[1];
                            bodyRan.set(mark);
                            r.run();
                            if (cancelledBefore && mark[0]) {
                              late.incrementAndGet();
                            }
                          });
              TaskGroup g =
                  i % 2 == 0
                      ? TaskGroup.withContext(parent, watching)
                      : TaskGroup.withLimit(parent, watching, 2);
              pool.execute(
                  () -> {
                    spin(20_000);
                    parent.cancel();
                    cancelReturned.set(true);
                  });
              for (int j = 0; j < 6; j++) {
                g.go(
                    c -> {
                      bodyRan.get()[0] = true;
                      ran.incrementAndGet();
                    });
              }
              try {
                g.await();
              } catch (ExecutionException e) {
                assertTrue(Context.isCanceled(e), e.toString());
              }
              g.close();
            }
            assertEquals(0, late.get(), "tasks started after cancel() had returned");
            assertTrue(ran.get() > 0);
          });
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Each round: tasks that succeed, fail, or wait for the end in various ways; a failure, the
   * parent's cancel and a close() from another thread race the owner's await(). Afterwards every
   * task's outcome is known, the outcome await reports accounts for every real failure, and the
   * group's context has left its parent.
   */
  @Test
  void nothingIsLostWhenAFailureTheParentsCancelAndCloseRace() {
    ThreadPoolExecutor pool = fixedPool(6);
    try {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            CancellableContext root = Context.withCancel(Context.background());
            for (int round = 0; round < 1_500; round++) {
              ThreadLocalRandom rnd = ThreadLocalRandom.current();
              CancellableContext parent = Context.withCancel(root);
              TaskGroup g =
                  rnd.nextBoolean()
                      ? TaskGroup.withContext(parent, pool)
                      : TaskGroup.withLimit(parent, pool, 1 + rnd.nextInt(3));
              ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
              List<TaskGroup.Result<Integer>> results = new ArrayList<>();
              int tasks = 1 + rnd.nextInt(6);
              for (int t = 0; t < tasks; t++) {
                int kind = rnd.nextInt(5);
                int n = t;
                results.add(
                    g.fork(
                        c -> {
                          switch (kind) {
                            case 0:
                              IOException e = new IOException("task " + n);
                              thrown.add(e);
                              throw e;
                            case 1:
                              Context.sleep(c, Duration.ofMillis(5));
                              return n;
                            case 2:
                              Thread.sleep(5); // interrupted by the end
                              return n;
                            case 3:
                              spin(50_000);
                              return n;
                            default:
                              return n;
                          }
                        }));
              }
              boolean cancelParent = rnd.nextBoolean();
              boolean closeToo = rnd.nextBoolean();
              Thread canceller = null;
              if (cancelParent) {
                canceller =
                    new Thread(
                        () -> {
                          spin(100_000);
                          parent.cancel();
                        });
                canceller.start();
              }
              Thread closer = null;
              if (closeToo) {
                closer =
                    new Thread(
                        () -> {
                          spin(100_000);
                          g.close();
                        });
                closer.start();
              }
              ExecutionException failure = null;
              try {
                g.await();
              } catch (ExecutionException e) {
                failure = e;
              }
              if (canceller != null) {
                canceller.join();
              }
              if (closer != null) {
                closer.join();
              }
              // Every task's outcome is known: a value, a failure, or "did not run".
              int succeeded = 0;
              for (TaskGroup.Result<Integer> r : results) {
                try {
                  r.get();
                  succeeded++;
                } catch (IllegalStateException e) {
                  assertFalse(e.getMessage().contains("before the group finished"), e.getMessage());
                }
              }
              if (failure == null) {
                assertEquals(tasks, succeeded, "a normal return means every task ran and returned");
                assertTrue(thrown.isEmpty());
              } else {
                // The primary error is what ended the group: a task's failure, or the context's
                // error (the parent's cancel or close() came first). Every real failure is
                // reported, as the cause or suppressed.
                Set<Throwable> reported = new HashSet<>();
                reported.add(failure.getCause());
                reported.addAll(List.of(failure.getSuppressed()));
                assertTrue(reported.containsAll(thrown), reported + " lacks some of " + thrown);
                if (!thrown.contains(failure.getCause())) {
                  assertInstanceOf(ContextDoneException.class, failure.getCause());
                  assertTrue(Context.isCanceled(failure));
                }
                assertNotEquals(tasks, succeeded);
              }
              assertTrue(g.context().done().isDone());
              parent.cancel();
            }
            assertEquals(
                0, RuntimeInternals.childCount(root), "a group's context stayed registered");
            assertNull(root.err());
          });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void awaitNeverHangsWhenTasksStartTasksWhileTheGroupEnds() {
    ThreadPoolExecutor pool = fixedPool(4);
    try {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            for (int round = 0; round < 5_000; round++) {
              CancellableContext parent = Context.withCancel(Context.background());
              TaskGroup g = TaskGroup.withLimit(parent, pool, 3);
              AtomicInteger depth = new AtomicInteger();
              TaskGroup.Task[] spawn = new TaskGroup.Task[1];
              spawn[0] =
                  c -> {
                    if (depth.incrementAndGet() < 30) {
                      g.go(spawn[0]);
                      g.tryGo(spawn[0]);
                    }
                  };
              g.go(spawn[0]);
              if (round % 2 == 0) {
                spin(20_000);
                parent.cancel();
              }
              try {
                g.await();
              } catch (ExecutionException e) {
                assertTrue(Context.isCanceled(e), e.toString());
              }
            }
          });
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A thread that runs tasks one after another and never clears its interrupt flag (unlike {@link
   * ThreadPoolExecutor}): an interrupt from a group's end that lands after the task's body returned
   * would show in the next task. The end races the body's return on every round.
   */
  @Test
  void awaitSeesATaskStartedFromOutsideJustAfterTheLastOneEnded() {
    // The waiter is woken by the last task's end; a go() from another thread counts a new task
    // before the waiter reads the count again. The waiter must still be woken by that task's end.
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          ExecutorService pool = Executors.newCachedThreadPool();
          try {
            for (int round = 0; round < 300; round++) {
              try (TaskGroup g = TaskGroup.withContext(Context.background(), pool)) {
                CountDownLatch first = new CountDownLatch(1);
                g.go(ctx -> first.await());
                Thread waiter =
                    new Thread(
                        () -> {
                          try {
                            g.await();
                          } catch (ExecutionException | InterruptedException e) {
                            throw new AssertionError(e);
                          }
                        });
                waiter.start();
                while (waiter.getState() != Thread.State.WAITING) {
                  Thread.onSpinWait();
                }
                first.countDown();
                try {
                  g.go(ctx -> spin(20_000));
                } catch (IllegalStateException finished) {
                  // the waiter finished the group first: nothing to wait for
                }
                waiter.join(20_000);
                assertFalse(waiter.isAlive(), "await() hung in round " + round + ": " + g);
              }
            }
          } finally {
            pool.shutdownNow();
          }
        });
  }

  @Test
  void noInterruptLeaksToTheNextTaskOnAThread() {
    java.util.concurrent.LinkedBlockingQueue<Runnable> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();
    AtomicInteger leaks = new AtomicInteger();
    Runnable stop = () -> {};
    Thread loop =
        new Thread(
            () -> {
              for (; ; ) {
                Runnable r;
                try {
                  r = queue.take();
                } catch (InterruptedException e) {
                  leaks.incrementAndGet();
                  continue;
                }
                if (r == stop) {
                  return;
                }
                r.run();
                if (Thread.interrupted()) {
                  leaks.incrementAndGet();
                }
              }
            });
    loop.setDaemon(true);
    loop.start();
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int round = 0; round < 20_000; round++) {
            CancellableContext parent = Context.withCancel(Context.background());
            TaskGroup g = TaskGroup.withContext(parent, queue::add);
            g.go(c -> spin(5_000));
            spin(5_000);
            parent.cancel();
            try {
              g.await();
            } catch (ExecutionException e) {
              assertTrue(Context.isCanceled(e));
            }
          }
          queue.add(stop);
          loop.join();
          assertEquals(0, leaks.get(), "interrupts left on the thread after a task");
        });
  }

  /** 100,000 groups on a bounded pool: no thread, registration or timer is left over. */
  @Test
  void oneHundredThousandGroupsLeaveNothingBehind() {
    ThreadPoolExecutor pool = fixedPool(4);
    try {
      assertTimeoutPreemptively(
          LIMIT,
          () -> {
            CancellableContext root = Context.withCancel(Context.background());
            int threadsBefore = Thread.activeCount();
            int timersBefore = RuntimeInternals.timerQueueSize();
            runGroups(root, pool, 100_000);
            assertEquals(0, RuntimeInternals.childCount(root));
            assertEquals(timersBefore, RuntimeInternals.timerQueueSize());
            assertTrue(
                Thread.activeCount() <= threadsBefore + 2,
                "threads before " + threadsBefore + ", after " + Thread.activeCount());
            assertEquals(4, pool.getPoolSize());
          });
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The default executor: its threads are reused, so their number stays near the most tasks ever
   * running at once, not the number of tasks.
   */
  @Test
  void theDefaultExecutorReusesItsThreads() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          CancellableContext root = Context.withCancel(Context.background());
          for (int i = 0; i < 20_000; i++) {
            try (TaskGroup g = TaskGroup.withContext(root)) {
              g.go(c -> {});
              g.go(c -> {});
              g.await();
            }
          }
          assertEquals(0, RuntimeInternals.childCount(root));
          long taskThreads =
              Thread.getAllStackTraces().keySet().stream()
                  .filter(t -> t.getName().startsWith("ctx4j-task-"))
                  .count();
          assertTrue(taskThreads <= 64, taskThreads + " ctx4j-task threads for 40,000 tasks");
        });
  }

  static void runGroups(Context root, Executor executor, int groups) throws InterruptedException {
    IOException boom = new IOException("boom");
    for (int i = 0; i < groups; i++) {
      try (TaskGroup g =
          i % 3 == 0
              ? TaskGroup.withLimit(root, executor, 1)
              : TaskGroup.withContext(root, executor)) {
        g.go(c -> {});
        if (i % 10 == 0) {
          g.go(
              c -> {
                throw boom;
              });
        } else {
          g.go(c -> c.throwIfDone());
        }
        try {
          g.await();
        } catch (ExecutionException e) {
          if (e.getCause() != boom) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }
}
