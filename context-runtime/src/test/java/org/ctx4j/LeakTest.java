package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * Leaks, measured: what cancelled children, cancelled timers, stopped afterFuncs and removed done
 * registrations leave behind in a live parent and in the shared timer queue, and whether they
 * become garbage. Also chains 200,000 deep, which an implementation that recurses on the cancel,
 * value, deadline or cause path cannot handle. Numbers are printed with the prefix {@code
 * [LeakTest]}.
 */
final class LeakTest {
  private static final int SAMPLE_EVERY = 10_000;

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static String mb(long bytes) {
    return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /**
   * Collects garbage until every sampled object is gone (bounded); fails if some stay reachable.
   */
  private static void assertCollected(List<? extends WeakReference<?>> refs, String what)
      throws InterruptedException {
    int alive = refs.size();
    for (int attempt = 0; attempt < 50 && alive > 0; attempt++) {
      System.gc();
      Thread.sleep(attempt < 10 ? 10 : 100);
      alive = 0;
      for (WeakReference<?> r : refs) {
        if (r.get() != null) {
          alive++;
        }
      }
    }
    System.out.printf(
        "[LeakTest] %s: %d of %d sampled objects still reachable%n", what, alive, refs.size());
    assertEquals(0, alive, what + ": sampled objects still reachable after repeated GCs");
  }

  // ---- Cancelled children of a live parent ---------------------------------------------------

  @Test
  void aMillionCancelledChildrenLeaveNothingInALiveParent() throws InterruptedException {
    CancellableContext parent = Context.withCancel(Context.background());
    long before = usedHeapAfterGc();
    List<WeakReference<CancellableContext>> sample = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      CancellableContext c = Context.withCancel(parent);
      if (i % SAMPLE_EVERY == 0) {
        sample.add(new WeakReference<>(c));
      }
      c.cancel();
    }
    int children = RuntimeInternals.childCount(parent);
    long after = usedHeapAfterGc();
    System.out.printf(
        "[LeakTest] 1,000,000 cancelled withCancel children: childCount(parent)=%d, heap %s -> %s%n",
        children, mb(before), mb(after));
    assertEquals(0, children, "children left in the live parent");
    GoConformanceSupport.assertLive(parent, "parent");
    assertCollected(sample, "cancelled withCancel children");
    parent.cancel();
  }

  @Test
  void cancelledChildrenOfEveryKindLeaveNothing() throws InterruptedException {
    CancellableContext parent = Context.withCancel(Context.background());
    Context value = Context.withValue(parent, "k", "v");
    Wrapper wrapper = new Wrapper(parent);
    long before = usedHeapAfterGc();
    List<WeakReference<CancellableContext>> sample = new ArrayList<>();
    java.time.Instant far = java.time.Instant.now().plus(Duration.ofHours(1000));
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      CancellableContext c =
          switch (i % 4) {
            case 0 -> Context.withTimeout(parent, Duration.ofHours(1));
            case 1 -> Context.withCancel(value);
            case 2 -> Context.withCancel(wrapper);
            default -> Context.withDeadline(Context.withValue(value, "k2", i), far);
          };
      if (i % (SAMPLE_EVERY / 4) == 0) {
        sample.add(new WeakReference<>(c));
      }
      c.cancel(new RuntimeException("child " + i));
    }
    int children = RuntimeInternals.childCount(parent);
    int valueChildren = RuntimeInternals.childCount(value);
    long after = usedHeapAfterGc();
    System.out.printf(
        "[LeakTest] %,d cancelled children (timeout, under a value, under a wrapper, under two"
            + " values): childCount(parent)=%d childCount(value)=%d, heap %s -> %s%n",
        n, children, valueChildren, mb(before), mb(after));
    assertEquals(0, children, "children left in the live parent");
    assertEquals(0, valueChildren, "children left in the value child");
    assertCollected(sample, "cancelled children of every kind");
    parent.cancel();
  }

  // ---- Timers --------------------------------------------------------------------------------

  @Test
  void cancelledTimersLeaveNothingInTheQueue() throws InterruptedException {
    int baseline = RuntimeInternals.timerQueueSize();

    // The hook counts: 1,000 live timers are in the queue.
    List<CancellableContext> live = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      live.add(Context.withTimeout(Context.background(), Duration.ofHours(1)));
    }
    int withLive = RuntimeInternals.timerQueueSize();
    assertTrue(withLive >= 1000, "1,000 live timers but timerQueueSize()=" + withLive);
    for (CancellableContext c : live) {
      c.cancel();
    }
    live.clear();
    assertTrue(
        RuntimeInternals.timerQueueSize() <= baseline,
        "1,000 cancelled timers left " + (RuntimeInternals.timerQueueSize() - baseline));

    long before = usedHeapAfterGc();
    List<WeakReference<CancellableContext>> sample = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      CancellableContext c = Context.withTimeout(Context.background(), Duration.ofHours(1));
      if (i % SAMPLE_EVERY == 0) {
        sample.add(new WeakReference<>(c));
      }
      c.cancel();
    }
    int after = RuntimeInternals.timerQueueSize();
    long heapAfter = usedHeapAfterGc();
    System.out.printf(
        "[LeakTest] timers: baseline=%d, with 1,000 live=%d, after 300,000 cancelled=%d, heap %s -> %s%n",
        baseline, withLive, after, mb(before), mb(heapAfter));
    assertTrue(after <= baseline, "300,000 cancelled timers left " + (after - baseline) + " tasks");
    assertCollected(sample, "cancelled timer contexts");
  }

  @Test
  void timersCancelledThroughTheirParentLeaveNothingInTheQueue() throws InterruptedException {
    int baseline = RuntimeInternals.timerQueueSize();
    CancellableContext parent = Context.withCancel(Context.background());
    List<WeakReference<CancellableContext>> sample = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      CancellableContext c = Context.withTimeout(parent, Duration.ofHours(1));
      if (i % SAMPLE_EVERY == 0) {
        sample.add(new WeakReference<>(c));
      }
    }
    int withLive = RuntimeInternals.timerQueueSize();
    parent.cancel();
    int after = RuntimeInternals.timerQueueSize();
    System.out.printf(
        "[LeakTest] 100,000 timers under one parent: queue %d -> %d -> %d after the parent's cancel%n",
        baseline, withLive, after);
    assertTrue(withLive >= 100_000, "timerQueueSize() with 100,000 live timers: " + withLive);
    assertTrue(after <= baseline, "timers left after the parent's cancel: " + (after - baseline));
    assertCollected(sample, "timer children of a cancelled parent");
  }

  @Test
  void aTimerThatFiredLeavesNothing() throws InterruptedException {
    int baseline = RuntimeInternals.timerQueueSize();
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext t = Context.withTimeout(parent, Duration.ofMillis(1));
    GoConformanceSupport.assertDeadlineExceeded(t, "timer");
    assertEquals(0, RuntimeInternals.childCount(parent), "an expired timer stays in its parent");
    assertTrue(RuntimeInternals.timerQueueSize() <= baseline, "an expired timer stays queued");
    t.cancel();
    parent.cancel();
  }

  // ---- afterFunc and done registrations -------------------------------------------------------

  @Test
  void stoppedAfterFuncsAndRemovedRegistrationsLeaveNothing() throws InterruptedException {
    CancellableContext parent = Context.withCancel(Context.background());
    long before = usedHeapAfterGc();
    List<WeakReference<Runnable>> sample = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      Object payload = new byte[16];
      Runnable f = () -> payload.hashCode();
      if (i % SAMPLE_EVERY == 0) {
        sample.add(new WeakReference<>(f));
      }
      assertTrue(Context.afterFunc(parent, f).stop(), "stop() of a fresh afterFunc");
    }
    int afterStops = RuntimeInternals.childCount(parent);
    for (int i = 0; i < 300_000; i++) {
      Object payload = new byte[16];
      Runnable f = () -> payload.hashCode();
      if (i % SAMPLE_EVERY == 0) {
        sample.add(new WeakReference<>(f));
      }
      assertTrue(parent.done().onDone(f).remove(), "remove() of a fresh registration");
    }
    int afterRemoves = RuntimeInternals.childCount(parent);
    long after = usedHeapAfterGc();
    System.out.printf(
        "[LeakTest] 300,000 stopped afterFuncs: childCount=%d; 300,000 removed onDone callbacks:"
            + " childCount=%d; heap %s -> %s%n",
        afterStops, afterRemoves, mb(before), mb(after));
    assertEquals(0, afterStops, "registrations left by stopped afterFuncs");
    assertEquals(0, afterRemoves, "registrations left by removed callbacks");
    assertCollected(sample, "stopped afterFunc functions and removed callbacks");
    parent.cancel();
  }

  @Test
  void futureViewsOfALiveContextDoNotAccumulate() throws InterruptedException {
    // toFuture() views that callers drop must not stay registered in a long-lived context: either
    // every call returns one shared view, or the dropped views become garbage.
    CancellableContext parent = Context.withCancel(Context.background());
    Object shared = parent.done().toFuture();
    List<WeakReference<Object>> distinct = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      Object f = parent.done().toFuture();
      if (i % SAMPLE_EVERY == 0 && f != shared) {
        distinct.add(new WeakReference<>(f));
      }
    }
    int children = RuntimeInternals.childCount(parent);
    System.out.printf(
        "[LeakTest] 100,000 dropped toFuture() views: childCount=%d, %d of 10 sampled views distinct%n",
        children, distinct.size());
    assertTrue(
        children <= 1, "registrations left by 100,000 dropped toFuture() views: " + children);
    assertCollected(distinct, "dropped toFuture() views of a live context");
    parent.cancel();
    assertTrue(((java.util.concurrent.CompletableFuture<?>) shared).isDone(), "view after cancel");
  }

  // ---- Deep chains ---------------------------------------------------------------------------

  private static final int DEPTH = 200_000;

  private enum Key {
    ROOT,
    MISSING
  }

  /** Runs {@code body} on a thread with a small stack, so any recursion on the path shows. */
  private static void onSmallStack(String name, Runnable body) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            name,
            512 * 1024);
    t.start();
    join(t);
    if (failure.get() instanceof StackOverflowError e) {
      fail(name + ": StackOverflowError (a recursive path)", e);
    } else if (failure.get() != null) {
      fail(name + ": " + failure.get(), failure.get());
    }
  }

  @Test
  void cancelChain200000Deep() throws InterruptedException {
    onSmallStack(
        "cancel chain",
        () -> {
          CancellableContext root = Context.withCancel(Context.background());
          Context ctx = Context.withValue(root, Key.ROOT, "root");
          List<CancellableContext> chain = new ArrayList<>(DEPTH);
          for (int i = 0; i < DEPTH; i++) {
            CancellableContext c = Context.withCancel(ctx);
            chain.add(c);
            ctx = c;
          }
          Context leaf = ctx;
          assertEquals("root", leaf.value(Key.ROOT), "value at the leaf before cancel");
          assertNull(leaf.value(Key.MISSING), "missing key at the leaf");
          assertEquals(Optional.empty(), leaf.deadline(), "deadline at the leaf");
          assertNull(Context.cause(leaf), "cause at the leaf before cancel");
          Throwable cause = new RuntimeException("root cause");
          root.cancel(cause);
          assertTrue(leaf.done().isDone(), "leaf done after the root's cancel");
          assertInstanceOf(CanceledException.class, leaf.err(), "leaf err()");
          assertSame(cause, Context.cause(leaf), "leaf cause()");
          assertEquals("root", leaf.value(Key.ROOT), "value at the leaf after cancel");
          assertEquals(0, RuntimeInternals.childCount(root), "root's children");
          assertEquals(0, RuntimeInternals.childCount(chain.get(DEPTH / 2)), "a middle node's");
          // A child of the cancelled leaf is born done.
          CancellableContext child = Context.withCancel(leaf);
          assertSame(cause, Context.cause(child), "cause of a child of the leaf");
        });
  }

  @Test
  void valueChain200000Deep() throws InterruptedException {
    onSmallStack(
        "value chain",
        () -> {
          CancellableContext root = Context.withTimeout(Context.background(), Duration.ofHours(1));
          Context ctx = Context.withValue(root, Key.ROOT, "root");
          for (int i = 0; i < DEPTH; i++) {
            ctx = Context.withValue(ctx, i, i);
          }
          Context leaf = ctx;
          assertEquals("root", leaf.value(Key.ROOT), "root value at the leaf");
          assertEquals(7, leaf.value(7), "a value near the root");
          assertNull(leaf.value(Key.MISSING), "missing key at the leaf");
          assertEquals(root.deadline(), leaf.deadline(), "deadline at the leaf");
          assertNull(Context.cause(leaf), "cause at the leaf");
          CancellableContext below = Context.withCancel(leaf);
          root.cancel();
          assertTrue(below.done().isDone(), "a cancel child below 200,000 values");
          assertInstanceOf(CanceledException.class, leaf.err(), "leaf err()");
          assertInstanceOf(CanceledException.class, Context.cause(below), "cause below");
          assertEquals(0, RuntimeInternals.childCount(root), "root's children");
        });
  }

  @Test
  void mixedChain200000Deep() throws InterruptedException {
    onSmallStack(
        "mixed chain",
        () -> {
          int timersBefore = RuntimeInternals.timerQueueSize();
          java.time.Instant far = java.time.Instant.now().plus(Duration.ofHours(1000));
          CancellableContext root = Context.withCancel(Context.background());
          Context ctx = Context.withValue(root, Key.ROOT, "root");
          List<CancellableContext> cancellables = new ArrayList<>();
          for (int i = 0; i < DEPTH; i++) {
            switch (i % 4) {
              case 0 -> ctx = Context.withValue(ctx, i, i);
              case 1 -> {
                CancellableContext c = Context.withCancel(ctx);
                cancellables.add(c);
                ctx = c;
              }
              case 2 -> {
                CancellableContext c = Context.withDeadline(ctx, far);
                cancellables.add(c);
                ctx = c;
              }
              default -> ctx = Context.withValue(ctx, "s" + i, i);
            }
          }
          Context leaf = ctx;
          assertEquals("root", leaf.value(Key.ROOT));
          assertNull(leaf.value(Key.MISSING));
          // Cancelling a middle node reaches the leaf; the root stays live.
          CancellableContext middle = cancellables.get(cancellables.size() / 2);
          middle.cancel();
          assertTrue(leaf.done().isDone(), "leaf after a middle node's cancel");
          assertFalse(root.done().isDone(), "root after a middle node's cancel");
          root.cancel();
          assertInstanceOf(CanceledException.class, cancellables.get(0).err());
          assertEquals(0, RuntimeInternals.childCount(root), "root's children");
          assertTrue(
              RuntimeInternals.timerQueueSize() <= timersBefore,
              "timers left by a cancelled chain: "
                  + timersBefore
                  + " -> "
                  + RuntimeInternals.timerQueueSize());
        });
  }
}
