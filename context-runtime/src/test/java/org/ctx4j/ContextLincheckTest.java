package org.ctx4j;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the runtime's cancellation state, checked with Lincheck (both its stress
 * strategy, on real threads, and its model-checking strategy, which explores interleavings).
 *
 * <p>The questions: do concurrent {@code cancel(cause)}, {@code cancel(otherCause)}, {@code
 * cancel()}, {@code cause()}, {@code err()} and {@code withCancel(child)} behave as if they ran one
 * at a time in some order consistent with real time? In particular: the first cause wins and every
 * reader agrees on it; {@code err() != null} implies {@code done().isDone()}; a child derived from
 * a context that is observably done is born done with that context's cause; a callback removed
 * with {@code remove() == true} never runs, and one not removed runs exactly once.
 */
final class ContextLincheckTest {

  static final Throwable A = new RuntimeException("A");
  static final Throwable B = new RuntimeException("B");

  /** Names a cause or error so that results compare by value. */
  static String name(Object t) {
    if (t == null) {
      return "null";
    }
    if (t == A) {
      return "A";
    }
    if (t == B) {
      return "B";
    }
    if (t instanceof CanceledException) {
      return "Canceled";
    }
    if (t instanceof DeadlineExceededException) {
      return "DeadlineExceeded";
    }
    return "unexpected " + t;
  }

  /**
   * The state under test: {@code parent = withCancel(background)}, {@code child =
   * withCancel(parent)}, {@code value = withValue(child)}; each operation acts on them. Only the
   * child's state is observed: as in Go, a parent's cancel sets the parent's state before it
   * reaches the children, so a reader of both could see the parent done and the child not yet,
   * which is allowed and not linearizable across the tree.
   */
  public static final class CancelTree {
    private final CancellableContext parent = Context.withCancel(Context.background());
    private final CancellableContext child = Context.withCancel(parent);
    private final Context value = Context.withValue(child, "k", "v");

    @Operation
    public void cancelParentA() {
      parent.cancel(A);
    }

    @Operation
    public void cancelChildB() {
      child.cancel(B);
    }

    @Operation
    public void cancelChild() {
      child.cancel();
    }

    @Operation
    public String causeOfChild() {
      return name(Context.cause(child));
    }

    @Operation
    public String causeOfValue() {
      return name(Context.cause(value));
    }

    /** err() of the child, and a violation if it is set before done() has fired. */
    @Operation
    public String errOfChild() {
      ContextDoneException err = child.err();
      if (err != null && !child.done().isDone()) {
        return "VIOLATION: err() set before done() fired";
      }
      return name(err);
    }

    /** Derives a grandchild and reports its cause; one derived under a done child is born done. */
    @Operation
    public String deriveGrandchild() {
      boolean childWasDone = child.err() != null;
      CancellableContext g = Context.withCancel(value);
      if (childWasDone && !g.done().isDone()) {
        return "VIOLATION: a child of a done context was born live";
      }
      return name(Context.cause(g));
    }
  }

  /**
   * A done-callback registration racing cancellation. The callback's run count is checked after
   * each scenario (by {@link Validate}), not by an operation: between firing and running the
   * callbacks there is a window in which a reader could see the signal fired but the callback not
   * yet run, which Go's AfterFunc {@code stop()} allows too.
   */
  public static final class Registration {
    private final CancellableContext ctx = Context.withCancel(Context.background());
    private final AtomicInteger runs = new AtomicInteger();
    private final Done.Registration registration = ctx.done().onDone(runs::incrementAndGet);
    private final AtomicBoolean removed = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    @Operation
    public void cancel() {
      ctx.cancel(A);
      cancelled.set(true);
    }

    @Operation
    public void cancelPlain() {
      ctx.cancel();
      cancelled.set(true);
    }

    @Operation
    public boolean remove() {
      boolean r = registration.remove();
      if (r && !removed.compareAndSet(false, true)) {
        throw new IllegalStateException("remove() returned true twice");
      }
      return r;
    }

    @Operation
    public String cause() {
      return name(Context.cause(ctx));
    }

    @Validate
    public void checkRuns() {
      int n = runs.get();
      if (removed.get() && n != 0) {
        throw new IllegalStateException("remove() returned true but the callback ran " + n);
      }
      if (!removed.get() && cancelled.get() && n != 1) {
        throw new IllegalStateException("callback ran " + n + " times, want once");
      }
      if (!cancelled.get() && n != 0) {
        throw new IllegalStateException("callback ran without a cancel");
      }
    }
  }

  // Bounds: Lincheck's stress strategy hands work between threads by spinning, so each
  // invocation costs milliseconds on a loaded 2-core machine; these counts keep the class within
  // about half a minute there. ContextStressTest repeats the same races many more times.

  @Test
  void cancelTreeStress() {
    new StressOptions()
        .iterations(10)
        .invocationsPerIteration(1_000)
        .threads(3)
        .actorsPerThread(3)
        .check(CancelTree.class);
  }

  @Test
  void cancelTreeModelChecking() {
    new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(3)
        .check(CancelTree.class);
  }

  @Test
  void registrationStress() {
    new StressOptions()
        .iterations(10)
        .invocationsPerIteration(500)
        .threads(2)
        .actorsPerThread(2)
        .check(Registration.class);
  }

  @Test
  void registrationModelChecking() {
    new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(2)
        .check(Registration.class);
  }
}
