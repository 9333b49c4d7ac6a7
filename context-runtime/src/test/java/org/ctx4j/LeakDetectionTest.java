package org.ctx4j;

import static org.ctx4j.LeakReports.awaitCollected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leak detection at run time ({@link LeakDetection}): contexts dropped without a cancel are
 * reported once the garbage collector finds them, with their creation stack; cancelled contexts,
 * contexts ended with an ancestor and expired ones are not; the detector keeps nothing afterwards.
 * Each test waits for the collector in a bounded loop ({@code System.gc()} and a short sleep).
 */
final class LeakDetectionTest {
  private enum Key {
    TAG
  }

  private final LeakReports reports = new LeakReports();

  @BeforeEach
  void collectReports() {
    reports.start(LeakDetection.Level.ALL);
  }

  @AfterEach
  void restore() {
    reports.stop();
  }

  /** Creates a context and drops it: no frame keeps it once this returns. */
  private static void leakChildOfBackground() {
    CancellableContext ctx = Context.withCancel(Context.background());
    assertInstanceOf(WatchedContext.class, ctx);
  }

  private static void leakTimeout(Context parent, Duration timeout) {
    CancellableContext unused = Context.withTimeout(parent, timeout);
  }

  @Test
  void aDroppedChildOfBackgroundIsReportedWithWhereItWasCreated() throws Exception {
    leakChildOfBackground();
    LeakReport r = reports.await(1).get(0);
    assertEquals(1, reports.size());
    assertEquals("CancellableContext", r.kind());
    assertEquals("Context.background.withCancel", r.context());
    assertEquals(Optional.empty(), r.deadline());
    assertFalse(r.sampled());
    assertNotNull(r.creationStack());
    StackTraceElement first = r.creationStack().get(0);
    assertEquals(LeakDetectionTest.class.getName(), first.getClassName());
    assertEquals("leakChildOfBackground", first.getMethodName());
    String text = r.toString();
    assertTrue(text.startsWith("ctx4j leak: a CancellableContext became unreachable"), text);
    assertTrue(text.contains("\tat " + first), text);
    assertEquals(0, RuntimeInternals.watchCount());
  }

  @Test
  void aDroppedTimeoutIsReportedWithItsDeadline() throws Exception {
    Instant before = Instant.now();
    leakTimeout(Context.background(), Duration.ofHours(1));
    LeakReport r = reports.await(1).get(0);
    Instant deadline = r.deadline().orElseThrow();
    assertTrue(!deadline.isBefore(before.plus(Duration.ofHours(1))), deadline::toString);
    assertTrue(r.context().startsWith("Context.background.withDeadline("), r.context());
    assertEquals("leakTimeout", r.creationStack().get(0).getMethodName());
  }

  @Test
  void aContextLeakedUnderALiveParentIsReportedEvenWhenRegistered() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    try {
      leakRegistered(parent);
      leakTimeout(parent, Duration.ofHours(1)); // registered at once: its parent holds its node
      // The parent is watched too (and live): wait for the reports only.
      awaitCollected(() -> reports.size() >= 2, () -> "2 reports; have " + reports);
      List<LeakReport> got = List.copyOf(reports);
      assertEquals(2, got.size(), got::toString);
      assertEquals(2, RuntimeInternals.childCount(parent)); // the parent still holds both nodes
    } finally {
      parent.cancel();
    }
    assertEquals(0, RuntimeInternals.childCount(parent));
    assertEquals(0, RuntimeInternals.watchCount());
  }

  private static void leakRegistered(Context parent) {
    CancellableContext ctx = Context.withCancel(parent);
    ctx.done().onDone(() -> {}); // registers the node with its parent
  }

  private static void dropCancelled(int n) {
    for (int i = 0; i < n; i++) {
      CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofHours(1));
      if (i % 2 == 0) {
        ctx.cancel();
      } else {
        ctx.close();
      }
    }
  }

  @Test
  void cancelledContextsAreNeverReportedAndLeaveNothingBehind() throws Exception {
    dropCancelled(1000);
    assertEquals(0, RuntimeInternals.watchCount()); // dismissed by their cancel at once
    leakChildOfBackground(); // a sentinel: once it is reported, the collector has run
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    assertEquals("Context.background.withCancel", got.get(0).context());
  }

  @Test
  void contextsEndedWithAnAncestorOrTheirDeadlineAreNotLeaks() throws Exception {
    CancellableContext parent = Context.withCancel(Context.background());
    List<Context> children = new ArrayList<>();
    children.add(Context.withCancel(parent)); // unregistered: adopts the parent's end when asked
    children.add(Context.withTimeout(parent, Duration.ofHours(1))); // registered
    Context value = Context.withValue(parent, Key.TAG, "v");
    children.add(Context.withCancel(Context.withCancel(value))); // two levels below
    parent.cancel();
    children.clear(); // dropped after the parent ended: no report
    leakTimeout(Context.background(), Duration.ofNanos(1)); // expires (almost) at once
    CancellableContext expiring = Context.withTimeout(Context.background(), Duration.ofMillis(1));
    expiring.done().await();
    expiring = null;
    leakChildOfBackground(); // the sentinel
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    assertEquals("Context.background.withCancel", got.get(0).context());
    assertNull(expiring);
  }

  @Test
  void aWatchedContextBehavesAsTheContextItWraps() throws Exception {
    CancellableContext parent = Context.withTimeout(Context.background(), Duration.ofHours(1));
    assertInstanceOf(WatchedContext.class, parent);
    Context value = Context.withValue(parent, Key.TAG, "v");
    CancellableContext child = Context.withCancel(value);
    assertEquals("v", child.value(Key.TAG));
    assertEquals(parent.deadline(), child.deadline());
    assertTrue(parent.timeLeft().isPresent());
    assertSame(((WatchedContext) parent).node, ((BaseContext) value).parent);
    assertTrue(parent.toString().startsWith("Context.background.withDeadline("));
    AtomicInteger afterFuncs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    Context.afterFunc(
        parent,
        () -> {
          afterFuncs.incrementAndGet();
          ran.countDown();
        });
    Context detached = Context.withoutCancel(parent);
    IllegalStateException why = new IllegalStateException("why");
    parent.cancel(why);
    assertSame(why, Context.cause(parent));
    assertSame(why, Context.cause(child));
    assertInstanceOf(CanceledException.class, child.err());
    assertThrows(CanceledException.class, child::throwIfDone);
    assertNull(detached.err());
    assertTrue(ran.await(30, TimeUnit.SECONDS));
    assertEquals(1, afterFuncs.get());
    child.cancel();
    assertEquals(0, RuntimeInternals.watchCount());
    assertTrue(reports.isEmpty(), reports::toString);
  }

  private static void leakGroup() {
    TaskGroup group = TaskGroup.withContext(Context.background());
    assertFalse(group.context() instanceof WatchedContext);
  }

  @Test
  void aTaskGroupDroppedWithoutCloseOrAwaitIsReportedAsATaskGroup() throws Exception {
    leakGroup();
    TaskGroup closed = TaskGroup.withContext(Context.background());
    closed.close();
    TaskGroup awaited = TaskGroup.withContext(Context.background());
    awaited.go(ctx -> {});
    awaited.await();
    closed = null;
    awaited = null;
    List<LeakReport> got = reports.await(1);
    assertEquals(1, got.size(), got::toString);
    LeakReport r = got.get(0);
    assertEquals("TaskGroup", r.kind());
    assertEquals("Context.background.withCancel", r.context());
    assertTrue(r.toString().contains("a TaskGroup became unreachable without close() or await()"));
    assertEquals("leakGroup", r.creationStack().get(0).getMethodName());
    assertNull(closed);
    assertNull(awaited);
  }

  @Test
  void levelSampleWatchesOneContextPerInterval() throws Exception {
    LeakDetection.setLevel(LeakDetection.Level.SAMPLE);
    assertEquals(LeakDetection.Level.SAMPLE, LeakDetection.level());
    Thread.sleep(3 * LeakDetector.SAMPLE_INTERVAL_MILLIS); // the ticket is back
    CancellableContext sampled = Context.withCancel(Context.background());
    assertInstanceOf(WatchedContext.class, sampled);
    int unsampled = 0;
    for (int i = 0; i < 1000; i++) { // the ticket comes back an interval later: most are not
      CancellableContext next = Context.withCancel(Context.background());
      if (next instanceof CancelContext) {
        unsampled++;
      }
      next.cancel();
    }
    assertTrue(unsampled > 0);
    sampled = null;
    LeakReport r = reports.await(1).get(0);
    assertTrue(r.sampled());
    assertNotNull(r.creationStack());
    assertTrue(r.toString().contains("Found by sampling"), r::toString);
    assertNull(sampled);
  }

  @Test
  void levelOffWatchesNothing() {
    LeakDetection.setLevel(LeakDetection.Level.OFF);
    assertEquals(LeakDetection.Level.OFF, LeakDetection.level());
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofHours(1));
    assertInstanceOf(TimerContext.class, ctx);
    ctx.cancel();
    assertEquals(0, RuntimeInternals.watchCount());
    assertThrows(NullPointerException.class, () -> LeakDetection.setLevel(null));
    assertEquals("sample", LeakDetection.Level.SAMPLE.propertyValue());
  }

  @Test
  void withoutAHandlerReportsGoToTheOrgCtx4jLoggerAtWarning() throws Exception {
    LeakDetection.setHandler(null);
    Logger logger = Logger.getLogger("org.ctx4j");
    ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(h);
    try {
      leakChildOfBackground();
      awaitCollected(() -> !records.isEmpty(), () -> "a log record");
      LogRecord r = records.peek();
      assertEquals(java.util.logging.Level.WARNING, r.getLevel());
      assertTrue(r.getMessage().contains("Context.background.withCancel"), r::getMessage);
      assertTrue(r.getMessage().contains("leakChildOfBackground"), r::getMessage);
    } finally {
      logger.removeHandler(h);
    }
  }

  @Test
  void aHandlerThatThrowsStopsNoLaterReport() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LeakDetection.setHandler(
        r -> {
          reports.add(r);
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("a handler's bug");
          }
        });
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {}); // keep the expected trace quiet
    try {
      leakChildOfBackground();
      reports.await(1);
      leakChildOfBackground();
      reports.await(2);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void thePropertyNamesTheLevelAndABadValueFallsBackToTheDefault() {
    String before = System.getProperty(LeakDetection.PROPERTY);
    try {
      System.setProperty(LeakDetection.PROPERTY, " All ");
      assertEquals(LeakDetection.Level.ALL, LeakDetection.Level.fromProperty());
      System.setProperty(LeakDetection.PROPERTY, "sample");
      assertEquals(LeakDetection.Level.SAMPLE, LeakDetection.Level.fromProperty());
      System.setProperty(LeakDetection.PROPERTY, "paranoid");
      assertEquals(LeakDetection.DEFAULT, LeakDetection.Level.fromProperty());
      System.clearProperty(LeakDetection.PROPERTY);
      assertEquals(LeakDetection.Level.OFF, LeakDetection.Level.fromProperty());
    } finally {
      if (before == null) {
        System.clearProperty(LeakDetection.PROPERTY);
      } else {
        System.setProperty(LeakDetection.PROPERTY, before);
      }
    }
  }

  @Test
  void aScopeListsItsLiveContextsAtAnyLevelAndNestedScopesRestoreTheOuterOne() throws Exception {
    LeakDetection.setLevel(LeakDetection.Level.OFF);
    try (LeakDetection.Scope outer = LeakDetection.openScope()) {
      CancellableContext a = Context.withCancel(Context.background());
      try (LeakDetection.Scope inner = LeakDetection.openScope()) {
        CancellableContext b = Context.withTimeout(a, Duration.ofHours(1));
        CancellableContext excluded = Context.withCancel(Context.background());
        inner.exclude(excluded);
        Thread t = new Thread(() -> Context.withCancel(b).getClass());
        t.start();
        t.join();
        List<LeakReport> live = inner.unfinished();
        assertEquals(2, live.size(), live::toString); // b, and b's child from the thread
        assertTrue(live.get(0).context().startsWith("Context.background.withCancel.withDeadline("));
        assertEquals(
            "aScopeListsItsLiveContextsAtAnyLevelAndNestedScopesRestoreTheOuterOne",
            live.get(0).creationStack().get(0).getMethodName());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other =
            new Thread(
                () -> {
                  try {
                    inner.close();
                  } catch (Throwable x) {
                    thrown.set(x);
                  }
                });
        other.start();
        other.join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("on the thread that opened it"));
        excluded.cancel();
      }
      CancellableContext c = Context.withCancel(Context.background());
      List<LeakReport> live = outer.unfinished();
      assertEquals(
          List.of("Context.background.withCancel", "Context.background.withCancel"),
          live.stream().map(LeakReport::context).toList()); // a and c; b was the inner scope's
      a.cancel();
      c.cancel();
      assertEquals(List.of(), outer.unfinished()); // b ended with a
    }
    CancellableContext after = Context.withCancel(Context.background());
    after.cancel();
  }

  /**
   * Many threads derive contexts from shared parents and drop them: a third leaked under a live
   * parent (each must be reported, once), a third cancelled by their owner, a third dropped after
   * their parent ended (neither may be reported). A million contexts in all, without creation
   * stacks (each stack costs microseconds and hundreds of bytes until processed).
   */
  @Test
  void aMillionContextsFromManyThreadsNoFalseReportNoLostOneNothingKept() {
    LeakDetector.recordStacks = false;
    int threads = 4;
    int perThread = 250_000;
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () -> {
          Context leakedUnder = Context.withValue(Context.background(), Key.TAG, "leaked");
          Context cancelledUnder = Context.withValue(Context.background(), Key.TAG, "cancelled");
          AtomicInteger leaked = new AtomicInteger();
          List<Thread> workers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Thread w =
                new Thread(
                    () -> {
                      CancellableContext group = Context.withCancel(cancelledUnder);
                      List<CancellableContext> inGroup = new ArrayList<>();
                      for (int i = 0; i < perThread; i++) {
                        switch (i % 3) {
                          case 0 -> {
                            CancellableContext unused =
                                i % 2 == 0
                                    ? Context.withCancel(leakedUnder)
                                    : Context.withTimeout(leakedUnder, Duration.ofHours(1));
                            leaked.incrementAndGet();
                          }
                          case 1 ->
                              Context.withTimeout(cancelledUnder, Duration.ofHours(1)).close();
                          default -> {
                            inGroup.add(Context.withCancel(group));
                            if (inGroup.size() == 1000) {
                              group.cancel(); // the children end with it; then they are dropped
                              inGroup.clear();
                              group = Context.withCancel(cancelledUnder);
                            }
                          }
                        }
                      }
                      group.cancel();
                    },
                    "leak-stress-" + t);
            workers.add(w);
            w.start();
          }
          for (Thread w : workers) {
            w.join();
          }
          int expected = leaked.get();
          awaitCollected(
              () -> reports.size() >= expected && RuntimeInternals.watchCount() == 0,
              () -> expected + " reports (have " + reports.size() + ") and no pending watch");
          Thread.sleep(100); // a late false report would come now
          long wrong = reports.stream().filter(r -> !r.context().contains("leaked")).count();
          assertEquals(0, wrong, "reports of contexts that were not leaked");
          assertEquals(expected, reports.size());
          assertEquals(0, RuntimeInternals.watchCount());
          assertNull(reports.peek().creationStack());
        });
  }
}
