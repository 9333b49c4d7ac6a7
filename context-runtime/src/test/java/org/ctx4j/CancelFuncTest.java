package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.assertCanceledNow;
import static org.ctx4j.GoConformanceSupport.assertLive;
import static org.ctx4j.GoConformanceSupport.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CancelFunc}: the duty to cancel, kept in a field without the context. */
final class CancelFuncTest {

  /** What the type is for: an owner that keeps the handle, and not the context, in a field. */
  private static final class Owner {
    private final CancelFunc stop;

    Owner(CancelFunc stop) {
      this.stop = stop;
    }

    void close() {
      stop.cancel();
    }

    void fail(Throwable why) {
      stop.cancel(why);
    }
  }

  @Test
  void aStoredMethodReferenceCancelsLaterWithoutACause() throws Exception {
    CancellableContext ctx = Context.withCancel(Context.background());
    CancellableContext child = Context.withTimeout(ctx, Duration.ofHours(1));
    Owner owner = new Owner(ctx::cancel);
    assertLive(ctx, "before the handle is called");
    Thread later = new Thread(owner::close, "owner.close");
    later.start();
    join(later);
    assertCanceledNow(ctx, "after stop.cancel()");
    assertCanceledNow(child, "its child");
    assertSame(ctx.err(), Context.cause(ctx), "a plain cancel: the cause is the error itself");
    assertEquals(0, RuntimeInternals.childCount(ctx));
  }

  @Test
  void aStoredMethodReferenceCancelsLaterWithACause() {
    CancellableContext ctx = Context.withCancel(Context.background());
    Context value = Context.withValue(ctx, "k", "v");
    Owner owner = new Owner(ctx::cancel);
    IllegalStateException why = new IllegalStateException("upstream closed");
    owner.fail(why);
    assertCanceledNow(ctx, "after stop.cancel(cause)");
    assertInstanceOf(CanceledException.class, ctx.err());
    assertSame(why, Context.cause(ctx));
    assertSame(why, Context.cause(value), "and of its value child");
  }

  @Test
  void theFirstCancelWinsThroughTheHandleAsOnTheContext() {
    RuntimeException first = new RuntimeException("first");
    CancellableContext a = Context.withCancel(Context.background());
    CancelFunc fa = a::cancel;
    fa.cancel(first);
    fa.cancel(new RuntimeException("second"));
    fa.cancel();
    a.cancel(new RuntimeException("third"));
    assertSame(first, Context.cause(a));

    CancellableContext b = Context.withCancel(Context.background());
    CancelFunc fb = b::cancel;
    b.close();
    ContextDoneException err = b.err();
    fb.cancel(new RuntimeException("late"));
    assertSame(err, b.err(), "err() unchanged");
    assertSame(err, Context.cause(b), "cause unchanged");

    CancellableContext c = Context.withCancel(Context.background());
    CancelFunc fc = c::cancel;
    fc.cancel(null);
    assertInstanceOf(CanceledException.class, Context.cause(c), "a null cause: CanceledException");
  }

  @Test
  void oneHandleForManyContextsAndLambdas() {
    List<CancellableContext> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(Context.withCancel(Context.background()));
    }
    CancelFunc all = cause -> started.forEach(c -> c.cancel(cause));
    RuntimeException why = new RuntimeException("shutdown");
    all.cancel(why);
    for (CancellableContext c : started) {
      assertSame(why, Context.cause(c));
    }
  }

  @Test
  void theTypeItself() throws Exception {
    assertTrue(CancelFunc.class.isAnnotationPresent(FunctionalInterface.class));
    assertFalse(
        CancelFunc.class.isAssignableFrom(CancellableContext.class),
        "CancellableContext must not extend CancelFunc");
    for (Method m :
        new Method[] {
          CancelFunc.class.getMethod("cancel", Throwable.class),
          CancelFunc.class.getMethod("cancel")
        }) {
      assertEquals(0, m.getExceptionTypes().length, m + " declares checked exceptions");
    }
    assertTrue(CancelFunc.class.getMethod("cancel").isDefault());
  }
}
