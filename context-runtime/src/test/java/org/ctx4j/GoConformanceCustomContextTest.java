package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.VERY_LONG;
import static org.ctx4j.GoConformanceSupport.assertCanceledNow;
import static org.ctx4j.GoConformanceSupport.assertLive;
import static org.ctx4j.GoConformanceSupport.awaitDone;
import static org.ctx4j.GoConformanceSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.GoConformanceSupport.CustomCauseContext;
import org.ctx4j.GoConformanceSupport.CustomDoneContext;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * User-written {@link Context} implementations: item 22 of the Go conformance checklist ({@code
 * src/test/README.md} of this module), and the wrapper cases of items 2, 10, 11 and 14. Go's
 * TestCustomContextPropagation, TestCustomContextCause, and the AfterFunc-on-a-custom-context cases
 * of afterfunc_test.go.
 */
final class GoConformanceCustomContextTest {

  @Test
  void customDonePropagation() {
    // A user context that delegates to a runtime context but has its own done signal: the
    // runtime's child follows the user's signal and reads the cause through the delegate.
    Throwable cause = new RuntimeException("customDonePropagation");
    CancellableContext ctx1 = Context.withCancel(Context.background());
    CustomDoneContext ctx2 = new CustomDoneContext(ctx1);
    CancellableContext ctx3 = Context.withCancel(ctx2);
    try {
      ctx1.cancel(cause);
      ctx2.done.fire();

      awaitDone(ctx3, "child of the custom-done context");
      assertInstanceOf(CanceledException.class, ctx3.err(), "child's err()");
      assertSame(cause, Context.cause(ctx3), "child's cause");
    } finally {
      ctx3.cancel();
    }
  }

  @Test
  void customDoneFiresWithoutTheDelegate() {
    // The user's own signal alone ends the child; the delegate stays live.
    CancellableContext inner = Context.withCancel(Context.background());
    CustomDoneContext custom = new CustomDoneContext(inner);
    CancellableContext child = Context.withCancel(custom);
    CancellableContext grandchild = Context.withTimeout(child, VERY_LONG);
    assertLive(child, "child before the user's signal");
    custom.done.fire();
    awaitDone(grandchild, "grandchild of the custom-done context");
    assertTrue(child.done().isDone());
    assertLive(inner, "the delegate");
    grandchild.cancel();
    child.cancel();
    inner.cancel();
    assertEquals(0, RuntimeInternals.childCount(inner));
  }

  @Test
  void customCause() {
    // Cancelling a user context: err() and cause() are its error.
    CustomCauseContext ccc = new CustomCauseContext();
    ccc.cancel();
    assertInstanceOf(CanceledException.class, ccc.err());
    assertSame(ccc.err(), Context.cause(ccc), "cause of a user context is its err()");

    // A cancellable child over a user context takes its own cause; the user context is untouched.
    ccc = new CustomCauseContext();
    assertNull(Context.cause(ccc), "cause of a live user context");
    CancellableContext ctx = Context.withCancel(ccc);
    Throwable cause = new RuntimeException("customCause");
    ctx.cancel(cause);
    assertCanceledNow(ctx, "child after cancel(cause)");
    assertSame(cause, Context.cause(ctx), "child's cause");
    assertNull(ccc.err(), "user parent's err()");
    assertNull(Context.cause(ccc), "user parent's cause");

    // Cancelling the user context later keeps the child's cause.
    ccc.cancel();
    assertCanceledNow(ctx, "child after the user parent's cancel");
    assertSame(cause, Context.cause(ctx), "child's cause after the user parent's cancel");
    assertInstanceOf(CanceledException.class, ccc.err());
    assertSame(ccc.err(), Context.cause(ccc));

    // A user context that cancels its child itself.
    ccc = new CustomCauseContext();
    ctx = Context.withCancel(ccc);
    ccc.cancelChild = ctx;
    ccc.cancel();
    awaitDone(ctx, "child of a cancelled user context");
    assertInstanceOf(CanceledException.class, ctx.err());
    assertInstanceOf(CanceledException.class, Context.cause(ctx));
    assertInstanceOf(CanceledException.class, ccc.err());
    assertInstanceOf(CanceledException.class, Context.cause(ccc));
  }

  @Test
  void runtimeChildFollowsAUserContextWithoutHelp() {
    // No cancelChild hook: the runtime must watch the user's done signal itself.
    CustomCauseContext ccc = new CustomCauseContext();
    CancellableContext child = Context.withCancel(ccc);
    Context value = Context.withValue(child, "k", "v");
    CancellableContext grandchild = Context.withCancel(new Wrapper(value));
    assertLive(grandchild, "grandchild");
    ccc.cancel();
    awaitDone(grandchild, "grandchild of a cancelled user context");
    assertInstanceOf(CanceledException.class, child.err());
    assertSame(ccc.err(), Context.cause(child), "the user's error is the child's cause");
    assertSame(ccc.err(), Context.cause(grandchild), "and the grandchild's");
    grandchild.cancel();
    child.cancel();
  }

  @Test
  void childOfAnAlreadyCancelledUserContextIsBornDone() {
    CustomCauseContext ccc = new CustomCauseContext();
    ccc.cancel();
    CancellableContext child = Context.withCancel(ccc);
    awaitDone(child, "child of a cancelled user context");
    assertInstanceOf(CanceledException.class, child.err());
    child.cancel();
  }

  @Test
  void cancellingAChildOfAUserContextReleasesItsRegistration() {
    // The runtime registers with the user's Done; cancelling the child must remove that
    // registration so the user's Done does not call back into a dead child. Observable: a
    // callback count on the user's signal.
    CountingDone done = new CountingDone();
    Context user = new DoneOnlyContext(done);
    for (int i = 0; i < 1000; i++) {
      Context.withCancel(user).cancel();
    }
    assertEquals(0, done.live.get(), "registrations left on the user's Done after 1000 cancels");
  }

  @Test
  void noThreadPerContext() {
    // Go's TestCustomContextGoroutines counts the goroutines started to watch user-written
    // parents; the Java runtime watches them through their done().onDone(...) and runs every
    // deadline on one shared scheduler thread, so thousands of contexts start no threads.
    int before = Thread.activeCount();
    java.util.List<CancellableContext> live = new java.util.ArrayList<>();
    java.util.List<CancellableContext> others = new java.util.ArrayList<>();
    CustomCauseContext user = new CustomCauseContext();
    for (int i = 0; i < 2000; i++) {
      live.add(Context.withCancel(user));
      others.add(Context.withCancel(new Wrapper(Context.background())));
      live.add(Context.withTimeout(new Wrapper(user), java.time.Duration.ofHours(1)));
    }
    int during = Thread.activeCount();
    System.out.printf(
        "[GoConformanceCustomContextTest] threads before=%d, with 6,000 live contexts=%d%n",
        before, during);
    assertTrue(during - before < 20, "threads started for 6,000 contexts: " + (during - before));
    user.cancel();
    for (CancellableContext c : live) {
      assertTrue(c.done().isDone(), "child of a cancelled user context");
      c.cancel();
    }
    for (CancellableContext c : others) {
      GoConformanceSupport.assertLive(c, "child of a wrapped background()");
      c.cancel();
    }
  }

  @Test
  void afterFuncOnAUserContext() throws Exception {
    CustomCauseContext ccc = new CustomCauseContext();
    CompletableFuture<Void> ran = new CompletableFuture<>();
    AfterFunc stop = Context.afterFunc(ccc, () -> ran.complete(null));
    assertFalse(ran.isDone(), "afterFunc ran before the user context was done");
    ccc.cancel();
    get(ran, "afterFunc on a user context");
    assertFalse(stop.stop(), "stop() after the function ran");

    CustomCauseContext ccc2 = new CustomCauseContext();
    AtomicInteger runs = new AtomicInteger();
    AfterFunc stop2 = Context.afterFunc(ccc2, runs::incrementAndGet);
    assertTrue(stop2.stop(), "stop() before the user context was done");
    assertFalse(stop2.stop(), "second stop()");
    ccc2.cancel();
    // Give a wrongly scheduled run a chance to show up: afterFunc on a done context still runs.
    CompletableFuture<Void> marker = new CompletableFuture<>();
    Context.afterFunc(ccc2, () -> marker.complete(null));
    get(marker, "afterFunc on a done user context");
    assertEquals(0, runs.get(), "a stopped afterFunc ran");
  }

  /** A {@link GoConformanceSupport.SimpleDone} that counts callbacks not yet removed or run. */
  private static final class CountingDone implements Done {
    final GoConformanceSupport.SimpleDone delegate = new GoConformanceSupport.SimpleDone();
    final AtomicInteger live = new AtomicInteger();

    @Override
    public boolean isDone() {
      return delegate.isDone();
    }

    @Override
    public void await() throws InterruptedException {
      delegate.await();
    }

    @Override
    public boolean await(java.time.Duration timeout) throws InterruptedException {
      return delegate.await(timeout);
    }

    @Override
    public Registration onDone(Runnable callback) {
      live.incrementAndGet();
      java.util.concurrent.atomic.AtomicBoolean gone =
          new java.util.concurrent.atomic.AtomicBoolean();
      Registration r =
          delegate.onDone(
              () -> {
                if (gone.compareAndSet(false, true)) {
                  live.decrementAndGet();
                }
                callback.run();
              });
      return () -> {
        boolean removed = r.remove();
        if (gone.compareAndSet(false, true)) {
          live.decrementAndGet();
        }
        return removed;
      };
    }

    @Override
    public CompletableFuture<Void> toFuture() {
      return delegate.toFuture();
    }
  }

  /** A user context that has only a done signal. */
  private static final class DoneOnlyContext implements Context {
    private final Done done;

    DoneOnlyContext(Done done) {
      this.done = done;
    }

    @Override
    public java.util.Optional<java.time.Instant> deadline() {
      return java.util.Optional.empty();
    }

    @Override
    public Done done() {
      return done;
    }

    @Override
    public ContextDoneException err() {
      return null;
    }

    @Override
    public Object value(Object key) {
      return null;
    }
  }
}
