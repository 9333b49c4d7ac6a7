package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shared pieces of the Go conformance, stress and leak tests: user-written {@link Context}
 * implementations (Go's {@code otherContext}, {@code customDoneContext} and {@code
 * customCauseContext}), a user-written {@link Done}, and waiting helpers whose time limits only
 * guard against hangs (they never assert how long something took).
 */
final class GoConformanceSupport {
  private GoConformanceSupport() {}

  /** Go's {@code shortDuration}: a reasonable time for a deadline to fire in a test. */
  static final Duration SHORT = Duration.ofMillis(1);

  /** Go's {@code veryLongDuration}: a deadline that never fires while the tests run. */
  static final Duration VERY_LONG = Duration.ofHours(1000);

  /**
   * Go's {@code quiescent}: how long a test waits for something that must happen before it declares
   * a hang. Generous on purpose: it only bounds a failing run.
   */
  static final Duration QUIESCENT = Duration.ofSeconds(30);

  /** Waits (bounded by {@link #QUIESCENT}) for {@code ctx} to be done; fails with thread dumps. */
  static void awaitDone(Context ctx, String what) {
    boolean fired;
    try {
      fired = ctx.done().await(QUIESCENT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + ": interrupted", e);
    }
    if (!fired) {
      fail(what + ": not done after " + QUIESCENT + "; threads:\n" + threadDump());
    }
  }

  /** Asserts that {@code ctx} is live: its done signal has not fired and err() is null. */
  static void assertLive(Context ctx, String what) {
    assertFalse(ctx.done().isDone(), what + ": done() fired on a live context");
    assertNull(ctx.err(), what + ": err() on a live context");
    assertNull(Context.cause(ctx), what + ": cause() on a live context");
  }

  /** Asserts that {@code ctx} is done right now (no waiting) with a {@link CanceledException}. */
  static void assertCanceledNow(Context ctx, String what) {
    assertTrue(ctx.done().isDone(), what + ": done() has not fired");
    assertTrue(
        ctx.err() instanceof CanceledException,
        what + ": err() = " + ctx.err() + ", want CanceledException");
  }

  /** Asserts that {@code ctx} becomes done with a {@link DeadlineExceededException}. */
  static void assertDeadlineExceeded(Context ctx, String what) {
    awaitDone(ctx, what);
    assertTrue(
        ctx.err() instanceof DeadlineExceededException,
        what + ": err() = " + ctx.err() + ", want DeadlineExceededException");
  }

  /** A description of every thread's stack, for hang reports. */
  static String threadDump() {
    StringBuilder sb = new StringBuilder();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      sb.append(info);
    }
    return sb.toString();
  }

  /** Joins {@code t} (bounded); fails with a thread dump if it is still running. */
  static void join(Thread t) throws InterruptedException {
    t.join(QUIESCENT.toMillis());
    if (t.isAlive()) {
      fail("thread " + t.getName() + " still running after " + QUIESCENT + ":\n" + threadDump());
    }
  }

  /** Gets {@code f} (bounded); fails if it does not complete. */
  static <T> T get(CompletableFuture<T> f, String what) throws InterruptedException {
    try {
      return f.get(QUIESCENT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + ": failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": not completed after " + QUIESCENT + ":\n" + threadDump());
    }
  }

  /** Asserts that a context derived with {@code expected} as a deadline reports exactly it. */
  static void assertDeadline(Context ctx, Instant expected, String what) {
    assertEquals(Optional.of(expected), ctx.deadline(), what + ": deadline()");
  }

  /**
   * Go's {@code otherContext}: a user-written context that delegates every method to a runtime
   * context. The runtime cannot recognise it as its own, so it exercises the paths for foreign
   * contexts.
   */
  static final class Wrapper implements Context {
    final Context inner;

    Wrapper(Context inner) {
      this.inner = Objects.requireNonNull(inner);
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
      return inner.value(key);
    }

    @Override
    public String toString() {
      return "Wrapper(" + inner + ")";
    }
  }

  /**
   * A user-written {@link Done}, independent of the runtime: fires once; callbacks run on the
   * firing thread (at once when already fired); a removed callback never runs.
   */
  static final class SimpleDone implements Done {
    private final CompletableFuture<Void> fired = new CompletableFuture<>();

    void fire() {
      fired.complete(null);
    }

    @Override
    public boolean isDone() {
      return fired.isDone();
    }

    @Override
    public void await() throws InterruptedException {
      try {
        fired.get();
      } catch (ExecutionException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      try {
        fired.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public Registration onDone(Runnable callback) {
      Objects.requireNonNull(callback, "callback");
      AtomicBoolean claimed = new AtomicBoolean();
      fired.thenRun(
          () -> {
            if (claimed.compareAndSet(false, true)) {
              callback.run();
            }
          });
      return () -> claimed.compareAndSet(false, true);
    }

    @Override
    public CompletableFuture<Void> toFuture() {
      return fired.copy();
    }
  }

  /**
   * Go's {@code customDoneContext}: delegates to a runtime context for everything except {@link
   * #done()}, which is the user's own signal.
   */
  static final class CustomDoneContext implements Context {
    final Context inner;
    final SimpleDone done = new SimpleDone();

    CustomDoneContext(Context inner) {
      this.inner = inner;
    }

    @Override
    public Optional<Instant> deadline() {
      return inner.deadline();
    }

    @Override
    public Done done() {
      return done;
    }

    @Override
    public ContextDoneException err() {
      return inner.err();
    }

    @Override
    public Object value(Object key) {
      return inner.value(key);
    }
  }

  /**
   * Go's {@code customCauseContext}: a fully user-written context with its own done signal and
   * error, no deadline and no values, that can cancel one child when it is cancelled.
   */
  static final class CustomCauseContext implements Context {
    final SimpleDone done = new SimpleDone();
    private volatile ContextDoneException err;
    volatile CancellableContext cancelChild;

    void cancel() {
      if (err == null) {
        err = new CanceledException();
      }
      done.fire();
      CancellableContext child = cancelChild;
      if (child != null) {
        child.cancel();
      }
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.empty();
    }

    @Override
    public Done done() {
      return done;
    }

    @Override
    public ContextDoneException err() {
      return err;
    }

    @Override
    public Object value(Object key) {
      return null;
    }

    @Override
    public String toString() {
      return "CustomCauseContext";
    }
  }
}
