package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class DoneTest {
  private static final long GUARD_S = 10;

  @Test
  void pollAndAwaitAfterCancel() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    assertSame(ctx.done(), ctx.done());
    assertFalse(ctx.done().isDone());
    assertFalse(ctx.done().await(Duration.ZERO));
    assertFalse(ctx.done().await(Duration.ofMillis(1)));
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<ContextDoneException> seen = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                waiting.countDown();
                ctx.done().await();
                seen.set(ctx.err());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    assertTrue(waiting.await(GUARD_S, TimeUnit.SECONDS));
    ctx.cancel();
    waiter.join(GUARD_S * 1000);
    assertFalse(waiter.isAlive());
    assertSame(ctx.err(), seen.get());
    ctx.done().await();
    assertTrue(ctx.done().await(Duration.ZERO));
    assertEquals(0, RuntimeInternals.childCount(ctx));
  }

  @Test
  void awaitIsInterruptibleAndLeavesNoWaiterBehind() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    for (Done d : new Done[] {ctx.done(), Context.background().done()}) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread waiter =
          new Thread(
              () -> {
                try {
                  d.await(Duration.ofHours(1));
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      waiter.start();
      waiter.interrupt();
      waiter.join(GUARD_S * 1000);
      assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, d::await);
    }
    assertEquals(0, RuntimeInternals.childCount(ctx));
    ctx.cancel();
  }

  @Test
  void onDoneRunsOnceAndCanBeRemoved() {
    CancellableContext ctx = Context.withCancel(Context.background());
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    Done.Registration ra = ctx.done().onDone(a::incrementAndGet);
    Done.Registration rb = ctx.done().onDone(b::incrementAndGet);
    assertTrue(rb.remove());
    assertFalse(rb.remove());
    ctx.cancel();
    ctx.cancel();
    assertEquals(1, a.get());
    assertEquals(0, b.get());
    assertFalse(ra.remove());
    AtomicInteger c = new AtomicInteger();
    Done.Registration rc = ctx.done().onDone(c::incrementAndGet);
    assertEquals(1, c.get()); // already done: at once, on this thread
    assertFalse(rc.remove());
  }

  @Test
  void backgroundDoneNeverFiresAndKeepsNothing() throws InterruptedException {
    Done d = Context.background().done();
    assertFalse(d.isDone());
    assertFalse(d.await(Duration.ofMillis(1)));
    Done.Registration r = d.onDone(() -> {});
    assertTrue(r.remove());
    assertFalse(r.remove());
    CompletableFuture<Void> f = d.toFuture();
    assertFalse(f.complete(null));
    assertFalse(f.isDone());
    assertFalse(d.toFuture().isDone());
    assertSame(d, Context.withoutCancel(Context.withCancel(Context.background())).done());
  }

  @Test
  void toFutureIsAViewCallersCannotCompleteOrCancel() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CompletableFuture<Void> f = ctx.done().toFuture();
    assertSame(f, ctx.done().toFuture());
    assertFalse(f.complete(null));
    assertFalse(f.cancel(true));
    assertFalse(f.completeExceptionally(new Exception()));
    assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(null));
    assertThrows(UnsupportedOperationException.class, () -> f.completeAsync(() -> null));
    f.orTimeout(1, TimeUnit.NANOSECONDS);
    assertFalse(f.isDone());
    assertFalse(ctx.done().await(Duration.ofMillis(20)));
    assertEquals(null, ctx.err());
    AtomicInteger after = new AtomicInteger();
    CompletableFuture<Void> dependent = f.thenRun(after::incrementAndGet);
    ctx.cancel();
    assertEquals(1, after.get());
    assertTrue(dependent.isDone());
    assertTrue(f.isDone());
    assertFalse(f.isCompletedExceptionally());
    f.get(GUARD_S, TimeUnit.SECONDS);
    assertTrue(Context.withCancel(ctx).done().toFuture().isDone());
    assertEquals(0, RuntimeInternals.childCount(ctx));
  }

  @Test
  void toFutureCompletesWithTheContextAndDependentsRun() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    AtomicInteger ran = new AtomicInteger();
    ctx.done().toFuture().thenRun(ran::incrementAndGet);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<Object> either = CompletableFuture.anyOf(work, ctx.done().toFuture());
    assertEquals(1, RuntimeInternals.childCount(ctx));
    ctx.cancel();
    assertEquals(1, ran.get());
    assertEquals(null, either.get(GUARD_S, TimeUnit.SECONDS));
  }
}
