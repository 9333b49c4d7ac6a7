package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class ToStringTest {
  private enum Key {
    REQUEST_ID
  }

  private static final class Opaque {}

  @Test
  void rootsPrintDifferently() {
    assertEquals("Context.background", Context.background().toString());
    assertEquals("Context.todo", Context.todo().toString());
    assertNotEquals(Context.background().toString(), Context.todo().toString());
  }

  @Test
  void showsTheDerivationChain() {
    Instant at = Instant.parse("2999-01-01T00:00:00Z");
    try (CancellableContext c = Context.withCancel(Context.todo());
        CancellableContext d =
            Context.withDeadline(Context.withValue(c, Key.REQUEST_ID, "r-17"), at)) {
      Context v = Context.withoutCancel(Context.withValue(d, "opaque", new Opaque()));
      String s = v.toString();
      assertTrue(
          s.startsWith(
              "Context.todo.withCancel.withValue(REQUEST_ID, r-17).withDeadline(2999-01-01T00:00:00Z ["),
          s);
      assertTrue(
          s.endsWith("]).withValue(opaque, org.ctx4j.ToStringTest$Opaque).withoutCancel"), s);
      assertTrue(
          Context.withValue(Context.background(), Key.REQUEST_ID, null)
              .toString()
              .endsWith("(REQUEST_ID, null)"));
    }
  }

  @Test
  void userContextsPrintThemselves() {
    UserContextTest.Wrapper anonymous = new UserContextTest.Wrapper(Context.background());
    assertEquals(
        UserContextTest.Wrapper.class.getName() + ".withCancel",
        Context.withCancel(anonymous).toString());
  }

  @Test
  void durationsPrintAsGoDoes() {
    assertEquals("0s", ContextFactories.formatDuration(0));
    assertEquals("1.5s", ContextFactories.formatDuration(1_500_000_000L));
    assertEquals("250ms", ContextFactories.formatDuration(250_000_000L));
    assertEquals("-3µs", ContextFactories.formatDuration(-3_000L));
    assertEquals("12ns", ContextFactories.formatDuration(12));
    assertEquals(
        "1h2m3.5s", ContextFactories.formatDuration(Duration.ofMillis(3_723_500).toNanos()));
    assertEquals("2m0s", ContextFactories.formatDuration(Duration.ofMinutes(2).toNanos()));
  }
}
