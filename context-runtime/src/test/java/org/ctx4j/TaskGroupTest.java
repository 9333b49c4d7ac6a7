package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The semantics of {@link TaskGroup}, one test per promise of its class comment. */
final class TaskGroupTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static void bounded(Executable e) {
    assertTimeoutPreemptively(LIMIT, e);
  }

  /** An executor that keeps tasks until the test runs them. */
  private static final class ManualExecutor implements Executor {
    final List<Runnable> queued = new ArrayList<>();

    @Override
    public synchronized void execute(Runnable r) {
      queued.add(r);
    }

    synchronized void runAll() {
      for (Runnable r : queued) {
        r.run();
      }
      queued.clear();
    }
  }

  /** Busy-waits (a wait an interrupt cannot end). */
  private static void spin(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  /** Blocks until the group's context ends, then says so the way a task should. */
  private static void waitForEnd(Context c) throws InterruptedException {
    c.done().await();
    c.throwIfDone();
  }

  // ---- The group's context --------------------------------------------------------------------

  @Test
  void theGroupsContextIsALiveChildOfTheParent() throws Exception {
    try (CancellableContext parent = Context.withCancel(Context.background())) {
      Context key = Context.withValue(parent, "k", "v");
      try (TaskGroup g = TaskGroup.withContext(key)) {
        assertNull(g.context().err());
        assertEquals("v", g.context().value("k"));
        parent.cancel();
        assertTrue(g.context().done().isDone());
        assertSame(parent.err(), g.context().err());
      }
    }
  }

  @Test
  void allTasksSucceedAndAwaitCancelsTheContext() throws Exception {
    bounded(
        () -> {
          AtomicInteger ran = new AtomicInteger();
          try (TaskGroup g = TaskGroup.withContext(Context.background())) {
            for (int i = 0; i < 20; i++) {
              g.go(c -> ran.incrementAndGet());
            }
            g.await();
            assertEquals(20, ran.get());
            assertTrue(Context.isCanceled(g.context().err()), "await() ends the context");
            assertInstanceOf(CanceledException.class, Context.cause(g.context()));
          }
        });
  }

  @Test
  void theFirstFailureEndsEverySiblingAndIsTheCause() {
    bounded(
        () -> {
          IOException boom = new IOException("boom");
          CountDownLatch siblingsWaiting = new CountDownLatch(5);
          TaskGroup g = TaskGroup.withContext(Context.background());
          for (int i = 0; i < 5; i++) {
            g.go(
                c -> {
                  siblingsWaiting.countDown();
                  waitForEnd(c);
                });
          }
          siblingsWaiting.await();
          g.go(
              c -> {
                throw boom;
              });
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertSame(boom, e.getCause(), "the first failure, not the siblings' cancellation");
          assertEquals(0, e.getSuppressed().length, "the siblings' cancellations are not failures");
          assertSame(boom, Context.cause(g.context()));
          assertTrue(Context.isCanceled(g.context().err()));
        });
  }

  @Test
  void laterRealFailuresAreSuppressed() {
    bounded(
        () -> {
          AtomicInteger started = new AtomicInteger();
          TaskGroup g = TaskGroup.withContext(Context.background());
          for (String name : List.of("a", "b")) {
            g.go(
                c -> {
                  started.incrementAndGet();
                  while (started.get() < 2) {
                    Thread.onSpinWait(); // not interruptible: both fail for real
                  }
                  throw new IllegalArgumentException(name);
                });
          }
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertEquals(1, e.getSuppressed().length);
          String first = e.getCause().getMessage();
          String later = e.getSuppressed()[0].getMessage();
          assertEquals(
              List.of("a", "b"), first.equals("a") ? List.of(first, later) : List.of(later, first));
          assertSame(e.getCause(), Context.cause(g.context()));
        });
  }

  @Test
  void anErrorIsAFailureToo() {
    bounded(
        () -> {
          AssertionError bad = new AssertionError("bad");
          TaskGroup g = TaskGroup.withContext(Context.background());
          g.go(
              c -> {
                throw bad;
              });
          assertSame(bad, assertThrows(ExecutionException.class, g::await).getCause());
        });
  }

  @Test
  void aTasksOwnTimeoutIsARealFailure() {
    bounded(
        () -> {
          TaskGroup g = TaskGroup.withContext(Context.background());
          g.go(
              c -> {
                try (CancellableContext t = Context.withTimeout(c, Duration.ofMillis(1))) {
                  Context.sleep(t, Duration.ofMinutes(1));
                }
              });
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertInstanceOf(DeadlineExceededException.class, e.getCause());
          assertSame(e.getCause(), Context.cause(g.context()));
        });
  }

  // ---- The parent ending first ----------------------------------------------------------------

  @Test
  void aCancelledParentIsReportedAsCanceled() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          CountDownLatch started = new CountDownLatch(1);
          TaskGroup g = TaskGroup.withContext(parent);
          g.go(
              c -> {
                started.countDown();
                waitForEnd(c);
              });
          started.await();
          parent.cancel();
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertTrue(Context.isCanceled(e));
          assertFalse(Context.isDeadlineExceeded(e));
          assertSame(parent.err(), e.getCause());
          assertTrue(e.getMessage().contains("parent"), e.getMessage());
        });
  }

  @Test
  void aParentTimeoutIsReportedAsDeadlineExceeded() {
    bounded(
        () -> {
          try (CancellableContext parent =
              Context.withTimeout(Context.background(), Duration.ofMillis(20))) {
            TaskGroup g = TaskGroup.withContext(parent);
            for (int i = 0; i < 3; i++) {
              g.go(c -> Context.sleep(c, Duration.ofMinutes(1)));
              g.go(c -> Thread.sleep(60_000)); // interrupted
            }
            ExecutionException e = assertThrows(ExecutionException.class, g::await);
            assertTrue(Context.isDeadlineExceeded(e));
            assertFalse(Context.isCanceled(e));
            assertEquals(0, e.getSuppressed().length);
          }
        });
  }

  @Test
  void aParentCancelledWithACauseReportsTheCauseAsSuppressed() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          IllegalStateException why = new IllegalStateException("shutting down");
          parent.cancel(why);
          TaskGroup g = TaskGroup.withContext(parent);
          AtomicBoolean ran = new AtomicBoolean();
          g.go(c -> ran.set(true));
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertFalse(ran.get());
          assertTrue(Context.isCanceled(e));
          assertSame(why, e.getSuppressed()[0]);
        });
  }

  @Test
  void tasksThatAllSucceedAreNotFailedByALateParentCancel() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    TaskGroup g = TaskGroup.withContext(parent, Runnable::run);
    g.go(c -> {});
    parent.cancel();
    g.await(); // every task ran and returned normally
  }

  // ---- Tasks that never start -----------------------------------------------------------------

  @Test
  void aTaskNotStartedWhenTheContextEndsNeverRuns() {
    ManualExecutor ex = new ManualExecutor();
    CancellableContext parent = Context.withCancel(Context.background());
    TaskGroup g = TaskGroup.withContext(parent, ex);
    AtomicBoolean ran = new AtomicBoolean();
    g.go(c -> ran.set(true));
    assertEquals(1, ex.queued.size());
    parent.cancel();
    ex.runAll();
    assertFalse(ran.get());
    g.go(c -> ran.set(true)); // not even handed to the executor
    assertEquals(0, ex.queued.size());
    ExecutionException e = assertThrows(ExecutionException.class, g::await);
    assertTrue(Context.isCanceled(e));
  }

  @Test
  void aTaskQueuedBehindAFailureNeverRuns() {
    ManualExecutor ex = new ManualExecutor();
    TaskGroup g = TaskGroup.withContext(Context.background(), ex);
    AtomicBoolean ran = new AtomicBoolean();
    IOException boom = new IOException("boom");
    g.go(
        c -> {
          throw boom;
        });
    g.go(c -> ran.set(true));
    ex.runAll();
    assertFalse(ran.get());
    assertSame(boom, assertThrows(ExecutionException.class, g::await).getCause());
  }

  // ---- Interrupts -----------------------------------------------------------------------------

  @Test
  void aTaskBlockedWhereItCannotSeeTheContextIsInterrupted() {
    bounded(
        () -> {
          AtomicReference<Throwable> seen = new AtomicReference<>();
          CountDownLatch sleeping = new CountDownLatch(1);
          TaskGroup g = TaskGroup.withContext(Context.background());
          g.go(
              c -> {
                sleeping.countDown();
                try {
                  new LinkedBlockingQueue<String>().take();
                } catch (InterruptedException e) {
                  seen.set(e);
                  throw e;
                }
              });
          sleeping.await();
          IOException boom = new IOException("boom");
          g.go(
              c -> {
                throw boom;
              });
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertSame(boom, e.getCause(), "the interruption is a consequence, not a failure");
          assertInstanceOf(InterruptedException.class, seen.get());
        });
  }

  /**
   * A single thread that runs tasks from a queue and never clears its interrupt flag (unlike
   * ThreadPoolExecutor), so any interrupt left behind by a task shows up in the next one.
   */
  private static final class LoopExecutor implements Executor, AutoCloseable {
    final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    final Thread thread;

    LoopExecutor() {
      thread =
          new Thread(
              () -> {
                for (; ; ) {
                  Runnable r;
                  try {
                    r = queue.take();
                  } catch (InterruptedException e) {
                    leaks.add("interrupt flag set between tasks");
                    continue;
                  }
                  if (r == STOP) {
                    return;
                  }
                  r.run();
                }
              },
              "loop-executor");
      thread.setDaemon(true);
      thread.start();
    }

    static final Runnable STOP = () -> {};

    @Override
    public void execute(Runnable r) {
      queue.add(r);
    }

    @Override
    public void close() throws InterruptedException {
      queue.add(STOP);
      thread.join();
    }
  }

  @Test
  void theGroupsInterruptIsClearedWhenTheTaskEnds() {
    bounded(
        () -> {
          try (LoopExecutor ex = new LoopExecutor()) {
            CountDownLatch blocked = new CountDownLatch(1);
            TaskGroup g = TaskGroup.withContext(Context.background(), ex);
            g.go(
                c -> {
                  blocked.countDown();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the usual "restore the flag" idiom
                  }
                });
            blocked.await();
            g.close();
            AtomicBoolean flagInNextTask = new AtomicBoolean(true);
            CountDownLatch next = new CountDownLatch(1);
            ex.execute(
                () -> {
                  flagInNextTask.set(Thread.currentThread().isInterrupted());
                  next.countDown();
                });
            next.await();
            assertFalse(flagInNextTask.get());
            assertTrue(ex.leaks.isEmpty(), ex.leaks.toString());
          }
        });
  }

  @Test
  void aTaskThatEndsBeforeTheContextIsNotInterrupted() {
    bounded(
        () -> {
          try (LoopExecutor ex = new LoopExecutor()) {
            TaskGroup g = TaskGroup.withContext(Context.background(), ex);
            AtomicBoolean interrupted = new AtomicBoolean();
            g.go(c -> interrupted.set(Thread.currentThread().isInterrupted()));
            g.await();
            assertFalse(interrupted.get());
            CountDownLatch next = new CountDownLatch(1);
            ex.execute(
                () -> {
                  interrupted.set(Thread.currentThread().isInterrupted());
                  next.countDown();
                });
            next.await();
            assertFalse(interrupted.get());
          }
        });
  }

  // ---- close() --------------------------------------------------------------------------------

  @Test
  void closeWithoutAwaitCancelsAndWaitsForEveryTask() {
    bounded(
        () -> {
          AtomicInteger ended = new AtomicInteger();
          CountDownLatch started = new CountDownLatch(4);
          Context ctx;
          try (TaskGroup g = TaskGroup.withContext(Context.background())) {
            ctx = g.context();
            for (int i = 0; i < 4; i++) {
              g.go(
                  c -> {
                    try {
                      started.countDown();
                      Context.sleep(c, Duration.ofMinutes(1));
                    } finally {
                      spin(Duration.ofMillis(20)); // still running after close() cancelled
                      ended.incrementAndGet();
                    }
                  });
            }
            started.await();
          }
          assertEquals(4, ended.get(), "no task outlives the block");
          assertTrue(ctx.done().isDone());
        });
  }

  @Test
  void closeAfterAwaitDoesNothingAndAwaitAgainReportsTheSameOutcome() throws Exception {
    TaskGroup g = TaskGroup.withContext(Context.background(), Runnable::run);
    IOException boom = new IOException("boom");
    g.go(
        c -> {
          throw boom;
        });
    assertSame(boom, assertThrows(ExecutionException.class, g::await).getCause());
    g.close();
    g.close();
    assertSame(boom, assertThrows(ExecutionException.class, g::await).getCause());
    assertSame(boom, Context.cause(g.context()));
  }

  @Test
  void awaitAfterCloseReportsTheCancellation() {
    bounded(
        () -> {
          ManualExecutor ex = new ManualExecutor();
          TaskGroup g = TaskGroup.withContext(Context.background(), ex);
          AtomicBoolean ran = new AtomicBoolean();
          g.go(c -> ran.set(true));
          Thread closer = new Thread(g::close); // waits for the queued task
          closer.start();
          g.context().done().await();
          ex.runAll(); // the task never starts: the context ended first
          closer.join();
          assertFalse(ran.get());
          assertTrue(Context.isCanceled(assertThrows(ExecutionException.class, g::await)));
        });
  }

  @Test
  void closeFromInsideATaskCancelsAndReturns() {
    bounded(
        () -> {
          AtomicReference<ContextDoneException> errAfterClose = new AtomicReference<>();
          try (TaskGroup g = TaskGroup.withContext(Context.background())) {
            g.go(
                c -> {
                  g.close(); // cannot wait for itself
                  errAfterClose.set(c.err());
                });
            g.await(); // every task ran and returned normally
          }
          assertInstanceOf(CanceledException.class, errAfterClose.get());
        });
  }

  @Test
  void awaitFromInsideATaskIsRefused() {
    bounded(
        () -> {
          TaskGroup g = TaskGroup.withContext(Context.background());
          g.go(c -> g.await());
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertInstanceOf(IllegalStateException.class, e.getCause());
          assertTrue(e.getCause().getMessage().contains("inside"), e.getCause().getMessage());
        });
  }

  @Test
  void closeFromATaskOfANestedGroupOnTheSameThreadDoesNotDeadlock() {
    bounded(
        () -> {
          TaskGroup outer = TaskGroup.withContext(Context.background(), Runnable::run);
          outer.go(
              c -> {
                try (TaskGroup inner = TaskGroup.withContext(c, Runnable::run)) {
                  inner.go(ic -> outer.close());
                  inner.await();
                }
              });
          outer.await();
          assertTrue(outer.context().done().isDone());
        });
  }

  @Test
  void anInterruptedCloseStillWaitsAndKeepsTheInterrupt() {
    bounded(
        () -> {
          AtomicBoolean ended = new AtomicBoolean();
          CountDownLatch started = new CountDownLatch(1);
          TaskGroup g = TaskGroup.withContext(Context.background());
          g.go(
              c -> {
                started.countDown();
                try {
                  c.done().await();
                } finally {
                  spin(Duration.ofMillis(50));
                  ended.set(true);
                }
              });
          started.await();
          Thread.currentThread().interrupt();
          g.close();
          assertTrue(Thread.interrupted(), "the interrupt is kept");
          assertTrue(ended.get());
        });
  }

  @Test
  void anInterruptedAwaitLeavesTheGroupToClose() {
    bounded(
        () -> {
          TaskGroup g = TaskGroup.withContext(Context.background());
          CountDownLatch started = new CountDownLatch(1);
          g.go(
              c -> {
                started.countDown();
                waitForEnd(c);
              });
          started.await();
          Thread.currentThread().interrupt();
          assertThrows(InterruptedException.class, g::await);
          assertNull(g.context().err(), "an interrupted await does not end the group");
          g.close();
          assertTrue(g.context().done().isDone());
        });
  }

  // ---- Tasks starting tasks -------------------------------------------------------------------

  @Test
  void tasksMayStartTasksWhileTheOwnerAwaits() {
    bounded(
        () -> {
          AtomicInteger ran = new AtomicInteger();
          try (TaskGroup g = TaskGroup.withContext(Context.background())) {
            g.go(
                c -> {
                  for (int i = 0; i < 10; i++) {
                    g.go(
                        c2 -> {
                          Thread.sleep(1);
                          ran.incrementAndGet();
                        });
                  }
                });
            g.await();
          }
          assertEquals(10, ran.get());
        });
  }

  // ---- Limit ----------------------------------------------------------------------------------

  @Test
  void aLimitBoundsTheTasksRunningAtOnce() {
    bounded(
        () -> {
          AtomicInteger running = new AtomicInteger();
          AtomicInteger most = new AtomicInteger();
          try (TaskGroup g = TaskGroup.withLimit(Context.background(), 3)) {
            for (int i = 0; i < 30; i++) {
              g.go(
                  c -> {
                    int now = running.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    Thread.sleep(2);
                    running.decrementAndGet();
                  });
            }
            g.await();
          }
          assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        });
  }

  @Test
  void tryGoSaysFalseWhenNoSlotIsFree() {
    bounded(
        () -> {
          CountDownLatch release = new CountDownLatch(1);
          try (TaskGroup g = TaskGroup.withLimit(Context.background(), 1)) {
            assertTrue(g.tryGo(c -> release.await()));
            assertFalse(g.tryGo(c -> {}));
            release.countDown();
            g.await();
          }
        });
  }

  @Test
  void aGoWaitingForASlotEndsWhenTheContextEnds() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          TaskGroup g = TaskGroup.withLimit(parent, 1);
          g.go(TaskGroupTest::waitForEnd);
          AtomicBoolean secondRan = new AtomicBoolean();
          CountDownLatch goReturned = new CountDownLatch(1);
          Thread t =
              new Thread(
                  () -> {
                    g.go(c -> secondRan.set(true));
                    goReturned.countDown();
                  });
          t.start();
          assertFalse(goReturned.await(50, TimeUnit.MILLISECONDS), "go waits for the slot");
          parent.cancel();
          goReturned.await();
          t.join();
          assertTrue(Context.isCanceled(assertThrows(ExecutionException.class, g::await)));
          assertFalse(secondRan.get());
          assertThrows(IllegalStateException.class, () -> g.tryGo(c -> {}));
        });
  }

  @Test
  void anInterruptedGoCancelsTheGroup() {
    bounded(
        () -> {
          TaskGroup g = TaskGroup.withLimit(Context.background(), 1);
          g.go(TaskGroupTest::waitForEnd);
          AtomicBoolean secondRan = new AtomicBoolean();
          Thread.currentThread().interrupt();
          g.go(c -> secondRan.set(true));
          assertTrue(Thread.interrupted(), "the interrupt is set again");
          assertInstanceOf(InterruptedException.class, Context.cause(g.context()));
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertTrue(Context.isCanceled(e));
          assertFalse(secondRan.get());
        });
  }

  // ---- fork -----------------------------------------------------------------------------------

  @Test
  void forkedValuesAreReadableAfterAwait() {
    bounded(
        () -> {
          try (TaskGroup g = TaskGroup.withContext(Context.background())) {
            List<TaskGroup.Result<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              int n = i;
              results.add(g.fork(c -> n * n));
            }
            IllegalStateException early =
                assertThrows(IllegalStateException.class, () -> results.get(0).get());
            assertTrue(early.getMessage().contains("await"), early.getMessage());
            g.await();
            for (int i = 0; i < 10; i++) {
              assertEquals(i * i, results.get(i).get());
            }
          }
        });
  }

  @Test
  void aFailedOrSkippedForkSaysSo() {
    ManualExecutor ex = new ManualExecutor();
    TaskGroup g = TaskGroup.withContext(Context.background(), ex);
    IOException boom = new IOException("boom");
    TaskGroup.Result<String> failed =
        g.fork(
            c -> {
              throw boom;
            });
    TaskGroup.Result<String> skipped = g.fork(c -> "never");
    ex.runAll();
    assertThrows(ExecutionException.class, g::await);
    assertSame(boom, assertThrows(IllegalStateException.class, failed::get).getCause());
    assertTrue(
        assertThrows(IllegalStateException.class, skipped::get)
            .getMessage()
            .contains("did not run"));
  }

  // ---- Leaks ----------------------------------------------------------------------------------

  @Test
  void theGroupsContextNeverStaysRegisteredInItsParent() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    try (TaskGroup g = TaskGroup.withContext(parent)) {
      g.go(c -> {});
      g.await();
    }
    try (TaskGroup g = TaskGroup.withContext(parent)) {
      g.go(TaskGroupTest::waitForEnd);
    }
    try (TaskGroup g = TaskGroup.withLimit(parent, 2)) {
      g.go(c -> {});
    }
    assertEquals(0, RuntimeInternals.childCount(parent));
    assertNull(parent.err());
    parent.cancel();
  }

  // ---- Bad input ------------------------------------------------------------------------------

  @Test
  void nullArgumentsAreNamed() {
    Executor ex = Runnable::run;
    assertEquals(
        "parent",
        assertThrows(NullPointerException.class, () -> TaskGroup.withContext(null)).getMessage());
    assertEquals(
        "parent",
        assertThrows(NullPointerException.class, () -> TaskGroup.withContext(null, ex))
            .getMessage());
    assertEquals(
        "executor",
        assertThrows(
                NullPointerException.class, () -> TaskGroup.withContext(Context.background(), null))
            .getMessage());
    assertEquals(
        "parent",
        assertThrows(NullPointerException.class, () -> TaskGroup.withLimit(null, 1)).getMessage());
    assertEquals(
        "executor",
        assertThrows(
                NullPointerException.class,
                () -> TaskGroup.withLimit(Context.background(), null, 1))
            .getMessage());
    try (TaskGroup g = TaskGroup.withContext(Context.background(), ex)) {
      assertEquals("task", assertThrows(NullPointerException.class, () -> g.go(null)).getMessage());
      assertEquals(
          "task", assertThrows(NullPointerException.class, () -> g.tryGo(null)).getMessage());
      assertEquals(
          "task", assertThrows(NullPointerException.class, () -> g.fork(null)).getMessage());
    }
  }

  @Test
  void aLimitBelowOneIsRefused() {
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> TaskGroup.withLimit(Context.background(), bad));
      assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> TaskGroup.withLimit(Context.background(), Runnable::run, bad));
    }
  }

  @Test
  void goAfterAwaitOrCloseIsRefused() throws Exception {
    TaskGroup awaited = TaskGroup.withContext(Context.background(), Runnable::run);
    awaited.await();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> awaited.go(c -> {}));
    assertTrue(e.getMessage().contains("finished"), e.getMessage());
    TaskGroup closed = TaskGroup.withContext(Context.background(), Runnable::run);
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.go(c -> {}));
    assertThrows(IllegalStateException.class, () -> closed.tryGo(c -> {}));
    assertThrows(IllegalStateException.class, () -> closed.fork(c -> 1));
  }

  @Test
  void aRejectedTaskFailsTheGroupAndAwaitDoesNotHang() {
    bounded(
        () -> {
          ExecutorService pool = Executors.newSingleThreadExecutor();
          pool.shutdown();
          TaskGroup g = TaskGroup.withContext(Context.background(), pool);
          AtomicBoolean ran = new AtomicBoolean();
          g.go(c -> ran.set(true));
          assertTrue(g.context().done().isDone(), "the rejection cancels the group");
          ExecutionException e = assertThrows(ExecutionException.class, g::await);
          assertInstanceOf(RejectedExecutionException.class, e.getCause());
          assertInstanceOf(RejectedExecutionException.class, e.getCause().getCause());
          assertTrue(e.getCause().getMessage().contains("did not accept"));
          assertFalse(ran.get());
          assertTrue(g.toString().contains("finished"), g.toString());
        });
  }

  @Test
  void aRejectionAfterSomeTasksRanKeepsTheGroupConsistent() {
    bounded(
        () -> {
          AtomicInteger accepted = new AtomicInteger();
          ExecutorService pool = Executors.newCachedThreadPool();
          Executor flaky =
              r -> {
                if (accepted.incrementAndGet() > 2) {
                  throw new RejectedExecutionException("full");
                }
                pool.execute(r);
              };
          try {
            TaskGroup g = TaskGroup.withLimit(Context.background(), flaky, 2);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
              g.go(c -> ran.incrementAndGet());
            }
            ExecutionException e = assertThrows(ExecutionException.class, g::await);
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
            assertTrue(ran.get() <= 2);
            assertThrows(IllegalStateException.class, () -> g.go(c -> {}));
          } finally {
            pool.shutdown();
          }
        });
  }

  @Test
  void toStringSaysWhereTheGroupIs() throws Exception {
    TaskGroup g = TaskGroup.withLimit(Context.background(), Runnable::run, 4);
    assertEquals("TaskGroup[0 running, limit 4]", g.toString());
    g.await();
    assertEquals("TaskGroup[finished, limit 4]", g.toString());
    assertNotNull(g.context());
  }
}
