package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

/**
 * {@link LostCancel} on {@code TaskGroup}s: a group must be awaited or closed on every path, with
 * the hand-over rules of a {@code CancellableContext}. Cases that must not be flagged first, then
 * findings, then the fix.
 */
final class LostCancelTaskGroupTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  private final FixRoundTrip refactoring = FixRoundTrip.newInstance(LostCancel.class, getClass());

  // ---------------------------------------------------------------------------------------------
  // Not flagged.

  @Test
  void awaitedOrClosedOnEveryPath() {
    helper
        .addSourceLines(
            "Fan.java",
            """
            import java.util.List;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.Executor;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fan {
              void resource(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  for (String id : ids) {
                    g.go(c -> fetch(c, id));
                  }
                  g.await();
                }
              }

              void awaited(Context ctx) throws InterruptedException, ExecutionException {
                TaskGroup g = TaskGroup.withLimit(ctx, 4);
                g.go(c -> fetch(c, "a"));
                g.go(c -> fetch(c, "b"));
                g.await();
              }

              void closedInFinally(Context ctx, Executor executor) {
                TaskGroup g = TaskGroup.withContext(ctx, executor);
                try {
                  g.go(c -> fetch(c, "a"));
                } finally {
                  g.close();
                }
              }

              void awaitedInFinally(Context ctx) throws Exception {
                TaskGroup g = TaskGroup.withLimit(ctx, Runnable::run, 2);
                try {
                  g.tryGo(c -> fetch(c, "a"));
                } finally {
                  g.await();
                }
              }

              void earlyReturnCloses(Context ctx, boolean skip) throws Exception {
                TaskGroup g = TaskGroup.withContext(ctx);
                if (skip) {
                  g.close();
                  return;
                }
                g.go(c -> fetch(c, "a"));
                g.await();
              }

              String forked(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  TaskGroup.Result<String> a = g.fork(c -> fetch(c, "a"));
                  TaskGroup.Result<String> b = g.fork(c -> fetch(c, "b"));
                  g.await();
                  return a.get() + b.get();
                }
              }

              void existingVariableAsResource(Context ctx) throws Exception {
                TaskGroup g = TaskGroup.withContext(ctx);
                try (g) {
                  g.go(c -> fetch(c, "a"));
                }
              }

              static String fetch(Context ctx, String id) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void handedOver() {
    helper
        .addSourceLines(
            "Owner.java",
            """
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Consumer;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Owner {
              private TaskGroup running;
              private final List<AutoCloseable> resources = new ArrayList<>();
              private final List<TaskGroup> groups = new ArrayList<>();

              TaskGroup started(Context ctx) {
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                return g;
              }

              void stored(Context ctx) {
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                running = g;
              }

              void collected(Context ctx) {
                TaskGroup g = TaskGroup.withContext(ctx);
                groups.add(g);
              }

              void toAutoCloseable(Context ctx) {
                TaskGroup g = TaskGroup.withContext(ctx);
                resources.add(g);
              }

              void toHelperThatCloses(Context ctx) {
                TaskGroup g = TaskGroup.withLimit(ctx, 2);
                g.go(c -> {});
                finish(g);
              }

              void closeReference(Context ctx, Consumer<Runnable> onShutdown) {
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                onShutdown.accept(g::close);
              }

              void lambdaThatAwaits(Context ctx, Consumer<Runnable> later) {
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                later.accept(
                    () -> {
                      try {
                        g.await();
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    });
              }

              static void finish(TaskGroup g) {
                g.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void javaShapes() {
    helper
        .addSourceLines(
            "Shapes.java",
            """
            import java.util.List;
            import java.util.concurrent.Callable;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Shapes {
              record Fanout(Context ctx, List<String> ids) {
                Fanout {
                  ids = List.copyOf(ids);
                }

                void run() throws Exception {
                  try (TaskGroup g = TaskGroup.withContext(ctx)) {
                    ids.forEach(id -> g.go(c -> {}));
                    g.await();
                  }
                }
              }

              private final TaskGroup owned;

              Shapes(Context ctx) {
                this.owned = TaskGroup.withContext(ctx);
              }

              void close() {
                owned.close();
              }

              void switchExpression(Context ctx, int mode) throws Exception {
                TaskGroup g =
                    switch (mode) {
                      case 0 -> TaskGroup.withLimit(ctx, 1);
                      default -> TaskGroup.withContext(ctx);
                    };
                try (g) {
                  g.go(c -> {});
                }
              }

              Runnable anonymous(Context ctx) {
                return new Runnable() {
                  @Override
                  public void run() {
                    try (TaskGroup g = TaskGroup.withContext(ctx)) {
                      g.go(c -> {});
                    }
                  }
                };
              }

              Callable<String> lambda(Context ctx) {
                return () -> {
                  try (TaskGroup g = TaskGroup.withContext(ctx)) {
                    TaskGroup.Result<String> r = g.fork(c -> "x");
                    g.await();
                    return r.get();
                  }
                };
              }

              void nested(Context ctx) throws Exception {
                try (TaskGroup outer = TaskGroup.withContext(ctx)) {
                  outer.go(
                      c -> {
                        try (TaskGroup inner = TaskGroup.withLimit(c, 2)) {
                          inner.go(cc -> {});
                          inner.await();
                        }
                      });
                  outer.await();
                }
              }

              void loop(Context ctx, List<List<String>> batches) throws Exception {
                for (List<String> batch : batches) {
                  TaskGroup g = TaskGroup.withContext(ctx);
                  batch.forEach(id -> g.go(c -> {}));
                  g.await();
                }
              }

              void localClass(Context ctx) {
                class Job {
                  void run() {
                    try (TaskGroup g = TaskGroup.withContext(ctx)) {
                      g.go(c -> {});
                    }
                  }
                }
                new Job().run();
              }

              void badInput() {
                try {
                  TaskGroup.withContext(null);
                } catch (NullPointerException expected) {
                }
              }
            }
            """)
        .doTest();
  }

  /** await() throws checked exceptions: a path where it throws is exceptional. */
  @Test
  void awaitThatThrowsIsAnExceptionalPath() {
    helper
        .addSourceLines(
            "Await.java",
            """
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Await {
              void swallowed(Context ctx) {
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                try {
                  g.await();
                } catch (Exception e) {
                  // the group is finished either way: await() returned or threw after waiting
                  return;
                }
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // Flagged.

  @Test
  void notAwaitedOnEveryPath() {
    helper
        .addSourceLines(
            "Leaks.java",
            """
            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Leaks {
              String earlyReturn(Context ctx, List<String> ids) throws Exception {
                // BUG: Diagnostic contains: This TaskGroup is neither awaited nor closed on every path: it leaks when the method returns at line 10; use try-with-resources (try (TaskGroup g = ...) { ... }) or call g.await() before that return
                TaskGroup g = TaskGroup.withContext(ctx);
                if (ids.isEmpty()) {
                  return "";
                }
                ids.forEach(id -> g.go(c -> {}));
                g.await();
                return "done";
              }

              void never(Context ctx) {
                // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                TaskGroup g = TaskGroup.withLimit(ctx, 2);
                g.go(c -> {});
              }

              void onlyUsedByALambda(Context ctx, List<String> ids) {
                // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                TaskGroup g = TaskGroup.withContext(ctx);
                ids.forEach(id -> g.go(c -> {}));
              }

              void logged(Context ctx) {
                // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                TaskGroup g = TaskGroup.withContext(ctx);
                System.out.println(g);
              }

              void reassigned(Context ctx) throws Exception {
                // BUG: Diagnostic contains: it leaks when g is reassigned at line 38
                TaskGroup g = TaskGroup.withContext(ctx);
                g = TaskGroup.withContext(ctx);
                g.await();
              }

              void inALoop(Context ctx, List<String> ids) {
                for (String id : ids) {
                  // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                  TaskGroup g = TaskGroup.withContext(ctx);
                  g.go(c -> {});
                }
              }

              Runnable inALambda(Context ctx) {
                return () -> {
                  // BUG: Diagnostic contains: it leaks when the lambda ends
                  TaskGroup g = TaskGroup.withContext(ctx);
                  g.go(c -> {});
                };
              }

              Runnable inAnAnonymousClass(Context ctx) {
                return new Runnable() {
                  @Override
                  public void run() {
                    // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                    TaskGroup g = TaskGroup.withContext(ctx);
                    g.go(c -> {});
                  }
                };
              }

              void switchExpression(Context ctx, int mode) {
                TaskGroup g =
                    switch (mode) {
                      // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                      case 0 -> TaskGroup.withLimit(ctx, 1);
                      // BUG: Diagnostic contains: TaskGroup is neither awaited nor closed
                      default -> TaskGroup.withContext(ctx);
                    };
                g.go(c -> {});
              }

              void nestedInnerLeaks(Context ctx) throws Exception {
                try (TaskGroup outer = TaskGroup.withContext(ctx)) {
                  outer.go(
                      c -> {
                        // BUG: Diagnostic contains: it leaks when the lambda ends
                        TaskGroup inner = TaskGroup.withContext(c);
                        inner.go(cc -> {});
                      });
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void discarded() {
    helper
        .addSourceLines(
            "Discarded.java",
            """
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Discarded {
              void receiver(Context ctx) {
                // BUG: Diagnostic contains: This TaskGroup can never be awaited or closed because it is not kept
                TaskGroup.withContext(ctx).go(c -> {});
              }

              void statement(Context ctx) {
                // BUG: Diagnostic contains: This TaskGroup can never be awaited or closed
                TaskGroup.withLimit(ctx, 3);
              }

              void contextOnly(Context ctx) {
                // BUG: Diagnostic contains: This TaskGroup can never be awaited or closed
                work(TaskGroup.withContext(ctx).context());
              }

              static void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void exceptionalPathsOption() {
    helper
        .addSourceLines(
            "Throws.java",
            """
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Throws {
              void awaitedOnlyNormally(Context ctx) throws Exception {
                // BUG: Diagnostic contains: or close it in a finally block
                TaskGroup g = TaskGroup.withContext(ctx);
                g.go(c -> {});
                g.await();
              }

              void resource(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> {});
                  g.await();
                }
              }
            }
            """)
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // The fix.

  @Test
  void fixIsTryWithResourcesNamingTheGroup() {
    refactoring
        .addInputLines(
            "Fan.java",
            """
            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fan {
              String fanOut(Context ctx, List<String> ids) throws Exception {
                TaskGroup g = TaskGroup.withContext(ctx);
                if (ids.isEmpty()) {
                  return "";
                }
                TaskGroup.Result<String> first = g.fork(c -> ids.get(0));
                g.await();
                return first.get();
              }
            }
            """)
        .addOutputLines(
            "Fan.java",
            """
            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fan {
              String fanOut(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  if (ids.isEmpty()) {
                    return "";
                  }
                  TaskGroup.Result<String> first = g.fork(c -> ids.get(0));
                  g.await();
                  return first.get();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixForAnAutoCloseableVariable() {
    refactoring
        .addInputLines(
            "Fan.java",
            """
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fan {
              void fanOut(Context ctx) throws Exception {
                AutoCloseable g = TaskGroup.withContext(ctx);
                System.out.println(g);
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }
}
