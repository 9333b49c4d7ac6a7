package org.ctx4j.checks.inheritance;

import com.google.errorprone.BugCheckerRefactoringTestHelper.FixChoosers;
import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class ContextNotInheritedTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextNotInherited.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(ContextNotInherited.class, getClass());

  @Test
  void aRootInAFieldInitializerIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // no context in scope: field initialisers, initialiser blocks, plain methods
              private static final Context ROOT = Context.background();
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAnInitializerBlockIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              static {
                Context c = Context.todo();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAMethodWithoutAContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Context root() {
                return Context.background();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDerivedRootInAMethodWithoutAContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              CancellableContext start(String id) {
                return Context.withCancel(Context.background());
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInMainIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              public static void main(String[] args) throws Exception {
                Function<Context, String> f = ctx -> run(Context.background());
                System.out.println(f.apply(Context.background()));
              }

              static String run(Context ctx) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFallbackForANullContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // a fallback for a null context: passing ctx there would pass the null
              Context orRoot(Context ctx) {
                return ctx == null ? Context.background() : ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFallbackForANullContextInAnIfIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Context orRootIf(Context ctx) {
                if (ctx != null) {
                  return ctx;
                } else {
                  return Context.todo();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFallbackThroughRequireNonNullElseIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Context orRootCall(Context ctx) {
                return java.util.Objects.requireNonNullElse(ctx, Context.background());
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFallbackThroughOptionalIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Context orRootOptional(Context ctx) {
                return java.util.Optional.ofNullable(ctx).orElse(Context.background());
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDiscardedRootIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // a discarded value starts nothing
              void discarded(Context ctx) {
                Context.background();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootComparedOrAskedIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // compared or asked something, not handed on as a context
              boolean compared(Context ctx) {
                return ctx == Context.background()
                    || Context.todo() instanceof CancellableContext
                    || ctx.toString().contains(Context.background().toString())
                    || ((Context) Context.background()).deadline().isPresent();
              }
            }
            """)
        .doTest();
  }

  @Test
  void anotherContextTypeIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // the project's own Context type is not org.ctx4j.Context
              static final class Other {
                interface Context {}

                static Context background() {
                  return null;
                }

                Context use(Context ctx) {
                  return background();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootPassedOnIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String passed(Context ctx, String id) {
                // BUG: Diagnostic contains: pass it on instead of Context.background()
                return fetch(Context.background(), id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTodoPassedOnIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String todo(Context ctx, String id) {
                // BUG: Diagnostic contains: Context.todo()
                return fetch(Context.todo(), id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootReturnedIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              Context returned(Context ctx) {
                // BUG: Diagnostic contains: [ContextNotInherited]
                return Context.background();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootAssignedIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String assigned(Context ctx) {
                // BUG: Diagnostic contains: [ContextNotInherited]
                Context c = Context.background();
                return fetch(c, "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootAsAParentIsToldToUseWithoutCancel() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String detached(Context ctx) {
                // BUG: Diagnostic contains: Context.withoutCancel(ctx)
                try (CancellableContext c = Context.withTimeout(Context.background(), Duration.ofSeconds(1))) {
                  return fetch(c, "");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              Positives(Context parent) {
                // BUG: Diagnostic contains: (parent)
                fetch(Context.withValue(Context.todo(), "k", 1), "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootWhereATypeVariableContextIsInScopeIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              <C extends Context> String generic(C ctx) {
                // BUG: Diagnostic contains: [ContextNotInherited]
                return fetch(Context.background(), "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInASwitchExpressionIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String switched(Context ctx, int n) {
                return switch (n) {
                  // BUG: Diagnostic contains: [ContextNotInherited]
                  case 0 -> fetch(Context.background(), "zero");
                  default -> fetch(ctx, "other");
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaWithAContextParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              // a lambda's own context parameter is in scope inside it
              BiFunction<Context, String, String> handler =
                  // BUG: Diagnostic contains: (c)
                  (c, id) -> fetch(Context.background(), id);
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAnAnonymousClassMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              Object anonymous() {
                return new Object() {
                  String go(Context ctx) {
                    // BUG: Diagnostic contains: [ContextNotInherited]
                    return fetch(Context.todo(), "");
                  }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInARecordMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              record Request(String id) {
                String load(Context ctx) {
                  // BUG: Diagnostic contains: [ContextNotInherited]
                  return fetch(Context.background(), id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootWhereTheContextIsTheSecondParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static String secondParameter(String id, Context ctx) {
                // BUG: Diagnostic contains: (ctx)
                return fetch(Context.background(), id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void firstFixKeepsTheBehaviourWithWithoutCancel() {
    refactoring
        .addInputLines(
            "Service.java",
            """
            package demo;

            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Service {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String load(Context ctx, String id) {
                try (CancellableContext c = Context.withTimeout(Context.background(), Duration.ofSeconds(1))) {
                  return fetch(c, id) + fetch(Context.todo(), id);
                }
              }
            }
            """)
        .addOutputLines(
            "Service.java",
            """
            package demo;

            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Service {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String load(Context ctx, String id) {
                try (CancellableContext c = Context.withTimeout(Context.withoutCancel(ctx), Duration.ofSeconds(1))) {
                  return fetch(c, id) + fetch(Context.withoutCancel(ctx), id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void secondFixPassesTheContextInScope() {
    refactoring
        .setFixChooser(FixChoosers.SECOND)
        .addInputLines(
            "Audit.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Audit {
              static void record(Context ctx, String event) {}

              void handle(Context request, String event) {
                record(Context.background(), event);
              }
            }
            """)
        .addOutputLines(
            "Audit.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Audit {
              static void record(Context ctx, String event) {}

              void handle(Context request, String event) {
                record(request, event);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aSubtypeInScopeOnlyReplacesWhereItCannotChangeTheMeaning() {
    // A CancellableContext in scope: in `var c = ...` it would change c's type (the later
    // assignment of a plain Context would no longer compile), and as an argument it could pick
    // another overload; only the withoutCancel fix is offered there. As a factory's parent the
    // last fix is a plain replacement.
    refactoring
        .setFixChooser(fixes -> fixes.get(fixes.size() - 1))
        .addInputLines(
            "Worker.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Worker {
              static String use(Context ctx) {
                return "context";
              }

              static String use(CancellableContext ctx) {
                return "cancellable";
              }

              String run(CancellableContext ctx) {
                var c = Context.background();
                c = Context.withValue(c, "k", 1);
                return use(Context.todo()) + use(Context.withValue(Context.background(), "k", 2)) + c;
              }
            }
            """)
        .addOutputLines(
            "Worker.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Worker {
              static String use(Context ctx) {
                return "context";
              }

              static String use(CancellableContext ctx) {
                return "cancellable";
              }

              String run(CancellableContext ctx) {
                var c = Context.withoutCancel(ctx);
                c = Context.withValue(c, "k", 1);
                return use(Context.withoutCancel(ctx)) + use(Context.withValue(ctx, "k", 2)) + c;
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFixQualifiesContextWhenAnotherTypeHasTheSimpleName() {
    refactoring
        .addInputLines(
            "Android.java",
            """
            package demo;

            class Android {
              interface Context {}

              static String fetch(org.ctx4j.Context ctx) {
                return "";
              }

              String run(org.ctx4j.Context ctx, Context ui) {
                return fetch(org.ctx4j.Context.background());
              }
            }
            """)
        .addOutputLines(
            "Android.java",
            """
            package demo;

            class Android {
              interface Context {}

              static String fetch(org.ctx4j.Context ctx) {
                return "";
              }

              String run(org.ctx4j.Context ctx, Context ui) {
                return fetch(org.ctx4j.Context.withoutCancel(ctx));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaSubmittedWhereAContextIsInScopeIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                // BUG: Diagnostic contains: created where a context is in scope (ctx)
                executor.submit(() -> fetch(Context.background(), id));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaWithoutAContextParameterIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Function<String, String> handler(Context ctx) {
                // BUG: Diagnostic contains: Context.withoutCancel(ctx)
                return id -> fetch(Context.todo(), id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAnAnonymousClassCreatedWhereAContextIsInScopeIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Callable<String> later(Context ctx) {
                return new Callable<>() {
                  @Override
                  public String call() {
                    // BUG: Diagnostic contains: [ContextNotInherited]
                    return fetch(Context.todo(), "");
                  }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALocalClassIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              String local(Context ctx) {
                class Job {
                  String go() {
                    // BUG: Diagnostic contains: [ContextNotInherited]
                    return fetch(Context.background(), "");
                  }
                }
                return new Job().go();
              }
            }
            """)
        .doTest();
  }

  /**
   * A local record, enum or interface is implicitly static: the context of the method around it is
   * not in scope inside it (Java rejects a reference to it), so a root there is not flagged; a
   * local class declared next to it, which captures the context, is (the twin).
   */
  @Test
  void aRootInALocalRecordEnumOrInterfaceIsNotFlagged() {
    helper
        .addSourceLines(
            "Probes.java",
            """
            package demo;

            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Probes {
              static String fetch(Context ctx, String id) {
                return id;
              }

              String probe(Context ctx, String name) {
                record Probe(String name) {
                  String check() {
                    return fetch(Context.background(), name);
                  }

                  Supplier<String> later() {
                    return () -> fetch(Context.todo(), name);
                  }
                }
                enum Mode {
                  ON {
                    @Override
                    String run(String id) {
                      return fetch(Context.background(), id);
                    }
                  };

                  abstract String run(String id);
                }
                interface Check {
                  static String run(String id) {
                    return fetch(Context.background(), id);
                  }
                }
                class Captures {
                  String check() {
                    // BUG: Diagnostic contains: [ContextNotInherited]
                    return fetch(Context.background(), name);
                  }
                }
                return new Probe(name).check() + Mode.ON.run(name) + Check.run(name)
                    + new Captures().check() + fetch(ctx, name);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAFieldInitializerOfAnAnonymousClassIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Object holder(Context ctx) {
                return new Object() {
                  // BUG: Diagnostic contains: [ContextNotInherited]
                  final Context root = Context.background();
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInNestedLambdasIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Supplier<Supplier<String>> nested(Context ctx) {
                // BUG: Diagnostic contains: (ctx)
                return () -> () -> fetch(Context.background(), "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInAConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Tasks() {}

              Tasks(ExecutorService executor, Context parent) {
                // BUG: Diagnostic contains: (parent)
                executor.execute(() -> fetch(Context.background(), ""));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInARecordMethodIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              record Request(String id) {
                String load(Context ctx) {
                  // BUG: Diagnostic contains: [ContextNotInherited]
                  return supply(() -> fetch(Context.todo(), id));
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInsideATaskUsesTheTasksOwnContext() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              // the task's own context is the context in scope, not the method's
              Function<Context, String> task(Context outer) {
                // BUG: Diagnostic contains: (task)
                return task -> supply(() -> fetch(Context.background(), ""));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootWhereTheCapturedNameIsShadowedIsFlaggedWithoutAFix() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Function<String, String> shadowed(Context ctx) {
                return new Function<>() {
                  @Override
                  public String apply(String ctx) {
                    // BUG: Diagnostic contains: [ContextNotInherited]
                    return fetch(Context.background(), ctx);
                  }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInMainIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              public static void main(String[] args) {
                Supplier<String> s = () -> fetch(Context.background(), "");
                Object o =
                    new Object() {
                      final Context root = Context.background();
                    };
                System.out.println(s.get() + o);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInAStaticInitializerIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              static final String FIRST;

              static {
                Supplier<String> s = () -> fetch(Context.background(), "");
                FIRST = s.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRootInALambdaInAFieldInitializerIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              final Supplier<String> first = () -> fetch(Context.background(), "");
              final Callable<String> second =
                  new Callable<>() {
                    @Override
                    public String call() {
                      return fetch(Context.todo(), "");
                    }
                  };
            }
            """)
        .doTest();
  }

  @Test
  void aRootInAMemberClassOfAMethodWithAContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              // a member class is not created by the method next to it
              String unrelated(Context ctx) {
                return new Member().go();
              }

              static final class Member {
                String go() {
                  return fetch(Context.background(), "");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFallbackForANullContextAroundALambdaIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Supplier<String> orRoot(Context ctx) {
                if (ctx == null) {
                  return () -> fetch(Context.background(), "");
                }
                return () -> fetch(ctx, "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void aMethodReferenceIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.Callable;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Tasks {
              static String fetch(Context ctx, String id) {
                return id;
              }

              static <T> T supply(Supplier<T> s) {
                return s.get();
              }

              Supplier<Context> roots(Context ctx) {
                return Context::background;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCapturedRootFirstGetsWithoutCancel() {
    refactoring
        .addInputLines(
            "Submit.java",
            """
            package demo;

            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                executor.submit(() -> fetch(Context.background(), id));
              }
            }
            """)
        .addOutputLines(
            "Submit.java",
            """
            package demo;

            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                executor.submit(() -> fetch(Context.withoutCancel(ctx), id));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCapturedRootSecondGetsTheContext() {
    refactoring
        .setFixChooser(FixChoosers.SECOND)
        .addInputLines(
            "Submit.java",
            """
            package demo;

            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                executor.submit(() -> fetch(Context.background(), id));
              }
            }
            """)
        .addOutputLines(
            "Submit.java",
            """
            package demo;

            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                executor.submit(() -> fetch(ctx, id));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aReassignedContextCannotBeCapturedSoNoFix() {
    refactoring
        .addInputLines(
            "Submit.java",
            """
            package demo;

            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                ctx = Context.withValue(ctx, "k", id);
                executor.submit(() -> fetch(Context.background(), id));
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void didYouMeanShowsTheFixThatKeepsTheBehaviour() {
    helper
        .addSourceLines(
            "Submit.java",
            """
            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;

            class Submit {
              static String fetch(Context ctx, String id) {
                return id;
              }

              void submit(ExecutorService executor, Context ctx, String id) {
                // BUG: Diagnostic contains: Did you mean 'executor.submit(() -> fetch(Context.withoutCancel(ctx), id));'
                executor.submit(() -> fetch(Context.background(), id));
              }

              String load(Context ctx, String id) {
                // BUG: Diagnostic contains: Did you mean 'return fetch(Context.withoutCancel(ctx), id);'
                return fetch(Context.todo(), id);
              }
            }
            """)
        .doTest();
  }
}
