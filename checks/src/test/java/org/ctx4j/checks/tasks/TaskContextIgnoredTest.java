package org.ctx4j.checks.tasks;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class TaskContextIgnoredTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(TaskContextIgnored.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(TaskContextIgnored.class, getClass());

  private static final String SERVICE =
      """
      package demo;

      import java.time.Duration;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      class Service {
        static final ContextKey<String> USER = ContextKey.of("user", String.class);

        static String fetch(Context ctx, String id) {
          return id;
        }

        static String user(Context ctx) {
          return USER.get(ctx);
        }

        static <C extends Context> C same(C ctx) {
          return ctx;
        }

        static void log(Object... parts) {}

        static void stop(CancellableContext handle) {
          handle.cancel();
        }

        static void all(Context... contexts) {}

        static Context derive(Context ctx) {
          return Context.withValue(ctx, Service.class, "x");
        }

        Service() {}

        Service(Context ctx) {}
      }
      """;

  @Test
  void correctTasksAreQuiet() {
    helper
        .addSourceLines("Service.java", SERVICE)
        .addSourceLines(
            "Quiet.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.Executor;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.TaskGroup;

            class Quiet {
              interface Handler {
                String handle(Context ctx, String request);
              }

              // the task's own context, and contexts derived from it inside the task
              void own(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  for (String id : ids) {
                    g.go(c -> Service.fetch(c, id));
                    g.go(
                        c -> {
                          Context derived = Service.derive(c);
                          Service.fetch(derived, id);
                          try (CancellableContext t = Context.withCancel(c)) {
                            Service.fetch(t, id);
                          }
                          Runnable later = () -> Service.fetch(c, id);
                          later.run();
                        });
                  }
                  g.await();
                }
              }

              // the captured context only read, logged, compared, or used as a receiver
              void reads(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        Object user = ctx.value("user");
                        String name = Service.USER.get(ctx);
                        Throwable why = Context.cause(ctx);
                        ctx.deadline();
                        Service.log("started under", ctx, user, name, why);
                        if (ctx == c || ctx.equals(c) || java.util.Objects.equals(ctx, c)) {
                          Service.fetch(c, String.valueOf(ctx));
                        }
                      });
                  g.await();
                }
              }

              // a cancel handle handed over, not a context to work under
              void handOver(Context ctx, CancellableContext timer) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> Service.stop(timer));
                  g.await();
                }
              }

              // a method reference captures nothing
              void references(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(this::work);
                  g.go(Quiet::staticWork);
                  g.await();
                }
              }

              void work(Context ctx) {}

              static void staticWork(Context ctx) {}

              // lambdas whose first parameter is not declared a context by their interface
              void notTasks(Context ctx, Map<Context, String> cache, List<Context> contexts) {
                Function<Context, String> f = c -> Service.fetch(ctx, "x");
                cache.computeIfAbsent(ctx, k -> Service.fetch(ctx, "y"));
                contexts.forEach(c -> Service.fetch(ctx, "z"));
                Runnable r = () -> Service.fetch(ctx, "w");
              }

              // a task that starts a new task group under its own context
              void nested(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        try (TaskGroup inner = TaskGroup.withContext(c)) {
                          inner.go(c2 -> Service.fetch(c2, "a"));
                          inner.await();
                        }
                      });
                  g.await();
                }
              }

              // an anonymous class whose parameter shadows the captured name
              void shadowing(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context ctx) {
                          Service.fetch(ctx, "a");
                        }
                      });
                  g.await();
                }
              }

              // a task outside any method's context: nothing is captured
              static final Handler ECHO = (c, request) -> Service.fetch(c, request);

              // executors' tasks with their own context
              void executors(Context ctx, Executor executor) {
                ContextExecutors.callAsync(ctx, executor, c -> Service.fetch(c, "a"));
                ContextExecutors.runAsync(ctx, executor, c -> Service.fetch(c, "b"));
              }

              // the group's own context, as Go's gctx, and contexts derived from it
              void groupContext(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  Context gctx = g.context();
                  Context valued = Context.withValue(gctx, Quiet.class, "v");
                  g.go(c -> Service.fetch(gctx, "a"));
                  g.go(c -> Service.fetch(valued, "b"));
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context c) {
                          Service.fetch(gctx, "c");
                        }
                      });
                  g.await();
                }
              }

              // the task's own parameter does not fit where the captured context goes
              void doesNotFit(Context ctx, CancellableContext cancellable) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> Service.stop(cancellable));
                  g.await();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void capturedContextsAreFlagged() {
    helper
        .addSourceLines("Service.java", SERVICE)
        .addSourceLines(
            "Flagged.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.List;
            import java.util.concurrent.Executor;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.TaskGroup;

            class Flagged {
              interface Handler {
                String handle(Context ctx, String request);
              }

              interface Scoped<C extends Context> {
                void run(C ctx);
              }

              static void serve(Context ctx, Handler handler) {}

              static <C extends Context> void scoped(C ctx, Scoped<C> body) {}

              void classic(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  for (String id : ids) {
                    // BUG: Diagnostic contains: ctx is captured from the code that started this task
                    g.go(c -> Service.fetch(ctx, id));
                  }
                  g.await();
                }
              }

              void asParent(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        // BUG: Diagnostic contains: pass that one
                        try (CancellableContext t = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
                          Service.fetch(t, "a");
                        }
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Context valued = Context.withValue(ctx, Flagged.class, "v");
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Context.sleep(ctx, Duration.ofMillis(1));
                      });
                  g.await();
                }
              }

              // twins of the quiet reads: the same captured context passed on
              void readsThenUses(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        Object user = ctx.value("user");
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Service.fetch(ctx, String.valueOf(user));
                        // BUG: Diagnostic contains: TaskContextIgnored
                        new Service(ctx);
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Service.all(c, ctx);
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Service.same(ctx);
                      });
                  g.await();
                }
              }

              // a plain lambda inside the task is still inside the task
              void plainLambdaInside(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        // BUG: Diagnostic contains: TaskContextIgnored
                        Runnable later = () -> Service.fetch(ctx, "a");
                        later.run();
                      });
                  g.await();
                }
              }

              // a task inside a task: the inner one's own context rules
              void nested(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        try (TaskGroup inner = TaskGroup.withContext(c)) {
                          // BUG: Diagnostic contains: (c2)
                          inner.go(c2 -> Service.fetch(c, "a"));
                          // BUG: Diagnostic contains: (c2)
                          inner.go(c2 -> Service.fetch(ctx, "b"));
                          inner.await();
                        }
                      });
                  g.await();
                }
              }

              // an anonymous class and a local class implementing Task
              void classes(Context ctx) throws Exception {
                class Fetch implements TaskGroup.Task {
                  @Override
                  public void run(Context c) {
                    // BUG: Diagnostic contains: TaskContextIgnored
                    Service.fetch(ctx, "local");
                  }
                }
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(new Fetch());
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context c) {
                          // BUG: Diagnostic contains: TaskContextIgnored
                          Service.fetch(ctx, "anonymous");
                        }
                      });
                  g.await();
                }
              }

              // a value task, the executors' tasks, a user's own task interface, a generic one
              void otherTasks(Context ctx, Executor executor) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  // BUG: Diagnostic contains: TaskContextIgnored
                  TaskGroup.Result<String> r = g.fork(c -> Service.fetch(ctx, "v"));
                  g.await();
                }
                // BUG: Diagnostic contains: TaskContextIgnored
                ContextExecutors.callAsync(ctx, executor, c -> Service.fetch(ctx, "a"));
                // BUG: Diagnostic contains: TaskContextIgnored
                serve(ctx, (c, request) -> Service.fetch(ctx, request));
                // BUG: Diagnostic contains: TaskContextIgnored
                scoped(ctx, c -> Service.fetch(ctx, "g"));
              }

              // the task ignores its own parameter altogether
              void unusedParameter(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  // BUG: Diagnostic contains: (ignored)
                  g.go(ignored -> Service.fetch(ctx, "x"));
                  g.await();
                }
              }

              // twins of Go's gctx: another group's context, a context that drops its cancellation
              void otherGroupContext(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx);
                    TaskGroup h = TaskGroup.withContext(ctx)) {
                  Context gctx = g.context();
                  Context detached = Context.withoutCancel(gctx);
                  // BUG: Diagnostic contains: gctx is captured
                  h.go(c -> Service.fetch(gctx, "a"));
                  // BUG: Diagnostic contains: detached is captured
                  g.go(c -> Service.fetch(detached, "b"));
                  g.await();
                  h.await();
                }
              }

              // a context derived outside the task is captured too
              void derivedOutside(Context ctx) throws Exception {
                Context valued = Context.withValue(ctx, Flagged.class, "v");
                try (TaskGroup g = TaskGroup.withContext(valued)) {
                  // BUG: Diagnostic contains: valued is captured
                  g.go(c -> Service.fetch(valued, "x"));
                  g.await();
                }
              }
            }
            """)
        .doTest();
  }

  /** Every task of a group receives the group's context: a task's own is its siblings' too. */
  @Test
  void enclosingTaskOfTheSameGroup() {
    helper
        .addSourceLines("Service.java", SERVICE)
        .addSourceLines(
            "Crawl.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Crawl {
              private final TaskGroup shared;
              private TaskGroup current;

              Crawl(Context ctx) {
                shared = TaskGroup.withContext(ctx);
                current = shared;
              }

              void quiet(Context ctx, List<String> links) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(
                      c -> {
                        Context valued = Context.withValue(c, Crawl.class, "v");
                        for (String link : links) {
                          g.go(child -> Service.fetch(c, link));
                          g.tryGo(child -> Service.fetch(valued, link));
                          g.go(
                              new TaskGroup.Task() {
                                @Override
                                public void run(Context child) {
                                  Service.fetch(c, link);
                                }
                              });
                        }
                      });
                  g.await();
                }
                shared.go(c -> shared.go(child -> Service.fetch(c, "field")));
              }

              void flagged(Context ctx, TaskGroup other) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx);
                    TaskGroup h = TaskGroup.withContext(ctx)) {
                  // BUG: Diagnostic contains: c is captured
                  g.go(c -> h.go(child -> Service.fetch(c, "another group")));
                  g.go(
                      c -> {
                        Context detached = Context.withoutCancel(c);
                        // BUG: Diagnostic contains: detached is captured
                        g.go(child -> Service.fetch(detached, "cancellation dropped"));
                      });
                  g.await();
                  h.await();
                }
                // BUG: Diagnostic contains: c is captured
                shared.go(c -> other.go(child -> Service.fetch(c, "a parameter group")));
                // a field that may hold another group by the time the inner task starts
                // BUG: Diagnostic contains: c is captured
                current.go(c -> current.go(child -> Service.fetch(c, "field")));
              }
            }
            """)
        .doTest();
  }

  /** Go's gctx in a task kept in a variable, or cast, before the group gets it. */
  @Test
  void groupContextInTasksKeptInVariables() {
    helper
        .addSourceLines("Service.java", SERVICE)
        .addSourceLines(
            "Named.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Named {
              void quiet(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  Context gctx = g.context();
                  TaskGroup.Task warm = c -> Service.fetch(gctx, "warm");
                  g.go(warm);
                  for (String id : ids) {
                    TaskGroup.ValueTask<String> one = c -> Service.fetch(gctx, id);
                    if (!g.tryGo(c -> g.fork(one))) {
                      g.fork((one));
                    }
                  }
                  g.go((TaskGroup.Task) c -> Service.fetch(gctx, "cast"));
                  g.await();
                }
              }

              void flagged(Context ctx, List<TaskGroup.Task> later) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx);
                    TaskGroup h = TaskGroup.withContext(ctx)) {
                  Context gctx = g.context();
                  // BUG: Diagnostic contains: gctx is captured
                  TaskGroup.Task both = c -> Service.fetch(gctx, "two groups");
                  g.go(both);
                  h.go(both);
                  // BUG: Diagnostic contains: gctx is captured
                  TaskGroup.Task kept = c -> Service.fetch(gctx, "kept for later");
                  g.go(kept);
                  later.add(kept);
                  // BUG: Diagnostic contains: gctx is captured
                  TaskGroup.Task unused = c -> Service.fetch(gctx, "never handed over");
                  // BUG: Diagnostic contains: gctx is captured
                  h.go((TaskGroup.Task) c -> Service.fetch(gctx, "cast, another group"));
                  g.await();
                  h.await();
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * A helper of the same file that only reads values or the deadline from the captured context
   * answers as it would from the task's own; any other use of it, or a helper that could be
   * overridden or is declared elsewhere, is flagged.
   */
  @Test
  void helpersThatOnlyRead() {
    helper
        .addSourceLines("Service.java", SERVICE)
        .addSourceLines(
            "Reports.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Optional;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;
            import org.ctx4j.TaskGroup;

            class Reports {
              static final ContextKey<String> LOCALE = ContextKey.of("locale", String.class);

              static String locale(Context ctx) {
                return LOCALE.get(ctx);
              }

              private String header(Context ctx, String title) {
                Optional<Duration> left = (ctx).timeLeft();
                return title + locale(ctx) + ctx.value(Reports.class) + ctx.deadline() + left;
              }

              final String footer(Context ctx) {
                return String.valueOf(ctx.value("footer"));
              }

              // not only reads
              static String waits(Context ctx) throws Exception {
                ctx.done().await();
                return locale(ctx);
              }

              static String passesOn(Context ctx) {
                return Service.fetch(ctx, locale(ctx));
              }

              static String logs(Context ctx) {
                Service.log(ctx);
                return "";
              }

              static String assigns(Context ctx) {
                ctx = Context.withValue(ctx, Reports.class, "x");
                return locale(ctx);
              }

              static String unused(Context ctx) {
                return "stub";
              }

              static String varargs(String first, Context... rest) {
                return first;
              }

              String overridable(Context ctx) {
                return locale(ctx);
              }

              void render(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> Service.fetch(c, locale(ctx) + header(ctx, "t") + footer(ctx)));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> waits(ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> passesOn(ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> logs(ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> assigns(ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> varargs("x", ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> unused(ctx));
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> overridable(ctx));
                  // declared in another file: not looked into
                  // BUG: Diagnostic contains: ctx is captured
                  g.go(c -> Service.user(ctx));
                  g.await();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacement() {
    refactoring
        .addInputLines("Service.java", SERVICE)
        .expectUnchanged()
        .addInputLines(
            "Fetcher.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fetcher {
              static String use(Context ctx) {
                return "context";
              }

              static String use(CancellableContext ctx) {
                return "cancellable";
              }

              void fetchAll(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  for (String id : ids) {
                    g.go(c -> Service.fetch(ctx, id));
                    g.go(
                        c -> {
                          Context child = Context.withValue(ctx, Fetcher.class, id);
                          Service.fetch(child, id);
                        });
                  }
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context c) {
                          Service.fetch(ctx, "anonymous");
                          Runnable r =
                              new Runnable() {
                                @Override
                                public void run() {
                                  Service.fetch(ctx, "inner class: no fix");
                                }
                              };
                        }
                      });
                  g.await();
                }
              }

              void overloads(CancellableContext ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> use(ctx));
                  g.await();
                }
              }
            }
            """)
        .addOutputLines(
            "Fetcher.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Fetcher {
              static String use(Context ctx) {
                return "context";
              }

              static String use(CancellableContext ctx) {
                return "cancellable";
              }

              void fetchAll(Context ctx, List<String> ids) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  for (String id : ids) {
                    g.go(c -> Service.fetch(c, id));
                    g.go(
                        c -> {
                          Context child = Context.withValue(c, Fetcher.class, id);
                          Service.fetch(child, id);
                        });
                  }
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context c) {
                          Service.fetch(c, "anonymous");
                          Runnable r =
                              new Runnable() {
                                @Override
                                public void run() {
                                  Service.fetch(ctx, "inner class: no fix");
                                }
                              };
                        }
                      });
                  g.await();
                }
              }

              void overloads(CancellableContext ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> use(ctx));
                  g.await();
                }
              }
            }
            """)
        .doTest();
  }
}
