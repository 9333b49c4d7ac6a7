package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.QUIESCENT;
import static org.ctx4j.GoConformanceSupport.VERY_LONG;
import static org.ctx4j.GoConformanceSupport.awaitDone;
import static org.ctx4j.GoConformanceSupport.threadDump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrency stress for the runtime: random trees cancelled from many threads, parents and
 * children cancelled at the same moment, children derived while their parent is being cancelled,
 * many threads deriving from one parent, and registrations racing cancellation. Iteration counts
 * are bounded so the class runs in seconds; time limits only guard against hangs (deadlocks).
 */
final class ContextStressTest {
  private static final int THREADS = 8;
  private static ExecutorService pool;
  private static final long SEED = Long.getLong("ctx4j.stress.seed", System.nanoTime());

  @BeforeAll
  static void startPool() {
    AtomicInteger n = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "stress-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    System.out.println("[ContextStressTest] seed=" + SEED + " (rerun with -Dctx4j.stress.seed)");
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  /** Runs every task on the pool after a common start signal and waits (bounded) for all. */
  private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return task.call();
              }));
    }
    if (tasks.size() <= THREADS) {
      ready.await(QUIESCENT.toMillis(), TimeUnit.MILLISECONDS);
    }
    go.countDown();
    List<T> results = new ArrayList<>();
    long deadline = System.nanoTime() + QUIESCENT.toNanos();
    for (Future<T> f : futures) {
      try {
        results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        fail("tasks still running after " + QUIESCENT + " (deadlock?):\n" + threadDump());
      } catch (ExecutionException e) {
        throw new AssertionError("task failed", e.getCause());
      }
    }
    return results;
  }

  private static Callable<Void> task(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  // ---- Random trees --------------------------------------------------------------------------

  private static final class Node {
    final Node parent;
    final Context ctx;
    Throwable cause; // set when this node is chosen to be cancelled; CANCELED marks a plain cancel

    Node(Node parent, Context ctx) {
      this.parent = parent;
      this.ctx = ctx;
    }
  }

  private static final Throwable PLAIN = new RuntimeException("plain cancel marker");

  @Test
  void randomTreesCancelledConcurrently() throws Exception {
    Random r = new Random(SEED);
    for (int round = 0; round < 60; round++) {
      String where = "seed=" + SEED + " round=" + round + ": ";
      CancellableContext root = Context.withCancel(Context.background());
      List<Node> nodes = new ArrayList<>();
      nodes.add(new Node(null, root));
      while (nodes.size() < 150) {
        Node p = nodes.get(r.nextInt(nodes.size()));
        Context c =
            switch (r.nextInt(6)) {
              case 0, 1 -> Context.withCancel(p.ctx);
              case 2 -> Context.withTimeout(p.ctx, VERY_LONG);
              case 3 -> Context.withValue(p.ctx, new Object(), "v");
              case 4 -> new Wrapper(p.ctx);
              default -> Context.withCancel(new Wrapper(p.ctx));
            };
        nodes.add(new Node(p, c));
      }
      List<Node> chosen = new ArrayList<>();
      for (Node n : nodes) {
        if (n.ctx instanceof CancellableContext && r.nextInt(n == nodes.get(0) ? 4 : 3) == 0) {
          n.cause = r.nextBoolean() ? PLAIN : new RuntimeException("cause of node " + n);
          chosen.add(n);
        }
      }
      Collections.shuffle(chosen, r);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<Node> mine = new ArrayList<>();
        for (int i = t; i < chosen.size(); i += THREADS) {
          mine.add(chosen.get(i));
        }
        tasks.add(
            task(
                () -> {
                  for (Node n : mine) {
                    CancellableContext c = (CancellableContext) n.ctx;
                    if (n.cause == PLAIN) {
                      c.cancel();
                    } else {
                      c.cancel(n.cause);
                    }
                  }
                }));
      }
      runTogether(tasks);

      for (Node n : nodes) {
        Set<Throwable> allowed = new HashSet<>();
        boolean plainAllowed = false;
        for (Node a = n; a != null; a = a.parent) {
          if (a.cause == PLAIN) {
            plainAllowed = true;
          } else if (a.cause != null) {
            allowed.add(a.cause);
          }
        }
        boolean shouldBeDone = plainAllowed || !allowed.isEmpty();
        if (!shouldBeDone) {
          GoConformanceSupport.assertLive(n.ctx, where + "node with no cancelled ancestor");
          continue;
        }
        assertTrue(n.ctx.done().isDone(), where + "a node under a cancelled one is not done");
        assertInstanceOf(CanceledException.class, n.ctx.err(), where + "err()");
        Throwable cause = Context.cause(n.ctx);
        assertNotNull(cause, where + "cause()");
        if (!allowed.contains(cause) && !(plainAllowed && cause instanceof CanceledException)) {
          fail(where + "cause " + cause + " is not one of the cancelled ancestors' " + allowed);
        }
        if (!(n.ctx instanceof Wrapper)) {
          assertEquals(0, RuntimeInternals.childCount(n.ctx), where + "children of a done node");
        }
      }
      for (Node n : nodes) {
        if (n.ctx instanceof CancellableContext c) {
          c.cancel();
        }
      }
      for (Node n : nodes) {
        assertTrue(n.ctx.done().isDone(), where + "not done after cancelling everything");
        assertEquals(0, RuntimeInternals.childCount(n.ctx), where + "children left at the end");
      }
    }
  }

  // ---- Parent and child at the same moment ----------------------------------------------------

  @Test
  void parentAndChildCancelledAtTheSameMoment() throws Exception {
    for (int round = 0; round < 2000; round++) {
      Throwable pc = new RuntimeException("parent " + round);
      Throwable cc = new RuntimeException("child " + round);
      CancellableContext parent = Context.withCancel(Context.background());
      CancellableContext child = Context.withCancel(parent);
      Context grandchild = Context.withValue(child, "k", "v");
      CancellableContext greatGrandchild = Context.withTimeout(grandchild, VERY_LONG);
      runTogether(List.of(task(() -> parent.cancel(pc)), task(() -> child.cancel(cc))));
      String where = "round " + round + ": ";
      assertSame(pc, Context.cause(parent), where + "parent's cause");
      Throwable childCause = Context.cause(child);
      assertTrue(childCause == pc || childCause == cc, where + "child's cause " + childCause);
      assertSame(childCause, Context.cause(grandchild), where + "grandchild's cause");
      assertSame(childCause, Context.cause(greatGrandchild), where + "great-grandchild's cause");
      assertInstanceOf(CanceledException.class, greatGrandchild.err(), where);
      assertEquals(0, RuntimeInternals.childCount(parent), where + "parent's children");
      assertEquals(0, RuntimeInternals.childCount(child), where + "child's children");
    }
  }

  @Test
  void manyThreadsCancelOneContextAndTheFirstCauseWins() throws Exception {
    for (int round = 0; round < 500; round++) {
      CancellableContext ctx = Context.withCancel(Context.background());
      CancellableContext child = Context.withCancel(ctx);
      List<Throwable> causes = new ArrayList<>();
      List<Callable<Throwable>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Throwable cause = new RuntimeException("thread " + t);
        causes.add(cause);
        tasks.add(
            () -> {
              ctx.cancel(cause);
              return Context.cause(ctx);
            });
      }
      List<Throwable> seen = runTogether(tasks);
      Throwable winner = Context.cause(ctx);
      assertTrue(causes.contains(winner), "round " + round + ": cause " + winner);
      for (Throwable s : seen) {
        assertSame(winner, s, "round " + round + ": every canceller sees the winning cause");
      }
      assertSame(winner, Context.cause(child), "round " + round + ": child's cause");
      ContextDoneException err = ctx.err();
      assertSame(err, ctx.err(), "round " + round + ": err() is stable");
    }
  }

  /**
   * A plain {@code cancel()} leaves the error to be created by whoever asks first; two threads that
   * ask at the same moment must get the same object. Fails within a few rounds if the error is
   * published by a plain write instead of a compare-and-set.
   */
  @Test
  void twoThreadsAskingForALazilyCreatedErrorGetTheSameObject() throws Exception {
    int ran =
        TwoThreadRace.run(
            100_000,
            Duration.ofSeconds(3),
            () -> {
              CancellableContext c = Context.withCancel(Context.background());
              c.cancel();
              return c;
            },
            CancellableContext::err,
            (mine, theirs, round) -> {
              assertNotNull(mine, "round " + round);
              assertSame(mine, theirs, "round " + round);
            });
    System.out.println("[ContextStressTest] lazy-error race: " + ran + " rounds");
  }

  // ---- Deriving while cancelling ------------------------------------------------------------

  @Test
  void childrenDerivedWhileTheParentIsCancelledEndUpCancelled() throws Exception {
    int timersBefore = RuntimeInternals.timerQueueSize();
    Random r = new Random(SEED);
    long totalDerived = 0;
    long started = System.nanoTime();
    for (int round = 0; round < 300; round++) {
      String where = "round " + round + ": ";
      Throwable cause = new RuntimeException("parent " + round);
      CancellableContext parent = Context.withCancel(Context.background());
      Context derivedFrom = r.nextBoolean() ? parent : Context.withValue(parent, "k", "v");
      List<Context> derived = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger afterFuncs = new AtomicInteger();
      AtomicInteger afterFuncRuns = new AtomicInteger();
      int cancelAfter = r.nextInt(200);
      AtomicInteger derivedSoFar = new AtomicInteger();
      Callable<Void> deriver =
          task(
              () -> {
                // Derive until the parent is done, and a few more after; the canceller strikes
                // while this runs.
                int extra = 0;
                for (int i = 0; extra < 5; i++) {
                  if (parent.done().isDone()) {
                    extra++;
                  }
                  switch (i % 5) {
                    case 0 -> derived.add(Context.withCancel(derivedFrom));
                    case 1 -> derived.add(Context.withTimeout(derivedFrom, VERY_LONG));
                    case 2 -> derived.add(Context.withValue(derivedFrom, "k2", i));
                    case 3 -> derived.add(Context.withCancel(new Wrapper(derivedFrom)));
                    default -> {
                      afterFuncs.incrementAndGet();
                      Context.afterFunc(derivedFrom, afterFuncRuns::incrementAndGet);
                    }
                  }
                  derivedSoFar.incrementAndGet();
                  if (i > cancelAfter + 1000) {
                    Thread.yield(); // the canceller was descheduled: let it run
                  }
                  if (i > 5_000_000) {
                    throw new AssertionError("the parent never became done");
                  }
                }
              });
      Callable<Void> canceller =
          task(
              () -> {
                while (derivedSoFar.get() < cancelAfter) {
                  Thread.onSpinWait();
                }
                parent.cancel(cause);
              });
      runTogether(List.of(deriver, canceller));
      totalDerived += derived.size();
      for (Context c : derived) {
        assertTrue(c.done().isDone(), where + "a child derived during the cancel is live: " + c);
        assertInstanceOf(CanceledException.class, c.err(), where + "err()");
        assertSame(cause, Context.cause(c), where + "cause()");
        if (c instanceof CancellableContext cc) {
          cc.cancel();
        }
      }
      assertEquals(0, RuntimeInternals.childCount(parent), where + "parent's children");
      assertEquals(0, RuntimeInternals.childCount(derivedFrom), where + "value child's children");
      long deadline = System.nanoTime() + QUIESCENT.toNanos();
      while (afterFuncRuns.get() < afterFuncs.get() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(afterFuncs.get(), afterFuncRuns.get(), where + "afterFuncs that ran");
    }
    System.out.printf(
        "[ContextStressTest] derive-while-cancelling: 300 rounds, %,d contexts derived, %d ms%n",
        totalDerived, (System.nanoTime() - started) / 1_000_000);
    assertTrue(
        RuntimeInternals.timerQueueSize() <= timersBefore,
        "timers left by children of cancelled parents: "
            + timersBefore
            + " -> "
            + RuntimeInternals.timerQueueSize());
  }

  @Test
  void theFirstChildDerivedAtTheMomentOfTheParentsCancelEndsUpCancelled() throws Exception {
    // The tightest window: the parent has no children yet, so the derivation may be creating the
    // parent's child list while the cancel looks for it.
    for (int round = 0; round < 3000; round++) {
      Throwable cause = new RuntimeException("parent " + round);
      CancellableContext parent = Context.withCancel(Context.background());
      List<CancellableContext> born =
          runTogether(
              List.of(
                  () -> Context.withCancel(parent),
                  () -> {
                    parent.cancel(cause);
                    return null;
                  }));
      CancellableContext child = born.get(0);
      assertTrue(child.done().isDone(), "round " + round + ": the child was left live");
      assertSame(cause, Context.cause(child), "round " + round + ": child's cause");
      assertEquals(0, RuntimeInternals.childCount(parent), "round " + round + ": children");
    }
  }

  // ---- Many threads deriving from one parent --------------------------------------------------

  @Test
  void manyThreadsDeriveFromOneParent() throws Exception {
    for (boolean throughValue : new boolean[] {false, true}) {
      String where = throughValue ? "through a value child: " : "directly: ";
      CancellableContext parent = Context.withCancel(Context.background());
      Context from = throughValue ? Context.withValue(parent, "k", "v") : parent;
      int perThread = 5000;
      // A third are timers (registered with the parent when created), a third plain children given
      // a callback (registered by it), a third plain children that never register.
      AtomicInteger fired = new AtomicInteger();
      List<Callable<List<CancellableContext>>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(
            () -> {
              List<CancellableContext> kept = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                CancellableContext c =
                    (i % 3 == 0) ? Context.withTimeout(from, VERY_LONG) : Context.withCancel(from);
                if (i % 3 == 1) {
                  c.done().onDone(fired::incrementAndGet);
                }
                if (i % 2 == 0) {
                  kept.add(c);
                } else {
                  c.cancel();
                }
              }
              return kept;
            });
      }
      List<CancellableContext> kept = new ArrayList<>();
      for (List<CancellableContext> l : runTogether(tasks)) {
        kept.addAll(l);
      }
      assertEquals(THREADS * perThread / 2, kept.size());
      int registeredPerThread = 0;
      int callbacksPerThread = 0;
      int cancelledCallbacksPerThread = 0;
      for (int i = 0; i < perThread; i++) {
        registeredPerThread += i % 2 == 0 && i % 3 != 2 ? 1 : 0;
        callbacksPerThread += i % 3 == 1 ? 1 : 0;
        cancelledCallbacksPerThread += i % 2 == 1 && i % 3 == 1 ? 1 : 0;
      }
      if (!throughValue) {
        assertEquals(
            THREADS * registeredPerThread,
            RuntimeInternals.childCount(parent),
            where + "live registered children");
      }
      assertEquals(
          THREADS * cancelledCallbacksPerThread,
          fired.get(),
          where + "callbacks of the children cancelled directly");
      for (CancellableContext c : kept) {
        GoConformanceSupport.assertLive(c, where + "kept child");
      }
      // Cancel half of the kept children concurrently with the parent.
      List<Callable<Void>> cancels = new ArrayList<>();
      for (int t = 0; t < THREADS - 1; t++) {
        int first = t;
        cancels.add(
            task(
                () -> {
                  for (int i = first; i < kept.size() / 2; i += THREADS - 1) {
                    kept.get(i).cancel();
                  }
                }));
      }
      Throwable cause = new RuntimeException("parent");
      cancels.add(task(() -> parent.cancel(cause)));
      runTogether(cancels);
      for (CancellableContext c : kept) {
        assertTrue(c.done().isDone(), where + "kept child after the parent's cancel");
      }
      for (int i = kept.size() / 2; i < kept.size(); i++) {
        assertSame(cause, Context.cause(kept.get(i)), where + "cause of a child");
      }
      assertEquals(THREADS * callbacksPerThread, fired.get(), where + "callbacks run");
      assertEquals(0, RuntimeInternals.childCount(parent), where + "parent's children");
      assertEquals(0, RuntimeInternals.childCount(from), where + "children of the value child");
    }
  }

  @Test
  void cancelledChildrenOfALiveParentLeaveNoRegistrationEvenThroughAValueChild() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    Context from = Context.withValue(parent, "k", "v");
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      tasks.add(
          task(
              () -> {
                for (int i = 0; i < 5000; i++) {
                  Context.withCancel(from).cancel();
                }
              }));
    }
    runTogether(tasks);
    assertEquals(0, RuntimeInternals.childCount(parent), "parent's children");
    assertEquals(0, RuntimeInternals.childCount(from), "value child's children");
    parent.cancel();
  }

  // ---- Registrations racing cancellation ------------------------------------------------------

  @Test
  void onDoneRemoveRacingCancel() throws Exception {
    for (int round = 0; round < 1000; round++) {
      CancellableContext ctx = Context.withCancel(Context.background());
      AtomicInteger runs = new AtomicInteger();
      Done.Registration reg = ctx.done().onDone(runs::incrementAndGet);
      List<Boolean> removed =
          runTogether(
              List.of(
                  () -> {
                    ctx.cancel();
                    return null;
                  },
                  reg::remove));
      String where = "round " + round + ": ";
      if (Boolean.TRUE.equals(removed.get(1))) {
        assertEquals(0, runs.get(), where + "remove() returned true but the callback ran");
      } else {
        assertEquals(1, runs.get(), where + "remove() returned false but the callback did not run");
      }
      assertEquals(0, RuntimeInternals.childCount(ctx), where + "registrations left");
      assertTrue(ctx.done().toFuture().isDone(), where + "toFuture()");
    }
  }

  @Test
  void callbacksRegisteredWhileCancellingRunExactlyOnce() throws Exception {
    for (int round = 0; round < 300; round++) {
      CancellableContext ctx = Context.withCancel(Context.background());
      AtomicInteger registered = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      Callable<Void> registrar =
          task(
              () -> {
                for (int i = 0; i < 50; i++) {
                  ctx.done().onDone(runs::incrementAndGet);
                  registered.incrementAndGet();
                }
              });
      runTogether(List.of(registrar, registrar, task(ctx::cancel)));
      assertEquals(registered.get(), runs.get(), "round " + round + ": callbacks that ran");
      awaitDone(ctx, "ctx");
    }
  }
}
