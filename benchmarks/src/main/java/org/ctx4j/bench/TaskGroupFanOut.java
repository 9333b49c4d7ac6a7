package org.ctx4j.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;

/**
 * How fast the first failure reaches 100 siblings: each round starts 100 tasks that each derive a
 * context of their own from the group's ({@code withCancel}) and then block in {@code
 * Thread.sleep}, where only an interrupt reaches them; then one more task fails. Three latencies
 * from the failing task's {@code throw} (its {@code System.nanoTime()} just before):
 *
 * <ul>
 *   <li><b>contexts done</b>: until every sibling's own context is done, that is {@code err()} is
 *       set and {@code done().isDone()} is true for each: the first phase of the cancellation,
 *       which sets the error of the whole subtree before any callback runs. Timed by a {@code
 *       done().onDone} callback registered on the group's context before any task starts, so the
 *       first to run; it checks that every sibling's context is indeed done (else the run fails);
 *   <li><b>sibling callbacks</b>: until the last of the {@code done().onDone} callbacks that the
 *       siblings registered on their own contexts has run: the second phase, which on platform
 *       threads also interrupts the 100 blocked threads (the group's interrupts come first in the
 *       list);
 *   <li><b>siblings woken</b>: until the last sibling is out of {@code Thread.sleep} (interrupted);
 *   <li><b>await</b>: until {@code await()} has returned in the owner.
 * </ul>
 *
 * <p>Executors: {@code default} (the runtime's {@code ctx4j-task} pool), {@code virtual} (JDK 21+,
 * made reflectively), and, on JDK 25 with {@code --enable-preview}, the same fan-out with {@code
 * java.util.concurrent.StructuredTaskScope} (preview; called reflectively, so this class compiles
 * for Java 17), whose subtasks run on virtual threads and are interrupted when the scope is
 * cancelled; it has no contexts, so only the last two latencies.
 *
 * <p>Arguments: {@code [rounds] [warm-up rounds] [executors...]}; defaults 1000, 300, and every
 * executor the JDK offers. Prints p50, p99 and the maximum of each latency in microseconds.
 */
public final class TaskGroupFanOut {
  private TaskGroupFanOut() {}

  private static final int SIBLINGS = 100;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    List<String> which = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      which.add(args[i]);
    }
    if (which.isEmpty()) {
      which.add("default");
      if (Runtime.version().feature() >= 21) {
        which.add("virtual");
      }
      if (structuredTaskScope() != null) {
        which.add("structured-task-scope");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "JDK %s, %d cores, %d rounds after %d warm-up, %d siblings%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        rounds,
        warmup,
        SIBLINGS);
    System.out.printf(
        Locale.ROOT,
        "%-24s %-18s %10s %10s %10s%n",
        "executor",
        "latency (us)",
        "p50",
        "p99",
        "max");
    for (String name : which) {
      long[][] r = run(name, rounds, warmup);
      String[] labels = {"contexts done", "sibling callbacks", "siblings woken", "await"};
      for (int k = 0; k < 4; k++) {
        if (r[k] == null) {
          continue;
        }
        Arrays.sort(r[k]);
        System.out.printf(
            Locale.ROOT,
            "%-24s %-18s %10.1f %10.1f %10.1f%n",
            name,
            labels[k],
            pct(r[k], 0.50),
            pct(r[k], 0.99),
            r[k][r[k].length - 1] / 1e3);
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
  }

  private static long[][] run(String name, int rounds, int warmup) throws Exception {
    ExecutorService owned = null;
    Executor ex = null;
    if (name.equals("virtual")) {
      owned =
          (ExecutorService)
              Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      ex = owned;
    }
    boolean sts = name.equals("structured-task-scope");
    long[] done = sts ? null : new long[rounds];
    long[] callbacks = sts ? null : new long[rounds];
    long[] woken = new long[rounds];
    long[] awaited = new long[rounds];
    try {
      for (int i = -warmup; i < rounds; i++) {
        long[] round = sts ? structuredRound() : groupRound(ex);
        if (i >= 0) {
          if (done != null) {
            done[i] = round[0];
            callbacks[i] = round[1];
          }
          woken[i] = round[2];
          awaited[i] = round[3];
        }
      }
    } finally {
      if (owned != null) {
        owned.shutdown();
      }
    }
    return new long[][] {done, callbacks, woken, awaited};
  }

  private static long max(long[] xs) {
    long m = Long.MIN_VALUE;
    for (long x : xs) {
      m = Math.max(m, x);
    }
    return m;
  }

  /** One round on a task group: the four latencies in ns after the throw. */
  private static long[] groupRound(Executor ex) throws InterruptedException {
    long[] allDone = new long[1];
    CancellableContext[] mines = new CancellableContext[SIBLINGS];
    long[] ctxDone = new long[SIBLINGS];
    long[] woke = new long[SIBLINGS];
    long[] t0 = new long[1];
    CountDownLatch ready = new CountDownLatch(SIBLINGS);
    RuntimeException boom = new IllegalStateException("boom");
    TaskGroup g =
        ex == null
            ? TaskGroup.withContext(Context.background())
            : TaskGroup.withContext(Context.background(), ex);
    g.context()
        .done()
        .onDone(
            () -> {
              long now = System.nanoTime();
              for (CancellableContext m : mines) {
                if (m.err() == null || !m.done().isDone()) {
                  now = Long.MIN_VALUE; // reported below
                }
              }
              allDone[0] = now;
            });
    long awaited;
    try {
      for (int i = 0; i < SIBLINGS; i++) {
        int n = i;
        g.go(
            c -> {
              try (CancellableContext mine = Context.withCancel(c)) {
                mines[n] = mine;
                mine.done().onDone(() -> ctxDone[n] = System.nanoTime());
                ready.countDown();
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  woke[n] = System.nanoTime();
                  throw e;
                }
              }
            });
      }
      ready.await();
      g.go(
          c -> {
            t0[0] = System.nanoTime();
            throw boom;
          });
      try {
        g.await();
      } catch (ExecutionException expected) {
        // the failure
      }
      awaited = System.nanoTime();
    } finally {
      g.close();
    }
    if (allDone[0] == Long.MIN_VALUE) {
      throw new AssertionError("a sibling's context was not done when the first callback ran");
    }
    return new long[] {
      allDone[0] - t0[0], max(ctxDone) - t0[0], max(woke) - t0[0], awaited - t0[0]
    };
  }

  /**
   * StructuredTaskScope's methods, or null if this JDK does not offer it (or not without preview).
   */
  private static Method[] structuredTaskScope() {
    try {
      Class<?> sts = Class.forName("java.util.concurrent.StructuredTaskScope");
      Method open = sts.getMethod("open");
      Method fork = sts.getMethod("fork", Callable.class);
      Method join = sts.getMethod("join");
      Method close = sts.getMethod("close");
      Object scope = open.invoke(null);
      close.invoke(scope);
      return new Method[] {open, fork, join, close};
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static long[] structuredRound() throws Exception {
    Method[] m = structuredTaskScope();
    if (m == null) {
      throw new IllegalStateException("StructuredTaskScope needs JDK 25 with --enable-preview");
    }
    long[] woke = new long[SIBLINGS];
    long[] t0 = new long[1];
    CountDownLatch ready = new CountDownLatch(SIBLINGS);
    Object scope = m[0].invoke(null);
    long joined;
    try {
      for (int i = 0; i < SIBLINGS; i++) {
        int n = i;
        Callable<Object> sibling =
            () -> {
              ready.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                woke[n] = System.nanoTime();
                throw e;
              }
              return null;
            };
        m[1].invoke(scope, sibling);
      }
      ready.await();
      Callable<Object> failing =
          () -> {
            t0[0] = System.nanoTime();
            throw new IllegalStateException("boom");
          };
      m[1].invoke(scope, failing);
      try {
        m[2].invoke(scope);
      } catch (InvocationTargetException expected) {
        // FailedException: the failure
      }
      joined = System.nanoTime();
    } finally {
      m[3].invoke(scope);
    }
    return new long[] {0, 0, max(woke) - t0[0], joined - t0[0]};
  }
}
