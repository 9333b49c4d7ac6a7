package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.QUIESCENT;
import static org.ctx4j.GoConformanceSupport.SHORT;
import static org.ctx4j.GoConformanceSupport.get;
import static org.ctx4j.GoConformanceSupport.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Go's afterfunc tests, items 24 to 26 of the Go conformance checklist ({@code src/test/README.md}
 * of this module): TestAfterFuncCalledAfterCancel, TestAfterFuncCalledAfterTimeout,
 * TestAfterFuncCalledImmediately, TestAfterFuncNotCalledAfterStop and
 * TestAfterFuncCalledAsynchronously.
 */
final class GoConformanceAfterFuncTest {

  @Test
  void calledAfterCancel() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    AfterFunc stop = Context.afterFunc(ctx, () -> ran.complete(Thread.currentThread()));
    // Not run before the context ends (a short look; a late wrong run cannot make this pass
    // wrongly, only the check below can catch a run that should not happen).
    Thread.sleep(SHORT.toMillis() + 5);
    assertFalse(ran.isDone(), "afterFunc ran before the context was done");
    ctx.cancel();
    Thread runner = get(ran, "afterFunc after cancel");
    assertNotSame(Thread.currentThread(), runner, "afterFunc ran on the cancelling thread");
    assertFalse(stop.stop(), "stop() after the function ran");
  }

  @Test
  void calledAfterTimeout() throws Exception {
    CancellableContext ctx = Context.withTimeout(Context.background(), SHORT);
    try {
      CompletableFuture<Void> ran = new CompletableFuture<>();
      Context.afterFunc(ctx, () -> ran.complete(null));
      get(ran, "afterFunc after timeout");
      assertTrue(ctx.err() instanceof DeadlineExceededException, "err() = " + ctx.err());
    } finally {
      ctx.cancel();
    }
  }

  @Test
  void calledImmediatelyAndAsynchronouslyOnADoneContext() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> ran = new CompletableFuture<>();
    AtomicReference<AfterFunc> stop = new AtomicReference<>();
    Thread caller =
        new Thread(
            () ->
                stop.set(
                    Context.afterFunc(
                        ctx,
                        () -> {
                          ran.complete(null);
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        })),
            "afterFunc caller");
    caller.start();
    join(caller); // afterFunc returned although the function is still blocked
    get(ran, "afterFunc on an already-done context");
    assertFalse(stop.get().stop(), "stop() after the function started");
    release.countDown();
  }

  @Test
  void notCalledAfterStop() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    AtomicInteger runs = new AtomicInteger();
    AfterFunc stop = Context.afterFunc(ctx, runs::incrementAndGet);
    assertTrue(stop.stop(), "stop() before the context ended");
    assertEquals(0, RuntimeInternals.childCount(ctx), "a stopped afterFunc stays registered");
    ctx.cancel();
    // Any afterFunc registered later runs after any wrongly kept one was scheduled; wait for it.
    CompletableFuture<Void> marker = new CompletableFuture<>();
    Context.afterFunc(ctx, () -> marker.complete(null));
    get(marker, "a later afterFunc");
    Thread.sleep(SHORT.toMillis() + 5);
    assertEquals(0, runs.get(), "a stopped afterFunc ran");
    assertFalse(stop.stop(), "second stop()");
  }

  @Test
  void cancelDoesNotWaitForTheFunction() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> ran = new CompletableFuture<>();
    AfterFunc stop =
        Context.afterFunc(
            ctx,
            () -> {
              ran.complete(null);
              try {
                // Blocks until the test reads that cancel() returned.
                if (!release.await(QUIESCENT.toMillis(), TimeUnit.MILLISECONDS)) {
                  ran.obtrudeException(new AssertionError("never released"));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread canceller = new Thread(ctx::cancel, "canceller");
    canceller.start();
    join(canceller); // cancel() returned while the function blocks
    release.countDown();
    get(ran, "afterFunc after cancel");
    stop.stop();
  }

  @Test
  void runsOnceWhateverEndsTheContext() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext ctx = Context.withTimeout(parent, SHORT);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Void> first = new CompletableFuture<>();
    Context.afterFunc(
        ctx,
        () -> {
          runs.incrementAndGet();
          first.complete(null);
        });
    ctx.cancel();
    parent.cancel();
    get(first, "afterFunc");
    CompletableFuture<Void> marker = new CompletableFuture<>();
    Context.afterFunc(ctx, () -> marker.complete(null));
    get(marker, "marker");
    assertEquals(1, runs.get(), "afterFunc runs");
  }

  @Test
  void aThrowingFunctionDoesNotStopTheOthers() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CompletableFuture<Void> second = new CompletableFuture<>();
    Context.afterFunc(
        ctx,
        () -> {
          throw new IllegalStateException("expected by the test");
        });
    Context.afterFunc(ctx, () -> second.complete(null));
    ctx.cancel();
    get(second, "the afterFunc registered after a throwing one");
  }

  @Test
  void stopRacingCancel() throws Exception {
    // Either stop() returns true and the function never runs, or it returns false and the
    // function runs exactly once.
    for (int round = 0; round < 300; round++) {
      CancellableContext ctx = Context.withCancel(Context.background());
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<Void> ran = new CompletableFuture<>();
      AfterFunc stop =
          Context.afterFunc(
              ctx,
              () -> {
                runs.incrementAndGet();
                ran.complete(null);
              });
      Thread canceller = new Thread(ctx::cancel);
      canceller.start();
      boolean stopped = stop.stop();
      join(canceller);
      if (stopped) {
        CompletableFuture<Void> marker = new CompletableFuture<>();
        Context.afterFunc(ctx, () -> marker.complete(null));
        get(marker, "marker");
        if (runs.get() != 0) {
          fail("round " + round + ": stop() returned true but the function ran");
        }
      } else {
        get(ran, "round " + round + ": stop() returned false but the function did not run");
        assertEquals(1, runs.get(), "round " + round + ": runs");
      }
      assertFalse(stop.stop(), "round " + round + ": a second stop()");
      assertEquals(0, RuntimeInternals.childCount(ctx), "round " + round + ": children");
    }
  }
}
