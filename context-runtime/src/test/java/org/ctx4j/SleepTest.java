package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Context#sleep(Context, Duration)}: Go's select over time.After(d) and ctx.Done(). */
final class SleepTest {
  private static final Duration LONG = Duration.ofMinutes(10);

  @Test
  void returnsAfterTheDurationWhenTheContextStaysActive() throws Exception {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      long start = System.nanoTime();
      Context.sleep(ctx, Duration.ofMillis(30));
      assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
      assertEquals(null, ctx.err());
    }
  }

  @Test
  void backgroundNeverEndsTheSleep() throws Exception {
    long start = System.nanoTime();
    Context.sleep(Context.background(), Duration.ofMillis(20));
    Context.sleep(Context.todo(), Duration.ofMillis(1));
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos());
  }

  @Test
  void aContextDoneBeforeThrowsItsErrorAtOnce() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel();
    long start = System.nanoTime();
    ContextDoneException e = assertThrows(CanceledException.class, () -> Context.sleep(ctx, LONG));
    assertSame(ctx.err(), e);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void aCancelDuringTheSleepEndsIt() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread sleeper =
        new Thread(
            () -> {
              started.countDown();
              try {
                Context.sleep(ctx, LONG);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    sleeper.start();
    started.await();
    ctx.cancel();
    sleeper.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(sleeper.isAlive(), "the sleep outlived the cancel");
    assertSame(ctx.err(), thrown.get());
  }

  @Test
  void aDeadlineDuringTheSleepEndsItWithDeadlineExceeded() {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(20))) {
      ContextDoneException e =
          assertThrows(DeadlineExceededException.class, () -> Context.sleep(ctx, LONG));
      assertSame(ctx.err(), e);
    }
  }

  @Test
  void theShorterOfTheSleepAndTheDeadlineWins() throws Exception {
    try (CancellableContext ctx = Context.withTimeout(Context.background(), LONG)) {
      Context.sleep(ctx, Duration.ofMillis(5));
      assertEquals(null, ctx.err());
    }
  }

  @Test
  void anInterruptEndsTheSleep() throws Exception {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread sleeper =
          new Thread(
              () -> {
                try {
                  Context.sleep(ctx, LONG);
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      sleeper.start();
      sleeper.interrupt();
      sleeper.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(sleeper.isAlive(), "the sleep outlived the interrupt");
      assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    }
  }

  @Test
  void anInterruptedThreadDoesNotSleep() {
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, () -> Context.sleep(Context.background(), LONG));
      assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void zeroOrNegativeDurationsReturnAtOnceUnlessTheContextIsDone() throws Exception {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      Context.sleep(ctx, Duration.ZERO);
      Context.sleep(ctx, Duration.ofSeconds(-5));
      Context.sleep(Context.background(), Duration.ZERO);
      Context.sleep(Context.background(), Duration.ofMillis(-1));
      ctx.cancel();
      assertThrows(CanceledException.class, () -> Context.sleep(ctx, Duration.ZERO));
      assertThrows(CanceledException.class, () -> Context.sleep(ctx, Duration.ofSeconds(-5)));
    }
    Context expired = Context.withTimeout(Context.background(), Duration.ZERO);
    assertThrows(DeadlineExceededException.class, () -> Context.sleep(expired, Duration.ZERO));
  }

  @Test
  void nullArgumentsAreNamed() {
    NullPointerException noContext =
        assertThrows(NullPointerException.class, () -> Context.sleep(null, Duration.ZERO));
    assertEquals("ctx", noContext.getMessage());
    NullPointerException noDuration =
        assertThrows(NullPointerException.class, () -> Context.sleep(Context.background(), null));
    assertEquals("d", noDuration.getMessage());
  }

  @Test
  void aChildOfADoneParentThrowsTheParentsError() {
    CancellableContext parent = Context.withCancel(Context.background());
    Context child = Context.withValue(parent, SleepTest.class, "v");
    parent.cancel();
    assertSame(
        parent.err(), assertThrows(CanceledException.class, () -> Context.sleep(child, LONG)));
  }
}
