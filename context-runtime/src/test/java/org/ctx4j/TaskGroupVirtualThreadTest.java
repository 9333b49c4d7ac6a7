package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Task groups on virtual threads ({@code Executors.newVirtualThreadPerTaskExecutor()}, JDK 21+).
 * The executor is created reflectively, so this class compiles for Java 17; on a JDK without
 * virtual threads every test is skipped. Run it on JDK 21+ with surefire's {@code -Djvm=...}.
 */
final class TaskGroupVirtualThreadTest {

  private static ExecutorService virtualThreads() throws ReflectiveOperationException {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
    return (ExecutorService)
        Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }

  private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
    return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
  }

  @Test
  void theFirstFailureInterruptsSiblingsOnVirtualThreads() throws Exception {
    ExecutorService vt = virtualThreads();
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            IOException boom = new IOException("boom");
            CountDownLatch blocked = new CountDownLatch(100);
            AtomicInteger interrupted = new AtomicInteger();
            AtomicInteger onVirtual = new AtomicInteger();
            try (TaskGroup g = TaskGroup.withContext(Context.background(), vt)) {
              for (int i = 0; i < 100; i++) {
                g.go(
                    c -> {
                      if (isVirtual(Thread.currentThread())) {
                        onVirtual.incrementAndGet();
                      }
                      blocked.countDown();
                      try {
                        Thread.sleep(60_000);
                      } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                      }
                    });
              }
              blocked.await();
              g.go(
                  c -> {
                    throw boom;
                  });
              ExecutionException e = assertThrows(ExecutionException.class, g::await);
              assertSame(boom, e.getCause());
              assertEquals(0, e.getSuppressed().length);
            }
            assertEquals(100, onVirtual.get());
            assertEquals(100, interrupted.get());
          });
    } finally {
      vt.shutdown();
    }
  }

  @Test
  void aLargeFanOutWithALimitOnVirtualThreads() throws Exception {
    ExecutorService vt = virtualThreads();
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            try (TaskGroup g = TaskGroup.withLimit(Context.background(), vt, 50)) {
              for (int i = 0; i < 10_000; i++) {
                g.go(
                    c -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      Context.sleep(c, Duration.ofMillis(1));
                      running.decrementAndGet();
                    });
              }
              g.await();
            }
            assertTrue(most.get() <= 50, "at most 50 at once, saw " + most.get());
          });
    } finally {
      vt.shutdown();
    }
  }

  /** 100,000 groups on virtual threads: the platform thread count returns to where it was. */
  @Test
  void oneHundredThousandGroupsOnVirtualThreadsLeaveNoThreads() throws Exception {
    ExecutorService vt = virtualThreads();
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(120),
          () -> {
            CancellableContext root = Context.withCancel(Context.background());
            TaskGroupStressTest.runGroups(root, vt, 1_000); // warm up the carrier threads
            int before = Thread.activeCount();
            TaskGroupStressTest.runGroups(root, vt, 100_000);
            assertEquals(0, RuntimeInternals.childCount(root));
            assertTrue(
                Thread.activeCount() <= before + 2,
                "platform threads before " + before + ", after " + Thread.activeCount());
          });
    } finally {
      vt.shutdown();
    }
  }
}
