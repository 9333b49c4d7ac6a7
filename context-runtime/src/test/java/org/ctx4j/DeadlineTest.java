package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class DeadlineTest {
  private static final Duration GUARD = Duration.ofSeconds(10);

  @Test
  void timeoutFiresWithDeadlineExceededOnTheTimerThread() throws InterruptedException {
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(1));
    String[] thread = new String[1];
    ctx.done().onDone(() -> thread[0] = Thread.currentThread().getName());
    assertTrue(ctx.done().await(GUARD));
    assertInstanceOf(DeadlineExceededException.class, ctx.err());
    assertSame(ctx.err(), Context.cause(ctx));
    assertTrue(((DeadlineExceededException) ctx.err()).isTimeout());
    ctx.cancel();
    assertInstanceOf(DeadlineExceededException.class, ctx.err());
  }

  @Test
  void zeroNegativeAndPastDeadlinesAreBornExceeded() {
    for (CancellableContext ctx :
        new CancellableContext[] {
          Context.withTimeout(Context.background(), Duration.ZERO),
          Context.withTimeout(Context.background(), Duration.ofSeconds(-5)),
          Context.withDeadline(Context.background(), Instant.now().minusSeconds(1)),
          Context.withDeadline(Context.background(), Instant.MIN),
          Context.withTimeout(Context.background(), Duration.ofSeconds(Long.MIN_VALUE)),
        }) {
      assertInstanceOf(DeadlineExceededException.class, ctx.err());
      assertTrue(ctx.done().isDone());
      assertTrue(ctx.deadline().isPresent());
    }
  }

  @Test
  void hugeDeadlinesDoNotOverflow() {
    try (CancellableContext a =
            Context.withTimeout(Context.background(), Duration.ofSeconds(Long.MAX_VALUE));
        CancellableContext b = Context.withDeadline(Context.background(), Instant.MAX)) {
      assertNull(a.err());
      assertNull(b.err());
      assertEquals(Instant.MAX, b.deadline().orElseThrow());
    }
  }

  @Test
  void timeoutCauseIsUsedOnExpiryOnly() throws InterruptedException {
    Exception cause = new Exception("too slow");
    CancellableContext expired =
        Context.withTimeoutCause(Context.background(), Duration.ZERO, cause);
    assertInstanceOf(DeadlineExceededException.class, expired.err());
    assertSame(cause, Context.cause(expired));

    CancellableContext early =
        Context.withTimeoutCause(Context.background(), Duration.ofHours(1), cause);
    early.cancel();
    assertInstanceOf(CanceledException.class, early.err());
    assertSame(early.err(), Context.cause(early));

    CancellableContext later =
        Context.withDeadlineCause(Context.background(), Instant.now().plusMillis(1), cause);
    assertTrue(later.done().await(GUARD));
    assertInstanceOf(DeadlineExceededException.class, later.err());
    assertSame(cause, Context.cause(later));
  }

  @Test
  void stackedCauses() {
    Exception finishedEarly = new Exception("finished early");
    Exception tooSlow = new Exception("too slow");
    CancellableContext p1 = Context.withCancel(Context.background());
    CancellableContext t1 = Context.withTimeoutCause(p1, Duration.ZERO, finishedEarly);
    p1.cancel(tooSlow);
    assertInstanceOf(DeadlineExceededException.class, t1.err());
    assertSame(finishedEarly, Context.cause(t1));

    CancellableContext p2 = Context.withCancel(Context.background());
    CancellableContext t2 = Context.withTimeoutCause(p2, Duration.ofHours(1), tooSlow);
    p2.cancel(finishedEarly);
    assertInstanceOf(CanceledException.class, t2.err());
    assertSame(finishedEarly, Context.cause(t2));
  }

  @Test
  void theParentsEarlierDeadlineWinsAndTheChildGetsNoTimer() {
    try (CancellableContext parent =
        Context.withTimeout(Context.background(), Duration.ofHours(1))) {
      Instant parentDeadline = parent.deadline().orElseThrow();
      int before = RuntimeInternals.timerQueueSize();
      try (CancellableContext child = Context.withTimeout(parent, Duration.ofHours(2))) {
        assertEquals(parentDeadline, child.deadline().orElseThrow());
        assertEquals(before, RuntimeInternals.timerQueueSize());
        assertTrue(child.toString().endsWith(".withCancel"));
        Context value = Context.withValue(child, "k", "v");
        assertEquals(parentDeadline, value.deadline().orElseThrow());
        try (CancellableContext grandchild = Context.withCancel(value)) {
          assertEquals(parentDeadline, grandchild.deadline().orElseThrow());
        }
      }
      try (CancellableContext sooner = Context.withTimeout(parent, Duration.ofMinutes(1))) {
        assertTrue(sooner.deadline().orElseThrow().isBefore(parentDeadline));
      }
    }
  }

  @Test
  void cancelRemovesTheTimerAtOnce() {
    int before = RuntimeInternals.timerQueueSize();
    CancellableContext parent = Context.withTimeout(Context.background(), Duration.ofHours(1));
    CancellableContext[] children = new CancellableContext[100];
    for (int i = 0; i < children.length; i++) {
      children[i] = Context.withTimeout(parent, Duration.ofSeconds(60 + i));
    }
    assertEquals(before + 101, RuntimeInternals.timerQueueSize());
    children[0].cancel();
    assertEquals(before + 100, RuntimeInternals.timerQueueSize());
    parent.cancel();
    assertEquals(before, RuntimeInternals.timerQueueSize());
    for (CancellableContext c : children) {
      assertInstanceOf(CanceledException.class, c.err());
    }
  }

  @Test
  void backgroundHasNoDeadline() {
    assertFalse(Context.background().deadline().isPresent());
    assertFalse(Context.todo().deadline().isPresent());
    try (CancellableContext c = Context.withCancel(Context.background())) {
      assertFalse(c.deadline().isPresent());
    }
  }
}
