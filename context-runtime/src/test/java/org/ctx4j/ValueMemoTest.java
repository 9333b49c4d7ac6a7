package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The one-entry lookup memo of runtime contexts (see {@code BaseContext}): it never changes an
 * answer. The first key found on a context is memoized; other keys, answers that come from a
 * user-written ancestor (which may change), and a concurrent first lookup all still get the right
 * value.
 */
final class ValueMemoTest {
  private static final Object A = new Object();
  private static final Object B = new Object();
  private static final Object C = new Object();

  /** A user-written, never-done context whose values can change over time. */
  private static final class Mutable implements Context {
    final Map<Object, Object> values = new ConcurrentHashMap<>();

    @Override
    public Optional<Instant> deadline() {
      return Optional.empty();
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
      return values.get(key);
    }
  }

  @Test
  void everyKeyIsAnsweredRightAfterTheFirstOneIsMemoized() {
    Context root = Context.withValue(Context.withValue(Context.background(), A, "a"), B, "b");
    for (Context c :
        new Context[] {
          Context.withValue(root, C, "c"),
          Context.withCancel(root),
          Context.withTimeout(root, Duration.ofHours(1)),
          Context.withoutCancel(root),
        }) {
      for (int i = 0; i < 3; i++) { // A memoized first, then the others through the trie
        assertEquals("a", c.value(A), c.toString());
        assertEquals("b", c.value(B), c.toString());
        assertNull(c.value(new Object()), c.toString());
        assertEquals("a", c.value(A), c.toString());
      }
    }
  }

  @Test
  void aMissingKeyMemoizedAsNullStaysRightForOtherKeys() {
    Context c = Context.withValue(Context.withValue(Context.background(), A, "a"), B, "b");
    Object absent = new Object();
    assertNull(c.value(absent));
    assertNull(c.value(absent));
    assertEquals("a", c.value(A));
    assertEquals("b", c.value(B));
  }

  @Test
  void answersOfAUserWrittenAncestorAreNeverMemoized() {
    Mutable user = new Mutable();
    Context child = Context.withCancel(Context.withValue(user, B, "b"));
    assertNull(child.value(A)); // asked of the user context: nothing yet
    user.values.put(A, "a1");
    assertEquals("a1", child.value(A));
    user.values.put(A, "a2");
    assertEquals("a2", child.value(A));
    assertEquals("b", child.value(B));
    user.values.put(B, "hidden"); // the runtime context's own value still wins
    assertEquals("b", child.value(B));
  }

  /**
   * Two threads make the first lookup of one key on a fresh context at the same moment, many
   * thousands of times: the one that fills the memo and the one that may read it half-filled must
   * both get the value (a memo published key-first fails within a thousand rounds or so).
   */
  @Test
  void twoThreadsMakingTheFirstLookupAtOnceBothGetTheValue() throws Exception {
    Context base = Context.withValue(Context.withValue(Context.background(), A, "a"), B, "b");
    int ran =
        TwoThreadRace.run(
            100_000,
            Duration.ofSeconds(3),
            () -> Context.withCancel(base),
            c -> c.value(A),
            (mine, theirs, round) -> {
              assertSame("a", mine, "round " + round);
              assertSame("a", theirs, "round " + round);
            });
    System.out.println("[ValueMemoTest] first-lookup race: " + ran + " rounds");
  }
}
