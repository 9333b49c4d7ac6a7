package org.ctx4j;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
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
 * a context that is observably done is born done with that context's cause; a callback removed with
 * {@code remove() == true} never runs, and one not removed runs exactly once.
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
    private volatile String violation;
    private final java.util.Queue<CancellableContext> grandchildren =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<ContextDoneException> errorsSeen =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

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

    /** err() of the child; records a violation if it is set before done() has fired. */
    @Operation
    public String errOfChild() {
      ContextDoneException err = child.err();
      if (err != null && !child.done().isDone()) {
        violation = "err() set before done() fired";
      }
      if (err != null) {
        errorsSeen.add(err);
      }
      return name(err);
    }

    /** Derives a grandchild and reports its cause; one derived under a done child is born done. */
    @Operation
    public String deriveGrandchild() {
      boolean childWasDone = child.err() != null;
      CancellableContext g = Context.withCancel(value);
      grandchildren.add(g);
      if (childWasDone && !g.done().isDone()) {
        violation = "a child of a done context was born live";
      }
      return name(Context.cause(g));
    }

    /**
     * Invariants are checked here, not through results: a deterministic bug would return the same
     * wrong result in Lincheck's sequential reference run and go unnoticed.
     */
    @Validate
    public void checkInvariants() {
      if (violation != null) {
        throw new IllegalStateException(violation);
      }
      // err() is one object for good once set, whichever thread asked first (a plain cancel()
      // creates it lazily, by a race that one caller wins; ContextStressTest races exactly that,
      // as the model checker does not switch threads inside that window).
      for (ContextDoneException e : errorsSeen) {
        if (e != child.err()) {
          throw new IllegalStateException("err() returned two different objects");
        }
      }
      // Once every operation has returned, each grandchild follows the child: done with the
      // child's cause if the child is done, live otherwise (a registration lost in a race would
      // leave one live under a done child for ever).
      Throwable childCause = Context.cause(child);
      for (CancellableContext g : grandchildren) {
        if (Context.cause(g) != childCause) {
          throw new IllegalStateException(
              "grandchild cause " + Context.cause(g) + " but child cause " + childCause);
        }
      }
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

  // Bounds: Lincheck hands work between threads by spinning, so each invocation costs
  // milliseconds on a loaded 2-core machine; these counts keep the class near half a minute there
  // (measured on 2 cores at a load average of 16: 91 s at about twice these counts). The explicit
  // race scenarios are what must run every time; ContextStressTest repeats the races many more
  // times on real threads.

  @Test
  void cancelTreeStress() {
    new StressOptions()
        .iterations(6)
        .invocationsPerIteration(600)
        .threads(3)
        .actorsPerThread(3)
        .check(CancelTree.class);
  }

  /**
   * The races that matter most, given to the model checker explicitly so that it explores their
   * interleavings on every run: the child's first grandchild derived while the child (or the
   * parent) is being cancelled.
   */
  private static ExecutionScenario race(String deriving, String cancelling) throws Exception {
    Actor derive = new Actor(CancelTree.class.getMethod(deriving), List.of());
    Actor cancel = new Actor(CancelTree.class.getMethod(cancelling), List.of());
    Actor observe = new Actor(CancelTree.class.getMethod("causeOfChild"), List.of());
    Actor validate = new Actor(CancelTree.class.getMethod("checkInvariants"), List.of());
    return new ExecutionScenario(
        List.of(), List.of(List.of(derive), List.of(cancel, observe)), List.of(observe), validate);
  }

  @Test
  void cancelTreeModelChecking() throws Exception {
    new ModelCheckingOptions()
        .addCustomScenario(race("deriveGrandchild", "cancelChildB"))
        .addCustomScenario(race("deriveGrandchild", "cancelParentA"))
        .iterations(6)
        .invocationsPerIteration(250)
        .threads(2)
        .actorsPerThread(3)
        .check(CancelTree.class);
  }

  @Test
  void registrationStress() {
    new StressOptions()
        .iterations(4)
        .invocationsPerIteration(300)
        .threads(2)
        .actorsPerThread(2)
        .check(Registration.class);
  }

  @Test
  void registrationModelChecking() throws Exception {
    Actor remove = new Actor(Registration.class.getMethod("remove"), List.of());
    Actor cancel = new Actor(Registration.class.getMethod("cancel"), List.of());
    Actor cause = new Actor(Registration.class.getMethod("cause"), List.of());
    Actor validate = new Actor(Registration.class.getMethod("checkRuns"), List.of());
    new ModelCheckingOptions()
        .addCustomScenario(
            new ExecutionScenario(
                List.of(), List.of(List.of(remove), List.of(cancel)), List.of(cause), validate))
        .iterations(4)
        .invocationsPerIteration(150)
        .threads(2)
        .actorsPerThread(2)
        .check(Registration.class);
  }
}
