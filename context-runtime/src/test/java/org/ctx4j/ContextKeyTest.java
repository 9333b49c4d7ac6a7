package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import org.ctx4j.GoConformanceSupport.Wrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link ContextKey}: typed values, identity, defaults, wrong types and bad input. */
final class ContextKeyTest {
  private static final ContextKey<String> REQUEST_ID = ContextKey.of("requestId", String.class);
  private static final ContextKey<Integer> MAX_ROWS =
      ContextKey.withDefault("maxRows", Integer.class, 100);

  private static void npe(String name, Executable call) {
    assertEquals(name, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void withAndGetRoundTripAndAbsentIsNull() {
    Context bg = Context.background();
    assertNull(REQUEST_ID.get(bg), "absent");
    Context ctx = REQUEST_ID.with(bg, "r-17");
    assertEquals("r-17", REQUEST_ID.get(ctx));
    assertSame(ctx.value(REQUEST_ID), REQUEST_ID.get(ctx), "the key is the raw key too");
    assertNull(REQUEST_ID.get(bg), "the parent is untouched");
  }

  @Test
  void readThroughEveryKindOfContext() {
    Context ctx = REQUEST_ID.with(Context.background(), "r-1");
    try (CancellableContext c = Context.withCancel(ctx);
        CancellableContext t = Context.withTimeout(new Wrapper(c), Duration.ofHours(1))) {
      Context deep = t;
      for (int i = 0; i < 1000; i++) {
        deep = Context.withValue(deep, "k" + i, i);
      }
      for (Context x : List.of(c, new Wrapper(c), t, Context.withoutCancel(t), deep)) {
        assertEquals("r-1", REQUEST_ID.get(x), String.valueOf(x));
      }
      t.cancel();
      assertEquals("r-1", REQUEST_ID.get(deep), "values stay readable after cancel");
    }
  }

  @Test
  void keysAreComparedByIdentityNotByName() throws Exception {
    ContextKey<String> twin = ContextKey.of("requestId", String.class);
    assertNotEquals(REQUEST_ID, twin);
    Context ctx = REQUEST_ID.with(Context.background(), "mine");
    assertNull(twin.get(ctx), "a key with the same name reads nothing");
    Context both = twin.with(ctx, "theirs");
    assertEquals("mine", REQUEST_ID.get(both));
    assertEquals("theirs", twin.get(both));
    // Object's equals and hashCode, not overridden, and the class cannot be subclassed to do so.
    assertEquals(
        Object.class, ContextKey.class.getMethod("equals", Object.class).getDeclaringClass());
    assertEquals(Object.class, ContextKey.class.getMethod("hashCode").getDeclaringClass());
    assertTrue(Modifier.isFinal(ContextKey.class.getModifiers()), "ContextKey is final");
    assertEquals(System.identityHashCode(REQUEST_ID), REQUEST_ID.hashCode());
  }

  @Test
  void innermostValueWinsAndNullHidesIt() {
    Context outer = REQUEST_ID.with(Context.background(), "outer");
    Context inner = REQUEST_ID.with(outer, "inner");
    assertEquals("inner", REQUEST_ID.get(inner));
    Context hidden = REQUEST_ID.with(inner, null);
    assertNull(REQUEST_ID.get(hidden), "a null value hides the outer one");
    assertNull(REQUEST_ID.get(Context.withValue(hidden, "other", 1)), "and in its children");
    assertEquals("inner", REQUEST_ID.get(Context.withValue(inner, "other", 1)), "not in siblings");
  }

  @Test
  void defaultValue() {
    Context bg = Context.background();
    assertEquals(100, MAX_ROWS.get(bg), "absent: the default");
    Context ctx = MAX_ROWS.with(bg, 5);
    assertEquals(5, MAX_ROWS.get(ctx));
    assertEquals(100, MAX_ROWS.get(MAX_ROWS.with(ctx, null)), "a null value: the default");
    assertNull(ctx.value(ContextKey.of("maxRows", Integer.class)));
  }

  @Test
  void toStringIsTheNameAndContextsPrintIt() {
    assertEquals("requestId", REQUEST_ID.toString());
    Context ctx = REQUEST_ID.with(Context.background(), "r-17");
    assertEquals("Context.background.withValue(requestId, r-17)", ctx.toString());
  }

  @Test
  void aValueOfTheWrongTypeStoredUntypedMakesGetThrowNamingTheKey() {
    Context ctx = Context.withValue(Context.background(), REQUEST_ID, 42);
    ClassCastException e = assertThrows(ClassCastException.class, () -> REQUEST_ID.get(ctx));
    assertEquals(
        "context key requestId holds a java.lang.Integer, not a java.lang.String", e.getMessage());
    // Through a chain and a user-written context as well.
    Context deep = new Wrapper(Context.withValue(Context.withCancel(ctx), "k", "v"));
    assertThrows(ClassCastException.class, () -> REQUEST_ID.get(deep));
    // The raw value is still there for whoever asks untyped.
    assertEquals(42, deep.value(REQUEST_ID));
    // And on a key with a default: the wrong value is not silently replaced by the default.
    Context rows = Context.withValue(Context.background(), MAX_ROWS, "many");
    assertThrows(ClassCastException.class, () -> MAX_ROWS.get(rows));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void theTypedWithRejectsAWrongValueSmuggledInByAnUncheckedCast() {
    ContextKey raw = REQUEST_ID;
    ClassCastException e =
        assertThrows(ClassCastException.class, () -> raw.with(Context.background(), 42));
    assertTrue(e.getMessage().contains("requestId"), e.getMessage());
  }

  @Test
  void subtypesPrimitivesAndGenerics() {
    ContextKey<CharSequence> text = ContextKey.of("text", CharSequence.class);
    Context ctx = text.with(Context.background(), new StringBuilder("sb"));
    assertEquals("sb", text.get(ctx).toString());
    assertEquals("s", text.get(text.with(ctx, "s")));

    ContextKey<Integer> count = ContextKey.of("count", int.class);
    assertEquals(3, count.get(count.with(Context.background(), 3)), "int.class stands for Integer");
    assertEquals(7L, ContextKey.withDefault("n", long.class, 7L).get(Context.background()));

    ContextKey<List<String>> ids = ContextKey.of("ids", List.class);
    assertEquals(List.of("a"), ids.get(ids.with(Context.background(), List.of("a"))));
    Context wrong = Context.withValue(Context.background(), ids, "not a list");
    assertThrows(ClassCastException.class, () -> ids.get(wrong));
  }

  @Test
  void aDefaultOfTheWrongTypeIsRejected() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Executable make = () -> ContextKey.withDefault("n", (Class) Integer.class, "ten");
    ClassCastException e = assertThrows(ClassCastException.class, make);
    assertEquals(
        "default value of context key n is a java.lang.String, not a java.lang.Integer",
        e.getMessage());
  }

  @Test
  void nullArgumentsAreNamed() {
    npe("name", () -> ContextKey.of(null, String.class));
    npe("type", () -> ContextKey.of("k", null));
    npe("name", () -> ContextKey.withDefault(null, String.class, "d"));
    npe("type", () -> ContextKey.withDefault("k", null, "d"));
    npe("defaultValue", () -> ContextKey.withDefault("k", String.class, null));
    npe("parent", () -> REQUEST_ID.with(null, "v"));
    npe("ctx", () -> REQUEST_ID.get(null));
  }
}
