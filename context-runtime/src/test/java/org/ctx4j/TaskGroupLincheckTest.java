package org.ctx4j;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The state machine of {@link TaskGroup} under Lincheck's model checker, which explores the
 * interleavings of {@code go} (a task that succeeds or fails), {@code close}, {@code await} and the
 * parent's cancel, switching threads at every shared read and write. Tasks run inline (the executor
 * is {@code Runnable::run}), so every task's code is part of the explored interleavings.
 *
 * <p>The operations return nothing: a task that races {@code close()} may legitimately not run
 * although {@code close()} has not finished, so the group is not linearizable operation by
 * operation. What is checked, in every interleaving: nothing hangs (Lincheck reports a deadlock or
 * livelock), every task handed over is accounted for (it ran, did not run, or {@code go} refused it
 * because the group had finished), and the outcome {@code await()} reports afterwards agrees with
 * what the tasks did.
 */
final class TaskGroupLincheckTest {

  static final RuntimeException A = new RuntimeException("A");

  public static final class Group {
    private final CancellableContext parent = Context.withCancel(Context.background());
    private final TaskGroup g = TaskGroup.withContext(parent, Runnable::run);
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AtomicInteger ranOk = new AtomicInteger();
    private final AtomicInteger ranFailing = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    @Operation
    public void goOk() {
      try {
        handedOver.incrementAndGet();
        g.go(c -> ranOk.incrementAndGet());
      } catch (IllegalStateException finished) {
        refused.incrementAndGet();
      }
    }

    @Operation
    public void goFail() {
      try {
        handedOver.incrementAndGet();
        g.go(
            c -> {
              ranFailing.incrementAndGet();
              throw A;
            });
      } catch (IllegalStateException finished) {
        refused.incrementAndGet();
      }
    }

    @Operation
    public void close() {
      g.close();
    }

    @Operation
    public void cancelParent() {
      parent.cancel();
    }

    @Operation
    public void await() throws InterruptedException {
      try {
        g.await();
      } catch (ExecutionException e) {
        // checked in validate(), where every task has ended
      }
    }

    @Validate
    public void validate() throws InterruptedException {
      g.close();
      if (!g.isFinished()) {
        throw new IllegalStateException("close() returned but the group is not finished");
      }
      if (!g.context().done().isDone()) {
        throw new IllegalStateException("the group's context outlived the group");
      }
      int notRun = handedOver.get() - refused.get() - ranOk.get() - ranFailing.get();
      if (notRun < 0) {
        throw new IllegalStateException("a task ran twice");
      }
      ExecutionException outcome = null;
      try {
        g.await();
      } catch (ExecutionException e) {
        outcome = e;
      }
      if (ranFailing.get() > 0) {
        if (outcome == null || outcome.getCause() != A) {
          throw new IllegalStateException("a task failed but await() reports " + outcome);
        }
      } else if (notRun > 0) {
        if (outcome == null || !(outcome.getCause() instanceof CanceledException)) {
          throw new IllegalStateException(
              notRun + " tasks did not run; await() reports " + outcome);
        }
      } else if (outcome != null) {
        throw new IllegalStateException("every task ran and returned; await() reports " + outcome);
      }
      if (RuntimeInternals.childCount(parent) != 0) {
        throw new IllegalStateException("the group's context stayed registered in its parent");
      }
    }
  }

  private static ExecutionScenario scenario(List<String> first, List<String> second)
      throws Exception {
    return new ExecutionScenario(
        List.of(),
        List.of(actors(first), actors(second)),
        List.of(),
        new Actor(Group.class.getMethod("validate"), List.of()));
  }

  private static List<Actor> actors(List<String> names) throws Exception {
    java.util.ArrayList<Actor> out = new java.util.ArrayList<>();
    for (String n : names) {
      out.add(new Actor(Group.class.getMethod(n), List.of()));
    }
    return out;
  }

  // Bounds: a few hundred invocations per scenario keep the class under a minute on a loaded
  // 2-core machine; the explicit scenarios are the races that matter (a task racing close, a
  // failure racing the parent's cancel, await racing close).
  @Test
  void modelChecking() throws Exception {
    new ModelCheckingOptions()
        .addCustomScenario(scenario(List.of("goOk", "await"), List.of("close")))
        .addCustomScenario(scenario(List.of("goFail", "goOk"), List.of("cancelParent", "await")))
        .addCustomScenario(scenario(List.of("goOk", "goFail"), List.of("close", "goOk")))
        .addCustomScenario(scenario(List.of("await"), List.of("goOk", "close")))
        .iterations(4)
        .invocationsPerIteration(200)
        .threads(2)
        .actorsPerThread(2)
        .check(Group.class);
  }
}
