package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.QUIESCENT;
import static org.ctx4j.GoConformanceSupport.SHORT;
import static org.ctx4j.GoConformanceSupport.VERY_LONG;
import static org.ctx4j.GoConformanceSupport.assertCanceledNow;
import static org.ctx4j.GoConformanceSupport.assertLive;
import static org.ctx4j.GoConformanceSupport.awaitDone;
import static org.ctx4j.GoConformanceSupport.join;
import static org.ctx4j.GoConformanceSupport.threadDump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * Go's cancellation tests, items 2 to 9 of the Go conformance checklist ({@code src/test/README.md}
 * of this module): TestWithCancel, TestParentFinishesChild, TestChildFinishesFirst,
 * TestCancelRemoves, TestWithCancelCanceledParent, TestWithCancelSimultaneouslyCanceledParent,
 * TestSimultaneousCancels, TestInterlockedCancels, TestLayersCancel and TestLayersTimeout.
 */
final class GoConformanceCancelTest {

  // ---- 2. WithCancel ---------------------------------------------------------------------------

  @Test
  void withCancelPropagatesSynchronouslyThroughAWrapper() {
    CancellableContext c1 = Context.withCancel(Context.background());
    String s = c1.toString();
    assertTrue(
        s.contains(Context.background().toString()), "toString() shows the derivation chain: " + s);
    assertTrue(s.toLowerCase(Locale.ROOT).contains("withcancel"), "toString(): " + s);

    Wrapper o = new Wrapper(c1);
    CancellableContext c2 = Context.withCancel(o);
    List<Context> contexts = List.of(c1, o, c2);
    for (int i = 0; i < contexts.size(); i++) {
      Context c = contexts.get(i);
      assertNotNull(c.done(), "c[" + i + "].done()");
      assertLive(c, "c[" + i + "]");
    }

    c1.cancel(); // must propagate synchronously

    for (int i = 0; i < contexts.size(); i++) {
      assertCanceledNow(contexts.get(i), "c[" + i + "] right after cancel()");
    }
    c2.cancel();
  }

  @Test
  void errIsTheSameObjectOnEveryCall() {
    CancellableContext c = Context.withCancel(Context.background());
    c.cancel();
    ContextDoneException first = c.err();
    assertNotNull(first);
    for (int i = 0; i < 10; i++) {
      assertSame(first, c.err(), "err() call " + i);
    }
    c.cancel();
    c.cancel(new RuntimeException("late"));
    c.close();
    assertSame(first, c.err(), "err() after further cancels");
  }

  @Test
  void closeIsCancel() {
    CancellableContext c = Context.withCancel(Context.background());
    try (CancellableContext child = Context.withCancel(c)) {
      assertLive(child, "child");
    }
    assertLive(c, "parent after child.close()");
    c.close();
    assertCanceledNow(c, "after close()");
    assertTrue(Context.cause(c) instanceof CanceledException, "cause after close()");
  }

  @Test
  void throwIfDoneThrowsTheError() {
    CancellableContext c = Context.withCancel(Context.background());
    c.throwIfDone();
    c.cancel();
    ContextDoneException err = c.err();
    try {
      c.throwIfDone();
      fail("throwIfDone() returned on a cancelled context");
    } catch (ContextDoneException e) {
      assertSame(err, e);
    }
  }

  // ---- 3, 4, 5. Parent and children
  // --------------------------------------------------------------

  @Test
  void parentFinishesChild() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext cancelChild = Context.withCancel(parent);
    CancellableContext lazyChild = Context.withCancel(parent);
    Context valueChild = Context.withValue(parent, "key", "value");
    CancellableContext timerChild = Context.withTimeout(valueChild, VERY_LONG);
    AfterFunc afterStop = Context.afterFunc(parent, () -> {});
    // A plain child registers with its parent only once something must be pushed to it (here a
    // callback); lazyChild never does and learns of the parent's cancel by asking.
    AtomicInteger cancelChildCallbacks = new AtomicInteger();
    cancelChild.done().onDone(cancelChildCallbacks::incrementAndGet);

    // Go: the cancel child, the timer child (through the value child) and the AfterFunc.
    assertEquals(3, RuntimeInternals.childCount(parent), "parent's children before cancel");
    for (Context c : List.of(parent, cancelChild, lazyChild, valueChild, timerChild)) {
      assertLive(c, String.valueOf(c));
    }

    parent.cancel();

    assertEquals(0, RuntimeInternals.childCount(parent), "parent's children after cancel");
    assertEquals(0, RuntimeInternals.childCount(cancelChild), "cancelChild's children");
    assertEquals(0, RuntimeInternals.childCount(timerChild), "timerChild's children");
    assertCanceledNow(parent, "parent");
    assertCanceledNow(cancelChild, "cancelChild");
    assertEquals(1, cancelChildCallbacks.get(), "cancelChild's callback");
    assertCanceledNow(lazyChild, "lazyChild");
    assertSame(parent.err(), lazyChild.err(), "lazyChild's error");
    assertCanceledNow(valueChild, "valueChild");
    assertCanceledNow(timerChild, "timerChild");
    assertFalse(afterStop.stop(), "AfterFunc.stop() after the parent was cancelled");

    // A value child created afterwards is already done.
    Context precanceled = Context.withValue(parent, "key", "value");
    assertCanceledNow(precanceled, "value child created after cancel");
    timerChild.cancel();
    cancelChild.cancel();
    lazyChild.cancel();
    assertSame(parent.err(), lazyChild.err(), "lazyChild's error after its own cancel");
  }

  @Test
  void childFinishesFirst() {
    CancellableContext cancelable = Context.withCancel(Context.background());
    for (Context parent : List.of(Context.background(), (Context) cancelable)) {
      CancellableContext child = Context.withCancel(parent);
      child.done().onDone(() -> {}); // registers the child with a cancellable parent
      if (parent == cancelable) {
        assertEquals(1, RuntimeInternals.childCount(parent), "parent's children");
      }
      child.cancel();
      assertCanceledNow(child, "child");
      assertLive(parent, "parent after the child's cancel");
      assertEquals(0, RuntimeInternals.childCount(parent), "parent's children after child cancel");
    }
    cancelable.cancel();
  }

  @Test
  void cancelRemovesChildren() {
    CancellableContext ctx = Context.withCancel(Context.background());
    assertEquals(0, RuntimeInternals.childCount(ctx), "no children");

    CancellableContext c = Context.withCancel(ctx);
    assertEquals(0, RuntimeInternals.childCount(ctx), "with a withCancel child, not registered");
    c.done().toFuture();
    assertEquals(1, RuntimeInternals.childCount(ctx), "with a registered withCancel child");
    c.cancel();
    assertEquals(0, RuntimeInternals.childCount(ctx), "after cancelling the withCancel child");

    CancellableContext t = Context.withTimeout(ctx, java.time.Duration.ofMinutes(60));
    assertEquals(1, RuntimeInternals.childCount(ctx), "with a withTimeout child");
    t.cancel();
    assertEquals(0, RuntimeInternals.childCount(ctx), "after cancelling the withTimeout child");

    AfterFunc stop = Context.afterFunc(ctx, () -> {});
    assertEquals(1, RuntimeInternals.childCount(ctx), "with an afterFunc");
    assertTrue(stop.stop(), "stop()");
    assertEquals(0, RuntimeInternals.childCount(ctx), "after stopping the afterFunc");

    // A cancellable child under a value child, and under a wrapper.
    CancellableContext v = Context.withCancel(Context.withValue(ctx, "k", "v"));
    v.done().toFuture();
    assertEquals(1, RuntimeInternals.childCount(ctx), "with a registered child of a value child");
    v.cancel();
    assertEquals(0, RuntimeInternals.childCount(ctx), "after cancelling a child of a value child");

    assertLive(ctx, "ctx");
    ctx.cancel();
  }

  // ---- 6. Child of a cancelled parent ----------------------------------------------------------

  @Test
  void withCancelOfCanceledParent() {
    CancellableContext parent = Context.withCancel(Context.background());
    RuntimeException cause = new RuntimeException("Because!");
    parent.cancel(cause);

    CancellableContext c = Context.withCancel(parent);
    assertCanceledNow(c, "child of a cancelled parent, at construction");
    assertSame(cause, Context.cause(c), "child's cause");
    assertEquals(0, RuntimeInternals.childCount(parent), "a born-done child is not registered");

    // Every derivation is born done, with the parent's cause.
    CancellableContext t = Context.withTimeout(parent, VERY_LONG);
    assertCanceledNow(t, "withTimeout child of a cancelled parent");
    assertSame(cause, Context.cause(t));
    Context v = Context.withValue(parent, "k", "v");
    assertCanceledNow(v, "withValue child of a cancelled parent");
    assertSame(cause, Context.cause(v));
    CancellableContext w = Context.withCancel(new Wrapper(parent));
    assertCanceledNow(w, "withCancel child of a wrapped cancelled parent");
    assertSame(cause, Context.cause(w), "cause through a wrapper");
    assertEquals(0, RuntimeInternals.childCount(parent), "parent's children");
    c.cancel();
    t.cancel();
    w.cancel();
  }

  @Test
  void withCancelOfSimultaneouslyCanceledParent() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 200; i++) {
        CancellableContext parent = Context.withCancel(Context.background());
        RuntimeException cause = new RuntimeException("Because! " + i);
        Future<?> f = pool.submit(() -> parent.cancel(cause));

        CancellableContext c = Context.withCancel(parent);
        awaitDone(c, "child, round " + i);
        assertTrue(c.err() instanceof CanceledException, "round " + i + ": err() = " + c.err());
        assertSame(cause, Context.cause(c), "round " + i + ": child's cause");
        f.get(QUIESCENT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, RuntimeInternals.childCount(parent), "round " + i + ": parent's children");
        c.cancel();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- 7. Simultaneous cancels -----------------------------------------------------------------

  @Test
  void simultaneousCancels() throws Exception {
    CancellableContext root = Context.withCancel(Context.background());
    List<CancellableContext> all = new ArrayList<>();
    all.add(root);
    List<CancellableContext> queue = new ArrayList<>(all);
    while (!queue.isEmpty() && all.size() < 100) {
      CancellableContext parent = queue.remove(0);
      for (int i = 0; i < 4; i++) {
        CancellableContext ctx = Context.withCancel(parent);
        all.add(ctx);
        queue.add(ctx);
      }
    }
    List<CancellableContext> order = new ArrayList<>(all);
    Collections.shuffle(order, new Random(42));
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (CancellableContext c : order) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                c.cancel();
              },
              "canceller");
      t.start();
      threads.add(t);
    }
    start.countDown();
    Collections.shuffle(order, new Random(7));
    for (CancellableContext c : order) {
      awaitDone(c, "tree node");
    }
    for (Thread t : threads) {
      join(t);
    }
    for (CancellableContext c : all) {
      assertTrue(c.err() instanceof CanceledException, "err() = " + c.err());
      assertEquals(0, RuntimeInternals.childCount(c), "children of a cancelled node");
    }
  }

  // ---- 8. Interlocked cancels ------------------------------------------------------------------

  @Test
  void interlockedCancelsFromAWaitingThread() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    Thread t =
        new Thread(
            () -> {
              try {
                parent.done().await();
              } catch (InterruptedException e) {
                return;
              }
              child.cancel();
            });
    t.start();
    parent.cancel();
    awaitDone(child, "child");
    join(t);
  }

  @Test
  void interlockedCancelsFromADoneCallback() throws Exception {
    // The callback runs on the cancelling thread while the cancel is in progress: it must not
    // deadlock on the runtime's own locks.
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    CancellableContext sibling = Context.withCancel(parent);
    parent.done().onDone(child::cancel);
    child.done().onDone(() -> parent.cancel(new RuntimeException("re-entrant")));
    Thread t = new Thread(parent::cancel, "canceller");
    t.start();
    join(t);
    assertCanceledNow(child, "child");
    assertCanceledNow(sibling, "sibling");
    assertTrue(Context.cause(parent) instanceof CanceledException, "the first cancel wins");
  }

  @Test
  void interlockedCancelsThroughAfterFunc() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    Context.afterFunc(parent, child::cancel);
    parent.cancel();
    awaitDone(child, "child");
  }

  // ---- 9. Layers -------------------------------------------------------------------------------

  @Test
  void layersCancel() {
    for (int round = 0; round < 20; round++) {
      layers(System.nanoTime() + round, false);
    }
  }

  @Test
  void layersTimeout() {
    for (int round = 0; round < 5; round++) {
      layers(System.nanoTime() + round, true);
    }
  }

  private static final class Value {}

  private static void layers(long seed, boolean testTimeout) {
    Random r = new Random(seed);
    String prefix = "seed=" + seed + ": ";
    List<Value> vals = new ArrayList<>();
    List<CancellableContext> cancels = new ArrayList<>();
    int numTimers = 0;
    Context ctx = Context.background();
    for (int i = 0; i < 30 || numTimers == 0 || cancels.isEmpty() || vals.isEmpty(); i++) {
      switch (r.nextInt(4)) {
        case 0 -> {
          Value v = new Value();
          ctx = Context.withValue(ctx, v, v);
          vals.add(v);
        }
        case 1 -> {
          CancellableContext c = Context.withCancel(ctx);
          cancels.add(c);
          ctx = c;
        }
        case 2 -> {
          CancellableContext c = Context.withTimeout(ctx, testTimeout ? SHORT : VERY_LONG);
          cancels.add(c);
          numTimers++;
          ctx = c;
        }
        default -> ctx = new Wrapper(ctx); // Java addition: user-written layers too
      }
    }
    Context leaf = ctx;
    Runnable checkValues =
        () -> {
          for (Value key : vals) {
            assertSame(key, leaf.value(key), prefix + "value(" + key + ")");
          }
        };
    if (!testTimeout) {
      assertFalse(leaf.done().isDone(), prefix + "leaf should not be cancelled yet");
    }
    assertTrue(
        leaf.toString().contains(Context.background().toString()),
        prefix + "toString() starts at background: " + leaf);
    checkValues.run();
    if (testTimeout) {
      awaitDone(leaf, prefix + "leaf should time out");
      assertTrue(
          leaf.err() instanceof DeadlineExceededException, prefix + "leaf.err() = " + leaf.err());
    } else {
      CancellableContext c = cancels.get(r.nextInt(cancels.size()));
      c.cancel();
      if (!leaf.done().isDone()) {
        fail(prefix + "leaf should be cancelled synchronously; " + threadDump());
      }
      assertTrue(leaf.err() instanceof CanceledException, prefix + "leaf.err() = " + leaf.err());
    }
    checkValues.run();
    for (CancellableContext c : cancels) {
      c.cancel();
    }
  }
}
