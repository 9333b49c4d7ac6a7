package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.QUIESCENT;
import static org.ctx4j.GoConformanceSupport.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Go's TestCause table, TestCauseRace and the cause rules: items 16 to 21 of the Go conformance
 * checklist ({@code src/test/README.md} of this module). Item 22 (user-written contexts) is in
 * {@link GoConformanceCustomContextTest}.
 *
 * <p>Where Go expects the sentinel {@code Canceled} or {@code DeadlineExceeded} as a cause, Java
 * expects an instance of {@link CanceledException} or {@link DeadlineExceededException}; where Go
 * expects a cause the test supplied, Java expects that very object.
 */
final class GoConformanceCauseTest {

  private static final Duration FOREVER = Duration.ofSeconds(1_000_000);
  private static final Throwable PARENT_CAUSE = new RuntimeException("parentCause");
  private static final Throwable CHILD_CAUSE = new RuntimeException("childCause");
  private static final Throwable TOO_SLOW = new RuntimeException("tooSlow");
  private static final Throwable FINISHED_EARLY = new RuntimeException("finishedEarly");

  /** What a row of the table expects: null, an error type, or one exact cause object. */
  private record Want(Class<? extends ContextDoneException> type, Throwable exact) {
    static final Want NONE = new Want(null, null);
    static final Want CANCELED = new Want(CanceledException.class, null);
    static final Want DEADLINE = new Want(DeadlineExceededException.class, null);

    static Want exactly(Throwable t) {
      return new Want(null, t);
    }

    void check(Object got, String what) {
      if (exact != null) {
        assertSame(exact, got, what);
      } else if (type != null) {
        assertInstanceOf(type, got, what);
      } else {
        assertNull(got, what);
      }
    }
  }

  private record Row(String name, Supplier<Context> ctx, Want err, Want cause) {}

  private static List<Row> table() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("Background", Context::background, Want.NONE, Want.NONE));
    rows.add(new Row("TODO", Context::todo, Want.NONE, Want.NONE));
    rows.add(
        new Row(
            "WithCancel",
            () -> {
              CancellableContext c = Context.withCancel(Context.background());
              c.cancel();
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "WithCancelCause",
            () -> {
              CancellableContext c = Context.withCancel(Context.background());
              c.cancel(PARENT_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.exactly(PARENT_CAUSE)));
    rows.add(
        new Row(
            "WithCancelCause nil",
            () -> {
              CancellableContext c = Context.withCancel(Context.background());
              c.cancel(null);
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "parent cause before child",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              p.cancel(PARENT_CAUSE);
              c.cancel(CHILD_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.exactly(PARENT_CAUSE)));
    rows.add(
        new Row(
            "parent cause after child",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              c.cancel(CHILD_CAUSE);
              p.cancel(PARENT_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.exactly(CHILD_CAUSE)));
    rows.add(
        new Row(
            "parent cause before nil",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              p.cancel(PARENT_CAUSE);
              c.cancel();
              return c;
            },
            Want.CANCELED,
            Want.exactly(PARENT_CAUSE)));
    rows.add(
        new Row(
            "parent cause after nil",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              c.cancel();
              p.cancel(PARENT_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "child cause after nil",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              p.cancel();
              c.cancel(CHILD_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "child cause before nil",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withCancel(p);
              c.cancel(CHILD_CAUSE);
              p.cancel();
              return c;
            },
            Want.CANCELED,
            Want.exactly(CHILD_CAUSE)));
    rows.add(
        new Row(
            "parent cause through a value child and a wrapper",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c =
                  Context.withCancel(
                      new GoConformanceSupport.Wrapper(Context.withValue(p, "k", "v")));
              p.cancel(PARENT_CAUSE);
              c.cancel(CHILD_CAUSE);
              return c;
            },
            Want.CANCELED,
            Want.exactly(PARENT_CAUSE)));
    rows.add(
        new Row(
            "value child of a parent cancelled with a cause",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              Context v = Context.withValue(p, "k", "v");
              p.cancel(PARENT_CAUSE);
              return v;
            },
            Want.CANCELED,
            Want.exactly(PARENT_CAUSE)));
    rows.add(
        new Row(
            "WithTimeout",
            () -> {
              CancellableContext c = Context.withTimeout(Context.background(), Duration.ZERO);
              c.cancel();
              return c;
            },
            Want.DEADLINE,
            Want.DEADLINE));
    rows.add(
        new Row(
            "WithTimeout canceled",
            () -> {
              CancellableContext c = Context.withTimeout(Context.background(), FOREVER);
              c.cancel();
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "WithTimeoutCause",
            () -> {
              CancellableContext c =
                  Context.withTimeoutCause(Context.background(), Duration.ZERO, TOO_SLOW);
              c.cancel();
              return c;
            },
            Want.DEADLINE,
            Want.exactly(TOO_SLOW)));
    rows.add(
        new Row(
            "WithTimeoutCause canceled",
            () -> {
              CancellableContext c =
                  Context.withTimeoutCause(Context.background(), FOREVER, TOO_SLOW);
              c.cancel();
              return c;
            },
            Want.CANCELED,
            Want.CANCELED));
    rows.add(
        new Row(
            "WithTimeoutCause canceled with a cause",
            () -> {
              CancellableContext c =
                  Context.withTimeoutCause(Context.background(), FOREVER, TOO_SLOW);
              c.cancel(FINISHED_EARLY);
              return c;
            },
            Want.CANCELED,
            Want.exactly(FINISHED_EARLY)));
    rows.add(
        new Row(
            "WithDeadlineCause in the past",
            () ->
                Context.withDeadlineCause(
                    Context.background(), Instant.now().minusSeconds(1), TOO_SLOW),
            Want.DEADLINE,
            Want.exactly(TOO_SLOW)));
    rows.add(
        new Row(
            "WithTimeoutCause stacked",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withTimeoutCause(p, Duration.ZERO, TOO_SLOW);
              p.cancel(FINISHED_EARLY);
              return c;
            },
            Want.DEADLINE,
            Want.exactly(TOO_SLOW)));
    rows.add(
        new Row(
            "WithTimeoutCause stacked canceled",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              CancellableContext c = Context.withTimeoutCause(p, FOREVER, TOO_SLOW);
              p.cancel(FINISHED_EARLY);
              return c;
            },
            Want.CANCELED,
            Want.exactly(FINISHED_EARLY)));
    rows.add(
        new Row(
            "WithoutCancel",
            () -> Context.withoutCancel(Context.background()),
            Want.NONE,
            Want.NONE));
    rows.add(
        new Row(
            "WithoutCancel canceled",
            () -> {
              CancellableContext p = Context.withCancel(Context.background());
              Context c = Context.withoutCancel(p);
              p.cancel(FINISHED_EARLY);
              return c;
            },
            Want.NONE,
            Want.NONE));
    rows.add(
        new Row(
            "WithoutCancel timeout",
            () -> {
              CancellableContext p =
                  Context.withTimeoutCause(Context.background(), Duration.ZERO, TOO_SLOW);
              Context c = Context.withoutCancel(p);
              p.cancel();
              return c;
            },
            Want.NONE,
            Want.NONE));
    return rows;
  }

  // ---- 16 to 20. The table ---------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> causeTable() {
    return table().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.name(),
                    () -> {
                      Context ctx = row.ctx().get();
                      row.err().check(ctx.err(), row.name() + ": err()");
                      row.cause().check(Context.cause(ctx), row.name() + ": cause()");
                      if (row.err().type() != null) {
                        assertTrue(ctx.done().isDone(), row.name() + ": done() has not fired");
                      }
                    }));
  }

  @Test
  void causeWithoutOwnCauseIsTheContextsOwnError() {
    CancellableContext c = Context.withCancel(Context.background());
    c.cancel();
    assertSame(c.err(), Context.cause(c), "cause of a plain cancel is err()");
    CancellableContext t = Context.withTimeout(Context.background(), Duration.ZERO);
    assertSame(t.err(), Context.cause(t), "cause of an expired timeout is err()");
  }

  @Test
  void theFirstCauseWins() {
    CancellableContext c = Context.withCancel(Context.background());
    c.cancel(PARENT_CAUSE);
    c.cancel(CHILD_CAUSE);
    c.cancel();
    c.close();
    assertSame(PARENT_CAUSE, Context.cause(c));
    assertInstanceOf(CanceledException.class, c.err());
  }

  @Test
  void causeIsNullWhileActive() {
    CancellableContext c = Context.withTimeoutCause(Context.background(), FOREVER, TOO_SLOW);
    assertNull(Context.cause(c));
    assertNull(Context.cause(Context.withValue(c, "k", "v")));
    assertNull(Context.cause(new GoConformanceSupport.Wrapper(c)));
    c.cancel();
  }

  @Test
  void aTimeoutCauseIsUsedOnExpiryOnly() {
    CancellableContext c =
        Context.withTimeoutCause(Context.background(), GoConformanceSupport.SHORT, TOO_SLOW);
    GoConformanceSupport.assertDeadlineExceeded(c, "withTimeoutCause");
    assertSame(TOO_SLOW, Context.cause(c), "cause after expiry");
    CancellableContext child = Context.withCancel(c);
    assertSame(TOO_SLOW, Context.cause(child), "cause of a child born after expiry");
    child.cancel();
  }

  // ---- 21. Cause race --------------------------------------------------------------------

  @Test
  void causeRace() throws InterruptedException {
    for (int round = 0; round < 200; round++) {
      Throwable cause = new RuntimeException("causeRace " + round);
      CancellableContext ctx = Context.withCancel(Context.background());
      Context child = Context.withValue(ctx, "k", "v");
      Thread t = new Thread(() -> ctx.cancel(cause));
      t.start();
      long deadline = System.nanoTime() + QUIESCENT.toNanos();
      while (true) {
        // Poll cause, rather than waiting for done, to test that the cause is published safely.
        Throwable got = Context.cause(ctx);
        Throwable gotChild = Context.cause(child);
        if (gotChild != null) {
          assertSame(cause, gotChild, "round " + round + ": cause of the child");
        }
        if (got != null) {
          assertSame(cause, got, "round " + round + ": cause");
          break;
        }
        if (System.nanoTime() > deadline) {
          fail("cause never became visible");
        }
        Thread.onSpinWait();
      }
      join(t);
      assertSame(cause, Context.cause(child), "round " + round + ": cause of the child after");
      assertEquals(0, RuntimeInternals.childCount(ctx));
    }
  }
}
