package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

/**
 * {@link LostCancel} on grpc's {@code io.grpc.Context}: a {@code Context.CancellableContext} must
 * be cancelled on every path, and the context an {@code attach()} replaces must be restored by
 * {@code detach(previous)} on every path. The programs compile against the real grpc-api.
 */
final class LostCancelGrpcTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  private final FixRoundTrip refactoring = FixRoundTrip.newInstance(LostCancel.class, getClass());

  // ---------------------------------------------------------------------------------------------
  // Not flagged.

  @Test
  void cancellableContextCancelledOnEveryPath() {
    helper
        .addSourceLines(
            "Calls.java",
            """
            import io.grpc.Context;
            import io.grpc.Deadline;
            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;

            class Calls {
              void resource(Runnable work) {
                try (Context.CancellableContext cc = Context.current().withCancellation()) {
                  cc.run(work);
                }
              }

              void cancelledInFinally(Runnable work, ScheduledExecutorService scheduler) {
                Context.CancellableContext cc =
                    Context.current().withDeadlineAfter(1, TimeUnit.SECONDS, scheduler);
                try {
                  cc.run(work);
                } finally {
                  cc.cancel(null);
                }
              }

              void closed(Runnable work, Deadline deadline, ScheduledExecutorService scheduler) {
                Context.CancellableContext cc = Context.ROOT.withDeadline(deadline, scheduler);
                cc.run(work);
                cc.close();
              }

              void detachAndCancel(Runnable work) {
                Context.CancellableContext cc = Context.current().withCancellation();
                Context previous = cc.attach();
                try {
                  work.run();
                } finally {
                  cc.detachAndCancel(previous, null);
                }
              }

              void bothBranches(Runnable work, boolean fail) {
                Context.CancellableContext cc = Context.current().withCancellation();
                cc.run(work);
                if (fail) {
                  cc.cancel(new IllegalStateException("failed"));
                } else {
                  cc.close();
                }
              }
            }
            """)
        .doTest();
  }

  /** grpc's own pattern: a cancellable context kept in a field and cancelled elsewhere. */
  @Test
  void cancellableContextHandedOver() {
    helper
        .addSourceLines(
            "Server.java",
            """
            import io.grpc.Context;
            import java.io.Closeable;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Consumer;

            class Server {
              private Context.CancellableContext context;
              private final List<Closeable> closeables = new ArrayList<>();

              Context.CancellableContext created() {
                Context.CancellableContext cc = Context.current().withCancellation();
                return cc;
              }

              void stored() {
                Context.CancellableContext cc = Context.current().withCancellation();
                context = cc;
              }

              void call(Runnable work) {
                Context.CancellableContext cc = Context.current().withCancellation();
                new Listener(cc).start(work);
              }

              void toCloseable() {
                Context.CancellableContext cc = Context.current().withCancellation();
                closeables.add(cc);
              }

              void onDone(Consumer<Runnable> later) {
                Context.CancellableContext cc = Context.current().withCancellation();
                later.accept(cc::close);
              }

              void onCompletion(Consumer<Runnable> later) {
                Context.CancellableContext cc = Context.current().withCancellation();
                later.accept(() -> cc.cancel(null));
              }

              void cancel() {
                context.cancel(null);
              }

              static final class Listener {
                private final Context.CancellableContext context;

                Listener(Context.CancellableContext context) {
                  this.context = context;
                }

                void start(Runnable work) {
                  try {
                    context.run(work);
                  } finally {
                    context.cancel(null);
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void attachRestoredOnEveryPath() {
    helper
        .addSourceLines(
            "Attach.java",
            """
            import io.grpc.Context;
            import java.util.concurrent.Callable;

            class Attach {
              private Context saved;

              void tryFinally(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                try {
                  work.run();
                } finally {
                  ctx.detach(previous);
                }
              }

              void nestedTry(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                try {
                  try {
                    work.run();
                  } catch (RuntimeException e) {
                    throw new IllegalStateException(e);
                  }
                } finally {
                  ctx.detach(previous);
                }
              }

              void statementsBeforeTheTry(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                int tries = 0;
                try {
                  tries++;
                  work.run();
                } finally {
                  ctx.detach(previous);
                }
              }

              <T> T call(Context ctx, Callable<T> task) throws Exception {
                Context previous = ctx.attach();
                try {
                  return task.call();
                } finally {
                  ctx.detach(previous);
                }
              }

              /** Attached here, restored by exit(): the previous context is handed over. */
              Context enter(Context ctx) {
                Context previous = ctx.attach();
                return previous;
              }

              Context enterDirectly(Context ctx) {
                return ctx.attach();
              }

              void exit(Context ctx, Context previous) {
                ctx.detach(previous);
              }

              void intoAField(Context ctx) {
                saved = ctx.attach();
              }

              void toARestorer(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                work.run();
                restore(ctx, previous);
              }

              void safeForms(Context ctx, Runnable work, Callable<String> call) throws Exception {
                ctx.run(work);
                ctx.call(call);
                ctx.wrap(work).run();
              }

              void inALambda(Context ctx, Runnable work) {
                Runnable wrapped =
                    () -> {
                      Context previous = ctx.attach();
                      try {
                        work.run();
                      } finally {
                        ctx.detach(previous);
                      }
                    };
                wrapped.run();
              }

              static void restore(Context ctx, Context previous) {
                ctx.detach(previous);
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
            import io.grpc.Context;
            import java.util.concurrent.TimeUnit;

            class Shapes {
              static final Context.CancellableContext SERVER_LIFETIME = Context.ROOT.withCancellation();
              static final Context.CancellableContext SHUTDOWN;

              static {
                SHUTDOWN = Context.ROOT.withCancellation();
              }

              record Call(Context context) {
                void run(Runnable work) {
                  Context previous = context.attach();
                  try {
                    work.run();
                  } finally {
                    context.detach(previous);
                  }
                }
              }

              private final Context.CancellableContext owned;

              Shapes() {
                owned = Context.current().withCancellation();
              }

              Runnable anonymous(Runnable work) {
                return new Runnable() {
                  @Override
                  public void run() {
                    try (Context.CancellableContext cc = Context.current().withCancellation()) {
                      cc.run(work);
                    }
                  }
                };
              }

              void switchExpression(int mode, Runnable work) {
                Context.CancellableContext cc =
                    switch (mode) {
                      case 0 -> Context.current().withCancellation();
                      default -> Context.ROOT.withCancellation();
                    };
                try (cc) {
                  cc.run(work);
                }
              }

              void deadlineOfACallOption(io.grpc.CallOptions options) {
                options.withDeadlineAfter(1, TimeUnit.SECONDS);
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // Flagged.

  @Test
  void cancellableContextNotCancelled() {
    helper
        .addSourceLines(
            "Leaks.java",
            """
            import io.grpc.Context;
            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;

            class Leaks {
              String earlyReturn(Runnable work, boolean skip) {
                // BUG: Diagnostic contains: This io.grpc.Context.CancellableContext is not cancelled on every path: it leaks when the method returns at line 10; use try-with-resources (try (Context.CancellableContext cc = ...) { ... }) or call cc.cancel(cause) before that return
                Context.CancellableContext cc = Context.current().withCancellation();
                if (skip) {
                  return "";
                }
                cc.run(work);
                cc.cancel(null);
                return "done";
              }

              void never(Runnable work, ScheduledExecutorService scheduler) {
                Context.CancellableContext cc =
                    // BUG: Diagnostic contains: io.grpc.Context.CancellableContext is not cancelled
                    Context.current().withDeadlineAfter(5, TimeUnit.SECONDS, scheduler);
                cc.run(work);
              }

              void passedAsAPlainContext(Runnable work) {
                // BUG: Diagnostic contains: io.grpc.Context.CancellableContext is not cancelled
                Context.CancellableContext cc = Context.current().withCancellation();
                runIn(cc, work);
              }

              void attachedAndDetachedButNeverCancelled(Runnable work) {
                // BUG: Diagnostic contains: io.grpc.Context.CancellableContext is not cancelled
                Context.CancellableContext cc = Context.current().withCancellation();
                Context previous = cc.attach();
                try {
                  work.run();
                } finally {
                  cc.detach(previous);
                }
              }

              Runnable inALambda(Runnable work) {
                return () -> {
                  // BUG: Diagnostic contains: it leaks when the lambda ends
                  Context.CancellableContext cc = Context.current().withCancellation();
                  cc.run(work);
                };
              }

              void discarded(Runnable work, ScheduledExecutorService scheduler) {
                // BUG: Diagnostic contains: This io.grpc.Context.CancellableContext can never be cancelled because it is not kept
                Context.current().withDeadlineAfter(1, TimeUnit.SECONDS, scheduler).run(work);
              }

              static void runIn(Context ctx, Runnable work) {
                ctx.run(work);
              }
            }
            """)
        .doTest();
  }

  @Test
  void discardedInAStaticInitializer() {
    helper
        .addSourceLines(
            "Init.java",
            """
            import io.grpc.Context;

            class Init {
              static {
                // BUG: Diagnostic contains: can never be cancelled because it is not kept
                Context.ROOT.withCancellation().run(() -> {});
              }
            }
            """)
        .doTest();
  }

  @Test
  void attachNotRestored() {
    helper
        .addSourceLines(
            "Attach.java",
            """
            import io.grpc.Context;

            class Attach {
              String earlyReturn(Context ctx, Runnable work, boolean skip) {
                // BUG: Diagnostic contains: The context this attach() replaced is not restored on every path: it leaks when the method returns at line 8; restore it in a finally block (try { ... } finally { ctx.detach(previous); }) or call ctx.detach(previous) before that return, or use ctx.run(...), ctx.call(...) or ctx.wrap(...), which restore it themselves
                Context previous = ctx.attach();
                if (skip) {
                  return "";
                }
                work.run();
                ctx.detach(previous);
                return "done";
              }

              void never(Context ctx, Runnable work) {
                // BUG: Diagnostic contains: The context this attach() replaced is not restored
                Context previous = ctx.attach();
                work.run();
              }

              void discarded(Context ctx, Runnable work) {
                // BUG: Diagnostic contains: The context this attach() replaces is discarded, so it can never be restored
                ctx.attach();
                work.run();
              }

              void discardedReceiver(Context ctx) {
                // BUG: Diagnostic contains: ctx.run(...), ctx.call(...) or ctx.wrap(...)
                ctx.attach().isCancelled();
              }

              void restoredOnlyInACatch(Context ctx, Runnable work) {
                // BUG: Diagnostic contains: The context this attach() replaced is not restored
                Context previous = ctx.attach();
                try {
                  work.run();
                } catch (RuntimeException e) {
                  ctx.detach(previous);
                  throw e;
                }
              }

              Runnable inALambda(Context ctx, Runnable work) {
                return () -> {
                  // BUG: Diagnostic contains: it leaks when the lambda ends
                  Context previous = ctx.attach();
                  work.run();
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void attachExceptionalPathsOption() {
    helper
        .addSourceLines(
            "Attach.java",
            """
            import io.grpc.Context;

            class Attach {
              void notInAFinally(Context ctx, Runnable work) {
                // BUG: Diagnostic contains: restore it in a finally block
                Context previous = ctx.attach();
                work.run();
                ctx.detach(previous);
              }

              void inAFinally(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                try {
                  work.run();
                } finally {
                  ctx.detach(previous);
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
  void fixIsTryWithResources() {
    refactoring
        .addInputLines(
            "Calls.java",
            """
            import io.grpc.Context;

            class Calls {
              String call(Runnable work, boolean skip) {
                Context.CancellableContext cc = Context.current().withCancellation();
                if (skip) {
                  return "";
                }
                cc.run(work);
                return "done";
              }
            }
            """)
        .addOutputLines(
            "Calls.java",
            """
            import io.grpc.Context;

            class Calls {
              String call(Runnable work, boolean skip) {
                try (Context.CancellableContext cc = Context.current().withCancellation()) {
                  if (skip) {
                    return "";
                  }
                  cc.run(work);
                }
                return "done";
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixForAnAttach() {
    refactoring
        .addInputLines(
            "Attach.java",
            """
            import io.grpc.Context;

            class Attach {
              void never(Context ctx, Runnable work) {
                Context previous = ctx.attach();
                work.run();
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }
}
