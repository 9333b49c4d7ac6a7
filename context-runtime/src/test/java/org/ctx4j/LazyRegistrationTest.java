package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A child of a cancellable context registers with it only when something must be pushed to it (a
 * callback, a waiting thread, a future view, an afterFunc, a registered child, a timer), and until
 * then asks its ancestors for their state. These tests check the semantics that must not change
 * (every descendant is done once an ancestor's cancel returns, with that ancestor's cause; the
 * first cause wins; callbacks run exactly once; nothing is left registered) sequentially, through
 * chains thousands deep, and in the races the lazy registration opens: registering while an
 * ancestor or the context itself is cancelled, two threads registering one context, a reader
 * adopting an ancestor's error while the context's owner cancels it. Each race runs on fresh
 * contexts round after round (see {@link TwoThreadRace}), bounded by rounds and a time budget.
 */
final class LazyRegistrationTest {
  private static final int ROUNDS = 100_000;
  private static final Duration BUDGET = Duration.ofSeconds(2);
  private static final RuntimeException A = new RuntimeException("A");
  private static final RuntimeException B = new RuntimeException("B");

  /**
   * Delays this thread's side of a race at random (not at all, a short spin, or a yield, which on a
   * loaded machine lets a worker waiting for a core run first), so that over the rounds the
   * worker's action lands before, during and after this thread's.
   */
  private static void jitter() {
    int r = ThreadLocalRandom.current().nextInt(48);
    if (r >= 32) {
      Thread.yield();
    }
    for (int i = r % 16; i > 0; i--) {
      Thread.onSpinWait();
    }
  }

  /** A parent, an unregistered child of it, and a counter for the child's callbacks. */
  private static final class Pair {
    final CancellableContext parent = Context.withCancel(Context.background());
    final CancellableContext child = Context.withCancel(parent);
    final AtomicInteger fired = new AtomicInteger();

    Object register() {
      child.done().onDone(fired::incrementAndGet);
      return this;
    }
  }

  // ---- Sequential ------------------------------------------------------------------------------

  @Test
  void plainChildrenRegisterNothingAndStillEndWithTheirParent() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    CancellableContext grandchild = Context.withCancel(Context.withValue(child, "k", "v"));
    assertEquals(0, RuntimeInternals.childCount(parent));
    assertEquals(0, RuntimeInternals.childCount(child));
    assertNull(grandchild.err());
    assertTrue(!grandchild.done().isDone());

    parent.cancel(A);

    assertSame(A, Context.cause(grandchild));
    assertSame(parent.err(), grandchild.err());
    assertSame(parent.err(), child.err());
    assertTrue(grandchild.done().isDone());
    grandchild.cancel(B); // too late: the parent's cause stays
    child.cancel(B);
    assertSame(A, Context.cause(grandchild));
    assertSame(A, Context.cause(child));
  }

  @Test
  void anOwnCancelBeforeTheParentsKeepsItsCauseDownTheChain() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(parent);
    CancellableContext grandchild = Context.withCancel(child);
    child.cancel(B);
    parent.cancel(A);
    assertSame(B, Context.cause(child));
    assertSame(B, Context.cause(grandchild), "the grandchild ends with its nearest done ancestor");
    assertSame(child.err(), grandchild.err());
  }

  @Test
  void aCallbackOnALeafRegistersTheWholeChainAndCancelRemovesIt() {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext mid = Context.withCancel(Context.withValue(parent, "k", "v"));
    CancellableContext leaf = Context.withCancel(mid);
    AtomicInteger fired = new AtomicInteger();
    Done.Registration r = leaf.done().onDone(fired::incrementAndGet);
    assertEquals(1, RuntimeInternals.childCount(parent), "mid registered");
    assertEquals(1, RuntimeInternals.childCount(mid), "leaf registered");
    assertEquals(1, RuntimeInternals.childCount(leaf), "the callback");
    assertTrue(r.remove());
    leaf.cancel();
    assertEquals(0, RuntimeInternals.childCount(mid), "leaf gone from mid");
    assertEquals(0, fired.get());
    mid.cancel();
    assertEquals(0, RuntimeInternals.childCount(parent), "mid gone from parent");
    assertNull(parent.err());
    parent.cancel();
  }

  @Test
  void registeringUnderADoneAncestorFiresAtOnceWithItsCause() throws InterruptedException {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext mid = Context.withCancel(parent);
    CancellableContext leaf = Context.withCancel(mid);
    parent.cancel(A);
    AtomicInteger fired = new AtomicInteger();
    leaf.done().onDone(fired::incrementAndGet);
    assertEquals(1, fired.get());
    assertSame(A, Context.cause(leaf));
    assertSame(A, Context.cause(mid));
    leaf.done().await(); // returns at once
    assertTrue(leaf.done().toFuture().isDone());
    CancellableContext timer = Context.withTimeout(leaf, Duration.ofHours(1));
    assertSame(A, Context.cause(timer));
    assertEquals(0, RuntimeInternals.childCount(parent));
  }

  @Test
  void aWaiterOnAnUnregisteredChildWakesWhenTheParentIsCancelled() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    CancellableContext child = Context.withCancel(Context.withCancel(parent));
    Thread waiter =
        new Thread(
            () -> {
              try {
                child.done().await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    while (RuntimeInternals.childCount(parent) == 0 && waiter.isAlive()) {
      Thread.sleep(1); // until the waiter has registered the chain
    }
    parent.cancel(A);
    waiter.join(GoConformanceSupport.QUIESCENT.toMillis());
    assertTrue(!waiter.isAlive(), "waiter still parked");
    assertSame(A, Context.cause(child));
  }

  @Test
  void deepUnregisteredChainsAdoptAndRegisterWithoutRecursion() {
    int depth = 200_000;
    CancellableContext root = Context.withCancel(Context.background());
    CancellableContext c = root;
    List<CancellableContext> chain = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      c = Context.withCancel(i % 2 == 0 ? c : Context.withValue(c, i, i));
      if (i % 10_000 == 0) {
        chain.add(c);
      }
    }
    CancellableContext leaf = c;
    assertNull(leaf.err());
    root.cancel(A);
    assertSame(A, Context.cause(leaf), "adopted through 200,000 unregistered links");
    for (CancellableContext x : chain) {
      assertSame(root.err(), x.err());
    }

    CancellableContext root2 = Context.withCancel(Context.background());
    c = root2;
    for (int i = 0; i < depth; i++) {
      c = Context.withCancel(c);
    }
    AtomicInteger fired = new AtomicInteger();
    c.done().onDone(fired::incrementAndGet); // registers 200,000 links, top-down
    assertEquals(1, RuntimeInternals.childCount(root2));
    root2.cancel(B);
    assertEquals(1, fired.get());
    assertSame(B, Context.cause(c));
  }

  // ---- Races -----------------------------------------------------------------------------------

  @Test
  void aChildDerivedWhileItsParentIsCancelledIsDoneOnceTheParentIs() throws InterruptedException {
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            () -> Context.withCancel(Context.background()),
            parent -> {
              jitter();
              parent.cancel(A);
              return parent;
            },
            parent -> {
              boolean parentDoneBefore = parent.err() != null;
              CancellableContext child = Context.withCancel(parent);
              if (parentDoneBefore && child.err() == null) {
                return "a child of a done parent was born live";
              }
              return child;
            },
            (mine, theirs, round) -> {
              assertTrue(theirs instanceof CancellableContext, "round " + round + ": " + theirs);
              CancellableContext child = (CancellableContext) theirs;
              assertSame(A, Context.cause(child), "round " + round);
              assertSame(((Context) mine).err(), child.err(), "round " + round);
            });
    System.out.println("[LazyRegistrationTest] derive vs parent cancel: " + ran + " rounds");
  }

  @Test
  void registeringWhileTheParentIsCancelledRunsTheCallbackOnce() throws InterruptedException {
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            Pair::new,
            p -> {
              jitter();
              p.parent.cancel(A);
              return p;
            },
            Pair::register,
            (mine, theirs, round) -> {
              Pair p = (Pair) mine;
              assertEquals(1, p.fired.get(), "round " + round + ": callback runs");
              assertSame(A, Context.cause(p.child), "round " + round);
              assertEquals(0, RuntimeInternals.childCount(p.parent), "round " + round);
              assertEquals(0, RuntimeInternals.childCount(p.child), "round " + round);
            });
    System.out.println("[LazyRegistrationTest] register vs parent cancel: " + ran + " rounds");
  }

  @Test
  void registeringALeafWhileTheRootIsCancelledRunsTheCallbackOnce() throws InterruptedException {
    final class Chain {
      final CancellableContext root = Context.withCancel(Context.background());
      final CancellableContext mid = Context.withCancel(Context.withValue(root, "k", "v"));
      final CancellableContext leaf = Context.withCancel(mid);
      final AtomicInteger fired = new AtomicInteger();
    }
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            Chain::new,
            c -> {
              jitter();
              c.root.cancel(A);
              return c;
            },
            c -> {
              c.leaf.done().onDone(c.fired::incrementAndGet);
              return c;
            },
            (mine, theirs, round) -> {
              Chain c = (Chain) mine;
              assertEquals(1, c.fired.get(), "round " + round + ": callback runs");
              assertSame(A, Context.cause(c.leaf), "round " + round);
              assertSame(c.root.err(), c.mid.err(), "round " + round);
              assertSame(c.root.err(), c.leaf.err(), "round " + round);
              assertEquals(0, RuntimeInternals.childCount(c.root), "round " + round);
              assertEquals(0, RuntimeInternals.childCount(c.mid), "round " + round);
            });
    System.out.println("[LazyRegistrationTest] register leaf vs root cancel: " + ran + " rounds");
  }

  @Test
  void registeringWhileTheChildIsCancelledLeavesNothingInTheParent() throws InterruptedException {
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            Pair::new,
            p -> {
              jitter();
              p.child.cancel(B);
              return p;
            },
            Pair::register,
            (mine, theirs, round) -> {
              Pair p = (Pair) mine;
              assertEquals(1, p.fired.get(), "round " + round + ": callback runs");
              assertSame(B, Context.cause(p.child), "round " + round);
              assertEquals(
                  0, RuntimeInternals.childCount(p.parent), "round " + round + ": link left");
              assertNull(p.parent.err(), "round " + round);
            });
    System.out.println("[LazyRegistrationTest] register vs own cancel: " + ran + " rounds");
  }

  @Test
  void twoThreadsRegisteringOneChildLinkItOnce() throws InterruptedException {
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            Pair::new,
            p -> {
              jitter();
              return p.register();
            },
            Pair::register,
            (mine, theirs, round) -> {
              Pair p = (Pair) mine;
              assertEquals(1, RuntimeInternals.childCount(p.parent), "round " + round + ": links");
              assertEquals(2, RuntimeInternals.childCount(p.child), "round " + round);
              if (round % 2 == 0) {
                p.child.cancel();
              } else {
                p.parent.cancel();
              }
              assertEquals(2, p.fired.get(), "round " + round + ": callbacks");
              assertEquals(0, RuntimeInternals.childCount(p.parent), "round " + round);
            });
    System.out.println("[LazyRegistrationTest] two registrars: " + ran + " rounds");
  }

  @Test
  void aReaderAdoptingTheParentsErrorAndTheOwnersCancelAgree() throws InterruptedException {
    final class Trio {
      final CancellableContext parent = Context.withCancel(Context.background());
      final CancellableContext child = Context.withCancel(parent);
      final CancellableContext grandchild = Context.withCancel(child);
    }
    int[] outcomes = new int[2];
    int ran =
        TwoThreadRace.run(
            ROUNDS,
            BUDGET,
            Trio::new,
            t -> {
              jitter();
              t.parent.cancel(A);
              return Context.cause(t.grandchild); // adopts A, unless B came first
            },
            t -> {
              t.child.cancel(B);
              return Context.cause(t.child);
            },
            (mine, theirs, round) -> {
              assertNotNull(mine, "round " + round);
              assertTrue(mine == A || mine == B, "round " + round + ": " + mine);
              assertSame(mine, theirs, "round " + round + ": child and grandchild disagree");
              outcomes[mine == A ? 0 : 1]++;
            });
    System.out.printf(
        "[LazyRegistrationTest] adopt vs own cancel: %d rounds, parent first %d, child first %d%n",
        ran, outcomes[0], outcomes[1]);
  }

  @Test
  void aTimerDerivedWhileItsParentIsCancelledLeavesNoTimer() throws InterruptedException {
    int before = RuntimeInternals.timerQueueSize();
    int ran =
        TwoThreadRace.run(
            20_000,
            BUDGET,
            () -> Context.withCancel(Context.withCancel(Context.background())),
            parent -> {
              jitter();
              parent.cancel(A);
              return parent;
            },
            parent -> Context.withTimeout(parent, Duration.ofHours(1)),
            (mine, theirs, round) -> {
              CancellableContext timer = (CancellableContext) theirs;
              assertSame(A, Context.cause(timer), "round " + round);
              assertEquals(0, RuntimeInternals.childCount((Context) mine), "round " + round);
            });
    assertEquals(before, RuntimeInternals.timerQueueSize(), "timers left in the queue");
    System.out.println("[LazyRegistrationTest] timer vs parent cancel: " + ran + " rounds");
  }
}
