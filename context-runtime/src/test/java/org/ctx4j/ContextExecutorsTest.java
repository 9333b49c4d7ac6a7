package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

final class ContextExecutorsTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
  }

  private static void bounded(Executable e) {
    assertTimeoutPreemptively(Duration.ofSeconds(30), e);
  }

  /** Records the interruption of a task blocked where it cannot see the context. */
  private static String blockUninformed(CountDownLatch started) {
    started.countDown();
    try {
      new LinkedBlockingQueue<String>().take();
      return "not interrupted";
    } catch (InterruptedException e) {
      return "interrupted";
    }
  }

  // ---- callAsync / runAsync -------------------------------------------------------------------

  @Test
  void callAsyncGivesTheValueAndTheTaskItsOwnContext() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          Context withValue = Context.withValue(parent, "k", "v");
          AtomicReference<Context> seen = new AtomicReference<>();
          CompletableFuture<String> f =
              ContextExecutors.callAsync(
                  withValue,
                  pool,
                  c -> {
                    seen.set(c);
                    return (String) c.value("k");
                  });
          assertEquals("v", f.get());
          assertNotSame(withValue, seen.get());
          assertTrue(seen.get().done().isDone(), "the task's context ends with the future");
          assertNull(parent.err());
          assertEquals(0, RuntimeInternals.childCount(parent));
        });
  }

  @Test
  void theEndOfTheContextCompletesTheFutureAndInterruptsTheTask() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          CountDownLatch started = new CountDownLatch(1);
          AtomicReference<String> outcome = new AtomicReference<>();
          CountDownLatch ended = new CountDownLatch(1);
          CompletableFuture<String> f =
              ContextExecutors.callAsync(
                  parent,
                  pool,
                  c -> {
                    outcome.set(blockUninformed(started));
                    ended.countDown();
                    return "late";
                  });
          started.await();
          parent.cancel();
          assertTrue(f.isCompletedExceptionally());
          assertTrue(f.isCancelled(), "the context's error is a CancellationException");
          ExecutionException wrapped = null;
          try {
            f.get();
          } catch (CancellationException | ExecutionException e) {
            assertTrue(Context.isCanceled(e));
            wrapped = e instanceof ExecutionException ee ? ee : null;
          }
          assertNull(wrapped);
          ended.await();
          assertEquals("interrupted", outcome.get());
        });
  }

  @Test
  void aParentTimeoutCompletesTheFutureWithDeadlineExceeded() {
    bounded(
        () -> {
          try (CancellableContext parent =
              Context.withTimeout(Context.background(), Duration.ofMillis(20))) {
            CompletableFuture<Void> f =
                ContextExecutors.runAsync(parent, pool, c -> Thread.sleep(60_000));
            Throwable t = assertThrows(Throwable.class, f::join);
            assertTrue(Context.isDeadlineExceeded(t), t.toString());
          }
        });
  }

  @Test
  void aTaskNotStartedWhenTheContextEndsNeverRuns() {
    List<Runnable> queued = new ArrayList<>();
    CancellableContext parent = Context.withCancel(Context.background());
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<Void> f = ContextExecutors.runAsync(parent, queued::add, c -> ran.set(true));
    parent.cancel();
    queued.forEach(Runnable::run);
    assertFalse(ran.get());
    assertTrue(f.isCancelled());
  }

  @Test
  void cancellingTheFutureCancelsTheTasksContextOnly() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          CountDownLatch started = new CountDownLatch(1);
          AtomicReference<Context> taskCtx = new AtomicReference<>();
          AtomicReference<String> outcome = new AtomicReference<>();
          CountDownLatch ended = new CountDownLatch(1);
          CompletableFuture<Void> f =
              ContextExecutors.runAsync(
                  parent,
                  pool,
                  c -> {
                    taskCtx.set(c);
                    outcome.set(blockUninformed(started));
                    ended.countDown();
                  });
          started.await();
          assertTrue(f.cancel(false));
          ended.await();
          assertEquals("interrupted", outcome.get());
          assertTrue(Context.isCanceled(taskCtx.get().err()));
          assertNull(parent.err());
        });
  }

  @Test
  void aFailingTaskFailsTheFuture() {
    IOException boom = new IOException("boom");
    CompletableFuture<String> f =
        ContextExecutors.callAsync(
            Context.background(),
            Runnable::run,
            c -> {
              throw boom;
            });
    assertSame(boom, assertThrows(ExecutionException.class, f::get).getCause());
  }

  @Test
  void aRejectedTaskThrowsAndLeavesNothingRegistered() {
    CancellableContext parent = Context.withCancel(Context.background());
    Executor full =
        r -> {
          throw new RejectedExecutionException("full");
        };
    assertThrows(
        RejectedExecutionException.class, () -> ContextExecutors.runAsync(parent, full, c -> {}));
    assertEquals(0, RuntimeInternals.childCount(parent));
  }

  // ---- bind -----------------------------------------------------------------------------------

  @Test
  void aBoundExecutorSkipsTasksAfterTheEndAndInterruptsRunningOnes() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          Executor bound = ContextExecutors.bind(parent, pool);
          CountDownLatch started = new CountDownLatch(1);
          AtomicReference<String> outcome = new AtomicReference<>();
          CountDownLatch ended = new CountDownLatch(1);
          bound.execute(
              () -> {
                outcome.set(blockUninformed(started));
                ended.countDown();
              });
          started.await();
          parent.cancel();
          ended.await();
          assertEquals("interrupted", outcome.get());
          AtomicBoolean ran = new AtomicBoolean();
          CountDownLatch after = new CountDownLatch(1);
          bound.execute(() -> ran.set(true));
          pool.execute(after::countDown);
          after.await();
          pool.shutdown();
          assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
          assertFalse(ran.get());
        });
  }

  @Test
  void aBoundExecutorServiceFailsItsFuturesWhenTheContextEnds() {
    bounded(
        () -> {
          CancellableContext parent = Context.withCancel(Context.background());
          ExecutorService bound = ContextExecutors.bind(parent, pool);
          assertEquals(List.of(1, 2), values(bound.invokeAll(List.of(() -> 1, () -> 2))));
          assertEquals(3, bound.submit(() -> 3).get());
          CountDownLatch started = new CountDownLatch(1);
          Future<String> f = bound.submit(() -> blockUninformed(started));
          started.await();
          parent.cancel();
          assertTrue(f.isCancelled());
          CancellationException e = assertThrows(CancellationException.class, f::get);
          assertTrue(Context.isCanceled(e));
          assertFalse(bound.isShutdown());
          bound.shutdown();
          assertTrue(pool.isShutdown(), "the life cycle is the service's own");
        });
  }

  @Test
  void cancellingABoundFutureInterruptsItsTask() {
    bounded(
        () -> {
          ExecutorService bound = ContextExecutors.bind(Context.background(), pool);
          CountDownLatch started = new CountDownLatch(1);
          AtomicReference<String> outcome = new AtomicReference<>();
          CountDownLatch ended = new CountDownLatch(1);
          Future<?> f =
              bound.submit(
                  () -> {
                    outcome.set(blockUninformed(started));
                    ended.countDown();
                  });
          started.await();
          assertTrue(f.cancel(true));
          ended.await();
          assertEquals("interrupted", outcome.get());
        });
  }

  private static <T> List<T> values(List<Future<T>> futures) throws Exception {
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  @Test
  void nullArgumentsAreNamed() {
    Context bg = Context.background();
    Executor ex = Runnable::run;
    assertEquals(
        "ctx",
        assertThrows(NullPointerException.class, () -> ContextExecutors.callAsync(null, ex, c -> 1))
            .getMessage());
    assertEquals(
        "executor",
        assertThrows(NullPointerException.class, () -> ContextExecutors.callAsync(bg, null, c -> 1))
            .getMessage());
    assertEquals(
        "task",
        assertThrows(NullPointerException.class, () -> ContextExecutors.runAsync(bg, ex, null))
            .getMessage());
    assertEquals(
        "ctx",
        assertThrows(NullPointerException.class, () -> ContextExecutors.bind(null, ex))
            .getMessage());
    assertEquals(
        "service",
        assertThrows(
                NullPointerException.class, () -> ContextExecutors.bind(bg, (ExecutorService) null))
            .getMessage());
    assertEquals(
        "command",
        assertThrows(NullPointerException.class, () -> ContextExecutors.bind(bg, ex).execute(null))
            .getMessage());
  }
}
