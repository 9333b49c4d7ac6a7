package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class CancelTest {

  @Test
  void liveUntilCancelledThenCanceledWithTheSameErrorOnEveryCall() {
    CancellableContext ctx = Context.withCancel(Context.background());
    assertNull(ctx.err());
    assertFalse(ctx.done().isDone());
    assertNull(Context.cause(ctx));
    ctx.cancel();
    assertTrue(ctx.done().isDone());
    ContextDoneException err = ctx.err();
    assertInstanceOf(CanceledException.class, err);
    assertSame(err, ctx.err());
    assertSame(err, Context.cause(ctx));
    assertEquals("context canceled", err.getMessage());
    assertEquals(0, err.getStackTrace().length);
  }

  @Test
  void closeIsCancelAndIdempotent() {
    CancellableContext ctx;
    try (CancellableContext c = Context.withCancel(Context.background())) {
      ctx = c;
    }
    ContextDoneException err = ctx.err();
    assertInstanceOf(CanceledException.class, err);
    ctx.close();
    ctx.cancel(new IllegalStateException("late"));
    assertSame(err, ctx.err());
    assertSame(err, Context.cause(ctx));
  }

  @Test
  void cancelReachesEveryDescendantThroughValuesButNeverAnAncestor() {
    CancellableContext root = Context.withCancel(Context.background());
    CancellableContext mid = Context.withCancel(root);
    Context value = Context.withValue(mid, Key.A, "a");
    CancellableContext leaf = Context.withCancel(value);
    Context leafValue = Context.withValue(leaf, Key.B, "b");
    CancellableContext sibling = Context.withCancel(root);

    mid.cancel();
    assertNull(root.err());
    assertNull(sibling.err());
    assertInstanceOf(CanceledException.class, mid.err());
    assertSame(mid.err(), value.err());
    assertSame(mid.err(), leaf.err());
    assertSame(mid.err(), leafValue.err());
    assertTrue(leafValue.done().isDone());
    assertEquals("a", leafValue.value(Key.A));
    root.cancel();
    assertNotSame(mid.err(), root.err());
  }

  @Test
  void cancelWithCauseFirstCauseWins() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    Exception first = new Exception("first");
    child.cancel(first);
    Exception second = new Exception("second");
    parent.cancel(second);
    assertInstanceOf(CanceledException.class, child.err());
    assertSame(first, Context.cause(child));
    assertSame(second, Context.cause(parent));
    assertNotSame(parent.err(), child.err());

    CancellableContext p2 = Context.withCancel(Context.background());
    CancellableContext c2 = Context.withCancel(p2);
    Exception why = new Exception("why");
    p2.cancel(why);
    c2.cancel(new Exception("too late"));
    assertSame(why, Context.cause(c2));
    assertSame(p2.err(), c2.err());
  }

  @Test
  void cancelWithNullCauseMeansTheCanceledError() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel(null);
    assertSame(ctx.err(), Context.cause(ctx));
  }

  @Test
  void childOfDoneParentIsBornDoneWithParentsErrorAndCause() {
    CancellableContext parent = Context.withCancel(Context.background());
    Exception why = new Exception("why");
    parent.cancel(why);
    CancellableContext child = Context.withCancel(parent);
    assertTrue(child.done().isDone());
    assertSame(parent.err(), child.err());
    assertSame(why, Context.cause(child));
    Context value = Context.withValue(parent, Key.A, 1);
    assertSame(parent.err(), value.err());
    assertSame(why, Context.cause(value));
    CancellableContext timed = Context.withTimeout(parent, java.time.Duration.ofHours(1));
    assertSame(parent.err(), timed.err());
    assertEquals(0, RuntimeInternals.childCount(parent));
  }

  @Test
  void cancellingAChildRemovesItFromItsParent() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext a = Context.withCancel(parent);
    CancellableContext b = Context.withCancel(Context.withValue(parent, Key.A, 1));
    assertEquals(0, RuntimeInternals.childCount(parent), "plain children register lazily");
    a.done().onDone(() -> {}); // a callback registers a child with its parent
    b.done().toFuture(); // so does a future view
    CancellableContext t = Context.withTimeout(parent, java.time.Duration.ofHours(1));
    AfterFunc f = Context.afterFunc(parent, () -> {});
    assertEquals(4, RuntimeInternals.childCount(parent));
    a.cancel();
    b.cancel();
    t.cancel();
    assertTrue(f.stop());
    assertEquals(0, RuntimeInternals.childCount(parent));
    assertNull(parent.err());
  }

  @Test
  void parentCancelForgetsItsChildren() {
    CancellableContext parent = Context.withCancel(Context.background());
    List<CancellableContext> children = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      CancellableContext c = Context.withCancel(parent);
      c.done().onDone(() -> {});
      children.add(c);
    }
    assertEquals(10, RuntimeInternals.childCount(parent));
    parent.cancel();
    assertEquals(0, RuntimeInternals.childCount(parent));
    for (CancellableContext c : children) {
      assertSame(parent.err(), c.err());
    }
  }

  @Test
  void childrenOfBackgroundRegisterNowhere() {
    assertEquals(0, RuntimeInternals.childCount(Context.background()));
    CancellableContext c = Context.withCancel(Context.background());
    assertEquals(0, RuntimeInternals.childCount(Context.background()));
    c.cancel();
  }

  @Test
  void callbackThatThrowsStopsNeitherOthersNorPropagation() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    Thread t =
        new Thread(
            () -> {
              CancellableContext parent = Context.withCancel(Context.background());
              CancellableContext child = Context.withCancel(parent);
              parent.done().onDone(ran::incrementAndGet);
              parent
                  .done()
                  .onDone(
                      () -> {
                        throw new IllegalStateException("boom");
                      });
              parent.done().onDone(ran::incrementAndGet);
              child.done().onDone(ran::incrementAndGet);
              parent.cancel();
              if (child.err() != null) {
                ran.incrementAndGet();
              }
            });
    AtomicInteger reported = new AtomicInteger();
    t.setUncaughtExceptionHandler((th, e) -> reported.incrementAndGet());
    t.start();
    t.join(10_000);
    assertEquals(4, ran.get());
    assertEquals(1, reported.get());
  }

  @Test
  void callbacksRunAfterTheWholeSubtreeIsDone() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    CancellableContext grandchild = Context.withCancel(child);
    AtomicInteger seenLive = new AtomicInteger();
    parent
        .done()
        .onDone(
            () -> {
              if (grandchild.err() == null) {
                seenLive.incrementAndGet();
              }
              // A callback that cancels a (done) child: no deadlock, no effect.
              child.cancel(new Exception("ignored"));
            });
    parent.cancel();
    assertEquals(0, seenLive.get());
    assertSame(parent.err(), Context.cause(grandchild));
  }

  @Test
  void throwIfDoneThrowsTheError() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.throwIfDone();
    Context.background().throwIfDone();
    ctx.cancel();
    ContextDoneException thrown = assertThrows(ContextDoneException.class, ctx::throwIfDone);
    assertSame(ctx.err(), thrown);
    Context value = Context.withValue(ctx, Key.A, 1);
    assertSame(ctx.err(), assertThrows(ContextDoneException.class, value::throwIfDone));
  }

  @Test
  void withoutCancelDropsErrCauseDeadlineAndDoneButKeepsValues() {
    CancellableContext parent =
        Context.withTimeout(
            Context.withValue(Context.background(), Key.A, "a"), java.time.Duration.ofHours(1));
    Context detached = Context.withoutCancel(parent);
    parent.cancel(new Exception("why"));
    assertNull(detached.err());
    assertNull(Context.cause(detached));
    assertTrue(detached.deadline().isEmpty());
    assertFalse(detached.done().isDone());
    assertEquals("a", detached.value(Key.A));
    CancellableContext child = Context.withCancel(detached);
    assertNull(child.err());
    child.cancel();
  }

  @Test
  void deepChainsCancelAndLookUpIteratively() {
    int depth = 200_000;
    CancellableContext root = Context.withCancel(Context.background());
    Context c = Context.withValue(root, Key.A, "top");
    for (int i = 0; i < depth; i++) {
      c = (i % 2 == 0) ? Context.withCancel(c) : Context.withValue(c, i, i);
    }
    Context leaf = c;
    assertEquals("top", leaf.value(Key.A));
    assertEquals(depth - 1, leaf.value(depth - 1));
    assertTrue(
        leaf.toString().startsWith("Context.background.withCancel.withValue(A, top).withCancel"));
    root.cancel();
    assertSame(root.err(), leaf.err());
  }

  private enum Key {
    A,
    B
  }
}
