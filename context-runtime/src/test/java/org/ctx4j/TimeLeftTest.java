package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * {@link Context#timeLeft()}: empty without a deadline, zero once it has passed, never negative,
 * for runtime and user-written contexts. Bounds are generous: they check the arithmetic, not the
 * machine's speed.
 */
final class TimeLeftTest {
  private static final Duration HOUR = Duration.ofHours(1);

  /** Asserts {@code hi - slack <= left <= hi}. */
  private static void assertAbout(Duration hi, Optional<Duration> left, String what) {
    assertTrue(left.isPresent(), what + ": empty");
    Duration d = left.get();
    assertFalse(d.compareTo(hi) > 0, what + ": " + d + " > " + hi);
    assertFalse(d.compareTo(hi.minusMinutes(1)) < 0, what + ": " + d + " far below " + hi);
  }

  @Test
  void emptyWithoutADeadline() {
    Context bg = Context.background();
    try (CancellableContext c = Context.withCancel(bg)) {
      for (Context x :
          List.of(
              bg,
              Context.todo(),
              c,
              Context.withValue(c, "k", "v"),
              new Wrapper(c),
              Context.withCancel(new Wrapper(c)))) {
        assertEquals(Optional.empty(), x.timeLeft(), String.valueOf(x));
      }
      c.cancel();
      assertEquals(Optional.empty(), c.timeLeft(), "a cancelled context without a deadline");
    }
    try (CancellableContext t = Context.withTimeout(bg, HOUR)) {
      assertEquals(Optional.empty(), Context.withoutCancel(t).timeLeft(), "withoutCancel");
    }
  }

  @Test
  void whatIsLeftOfADeadlineOwnOrInherited() {
    try (CancellableContext t = Context.withTimeout(Context.background(), HOUR);
        CancellableContext child = Context.withCancel(t);
        CancellableContext later = Context.withTimeout(t, HOUR.multipliedBy(5));
        CancellableContext throughWrapper = Context.withCancel(new Wrapper(t))) {
      assertAbout(HOUR, t.timeLeft(), "withTimeout");
      assertAbout(HOUR, child.timeLeft(), "withCancel child");
      assertAbout(HOUR, Context.withValue(t, "k", "v").timeLeft(), "value child");
      assertAbout(HOUR, later.timeLeft(), "a child asking for a later deadline gets the parent's");
      assertAbout(HOUR, new Wrapper(t).timeLeft(), "a user-written wrapper, from its deadline()");
      assertAbout(HOUR, throughWrapper.timeLeft(), "a runtime child of a wrapper");
      Instant at = Instant.now().plus(HOUR);
      try (CancellableContext d = Context.withDeadline(Context.background(), at)) {
        assertAbout(HOUR, d.timeLeft(), "withDeadline");
      }
    }
  }

  @Test
  void zeroWhenThePastDeadlineIsAlreadyThere() {
    Context bg = Context.background();
    for (CancellableContext c :
        List.of(
            Context.withTimeout(bg, Duration.ZERO),
            Context.withTimeout(bg, Duration.ofNanos(-1)),
            Context.withTimeout(bg, Duration.ofDays(-365)),
            Context.withDeadline(bg, Instant.now().minusSeconds(10)),
            Context.withDeadline(bg, Instant.MIN))) {
      assertEquals(Optional.of(Duration.ZERO), c.timeLeft(), String.valueOf(c));
      assertEquals(Optional.of(Duration.ZERO), Context.withCancel(c).timeLeft(), "its child");
      c.cancel();
    }
  }

  @Test
  void neverNegativeAndZeroOnceTheTimerHasFired() {
    for (int round = 0; round < 20; round++) {
      CancellableContext c = Context.withTimeout(Context.background(), Duration.ofMillis(2));
      CancellableContext child = Context.withCancel(c);
      Context value = Context.withValue(child, "k", "v");
      while (c.err() == null) {
        Duration left = value.timeLeft().orElseThrow();
        assertFalse(left.isNegative(), "round " + round + ": " + left);
      }
      // The runtime expires a context on the same monotonic clock timeLeft() reads: once the timer
      // has fired, every context sharing the deadline reports zero.
      assertInstanceOf(DeadlineExceededException.class, c.err());
      for (Context x : List.of(c, child, value)) {
        assertEquals(Optional.of(Duration.ZERO), x.timeLeft(), "round " + round + ": " + x);
      }
      child.cancel();
    }
  }

  @Test
  void cancellingBeforeTheDeadlineKeepsTheTimeThatWasLeft() {
    CancellableContext c = Context.withTimeout(Context.background(), HOUR);
    c.cancel();
    assertInstanceOf(CanceledException.class, c.err());
    assertAbout(HOUR, c.timeLeft(), "cancelled before its deadline");
  }

  @Test
  void farFutureDeadlinesDoNotOverflow() {
    Context bg = Context.background();
    try (CancellableContext max = Context.withDeadline(bg, Instant.MAX);
        CancellableContext huge = Context.withTimeout(bg, Duration.ofSeconds(Long.MAX_VALUE))) {
      for (Context x : List.of(max, huge)) {
        Duration left = x.timeLeft().orElseThrow();
        assertTrue(left.compareTo(Duration.ofDays(365L * 70)) > 0, x + ": " + left);
      }
    }
    Duration user = new FixedDeadline(Instant.MAX).timeLeft().orElseThrow();
    assertTrue(user.compareTo(Duration.ofDays(365L * 1_000_000)) > 0, "user Instant.MAX: " + user);
    assertEquals(
        Optional.of(Duration.ZERO), new FixedDeadline(Instant.MIN).timeLeft(), "user Instant.MIN");
  }

  @Test
  void userWrittenContexts() {
    assertAbout(HOUR, new FixedDeadline(Instant.now().plus(HOUR)).timeLeft(), "user, ahead");
    assertEquals(
        Optional.of(Duration.ZERO),
        new FixedDeadline(Instant.now().minusSeconds(1)).timeLeft(),
        "user, passed");
    assertEquals(Optional.empty(), new FixedDeadline(null).timeLeft(), "user, no deadline");
    assertEquals(
        Optional.empty(), new NullDeadline().timeLeft(), "user whose deadline() returns null");
    // A runtime child of a user-written context: converted to the monotonic clock once.
    FixedDeadline user = new FixedDeadline(Instant.now().plus(HOUR));
    try (CancellableContext child = Context.withCancel(user)) {
      assertAbout(HOUR, child.timeLeft(), "runtime child of a user context");
      assertAbout(HOUR, Context.withValue(user, "k", "v").timeLeft(), "value child of a user one");
    }
  }

  /** A user-written context with a fixed deadline (or none) that never ends by itself. */
  private static final class FixedDeadline implements Context {
    private final Instant deadline;

    FixedDeadline(Instant deadline) {
      this.deadline = deadline;
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.ofNullable(deadline);
    }

    @Override
    public Done done() {
      return Context.background().done();
    }

    @Override
    public ContextDoneException err() {
      return null;
    }

    @Override
    public Object value(Object key) {
      return null;
    }
  }

  /** A careless user-written context whose {@code deadline()} returns null. */
  private static final class NullDeadline implements Context {
    @Override
    @SuppressWarnings("NullOptional")
    public Optional<Instant> deadline() {
      return null;
    }

    @Override
    public Done done() {
      return Context.background().done();
    }

    @Override
    public ContextDoneException err() {
      return null;
    }

    @Override
    public Object value(Object key) {
      return null;
    }
  }
}
