package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;

/**
 * Go's value and argument tests, items 14 and 15 of the Go conformance checklist ({@code
 * src/test/README.md} of this module): TestValues, TestWithValueChecksKey and
 * TestInvalidDerivedFail.
 */
final class GoConformanceValueTest {

  // Go: type key1 int; type key2 int; k1 = key1(1), k2 = key2(1), k3 = key2(3).
  private record Key1(int n) {}

  private record Key2(int n) {}

  private static final Key1 K1 = new Key1(1);
  private static final Key2 K2 = new Key2(1); // same int as K1, different type
  private static final Key2 K3 = new Key2(3); // same type as K2, different int

  private static void check(Context c, String name, String v1, String v2, String v3) {
    assertEquals(v1, c.value(K1), name + ".value(k1)");
    assertEquals(v2, c.value(K2), name + ".value(k2)");
    assertEquals(v3, c.value(K3), name + ".value(k3)");
    // Equal-by-value keys find the same entry: keys compare with equals, as Go's ==.
    assertEquals(v1, c.value(new Key1(1)), name + ".value(new Key1(1))");
    assertEquals(v3, c.value(new Key2(3)), name + ".value(new Key2(3))");
  }

  // ---- 14. Values ------------------------------------------------------------------------------

  @Test
  void values() {
    Context c0 = Context.background();
    check(c0, "c0", null, null, null);

    Context c1 = Context.withValue(Context.background(), K1, "c1k1");
    check(c1, "c1", "c1k1", null, null);
    String s1 = c1.toString();
    assertTrue(s1.contains(Context.background().toString()), "c1.toString() = " + s1);
    assertTrue(s1.toLowerCase(Locale.ROOT).contains("withvalue"), "c1.toString() = " + s1);

    Context c2 = Context.withValue(c1, K2, "c2k2");
    check(c2, "c2", "c1k1", "c2k2", null);
    assertTrue(c2.toString().contains(s1), "c2.toString() shows c1's: " + c2);

    Context c3 = Context.withValue(c2, K3, "c3k3");
    check(c3, "c3", "c1k1", "c2k2", "c3k3");

    Context c4 = Context.withValue(c3, K1, null);
    check(c4, "c4", null, "c2k2", "c3k3");
    assertNotNull(c4.toString());

    Context o0 = new Wrapper(Context.background());
    check(o0, "o0", null, null, null);

    Context o1 = new Wrapper(Context.withValue(Context.background(), K1, "c1k1"));
    check(o1, "o1", "c1k1", null, null);

    Context o2 = Context.withValue(o1, K2, "o2k2");
    check(o2, "o2", "c1k1", "o2k2", null);

    Context o3 = new Wrapper(c4);
    check(o3, "o3", null, "c2k2", "c3k3");

    Context o4 = Context.withValue(o3, K3, null);
    check(o4, "o4", null, "c2k2", null);
  }

  @Test
  void boxedKeysOfDifferentTypesAreDifferentKeys() {
    Context c = Context.withValue(Context.background(), 1, "int");
    c = Context.withValue(c, 1L, "long");
    c = Context.withValue(c, "1", "string");
    assertEquals("int", c.value(1));
    assertEquals("long", c.value(1L));
    assertEquals("string", c.value("1"));
    assertNull(c.value((short) 1));
  }

  @Test
  void valuesThroughCancellableAndDerivedContexts() {
    Context v = Context.withValue(Context.background(), K1, "v");
    CancellableContext c = Context.withCancel(v);
    CancellableContext t = Context.withTimeout(new Wrapper(c), Duration.ofHours(1));
    Context w = Context.withoutCancel(t);
    for (Context x : List.of(c, t, w, Context.withValue(w, K2, "w"))) {
      assertEquals("v", x.value(K1), x + ".value(k1)");
    }
    c.cancel();
    assertEquals("v", t.value(K1), "values stay readable after cancel");
    t.cancel();
  }

  @Test
  void innermostValueWins() {
    Context c = Context.background();
    for (int i = 0; i < 100; i++) {
      c = Context.withValue(c, K1, i);
      assertEquals(i, c.value(K1));
    }
    Context wrapped = new Wrapper(c);
    assertEquals(99, Context.withValue(wrapped, K2, "x").value(K1));
    assertEquals(-1, Context.withValue(wrapped, K1, -1).value(K1));
  }

  // ---- 15. Bad input ---------------------------------------------------------------------------

  private static void assertNpe(String argument, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call::run, argument);
    assertNotNull(e.getMessage(), "NPE for a null " + argument + " has no message");
    assertTrue(
        e.getMessage().toLowerCase(Locale.ROOT).contains(argument),
        "NPE for a null " + argument + " does not name it: " + e.getMessage());
  }

  @FunctionalInterface
  private interface Executable {
    void run() throws Throwable;
  }

  @Test
  void nullKeyFails() {
    assertNpe("key", () -> Context.withValue(Context.background(), null, "bar"));
  }

  @Test
  void nullParentFailsForEveryConstructor() {
    Duration d = Duration.ofSeconds(1);
    Instant i = Instant.now().plusSeconds(1);
    Throwable cause = new RuntimeException();
    assertNpe("parent", () -> Context.withCancel(null));
    assertNpe("parent", () -> Context.withTimeout(null, d));
    assertNpe("parent", () -> Context.withDeadline(null, i));
    assertNpe("parent", () -> Context.withTimeoutCause(null, d, cause));
    assertNpe("parent", () -> Context.withDeadlineCause(null, i, cause));
    assertNpe("parent", () -> Context.withValue(null, "foo", "bar"));
    assertNpe("parent", () -> Context.withoutCancel(null));
  }

  @Test
  void nullDurationDeadlineCallbackAndContextFail() {
    Context bg = Context.background();
    assertNpe("timeout", () -> Context.withTimeout(bg, null));
    assertNpe("timeout", () -> Context.withTimeoutCause(bg, null, new RuntimeException()));
    assertNpe("deadline", () -> Context.withDeadline(bg, null));
    assertNpe("deadline", () -> Context.withDeadlineCause(bg, null, new RuntimeException()));
    assertThrows(NullPointerException.class, () -> Context.afterFunc(bg, null));
    assertThrows(NullPointerException.class, () -> Context.afterFunc(null, () -> {}));
    assertThrows(NullPointerException.class, () -> Context.cause(null));
    assertThrows(NullPointerException.class, () -> bg.done().onDone(null));
  }

  @Test
  void aNullCauseIsAllowed() {
    CancellableContext t = Context.withTimeoutCause(Context.background(), Duration.ZERO, null);
    assertTrue(Context.cause(t) instanceof DeadlineExceededException, "cause " + Context.cause(t));
    CancellableContext d =
        Context.withDeadlineCause(Context.background(), Instant.now().minusSeconds(1), null);
    assertTrue(Context.cause(d) instanceof DeadlineExceededException, "cause " + Context.cause(d));
  }
}
