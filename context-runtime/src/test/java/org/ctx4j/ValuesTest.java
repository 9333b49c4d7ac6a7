package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class ValuesTest {
  private enum Key {
    A,
    B
  }

  /** Equal hash codes, different keys: exercises the trie's collision nodes. */
  private static final class Colliding {
    final int id;

    Colliding(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      return 42;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Colliding && ((Colliding) o).id == id;
    }
  }

  @Test
  void lookupThroughTheChainAndOverrides() {
    Context c1 = Context.withValue(Context.background(), Key.A, "a1");
    Context c2 = Context.withValue(c1, Key.B, "b");
    Context c3 = Context.withValue(c2, Key.A, "a3");
    assertEquals("a1", c1.value(Key.A));
    assertNull(c1.value(Key.B));
    assertEquals("a1", c2.value(Key.A));
    assertEquals("b", c2.value(Key.B));
    assertEquals("a3", c3.value(Key.A));
    assertNull(Context.background().value(Key.A));
  }

  @Test
  void nullValueHidesAnOuterOne() {
    Context outer = Context.withValue(Context.background(), Key.A, "a");
    Context inner = Context.withValue(Context.withCancel(outer), Key.A, null);
    assertNull(inner.value(Key.A));
    assertEquals("a", outer.value(Key.A));
  }

  @Test
  void keysEqualByValueButOfDifferentTypesDiffer() {
    Context c = Context.withValue(Context.withValue(Context.background(), 1, "int"), 1L, "long");
    assertEquals("int", c.value(1));
    assertEquals("long", c.value(1L));
    assertNull(c.value((short) 1));
  }

  @Test
  void valuesSurviveEveryKindOfDerivedContext() {
    Context c = Context.withValue(Context.background(), Key.A, "a");
    c = Context.withCancel(c);
    c = Context.withTimeout(c, java.time.Duration.ofHours(1));
    c = Context.withoutCancel(c);
    c = Context.withValue(c, Key.B, "b");
    assertEquals("a", c.value(Key.A));
    assertEquals("b", c.value(Key.B));
  }

  @Test
  void collidingHashes() {
    Context c = Context.background();
    for (int i = 0; i < 20; i++) {
      c = Context.withValue(c, new Colliding(i), i);
    }
    c = Context.withValue(c, new Colliding(3), "replaced");
    for (int i = 0; i < 20; i++) {
      assertEquals(i == 3 ? "replaced" : i, c.value(new Colliding(i)));
    }
    assertNull(c.value(new Colliding(99)));
  }

  @Test
  void randomChainsAgreeWithAMap() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      Map<Object, Object> expected = new HashMap<>();
      Context c = Context.background();
      for (int i = 0; i < 300; i++) {
        Object key = random.nextInt(200);
        Object value = random.nextInt(10) == 0 ? null : "v" + i;
        switch (random.nextInt(4)) {
          case 0:
            c = Context.withCancel(c);
            break;
          case 1:
            c = Context.withoutCancel(c);
            break;
          default:
            c = Context.withValue(c, key, value);
            expected.put(key, value);
        }
      }
      for (int k = 0; k < 220; k++) {
        assertEquals(expected.get(k), c.value(k), "key " + k);
      }
    }
  }

  /**
   * A value context makes the trie its children start from only when the first child is derived; it
   * answers the same before and after, and so do its children, for keys equal but not identical
   * too.
   */
  @Test
  void aValueContextAnswersTheSameBeforeAndAfterItsFirstChild() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      List<Context> chain = new ArrayList<>();
      List<Map<Object, Object>> expected = new ArrayList<>();
      Context c = Context.background();
      Map<Object, Object> map = new HashMap<>();
      for (int i = 0; i < 40; i++) {
        int k = 1000 + random.nextInt(30); // boxed anew each time: equal, not identical
        Object value = random.nextInt(8) == 0 ? null : "v" + i;
        if (random.nextInt(5) == 0) {
          c = Context.withCancel(c);
        } else {
          c = Context.withValue(c, k, value);
          map = new HashMap<>(map);
          map.put(k, value);
        }
        chain.add(c);
        expected.add(map);
      }
      for (int i = 0; i < chain.size(); i++) {
        Context x = chain.get(i);
        Map<Object, Object> m = expected.get(i);
        Context child = Context.withValue(x, "other", "o"); // a second child of x
        for (int k = 1000; k < 1030; k++) {
          assertEquals(m.get(k), x.value(Integer.valueOf(k)), "round " + round + " ctx " + i);
          assertEquals(m.get(k), child.value(Integer.valueOf(k)), "child of ctx " + i);
        }
      }
    }
  }

  /**
   * The first value of a chain (over a root, a cancellable or a {@code withoutCancel} context with
   * no value above it) is a smaller object than the others: it must answer exactly as they do, and
   * so must everything derived from it.
   */
  @Test
  void theFirstValueOfAChainAnswersAsAnyValueContext() {
    CancellableContext cancellable = Context.withCancel(Context.background());
    CancellableContext timeout = Context.withTimeout(Context.background(), Duration.ofHours(1));
    List<Context> parents =
        List.of(
            Context.background(),
            Context.todo(),
            cancellable,
            timeout,
            Context.withoutCancel(cancellable),
            Context.withCancel(Context.withoutCancel(Context.background())));
    for (Context parent : parents) {
      Context c = Context.withValue(parent, 1000, "v"); // 1000: a new Integer on every boxing
      String where = "over " + parent;
      assertEquals("v", c.value(1000), where);
      assertNull(c.value(1001), where);
      assertNull(c.value(1000L), where);
      assertThrows(NullPointerException.class, () -> c.value(null), where);
      assertSame(parent.err(), c.err(), where);
      assertSame(parent.done(), c.done(), where);
      assertEquals(parent.deadline(), c.deadline(), where);
      assertTrue(c.toString().endsWith(".withValue(1000, v)"), where); // a deadline prints anew

      Context second = Context.withValue(c, Key.A, "a");
      Context cancelChild = Context.withCancel(c);
      Context valueUnderCancel = Context.withValue(cancelChild, Key.B, "b");
      for (Context d : List.of(second, cancelChild, valueUnderCancel)) {
        assertEquals("v", d.value(1000), where);
        assertNull(d.value(1001), where);
      }
      assertEquals("a", second.value(Key.A), where);
      assertEquals("b", valueUnderCancel.value(Key.B), where);
      assertNull(Context.withValue(c, 1000, null).value(1000), "a null value hides it " + where);
    }

    assertEquals(
        "Context.background.withValue(1000, v)",
        Context.withValue(Context.background(), 1000, "v").toString());
    Context hidden = Context.withValue(Context.background(), 1000, null);
    assertNull(hidden.value(1000));
    assertEquals("w", Context.withValue(hidden, Key.A, "w").value(Key.A));

    RuntimeException cause = new RuntimeException("why");
    Context c = Context.withValue(cancellable, Key.A, "a");
    CancellableContext child = Context.withCancel(c);
    assertNull(Context.cause(c));
    cancellable.cancel(cause);
    assertSame(cause, Context.cause(c));
    assertSame(cause, Context.cause(child));
    assertTrue(child.done().isDone());
    assertSame(cancellable.err(), child.err());
    timeout.cancel();
  }

  @Test
  void deepValueChainLooksUpEveryKey() {
    Context c = Context.background();
    int depth = 200_000;
    for (int i = 0; i < depth; i++) {
      c = Context.withValue(c, i, i);
    }
    for (int i = 0; i < depth; i += 997) {
      assertEquals(i, c.value(i));
    }
    assertNull(c.value(-1));
  }

  /** A key that breaks the contract of {@code equals}: not even equal to itself. */
  private static final class SelfUnequalKey {
    @Override
    @SuppressWarnings("EqualsHashCode") // the identity hash is kept on purpose
    public boolean equals(Object o) {
      return false;
    }
  }

  @Test
  void aKeyThatIsNotEqualToItselfIsStillFoundByIdentity() {
    // As java.util.HashMap finds such a key: identity first, then equals.
    Object first = new SelfUnequalKey();
    Object second = new SelfUnequalKey();
    Object third = new SelfUnequalKey();
    Context root = Context.withValue(Context.background(), first, "first");
    Context two = Context.withValue(root, second, "second");
    Context three = Context.withValue(two, third, "third");
    try (CancellableContext child = Context.withCancel(three)) {
      for (Context c : List.of(three, child)) {
        assertEquals("first", c.value(first)); // in the trie
        assertEquals("second", c.value(second));
        assertEquals("first", c.value(first)); // now memoized
      }
      assertEquals("third", three.value(third)); // the context's own key
      assertEquals("third", child.value(third));
      assertEquals("first", root.value(first)); // the first value of a chain
      assertNull(root.value(second));
    }
  }

  /** A key with a chosen hash code, equal to another by id and hash. */
  private record HashedKey(int id, int hash) {
    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HashedKey k && k.id == id && k.hash == hash;
    }
  }

  /**
   * Every shape of trie path a lookup can take: hashes that share their lowest 0 to 35 bits with
   * one another (so entries sit at every level from the first to the seventh, and equal hashes end
   * in a collision node), looked up present and absent, through equal but not identical keys too.
   */
  @Test
  void everyLevelOfTheTrieAnswersLikeAMap() {
    Random random = new Random(5);
    int base = 0x5a3c_96e1;
    for (int round = 0; round < 200; round++) {
      Map<Object, Object> expected = new HashMap<>();
      Values trie = Values.EMPTY;
      Context c = Context.background();
      List<HashedKey> keys = new ArrayList<>();
      int size = 1 + random.nextInt(round < 100 ? 40 : 400);
      for (int i = 0; i < size; i++) {
        // flips one 2-bit group at a random level of base: the keys share the bits below it
        int hash = base ^ (random.nextInt(4) << (5 * random.nextInt(7)));
        HashedKey key = new HashedKey(random.nextInt(size * 2), hash);
        Object value = random.nextInt(10) == 0 ? null : "v" + i;
        keys.add(key);
        expected.put(key, value);
        trie = trie.put(key, value);
        c = Context.withValue(c, key, value);
      }
      for (HashedKey key : keys) {
        HashedKey equal = new HashedKey(key.id, key.hash);
        assertEquals(expected.get(key), trie.get(equal), "trie, " + key);
        assertEquals(expected.get(key), c.value(equal), "context, " + key);
      }
      for (int i = 0; i < 50; i++) {
        HashedKey absent =
            new HashedKey(-1 - i, base ^ (random.nextInt(4) << (5 * random.nextInt(7))));
        assertSame(Values.MISSING, trie.get(absent), "trie, " + absent);
        assertNull(c.value(absent), "context, " + absent);
      }
    }
  }
}
