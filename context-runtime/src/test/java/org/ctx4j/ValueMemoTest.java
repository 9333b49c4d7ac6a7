package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
   * both get the value (a memo published key-first would hand out null).
   */
  @Test
  void twoThreadsMakingTheFirstLookupAtOnceBothGetTheValue() throws Exception {
    int rounds = 100_000;
    Context base = Context.withValue(Context.withValue(Context.background(), A, "a"), B, "b");
    AtomicReference<Context> slot = new AtomicReference<>();
    AtomicReference<Object> seen = new AtomicReference<>();
    Object none = new Object();
    Thread worker =
        new Thread(
            () -> {
              for (int i = 0; i < rounds; i++) {
                Context c;
                for (int spins = 1; (c = slot.getAndSet(null)) == null; spins++) {
                  if ((spins & 1023) == 0) {
                    Thread.yield();
                  } else {
                    Thread.onSpinWait();
                  }
                }
                Object v = c.value(A);
                seen.set(v == null ? none : v);
              }
            },
            "memo-worker");
    worker.setDaemon(true);
    worker.start();
    long deadline = System.nanoTime() + GoConformanceSupport.QUIESCENT.toNanos();
    for (int i = 0; i < rounds; i++) {
      Context c = Context.withCancel(base);
      slot.set(c);
      Object mine = c.value(A);
      Object theirs;
      while ((theirs = seen.getAndSet(null)) == null) {
        Thread.yield();
        if (System.nanoTime() > deadline) {
          fail("worker stuck in round " + i);
        }
      }
      assertSame("a", mine, "round " + i);
      assertSame("a", theirs, "round " + i);
      ((CancellableContext) c).cancel();
    }
    worker.join(GoConformanceSupport.QUIESCENT.toMillis());
  }
}
