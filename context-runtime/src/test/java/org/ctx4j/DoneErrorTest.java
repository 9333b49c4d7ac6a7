package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.QUIESCENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Context#isCanceled}, {@link Context#isDeadlineExceeded} and {@link Context#findDoneError}:
 * Go's {@code errors.Is} for the context errors, through wrappers, suppressed exceptions and
 * cycles.
 */
final class DoneErrorTest {

  private static ContextDoneException canceled() {
    CancellableContext c = Context.withCancel(Context.background());
    c.cancel();
    return c.err();
  }

  private static ContextDoneException expired() {
    return Context.withTimeout(Context.background(), Duration.ZERO).err();
  }

  /** Asserts what the three tests say about {@code t}. */
  private static void assertFinds(ContextDoneException want, Throwable t) {
    assertSame(want, Context.findDoneError(t).orElse(null), "findDoneError");
    assertEquals(want instanceof CanceledException, Context.isCanceled(t), "isCanceled");
    assertEquals(
        want instanceof DeadlineExceededException,
        Context.isDeadlineExceeded(t),
        "isDeadlineExceeded");
  }

  private static void assertFindsNothing(Throwable t) {
    assertEquals(Optional.empty(), Context.findDoneError(t), "findDoneError");
    assertFalse(Context.isCanceled(t), "isCanceled");
    assertFalse(Context.isDeadlineExceeded(t), "isDeadlineExceeded");
  }

  @Test
  void theErrorsThemselves() {
    ContextDoneException c = canceled();
    ContextDoneException d = expired();
    assertFinds(c, c);
    assertFinds(d, d);
  }

  @Test
  void userCreatedErrors() {
    CanceledException c = new CanceledException();
    DeadlineExceededException d = new DeadlineExceededException();
    assertTrue(Context.isCanceled(c));
    assertFalse(Context.isDeadlineExceeded(c));
    assertTrue(Context.isDeadlineExceeded(d));
    assertFalse(Context.isCanceled(d));
  }

  @Test
  void nullAndUnrelatedThrowablesFindNothing() {
    assertFindsNothing(null);
    assertFindsNothing(new IOException("disk"));
    assertFindsNothing(new RuntimeException(new IllegalStateException("no")));
    // A future cancelled by someone else is a cancellation, but not a context's.
    CompletableFuture<String> f = new CompletableFuture<>();
    f.cancel(true);
    assertFindsNothing(assertThrows(CancellationException.class, f::join));
    assertFindsNothing(new CancellationException("plain"));
  }

  @Test
  void throughTheJdksWrappers() {
    ContextDoneException d = expired();
    assertFinds(d, new ExecutionException(d));
    assertFinds(d, new CompletionException(d));
    assertFinds(d, new UncheckedIOException(new IOException("read", d)));
    assertFinds(d, new RuntimeException(new ExecutionException(new CompletionException(d))));
  }

  @Test
  void theJdk25ShapeOfJoinBuiltByHand() {
    // From JDK 23 on, CompletableFuture.join()/get() of a future that failed with a
    // CancellationException throws a new CancellationException caused by it. Built by hand, so
    // that the test checks that shape on every JDK.
    ContextDoneException d = expired();
    CancellationException jdk25 = new CancellationException("join");
    jdk25.initCause(d);
    assertFinds(d, jdk25);
    ContextDoneException c = canceled();
    CancellationException jdk25Canceled = new CancellationException();
    jdk25Canceled.initCause(c);
    assertFinds(c, jdk25Canceled);
  }

  @Test
  void whatAwaitAsyncReallyThrowsOnThisJdk() throws Exception {
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> result;
    try (CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(1))) {
      result = Context.awaitAsync(ctx, never);
      CancellationException join = assertThrows(CancellationException.class, result::join);
      assertTrue(Context.isDeadlineExceeded(join), "join() threw " + join);
      assertSame(ctx.err(), Context.findDoneError(join).orElseThrow());
      CancellationException get =
          assertThrows(
              CancellationException.class,
              () -> result.get(QUIESCENT.toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(Context.isDeadlineExceeded(get), "get() threw " + get);
      assertFalse(Context.isCanceled(get));
    }
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      CompletableFuture<String> r = Context.awaitAsync(ctx, new CompletableFuture<>());
      ctx.cancel(new IllegalStateException("shutting down"));
      CancellationException join = assertThrows(CancellationException.class, r::join);
      assertTrue(Context.isCanceled(join), "join() threw " + join);
      // A dependent stage wraps it once more, in a CompletionException.
      CompletionException dependent =
          assertThrows(CompletionException.class, () -> r.thenApply(String::length).join());
      assertTrue(Context.isCanceled(dependent), "dependent join() threw " + dependent);
    }
  }

  @Test
  void whatAwaitThrows() throws Exception {
    try (CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(1))) {
      try {
        Context.await(ctx, new CompletableFuture<String>());
        fail("await returned");
      } catch (ContextDoneException e) {
        assertTrue(Context.isDeadlineExceeded(e));
      }
    }
  }

  @Test
  void suppressedExceptionsAreSearchedAfterTheCause() {
    ContextDoneException c = canceled();
    ContextDoneException d = expired();
    IOException closing = new IOException("close failed");
    closing.addSuppressed(d);
    assertFinds(d, closing);
    RuntimeException top = new RuntimeException("work", new IOException("read"));
    top.getCause().addSuppressed(new IllegalStateException("x", c));
    assertFinds(c, top); // in a suppressed exception of the cause, two levels down

    // Both kinds present: the first in depth-first order (cause before suppressed) is found, and
    // both tests answer true, as Go's errors.Is does for a joined error.
    RuntimeException both = new RuntimeException("both", d);
    both.addSuppressed(c);
    assertSame(d, Context.findDoneError(both).orElseThrow());
    assertTrue(Context.isDeadlineExceeded(both));
    assertTrue(Context.isCanceled(both));
    RuntimeException order = new RuntimeException("order");
    order.addSuppressed(new RuntimeException("first"));
    order.addSuppressed(new RuntimeException("second", c));
    order.addSuppressed(d);
    assertSame(c, Context.findDoneError(order).orElseThrow(), "suppressed in order");
  }

  @Test
  void theCauseGivenToCancelIsNotPartOfTheChain() {
    // As in Go, err() does not wrap Cause(ctx): a cancel whose cause is a deadline error is still
    // a cancellation.
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel(new DeadlineExceededException());
    assertTrue(Context.isCanceled(ctx.err()));
    assertFalse(Context.isDeadlineExceeded(ctx.err()));
  }

  @Test
  void causeCyclesEnd() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b); // a -> b -> a
    assertFindsNothing(a);

    ContextDoneException d = expired();
    IllegalStateException x = new IllegalStateException("x");
    IllegalStateException y = new IllegalStateException("y", x);
    x.initCause(y); // x -> y -> x, with the error hanging off y's suppressed
    y.addSuppressed(d);
    assertFinds(d, x);
  }

  @Test
  void suppressedCyclesEnd() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b");
    a.addSuppressed(b);
    b.addSuppressed(a); // a and b suppress each other
    a.addSuppressed(new RuntimeException("c", b)); // and a's second suppressed leads back to b
    assertFindsNothing(a);
    ContextDoneException c = canceled();
    RuntimeException e = new RuntimeException("e", b); // e's cause is in the loop, then c
    e.addSuppressed(c);
    assertFinds(c, e);
  }

  @Test
  void longCycleThroughAnOverriddenGetCause() {
    // Longer than the allocation-free fast path's bound, and made by a getCause() that ignores
    // Throwable's own cycle checks.
    Looping[] ring = new Looping[50];
    for (int i = 0; i < ring.length; i++) {
      ring[i] = new Looping();
    }
    for (int i = 0; i < ring.length; i++) {
      ring[i].next = ring[(i + 1) % ring.length];
    }
    assertFindsNothing(ring[0]);
    ContextDoneException d = expired();
    ring[37].addSuppressed(d);
    assertFinds(d, ring[0]);
  }

  @Test
  void deepChainsNeedNoDeepStack() {
    ContextDoneException c = canceled();
    Throwable t = c;
    for (int i = 0; i < 100_000; i++) {
      t = new Cheap(t);
    }
    assertFinds(c, t);
    Throwable s = new Cheap(null);
    for (int i = 0; i < 100_000; i++) {
      Cheap up = new Cheap(null);
      up.addSuppressed(s);
      s = up;
    }
    assertFindsNothing(s);
  }

  /** An exception without a stack trace, so that 100,000 of them are quick to make. */
  private static final class Cheap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cheap(Throwable cause) {
      super("wrap", cause, true, false);
    }
  }

  private static final class Looping extends RuntimeException {
    private static final long serialVersionUID = 1L;
    transient Throwable next;

    @Override
    public synchronized Throwable getCause() {
      return next;
    }
  }
}
