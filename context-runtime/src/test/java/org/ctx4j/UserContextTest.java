package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** User-written {@link Context} implementations as parents and in the middle of chains. */
final class UserContextTest {
  private enum Key {
    A,
    USER
  }

  /** A wrapper that delegates everything and adds one value: Go's {@code myCtx{Context}}. */
  static class Wrapper implements Context {
    final Context inner;

    Wrapper(Context inner) {
      this.inner = inner;
    }

    @Override
    public Optional<Instant> deadline() {
      return inner.deadline();
    }

    @Override
    public Done done() {
      return inner.done();
    }

    @Override
    public ContextDoneException err() {
      return inner.err();
    }

    @Override
    public Object value(Object key) {
      return key == Key.USER ? "user" : inner.value(key);
    }
  }

  /** A context with its own done signal, built on a runtime context it does not expose. */
  static final class Own implements Context {
    private final CancellableContext signal = Context.withCancel(Context.background());

    void cancel() {
      signal.cancel();
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.empty();
    }

    @Override
    public Done done() {
      return signal.done();
    }

    @Override
    public ContextDoneException err() {
      return signal.err();
    }

    @Override
    public Object value(Object key) {
      return null;
    }
  }

  @Test
  void cancelReachesThroughAWrapperSynchronously() {
    CancellableContext root = Context.withCancel(Context.background());
    Wrapper wrapper = new Wrapper(root);
    CancellableContext child = Context.withCancel(wrapper);
    Context value = Context.withValue(child, Key.A, "a");
    CancellableContext grandchild = Context.withCancel(new Wrapper(value));
    root.cancel();
    assertInstanceOf(CanceledException.class, wrapper.err());
    assertSame(root.err(), child.err());
    assertSame(root.err(), grandchild.err());
    assertEquals("user", grandchild.value(Key.USER));
    assertEquals("a", grandchild.value(Key.A));
  }

  @Test
  void childOfUserContextTakesItsOwnCauseFirst() {
    CancellableContext root = Context.withCancel(Context.background());
    Wrapper wrapper = new Wrapper(root);
    CancellableContext child = Context.withCancel(wrapper);
    Exception mine = new Exception("mine");
    child.cancel(mine);
    root.cancel(new Exception("parent's"));
    assertSame(mine, Context.cause(child));
    assertEquals(0, RuntimeInternals.childCount(root));
  }

  @Test
  void causeOfAUserContextIsItsErrorOrTheCauseOfTheRuntimeContextItDelegatesTo() {
    Own own = new Own();
    assertNull(Context.cause(own));
    own.cancel();
    assertSame(own.err(), Context.cause(own));

    CancellableContext root = Context.withCancel(Context.background());
    Wrapper wrapper = new Wrapper(root);
    Exception why = new Exception("why");
    root.cancel(why);
    assertSame(why, Context.cause(wrapper)); // as Go: the wrapper reveals root through value()
    CancellableContext child = Context.withCancel(wrapper);
    assertSame(why, Context.cause(child));
    assertSame(root.err(), child.err());
  }

  @Test
  void childOfUserContextWithItsOwnSignalIsCancelledAndUnregistered() {
    Own own = new Own();
    CancellableContext a = Context.withCancel(own);
    CancellableContext b =
        Context.withTimeout(Context.withValue(own, Key.A, 1), Duration.ofHours(1));
    AfterFunc f = Context.afterFunc(own, () -> {});
    a.cancel();
    assertTrue(f.stop());
    own.cancel();
    assertInstanceOf(CanceledException.class, b.err());
    assertSame(own.err(), b.err());
    assertSame(own.err(), Context.cause(b));
  }

  @Test
  void userDeadlineIsInheritedAndEarlierWins() {
    Instant soon = Instant.now().plusSeconds(3600);
    Context user =
        new Wrapper(Context.background()) {
          @Override
          public Optional<Instant> deadline() {
            return Optional.of(soon);
          }
        };
    try (CancellableContext c = Context.withCancel(user);
        CancellableContext later = Context.withTimeout(user, Duration.ofHours(5));
        CancellableContext sooner = Context.withTimeout(user, Duration.ofMinutes(5))) {
      assertEquals(soon, c.deadline().orElseThrow());
      assertEquals(soon, later.deadline().orElseThrow());
      assertTrue(sooner.deadline().orElseThrow().isBefore(soon));
    }
  }

  @Test
  void deepChainsThroughWrappersCancelIteratively() throws InterruptedException {
    CancellableContext root = Context.withCancel(Context.background());
    Context c = root;
    for (int i = 0; i < 100_000; i++) {
      c = Context.withCancel(new Wrapper(c));
    }
    Context leaf = c;
    Throwable[] failure = new Throwable[1];
    // A small stack: recursion per level would overflow it.
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                root.cancel();
              } catch (Throwable e) {
                failure[0] = e;
              }
            },
            "small-stack",
            256 * 1024);
    t.start();
    t.join(10_000);
    assertNull(failure[0]);
    assertSame(root.err(), leaf.err());
  }

  @Test
  void userContextOverBackgroundKeepsNothing() {
    Wrapper user = new Wrapper(Context.background());
    CancellableContext c = Context.withCancel(user);
    assertNull(c.err());
    c.cancel();
    assertInstanceOf(CanceledException.class, c.err());
  }
}
