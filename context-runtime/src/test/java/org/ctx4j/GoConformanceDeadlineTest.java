package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.SHORT;
import static org.ctx4j.GoConformanceSupport.VERY_LONG;
import static org.ctx4j.GoConformanceSupport.assertCanceledNow;
import static org.ctx4j.GoConformanceSupport.assertDeadline;
import static org.ctx4j.GoConformanceSupport.assertDeadlineExceeded;
import static org.ctx4j.GoConformanceSupport.assertLive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * Go's deadline tests, items 10 to 13 of the Go conformance checklist ({@code src/test/README.md}
 * of this module): TestDeadline, TestTimeout, TestCanceledTimeout, the earlier-deadline-wins rule,
 * and TestDeadlineExceededSupportsTimeout.
 */
final class GoConformanceDeadlineTest {

  private static void assertShowsDeadline(Context c) {
    String s = c.toString().toLowerCase(Locale.ROOT);
    assertTrue(s.contains(Context.background().toString().toLowerCase(Locale.ROOT)), s);
    assertTrue(s.contains("deadline") || s.contains("timeout"), "toString(): " + s);
  }

  // ---- 10. Deadlines fire ----------------------------------------------------------------------

  @Test
  void deadline() {
    CancellableContext c = Context.withDeadline(Context.background(), Instant.now().plus(SHORT));
    assertShowsDeadline(c);
    assertDeadlineExceeded(c, "withDeadline");

    c = Context.withDeadline(Context.background(), Instant.now().plus(SHORT));
    assertDeadlineExceeded(new Wrapper(c), "withDeadline + wrapper");

    c = Context.withDeadline(Context.background(), Instant.now().plus(SHORT));
    CancellableContext c2 = Context.withDeadline(new Wrapper(c), Instant.now().plus(VERY_LONG));
    assertDeadlineExceeded(c2, "withDeadline + wrapper + withDeadline");
    c2.cancel();

    c = Context.withDeadline(Context.background(), Instant.now().minus(SHORT));
    assertTrue(c.done().isDone(), "a deadline in the past is done at once");
    assertDeadlineExceeded(c, "withDeadline in the past");

    c = Context.withDeadline(Context.background(), Instant.now());
    assertDeadlineExceeded(c, "withDeadline now");
  }

  @Test
  void timeout() {
    CancellableContext c = Context.withTimeout(Context.background(), SHORT);
    assertShowsDeadline(c);
    assertDeadlineExceeded(c, "withTimeout");

    c = Context.withTimeout(Context.background(), SHORT);
    assertDeadlineExceeded(new Wrapper(c), "withTimeout + wrapper");

    c = Context.withTimeout(Context.background(), SHORT);
    CancellableContext c2 = Context.withTimeout(new Wrapper(c), VERY_LONG);
    assertDeadlineExceeded(c2, "withTimeout + wrapper + withTimeout");
    c2.cancel();
  }

  @Test
  void zeroAndNegativeTimeoutsAreDoneAtOnce() {
    for (Duration d : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-1)}) {
      CancellableContext c = Context.withTimeout(Context.background(), d);
      assertTrue(c.done().isDone(), "withTimeout(" + d + ") is done at construction");
      assertInstanceOf(DeadlineExceededException.class, c.err(), "withTimeout(" + d + ")");
      assertInstanceOf(DeadlineExceededException.class, Context.cause(c));
      assertTrue(c.deadline().isPresent(), "withTimeout(" + d + ").deadline()");
      c.cancel();
      assertInstanceOf(DeadlineExceededException.class, c.err(), "cancel after expiry");
    }
  }

  @Test
  void deadlineChildOfExpiredParentIsDoneWithParentsError() {
    CancellableContext parent = Context.withTimeout(Context.background(), Duration.ZERO);
    CancellableContext child = Context.withCancel(parent);
    assertTrue(child.done().isDone(), "born done");
    assertInstanceOf(DeadlineExceededException.class, child.err());
    CancellableContext child2 = Context.withTimeout(parent, VERY_LONG);
    assertInstanceOf(DeadlineExceededException.class, child2.err());
    child.cancel();
    child2.cancel();
  }

  @Test
  void farFutureDeadlinesAndTimeoutsWork() {
    // Go accepts any time.Time; Java must not overflow converting to the monotonic clock.
    CancellableContext a = Context.withDeadline(Context.background(), Instant.MAX);
    CancellableContext b =
        Context.withTimeout(Context.background(), Duration.ofSeconds(Long.MAX_VALUE));
    CancellableContext c =
        Context.withDeadline(
            Context.background(), Instant.now().plus(Duration.ofDays(365L * 10_000)));
    for (CancellableContext x : new CancellableContext[] {a, b, c}) {
      assertLive(x, "far-future deadline");
      assertTrue(x.deadline().isPresent(), "deadline()");
      x.cancel();
      assertCanceledNow(x, "cancelled far-future deadline");
    }
    assertDeadline(a, Instant.MAX, "withDeadline(Instant.MAX)");
  }

  // ---- 11. Cancelling a child of a wrapped timeout ------------------------------------------

  @Test
  void canceledTimeout() {
    CancellableContext c = Context.withTimeout(Context.background(), Duration.ofSeconds(1));
    Wrapper o = new Wrapper(c);
    CancellableContext c2 = Context.withTimeout(o, VERY_LONG);
    c2.cancel(); // must propagate synchronously
    assertCanceledNow(c2, "cancelled child of a wrapped timeout");
    assertFalse(
        c.err() instanceof CanceledException, "cancelling the child reached the wrapped parent");
    c.cancel();
  }

  // ---- 12. The earlier deadline wins -------------------------------------------------------

  @Test
  void earlierParentDeadlineWins() {
    Instant parentDeadline = Instant.now().plus(Duration.ofHours(1));
    CancellableContext parent = Context.withDeadline(Context.background(), parentDeadline);
    assertDeadline(parent, parentDeadline, "parent");

    int timersBefore = RuntimeInternals.timerQueueSize();
    CancellableContext later = Context.withDeadline(parent, parentDeadline.plusSeconds(3600));
    int timersAfter = RuntimeInternals.timerQueueSize();
    assertDeadline(later, parentDeadline, "child asking for a later deadline");
    assertTrue(
        timersAfter <= timersBefore,
        "a child whose parent's deadline is earlier got a timer of its own: "
            + timersBefore
            + " -> "
            + timersAfter);
    assertLive(later, "child");

    CancellableContext laterTimeout = Context.withTimeout(parent, Duration.ofHours(5));
    assertDeadline(laterTimeout, parentDeadline, "withTimeout child asking for a later deadline");

    // Through a value context and a wrapper.
    CancellableContext throughValue =
        Context.withDeadline(
            new Wrapper(Context.withValue(parent, "k", "v")), parentDeadline.plusSeconds(1));
    assertDeadline(throughValue, parentDeadline, "through a value context and a wrapper");
    assertDeadline(Context.withValue(parent, "k", "v"), parentDeadline, "a value child");

    Instant earlier = parentDeadline.minusSeconds(1800);
    CancellableContext sooner = Context.withDeadline(parent, earlier);
    assertDeadline(sooner, earlier, "child asking for an earlier deadline");

    for (CancellableContext c :
        new CancellableContext[] {later, laterTimeout, throughValue, sooner}) {
      c.cancel();
    }
    parent.cancel();
    assertEquals(0, RuntimeInternals.childCount(parent));
  }

  @Test
  void timeoutReportsADeadlineNearNowPlusTimeout() {
    Instant before = Instant.now();
    CancellableContext c = Context.withTimeout(Context.background(), Duration.ofHours(2));
    Instant after = Instant.now();
    Instant d = c.deadline().orElseThrow();
    // Generous bounds: a sanity check of the arithmetic, not a timing assertion.
    assertFalse(d.isBefore(before.plus(Duration.ofHours(2)).minusSeconds(60)), "deadline " + d);
    assertFalse(d.isAfter(after.plus(Duration.ofHours(2)).plusSeconds(60)), "deadline " + d);
    c.cancel();
  }

  @Test
  void aDeadlineFiresTheWholeSubtree() {
    CancellableContext root = Context.withTimeout(Context.background(), SHORT);
    CancellableContext a = Context.withCancel(root);
    Context b = Context.withValue(a, "k", "v");
    CancellableContext c = Context.withTimeout(new Wrapper(b), VERY_LONG);
    assertDeadlineExceeded(c, "grandchild of an expiring timeout");
    assertInstanceOf(DeadlineExceededException.class, a.err());
    assertInstanceOf(DeadlineExceededException.class, b.err());
    assertEquals(0, RuntimeInternals.childCount(root));
    c.cancel();
    a.cancel();
  }

  // ---- 13. DeadlineExceeded is a timeout -----------------------------------------------------

  @Test
  void deadlineExceededSupportsTimeout() {
    CancellableContext c = Context.withTimeout(Context.background(), Duration.ZERO);
    ContextDoneException err = c.err();
    assertInstanceOf(DeadlineExceededException.class, err);
    assertTrue(((DeadlineExceededException) err).isTimeout());
    assertFalse(err instanceof CanceledException);
    assertInstanceOf(CancellationException.class, err);
    assertEquals("context deadline exceeded", err.getMessage());
    assertEquals("context canceled", new CanceledException().getMessage());
    assertNotEquals(new CanceledException().getClass(), new DeadlineExceededException().getClass());
  }
}
