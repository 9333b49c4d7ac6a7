package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class AfterFuncTest {
  private static final long GUARD_S = 10;

  @Test
  void runsOnceOnAnotherThreadAfterCancelAndCancelDoesNotWait() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Thread> runner = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    AfterFunc stop =
        Context.afterFunc(
            ctx,
            () -> {
              runner.set(Thread.currentThread());
              runs.incrementAndGet();
              try {
                release.await(GUARD_S, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ran.countDown();
            });
    ctx.cancel(); // returns although the function blocks until released
    release.countDown();
    assertTrue(ran.await(GUARD_S, TimeUnit.SECONDS));
    assertNotSame(Thread.currentThread(), runner.get());
    assertTrue(runner.get().isDaemon());
    assertFalse(stop.stop());
    ctx.cancel();
    assertEquals(1, runs.get());
  }

  @Test
  void runsAtOnceOnADoneContextAndAfterATimeout() throws Exception {
    CancellableContext done = Context.withCancel(Context.background());
    done.cancel();
    CountDownLatch ran = new CountDownLatch(2);
    AfterFunc stop = Context.afterFunc(done, ran::countDown);
    CancellableContext timed = Context.withTimeout(Context.background(), Duration.ofMillis(1));
    Context.afterFunc(Context.withValue(timed, "k", "v"), ran::countDown);
    assertTrue(ran.await(GUARD_S, TimeUnit.SECONDS));
    assertFalse(stop.stop());
  }

  @Test
  void stopBeforeTheEndPreventsTheRun() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    AtomicInteger runs = new AtomicInteger();
    AfterFunc stop = Context.afterFunc(ctx, runs::incrementAndGet);
    assertEquals(1, RuntimeInternals.childCount(ctx));
    assertTrue(stop.stop());
    assertFalse(stop.stop());
    assertEquals(0, RuntimeInternals.childCount(ctx));
    CountDownLatch marker = new CountDownLatch(1);
    Context.afterFunc(ctx, marker::countDown);
    ctx.cancel();
    assertTrue(marker.await(GUARD_S, TimeUnit.SECONDS));
    assertEquals(0, runs.get());
  }

  @Test
  void onANeverDoneContextItNeverRunsAndStopReturnsTrue() {
    AfterFunc stop =
        Context.afterFunc(
            Context.background(),
            () -> {
              throw new AssertionError("ran");
            });
    assertTrue(stop.stop());
    assertFalse(stop.stop());
  }
}
