package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

final class AwaitTest {

  @Test
  void returnsTheValueOfACompletedFuture() throws Exception {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      assertEquals("v", Context.await(ctx, CompletableFuture.completedFuture("v")));
      CompletableFuture<String> later = new CompletableFuture<>();
      new Thread(() -> later.complete("w")).start();
      assertEquals("w", Context.await(ctx, later));
      assertEquals(0, RuntimeInternals.childCount(ctx));
    }
  }

  @Test
  void throwsTheContextsErrorAndCancelsTheFutureWhenTheContextEndsFirst() throws Exception {
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(5));
    CompletableFuture<String> never = new CompletableFuture<>();
    ContextDoneException e =
        assertThrows(DeadlineExceededException.class, () -> Context.await(ctx, never));
    assertSame(ctx.err(), e);
    assertTrue(never.isCancelled());

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CancellableContext c2 = Context.withCancel(Context.background());
      Future<String> blocked =
          pool.submit(
              () -> {
                c2.cancel();
                Thread.sleep(Duration.ofHours(1).toMillis());
                return "late";
              });
      assertThrows(CanceledException.class, () -> Context.await(c2, blocked));
      assertTrue(blocked.isCancelled());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDoneContextCancelsAPendingFutureAtOnce() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel();
    FutureTask<String> task = new FutureTask<>(() -> "never run");
    assertThrows(CanceledException.class, () -> Context.await(ctx, task));
    assertTrue(task.isCancelled());
  }

  @Test
  void failuresAndForeignCancellationsPassThrough() {
    Context ctx = Context.background();
    CompletableFuture<String> failed =
        CompletableFuture.failedFuture(new IllegalStateException("x"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> Context.await(ctx, failed));
    assertTrue(e.getCause() instanceof IllegalStateException);
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(false);
    CancellationException c =
        assertThrows(CancellationException.class, () -> Context.await(ctx, cancelled));
    assertTrue(!(c instanceof ContextDoneException));
  }

  @Test
  void awaitAsyncRelaysTheFuturesOutcome() throws Exception {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      CompletableFuture<String> work = new CompletableFuture<>();
      CompletableFuture<String> result = Context.awaitAsync(ctx, work);
      assertEquals(1, RuntimeInternals.childCount(ctx));
      work.complete("v");
      assertEquals("v", result.get());
      assertEquals(0, RuntimeInternals.childCount(ctx));
      CompletableFuture<String> failing = new CompletableFuture<>();
      CompletableFuture<String> failed = Context.awaitAsync(ctx, failing);
      failing.completeExceptionally(new IllegalStateException("x"));
      ExecutionException e = assertThrows(ExecutionException.class, failed::get);
      assertTrue(e.getCause() instanceof IllegalStateException);
      assertEquals(
          "w",
          Context.awaitAsync(Context.background(), CompletableFuture.completedFuture("w")).get());
    }
  }

  @Test
  void awaitAsyncFailsWithTheContextsErrorAndCancelsTheFuture() {
    CancellableContext ctx = Context.withCancel(Context.background());
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> result = Context.awaitAsync(ctx, work);
    ctx.cancel();
    assertContextError(ctx, assertThrows(CancellationException.class, result::join));
    assertTrue(work.isCancelled());
    CompletableFuture<String> late = new CompletableFuture<>();
    assertContextError(
        ctx, assertThrows(CancellationException.class, Context.awaitAsync(ctx, late)::get));
    assertTrue(late.isCancelled());
  }

  /** JDK 17-22 rethrow the error itself; JDK 23+ throw a new CancellationException caused by it. */
  private static void assertContextError(Context ctx, CancellationException thrown) {
    assertTrue(thrown == ctx.err() || thrown.getCause() == ctx.err(), String.valueOf(thrown));
  }

  @Test
  void cancellingTheAwaitAsyncFutureCancelsTheWork() {
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      CompletableFuture<String> work = new CompletableFuture<>();
      CompletableFuture<String> result = Context.awaitAsync(ctx, work);
      assertTrue(result.cancel(true));
      assertTrue(work.isCancelled());
      assertEquals(0, RuntimeInternals.childCount(ctx));
      assertEquals(null, ctx.err());
    }
  }
}
