package org.ctx4j;

import static org.ctx4j.GoConformanceSupport.assertLive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Go's TestWithoutCancel and the withoutCancel rows of TestCause: items 20 and 23 of the Go
 * conformance checklist ({@code src/test/README.md} of this module).
 */
final class GoConformanceWithoutCancelTest {

  private enum Key {
    K
  }

  @Test
  void withoutCancel() throws InterruptedException {
    Context ctx = Context.withValue(Context.background(), Key.K, "value");
    ctx = Context.withoutCancel(ctx);
    assertEquals(Optional.empty(), ctx.deadline(), "deadline()");
    assertFalse(ctx.done().isDone(), "done()");
    assertFalse(ctx.done().await(Duration.ofMillis(1)), "done().await(1ms)");
    assertNull(ctx.err(), "err()");
    assertNull(Context.cause(ctx), "cause()");
    assertEquals("value", ctx.value(Key.K), "value()");
  }

  @Test
  void withoutCancelDropsTheParentsDeadlineErrorAndCause() {
    CancellableContext parent =
        Context.withTimeoutCause(
            Context.withValue(Context.background(), Key.K, "v"),
            Duration.ofHours(1),
            new RuntimeException("tooSlow"));
    Context detached = Context.withoutCancel(parent);
    assertEquals(Optional.empty(), detached.deadline(), "the parent's deadline shows through");
    CancellableContext child = Context.withCancel(detached);
    assertEquals(0, RuntimeInternals.childCount(parent), "a detached child registered in parent");

    parent.cancel(new RuntimeException("finishedEarly"));
    assertLive(detached, "withoutCancel over a cancelled parent");
    assertLive(child, "a child of withoutCancel over a cancelled parent");
    assertEquals("v", detached.value(Key.K), "values stay");
    assertEquals("v", child.value(Key.K), "values stay in the child");
    child.cancel();
  }

  @Test
  void withoutCancelOverADoneParentIsLive() {
    CancellableContext expired = Context.withTimeout(Context.background(), Duration.ZERO);
    Context d = Context.withoutCancel(expired);
    assertLive(d, "withoutCancel over an expired parent");
    CancellableContext child = Context.withTimeout(d, Duration.ofHours(1));
    assertLive(child, "a timeout child of withoutCancel over an expired parent");
    child.cancel();
  }
}
