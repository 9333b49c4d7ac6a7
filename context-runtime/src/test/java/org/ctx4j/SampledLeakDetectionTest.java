package org.ctx4j;

import static org.ctx4j.LeakReports.awaitCollected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leak detection at level {@code sample}: a sampled context, of any kind, is handed out behind a
 * handle ({@link WatchedContext}); dropped, it is reported once its handle is unreachable (whatever
 * was derived from it), with its stack; cancelled, never, from any number of threads. Each test
 * takes the sampling ticket back ({@link LeakDetector#returnTicket()}) right before the context it
 * wants sampled.
 */
final class SampledLeakDetectionTest {
  private enum Key {
    TAG
  }

  private final LeakReports reports = new LeakReports();

  @BeforeEach
  void collectReports() {
    reports.start(LeakDetection.Level.SAMPLE);
  }

  @AfterEach
  void restore() {
    reports.stop();
  }

  /** A sampled child of {@code parent}, checked to be handed out behind a handle. */
  private static CancellableContext sampledChild(Context parent) {
    LeakDetector.returnTicket();
    return assertInstanceOf(WatchedContext.class, Context.withCancel(parent));
  }

  private static void leakSampledChildOfBackground() {
    LeakDetector.returnTicket();
    CancellableContext ctx = Context.withCancel(Context.background());
    assertInstanceOf(WatchedContext.class, ctx);
  }

  /**
   * A sampled child dropped under a value naming it: {@code ...withValue(TAG, name).withCancel}.
   */
  private static void leakSampledChild(String name) {
    CancellableContext unused =
        sampledChild(Context.withValue(Context.background(), Key.TAG, name));
  }

  @Test
  void aDroppedSampledChildOfBackgroundIsReportedWithWhereItWasCreated() throws Exception {
    leakSampledChildOfBackground();
    LeakReport r = reports.await(1).get(0);
    assertEquals(1, reports.size());
    assertEquals("CancellableContext", r.kind());
    assertEquals("Context.background.withCancel", r.context());
    assertEquals(Optional.empty(), r.deadline());
    assertTrue(r.sampled());
    StackTraceElement first = r.creationStack().get(0);
    assertEquals(SampledLeakDetectionTest.class.getName(), first.getClassName());
    assertEquals("leakSampledChildOfBackground", first.getMethodName());
    String text = r.toString();
    assertTrue(
        text.startsWith(
            "ctx4j leak: a CancellableContext became unreachable without cancel() or close() while"
                + " its context was live: Context.background.withCancel (no deadline: it ends only"
                + " when its parent does). End it on every path, for example with"
                + " try-with-resources. Found by sampling"),
        text);
    assertTrue(text.contains("Created at:" + System.lineSeparator() + "\tat " + first), text);
    assertEquals(0, RuntimeInternals.watchCount());
  }

  @Test
  void aSampledChildCancelledOrClosedIsNeverReportedAndLeavesNothingBehind() throws Exception {
    Context under = Context.withValue(Context.background(), Key.TAG, "cancelled");
    sampledChild(under).cancel();
    assertEquals(0, RuntimeInternals.watchCount()); // dismissed by its cancel at once
    sampledChild(under).close();
    sampledChild(under).cancel(new IllegalStateException("why"));
    CancellableContext twice = sampledChild(under);
    twice.cancel();
    twice.cancel();
    assertEquals(0, RuntimeInternals.watchCount());
    twice = null;
    leakSampledChild("sentinel"); // once it is reported, the collector has run
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    assertEquals("Context.background.withValue(TAG, sentinel).withCancel", got.get(0).context());
    assertNull(twice);
  }

  /** A sampled child, dropped, and a value context derived from it, returned. */
  private static Context dropKeepingADerivedContext() {
    CancellableContext dropped =
        sampledChild(Context.withValue(Context.background(), Key.TAG, "dropped"));
    Context.withCancel(dropped).cancel(); // a child that came and went keeps nothing
    return Context.withValue(dropped, Key.TAG, "derived");
  }

  @Test
  void aSampledChildIsReportedOnceItsHandleIsDroppedWhileAContextDerivedFromItLives()
      throws Exception {
    Context derived = dropKeepingADerivedContext(); // holds the node, not the handle
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    LeakReport r = got.get(0);
    assertEquals("Context.background.withValue(TAG, dropped).withCancel", r.context());
    assertEquals("dropKeepingADerivedContext", r.creationStack().get(1).getMethodName());
    assertEquals("derived", derived.value(Key.TAG));
    assertNull(derived.err()); // reported, not cancelled: the report changes nothing
  }

  @Test
  void sampledContextsOfEveryKindAreHandedOutBehindAHandle() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background()); // the ticket may be gone
    List<CancellableContext> all = new ArrayList<>();
    all.add(sampledChild(Context.todo()));
    all.add(sampledChild(Context.withValue(Context.background(), Key.TAG, "v")));
    all.add(sampledChild(Context.withoutCancel(parent)));
    all.add(sampledChild(Context.withValue(Context.withoutCancel(parent), Key.TAG, "v")));
    LeakDetector.returnTicket();
    all.add(assertInstanceOf(WatchedContext.class, Context.withCancel(parent)));
    LeakDetector.returnTicket();
    all.add(
        assertInstanceOf(
            WatchedContext.class, Context.withTimeout(Context.background(), Duration.ofHours(1))));
    assertEquals(
        "Context.background.withCancel.withoutCancel.withValue(TAG, v).withCancel",
        all.get(3).toString());
    parent.cancel(); // ends no child of a withoutCancel context
    for (int i = 0; i < 4; i++) {
      assertNull(all.get(i).err());
    }
    for (CancellableContext c : all) {
      c.cancel();
    }
    assertEquals(0, RuntimeInternals.watchCount());
    assertTrue(reports.isEmpty(), reports::toString);
  }

  private static void leakAtSampleThenTurnOff() {
    CancellableContext unused = sampledChild(Context.background());
    LeakDetection.setLevel(LeakDetection.Level.OFF);
  }

  @Test
  void aSampledContextStaysWatchedAfterTheLevelIsTurnedOff() throws Exception {
    CancellableContext cancelled = sampledChild(Context.background());
    LeakDetection.setLevel(LeakDetection.Level.OFF);
    assertInstanceOf(CancelContext.class, Context.withCancel(Context.background())).cancel();
    cancelled.cancel(); // still dismisses its watch
    assertEquals(0, RuntimeInternals.watchCount());
    LeakDetection.setLevel(LeakDetection.Level.SAMPLE);
    leakAtSampleThenTurnOff(); // still reported
    LeakReport r = reports.await(1).get(0);
    assertEquals("leakAtSampleThenTurnOff", r.creationStack().get(1).getMethodName());
  }

  private static void leakSampledGroup() {
    LeakDetector.returnTicket();
    TaskGroup group = TaskGroup.withContext(Context.background());
    assertFalse(group.context() instanceof WatchedContext); // the group is watched, not it
    assertEquals(1, RuntimeInternals.watchCount());
  }

  @Test
  void aSampledTaskGroupDroppedWithoutCloseOrAwaitIsReportedAsATaskGroup() throws Exception {
    leakSampledGroup();
    LeakDetector.returnTicket();
    TaskGroup closed = TaskGroup.withContext(Context.background());
    closed.close();
    closed = null;
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    LeakReport r = got.get(0);
    assertEquals("TaskGroup", r.kind());
    assertEquals("Context.background.withCancel", r.context());
    assertTrue(r.sampled());
    assertTrue(r.toString().contains("a TaskGroup became unreachable without close() or await()"));
    assertEquals("leakSampledGroup", r.creationStack().get(0).getMethodName());
    assertNull(closed);
  }

  @Test
  void aScopeListsASampledContextUntilItIsCancelled() {
    try (LeakDetection.Scope scope = LeakDetection.openScope()) {
      CancellableContext c = sampledChild(Context.background());
      List<LeakReport> live = scope.unfinished();
      assertEquals(1, live.size(), live::toString);
      assertEquals("Context.background.withCancel", live.get(0).context());
      assertEquals(
          "aScopeListsASampledContextUntilItIsCancelled",
          live.get(0).creationStack().get(1).getMethodName());
      c.cancel();
      assertEquals(List.of(), scope.unfinished());
      assertEquals(0, RuntimeInternals.watchCount());
    }
  }

  /**
   * Threads derive children of {@code background()} (under values saying what becomes of them) and
   * take the ticket back often, so that many are sampled: a third dropped (each sampled one must be
   * reported, once), a third cancelled by another thread than their creator, a third kept by a
   * derived context for a while and then cancelled (neither may be reported).
   */
  @Test
  void manyThreadsSampledChildrenOfBackgroundNoFalseReportNoLostOneNothingKept() {
    LeakDetector.recordStacks = false;
    int threads = 4;
    int perThread = 30_000;
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () -> {
          Context leakedUnder = Context.withValue(Context.background(), Key.TAG, "leaked");
          Context cancelledUnder = Context.withValue(Context.background(), Key.TAG, "cancelled");
          ConcurrentLinkedQueue<CancellableContext> handedOver = new ConcurrentLinkedQueue<>();
          AtomicInteger leakedSampled = new AtomicInteger();
          List<Thread> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Thread w =
                new Thread(
                    () -> {
                      List<Context> derived = new ArrayList<>();
                      List<CancellableContext> keptBy = new ArrayList<>();
                      for (int i = 0; i < perThread; i++) {
                        if (i % 2 == 0) {
                          LeakDetector.returnTicket();
                        }
                        switch (i % 3) {
                          case 0 -> {
                            CancellableContext c = Context.withCancel(leakedUnder);
                            if (c instanceof WatchedContext) {
                              leakedSampled.incrementAndGet();
                            }
                          }
                          case 1 -> {
                            CancellableContext c = Context.withCancel(cancelledUnder);
                            handedOver.add(c);
                            CancellableContext other = handedOver.poll();
                            if (other != null) {
                              other.cancel();
                            }
                          }
                          default -> {
                            CancellableContext c = Context.withCancel(cancelledUnder);
                            derived.add(Context.withValue(c, Key.TAG, "derived"));
                            keptBy.add(c);
                            if (keptBy.size() == 100) {
                              keptBy.forEach(CancellableContext::cancel);
                              keptBy.clear();
                              derived.clear();
                            }
                          }
                        }
                      }
                      keptBy.forEach(CancellableContext::cancel);
                    },
                    "sampled-leak-stress-" + t);
            workers.add(w);
            w.start();
          }
          for (Thread w : workers) {
            w.join();
          }
          for (CancellableContext c; (c = handedOver.poll()) != null; ) {
            c.cancel();
          }
          int expected = leakedSampled.get();
          assertTrue(expected > 0, "no context was sampled");
          awaitCollected(
              () -> reports.size() >= expected && RuntimeInternals.watchCount() == 0,
              () -> expected + " reports (have " + reports.size() + ") and no pending watch");
          Thread.sleep(100); // a late false report would come now
          long wrong = reports.stream().filter(r -> !r.context().contains("leaked")).count();
          assertEquals(0, wrong, "reports of contexts that were not leaked");
          assertEquals(expected, reports.size());
          assertEquals(0, RuntimeInternals.watchCount());
          assertTrue(reports.stream().allMatch(LeakReport::sampled));
        });
  }
}
