package org.ctx4j.checks.nullcontext;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class NullContextTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(NullContext.class, getClass());
  private final FixRoundTrip refactoring = FixRoundTrip.newInstance(NullContext.class, getClass());

  /** A service other files call; its parameters are contexts. */
  private static final String[] SERVICE = {
    "Service.java",
    """
    package demo;

    import org.ctx4j.CancellableContext;
    import org.ctx4j.Context;

    public class Service {
      public Service(Context ctx) {}

      public static String fetch(Context ctx, int id) {
        return "";
      }

      public static void all(Context... ctxs) {}

      public static void stop(CancellableContext ctx) {}

      public static <C extends Context> C same(C ctx) {
        return ctx;
      }

      public static void maybe(@Nullable Context ctx) {}

      public static void maybeTypeUse(@org.jspecify.annotations.Nullable Context ctx) {}
    }
    """
  };

  /** A declaration annotation named Nullable, as javax.annotation and others provide. */
  private static final String[] NULLABLE = {
    "Nullable.java",
    """
    package demo;

    import java.lang.annotation.Retention;
    import java.lang.annotation.RetentionPolicy;

    @Retention(RetentionPolicy.CLASS)
    public @interface Nullable {}
    """
  };

  @Test
  void realCodeThatPassesContextsIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              private Context field;

              interface Source {
                Object get();
              }

              void real(Context ctx, boolean flag) {
                Service.fetch(ctx, 1);
                Service.fetch(Context.todo(), 2);
                // null where the parameter is not a context
                Context.withValue(ctx, Negatives.class, null);
                String s = null;
                System.out.println(s);
                // a container or reference of contexts may be cleared
                AtomicReference<Context> ref = new AtomicReference<>(ctx);
                ref.set(null);
                List<Context> list = new ArrayList<>();
                list.add(null);
                Map<String, Context> map = new HashMap<>();
                map.put("a", null);
                // a generic method instantiated at Context declares T, not a context
                this.<Context>generic(null);
                // a value that may or may not be null is not known to be null
                Context maybe = flag ? null : ctx;
                Service.fetch(maybe, 3);
                Context later = null;
                later = Context.todo();
                Service.fetch(later, 4);
                Context fallback = null;
                if (fallback == null) {
                  fallback = Context.background();
                }
                Service.fetch(fallback, 5);
                // a field may have been set elsewhere
                Service.fetch(field, 6);
                // parameters declared @Nullable accept null by contract
                Service.maybe(null);
                Service.maybeTypeUse(null);
                // an array argument, not an element
                Service.all((Context[]) null);
                // functional types whose method is declared with type variables
                Supplier<Context> supplier = () -> null;
                Function<String, Context> function = k -> null;
                Callable<Context> callable = () -> { return null; };
                Source source = () -> null;
                // method references pass no null
                Supplier<Context> todo = Context::todo;
                Function<Context, String> fetch = c -> Service.fetch(c, 1);
                Function<Context, Context> same = Service::same;
              }

              <T> void generic(T value) {}
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void nullPassedThroughAHelperTakingAnExecutableIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // a helper of any name that takes JUnit's Executable runs code expected to throw
              static void npe(String name, org.junit.jupiter.api.function.Executable call) {}

              static void assertNpe(Runnable call) {}

              void rejectsNullThroughHelpers() {
                npe("parent", () -> Context.withCancel(null));
                assertNpe(() -> Service.fetch(null, 2));
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void nullInsideAssertThrowsIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // tests that null is rejected pass it on purpose
              static <T extends Throwable> T assertThrows(Class<T> type, Runnable body) {
                return null;
              }

              void rejectsNull() {
                assertThrows(NullPointerException.class, () -> Context.withCancel(null));
                assertThrows(NullPointerException.class, () -> {
                  Service.fetch(null, 1);
                });
                try {
                  Context.withValue(null, Negatives.class, "v");
                } catch (NullPointerException expected) {
                }
                try {
                  Context.cause(null);
                } catch (IllegalStateException | NullPointerException expected) {
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aNullableContextReturnTypeIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              @Nullable
              Context lookup() {
                return null;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aNullReturnedWhereNoContextIsExpectedIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Object notAContext() {
                return null;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void returnsOfLambdasAndClassesInsideAreNotTheMethods() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Context inner(Context ctx) {
                // returns inside lambdas and classes belong to them, not to this method
                Supplier<Object> s = () -> { return null; };
                Object o = new Object() {
                  @Override
                  public String toString() {
                    return null;
                  }
                };
                return ctx;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aMethodReturningADerivedContextIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              CancellableContext child(Context ctx) {
                return Context.withCancel(ctx);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void superNullInAUserContextsConstructorIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Roots.java",
            """
            package demo;

            import java.time.Instant;
            import java.util.Optional;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            // A user implementation of Context: its root has no parent.
            abstract class Base implements Context {
              final Context parent;

              Base(Context parent) {
                this.parent = parent;
              }

              @Override
              public Optional<Instant> deadline() {
                return Optional.empty();
              }

              @Override
              public ContextDoneException err() {
                return null;
              }

              @Override
              public Object value(Object key) {
                return parent == null ? null : parent.value(key);
              }
            }

            final class Root extends Base {
              Root() {
                super(null);
              }

              Root(int unused) {
                this();
              }

              @Override
              public Done done() {
                return Context.background().done();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void anotherContextTypeIsNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Other.java",
            """
            package demo;

            // Not ctx4j's Context: a class that happens to share the simple name
            class Other {
              static class Context {}

              static void run(Context ctx) {}

              void call() {
                run(null);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void nullToAnEnumConstantsConstructorIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              enum Mode {
                // BUG: Diagnostic contains: passes a null context
                FAST(null);

                Mode(Context ctx) {}
              }

              void factories(boolean flag) {
                // BUG: Diagnostic contains: passes a null context
                Context.withCancel(null);
                // BUG: Diagnostic contains: passes a null context
                Context.withTimeout(null, Duration.ofSeconds(1));
                // BUG: Diagnostic contains: passes a null context
                Context.withDeadline(null, Instant.now());
                // BUG: Diagnostic contains: passes a null context
                Context.withValue(null, Mode.FAST, "v");
                // BUG: Diagnostic contains: passes a null context
                Context.withoutCancel(null);
                // BUG: Diagnostic contains: passes a null context
                Context.afterFunc(null, () -> {});
                // BUG: Diagnostic contains: passes a null context
                Context.cause(null);
                // BUG: Diagnostic contains: passes a null context
                withCancel(null);
                // BUG: Diagnostic contains: passes a null context
                try (CancellableContext ctx = Context.withTimeoutCause(null, Duration.ZERO, null)) {
                  ctx.cancel();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullToThisAndSuperConstructorsIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static class Worker {
                Worker(Context ctx) {}

                Worker() {
                  // BUG: Diagnostic contains: passes a null context
                  this(null);
                }
              }

              static class SubWorker extends Worker {
                SubWorker() {
                  // BUG: Diagnostic contains: passes a null context
                  super(null);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullLiteralsToParametersAndConstructorsAreFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              record Request(Context ctx, String id) {}

              void shapes(boolean flag, int n) {
                // BUG: Diagnostic contains: passes a null context
                Service.fetch((Context) null, 1);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch((null), 2);
                Context none = null;
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(none, 4);
                var alsoNone = (Context) null;
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(alsoNone, 5);
                // BUG: Diagnostic contains: passes a null context
                new Service(null);
                // BUG: Diagnostic contains: passes a null context
                new Service(null) {};
                // BUG: Diagnostic contains: passes a null context
                new Request(null, "id");
                // BUG: Diagnostic contains: passes a null context
                Service.stop(null);
                // BUG: Diagnostic contains: passes a null context
                Service.same(null);
                // BUG: Diagnostic contains: passes a null context
                Service.all(Context.todo(), null);
                String s =
                    switch (n) {
                      // BUG: Diagnostic contains: passes a null context
                      case 1 -> Service.fetch(null, 6);
                      default -> "";
                    };
                Runnable r =
                    () -> {
                      // BUG: Diagnostic contains: passes a null context
                      Service.fetch(null, 7);
                    };
                // BUG: Diagnostic contains: passes a null context
                new Thread(() -> Service.fetch(null, 11)).start();
                Object o =
                    new Object() {
                      void run() {
                        // BUG: Diagnostic contains: passes a null context
                        Service.fetch(null, 8);
                      }
                    };
                class Local {
                  void run() {
                    // BUG: Diagnostic contains: passes a null context
                    Service.fetch(null, 9);
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConditionalWhoseValuesAreAllNullIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void conditional(boolean flag) {
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(flag ? null : null, 3);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullInATryThatCatchesSomethingElseIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void caughtSomethingElse() {
                try {
                  // BUG: Diagnostic contains: passes a null context
                  Context.withCancel(null);
                } catch (IllegalStateException e) {
                } finally {
                  // BUG: Diagnostic contains: passes a null context
                  Context.cause(null);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aVariableComparedEqualToNullIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void checked(Context ctx) {
                if (ctx == null) {
                  // BUG: Diagnostic contains: passes a null context
                  Service.fetch(ctx, 10);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningNullIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              Context returnsNull() {
                // BUG: Diagnostic contains: returns a null context
                return null;
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningANullLocalOfACancellableTypeIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              CancellableContext returnsNullCancellable(boolean flag) {
                CancellableContext none = null;
                // BUG: Diagnostic contains: returns a null context
                return none;
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningNullAsATypeVariableIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              <C extends Context> C returnsNullGeneric() {
                // BUG: Diagnostic contains: returns a null context
                return (C) null;
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningNullFromADefaultMethodIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface WithDefault {
                default Context context() {
                  // BUG: Diagnostic contains: returns a null context
                  return null;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void lambdasReturningNullAreFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.time.Instant;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface ContextSource {
                Context get();
              }

              void lambdas() {
                // BUG: Diagnostic contains: returns a null context
                ContextSource expression = () -> null;
                ContextSource block =
                    () -> {
                      // BUG: Diagnostic contains: returns a null context
                      return null;
                    };
              }
            }
            """)
        .doTest();
  }

  /**
   * Two compilation units whose members have the same shape and positions: what one member can make
   * null is never taken for the other's (the first has no null, the second sets its local to null;
   * the fix in the second must not offer the local compared with null in the first).
   */
  @Test
  void eachMemberIsAskedAboutItself() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "First.java",
            """
            package demo;

            import org.ctx4j.Context;

            class First {
              void run(Context parent) {
                Context ctx = parent;
                ctx = parent;
                Service.fetch(ctx, 1);
              }
            }
            """)
        .addSourceLines(
            "Second.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Second {
              void run(Context parent) {
                Context ctx = parent;
                ctx = null;
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(ctx, 1);
              }
            }
            """)
        .doTest();
  }

  /**
   * Nulls the nullness dataflow does not see: switch expressions, final fields (also of another
   * class), captured locals, and any null in a method the dataflow cannot analyse.
   */
  @Test
  void aNullConstantInACompactRecordConstructorIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              private static final Context UNSET = null;

              record Job(Context ctx, String id) {
                Job {
                  // BUG: Diagnostic contains: passes a null context
                  Service.fetch(UNSET, 0);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void switchExpressionsWhoseValuesAreAllNullAreFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              void switches(int n, Context ctx) {
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(switch (n) { case 1 -> null; default -> (Context) null; }, 1);
                Context fromRules =
                    switch (n) {
                      case 1 -> null;
                      case 2 -> {
                        if (n > 0) {
                          yield null;
                        }
                        yield (null);
                      }
                      default -> throw new IllegalArgumentException();
                    };
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(fromRules, 2);
                Context fromStatements =
                    switch (n) {
                      case 1:
                        yield null;
                      default:
                        yield null;
                    };
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(fromStatements, 3);
                Context fed;
                switch (n) {
                  case 1:
                    fed = null;
                    break;
                  default:
                    fed = null;
                }
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(fed, 4);
                Context arrows;
                switch (n) {
                  case 1 -> arrows = null;
                  default -> arrows = null;
                }
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(arrows, 5);
              }
            }
            """)
        .doTest();
  }

  @Test
  void finalFieldsInitialisedWithNullAreFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              private static final Context UNSET = null;
              private final Context unsetHere = null;

              void fields(Shapes other) {
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(UNSET, 1);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(Defaults.NONE, 2);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(NONE, 3);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(Defaults.ALSO_NONE, 4);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(this.unsetHere, 5);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(other.unsetHere, 6);
                // BUG: Diagnostic contains: passes a null context
                Context.withCancel(UNSET);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullLocalsCapturedByLambdasAreFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              void capturedAndUnanalysable(boolean flag) {
                Context none = null;
                // BUG: Diagnostic contains: passes a null context
                Runnable r = () -> Service.fetch(none, 1);
                Supplier<String> s =
                    () -> {
                      // BUG: Diagnostic contains: passes a null context
                      return Service.fetch(none, 2);
                    };
                // the dataflow rejects this method; the other nulls are still found
                Object both = flag ? null : null;
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(none, 3);
                // BUG: Diagnostic contains: passes a null context
                Service.fetch(flag ? none : null, 4);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aVariableTestedWithObjectsIsNullIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              void isNull(Context ctx) {
                if (Objects.isNull(ctx)) {
                  // BUG: Diagnostic contains: passes a null context
                  Service.fetch(ctx, 1);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningASwitchOfNullsIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              private static final Context UNSET = null;

              Context returned(int n) {
                // BUG: Diagnostic contains: returns a null context
                return switch (n) {
                  case 1 -> null;
                  default -> UNSET;
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void returningANullConstantOfAnotherClassIsFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Shapes.java",
            """
            package demo;

            import static demo.Defaults.NONE;

            import java.util.Objects;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Shapes {
              interface Defaulted {
                default Context context() {
                  // BUG: Diagnostic contains: returns a null context
                  return Defaults.NONE;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void valuesThatAreNotAlwaysNullAreNotFlagged() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Defaults.java",
            """
            package demo;

            import org.ctx4j.Context;

            public final class Defaults {
              public static final Context NONE = null;
              public static final Context ALSO_NONE = NONE;
              public static final Context ROOT = Context.background();
              public static Context mutable = null;
            }
            """)
        .addSourceLines(
            "Quiet.java",
            """
            package demo;

            import java.util.Objects;
            import org.ctx4j.Context;

            class Quiet {
              private static Context notFinal = null;
              private static final Context SET;
              private final Context assignedInConstructor;

              static {
                SET = Context.background();
              }

              Quiet(Context ctx) {
                assignedInConstructor = ctx;
              }

              void run(int n, Context ctx, boolean flag) {
                // some arm yields a context
                Service.fetch(switch (n) { case 1 -> null; default -> ctx; }, 1);
                Context some =
                    switch (n) {
                      case 1 -> null;
                      case 2 -> {
                        yield ctx;
                      }
                      default -> throw new IllegalStateException();
                    };
                Service.fetch(some, 2);
                // a yield of a nested switch expression belongs to it
                Context nested =
                    switch (n) {
                      case 1 -> {
                        Object inner = switch (n) { case 2 -> { yield ctx; } default -> null; };
                        yield ctx;
                      }
                      default -> null;
                    };
                Service.fetch(nested, 3);
                // fields that are not final, or final without a null initializer
                Service.fetch(notFinal, 4);
                Service.fetch(SET, 5);
                Service.fetch(assignedInConstructor, 6);
                Service.fetch(Defaults.ROOT, 7);
                Service.fetch(Defaults.mutable, 8);
                // a local assigned again
                Context later = null;
                later = ctx;
                Context copy = later;
                Service.fetch(copy, 9);
                Runnable r = () -> Service.fetch(Context.todo(), 10);
                if (Objects.nonNull(ctx)) {
                  Service.fetch(ctx, 11);
                }
                Object both = flag ? null : null;
                Context maybe = flag ? null : ctx;
                Service.fetch(maybe, 12);
              }
            }
            """)
        .doTest();
  }

  /** Just enough of AssertJ's API, in its own packages, to tell its assertions apart. */
  private static final String[] ASSERTJ = {
    "org/assertj/core/api/Assertions.java",
    """
    package org.assertj.core.api;

    public class Assertions {
      public static ThrowableAssert assertThatThrownBy(ThrowableAssert.ThrowingCallable c) {
        return null;
      }

      public static ThrowableAssert assertThatCode(ThrowableAssert.ThrowingCallable c) {
        return null;
      }

      public static Throwable catchThrowable(ThrowableAssert.ThrowingCallable c) {
        return null;
      }

      public static ThrowableTypeAssert assertThatExceptionOfType(Class<? extends Throwable> t) {
        return null;
      }

      public static ThrowableTypeAssert assertThatNullPointerException() {
        return null;
      }

      public static NotThrownAssert assertThatNoException() {
        return null;
      }
    }
    """,
    "org/assertj/core/api/ThrowableAssert.java",
    """
    package org.assertj.core.api;

    public class ThrowableAssert {
      public interface ThrowingCallable {
        void call() throws Throwable;
      }

      public void doesNotThrowAnyException() {}

      public ThrowableAssert isInstanceOf(Class<?> type) {
        return this;
      }
    }
    """,
    "org/assertj/core/api/ThrowableTypeAssert.java",
    """
    package org.assertj.core.api;

    public class ThrowableTypeAssert {
      public ThrowableAssert isThrownBy(ThrowableAssert.ThrowingCallable c) {
        return null;
      }
    }
    """,
    "org/assertj/core/api/NotThrownAssert.java",
    """
    package org.assertj.core.api;

    public class NotThrownAssert {
      public void isThrownBy(ThrowableAssert.ThrowingCallable c) {}
    }
    """
  };

  /**
   * Only lambdas that a test expects to throw are exempt: the ones the frameworks' success
   * assertions run ({@code assertDoesNotThrow}, {@code assertTimeout}, {@code assertAll}, AssertJ's
   * {@code assertThatCode} and {@code assertThatNoException().isThrownBy}) are checked.
   */
  @Test
  void nullInsideLambdasExpectedToSucceed() {
    helper
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(ASSERTJ[0], ASSERTJ[1])
        .addSourceLines(ASSERTJ[2], ASSERTJ[3])
        .addSourceLines(ASSERTJ[4], ASSERTJ[5])
        .addSourceLines(ASSERTJ[6], ASSERTJ[7])
        .addSourceLines(
            "Succeeds.java",
            """
            package demo;

            import static org.assertj.core.api.Assertions.assertThatCode;
            import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
            import static org.assertj.core.api.Assertions.assertThatNoException;
            import static org.assertj.core.api.Assertions.assertThatNullPointerException;
            import static org.assertj.core.api.Assertions.assertThatThrownBy;
            import static org.assertj.core.api.Assertions.catchThrowable;
            import static org.junit.jupiter.api.Assertions.assertAll;
            import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
            import static org.junit.jupiter.api.Assertions.assertThrows;
            import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
            import static org.junit.jupiter.api.Assertions.assertTimeout;
            import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

            import java.time.Duration;
            import org.ctx4j.Context;
            import org.junit.jupiter.api.Assertions;
            import org.junit.jupiter.api.function.Executable;

            class Succeeds {
              void expectedToSucceed() {
                // BUG: Diagnostic contains: [NullContext]
                assertDoesNotThrow(() -> Service.fetch(null, 1));
                // BUG: Diagnostic contains: [NullContext]
                assertDoesNotThrow(() -> { Context.withCancel(null); });
                // BUG: Diagnostic contains: [NullContext]
                Assertions.assertDoesNotThrow(() -> Service.fetch(null, 2), "message");
                // BUG: Diagnostic contains: [NullContext]
                assertTimeout(Duration.ofSeconds(1), () -> Service.fetch(null, 3));
                // BUG: Diagnostic contains: [NullContext]
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> Service.fetch(null, 4));
                // BUG: Diagnostic contains: [NullContext]
                assertAll(() -> Service.fetch(null, 5));
                // BUG: Diagnostic contains: [NullContext]
                assertThatCode(() -> Service.fetch(null, 6)).doesNotThrowAnyException();
                // BUG: Diagnostic contains: [NullContext]
                assertThatNoException().isThrownBy(() -> Service.fetch(null, 7));
                // BUG: Diagnostic contains: [NullContext]
                assertNoFailure(() -> Service.fetch(null, 8));
                // BUG: Diagnostic contains: [NullContext]
                assertDoesNotThrowNpe(() -> Service.fetch(null, 9));
                // a lambda nested in a throwing assertion's lambda, but run by assertDoesNotThrow
                assertAll(
                    // BUG: Diagnostic contains: [NullContext]
                    () -> assertDoesNotThrow(() -> Service.fetch(null, 10)));
              }

              void expectedToThrow(Context ctx) {
                assertThrows(NullPointerException.class, () -> Service.fetch(null, 1));
                assertThrowsExactly(NullPointerException.class, () -> Context.withCancel(null));
                Assertions.assertThrows(NullPointerException.class, () -> Context.withCancel(null));
                assertThatThrownBy(() -> Service.fetch(null, 2)).isInstanceOf(Object.class);
                assertThatExceptionOfType(NullPointerException.class)
                    .isThrownBy(() -> Context.withCancel(null));
                assertThatNullPointerException().isThrownBy(() -> Context.withTimeout(null, null));
                Throwable t = catchThrowable(() -> Context.withCancel(null));
                // success expected around, failure expected inside
                assertDoesNotThrow(
                    () -> assertThrows(NullPointerException.class, () -> Context.withCancel(null)));
                // the project's own helpers: by the interface they take, or by their name
                npe(() -> Context.withCancel(null));
                assertNpe(() -> Service.fetch(null, 3));
                expectRejected(() -> Service.fetch(null, 4));
                Executable stored = () -> Context.withCancel(null);
                assertThrows(NullPointerException.class, stored);
              }

              static void npe(Executable call) {}

              static void assertNpe(Runnable call) {}

              static void expectRejected(Runnable call) {}

              static void assertNoFailure(Runnable call) {}

              static void assertDoesNotThrowNpe(Runnable call) {}
            }
            """)
        .doTest();
  }

  /**
   * The anonymous subclass of an inner class, created through an outer instance: javac's
   * constructor for it takes the outer instance first, then the written arguments, which map to the
   * superclass constructor's parameters.
   */
  @Test
  void nullToAnonymousSubclassOfInnerClass() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(
            "Outer.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Outer {
              class Inner {
                Inner(Context ctx) {}

                Inner(String name, Context ctx) {}
              }

              class Many {
                Many(String name, Context... ctxs) {}
              }

              class Gen<T> {
                Gen(Context ctx, T value) {}
              }

              class Maybe {
                Maybe(@Nullable Context ctx) {}
              }

              void make(Outer outer, Context ctx) {
                // BUG: Diagnostic contains: [NullContext]
                Inner a = outer.new Inner(null) {};
                // BUG: Diagnostic contains: [NullContext]
                Inner b = outer.new Inner("b", null) {};
                // BUG: Diagnostic contains: [NullContext]
                Inner c = this.new Inner((Context) null) {};
                // BUG: Diagnostic contains: [NullContext]
                Inner d = new Inner(null) {};
                // BUG: Diagnostic contains: [NullContext]
                Many e = outer.new Many("e", ctx, null) {};
                // BUG: Diagnostic contains: [NullContext]
                Gen<String> f = outer.new Gen<String>(null, "f") {};
                Context none = null;
                // BUG: Diagnostic contains: [NullContext]
                Inner g = outer.new Inner("g", none) {};

                // Not flagged: a real context, a null that is not a context, a @Nullable parameter.
                Inner ok = outer.new Inner(ctx) {};
                Inner alsoOk = outer.new Inner(null, ctx) {};
                Gen<String> value = outer.new Gen<String>(ctx, null) {};
                Maybe maybe = outer.new Maybe(null) {};
                Inner plain = outer.new Inner(Context.todo());
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementInAnonymousSubclassOfInnerClass() {
    refactoring
        .addInputLines(
            "Outer.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Outer {
              class Inner {
                Inner(String name, Context ctx) {}
              }

              Inner make(Outer outer) {
                return outer.new Inner("x", null) {};
              }
            }
            """)
        .addOutputLines(
            "Outer.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Outer {
              class Inner {
                Inner(String name, Context ctx) {}
              }

              Inner make(Outer outer) {
                return outer.new Inner("x", Context.todo()) {};
              }
            }
            """)
        .doTest();
  }

  @Test
  void withNoContextInScopeTheFixPassesContextTodoAndImportsContext() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            class Caller {
              String call() {
                return Service.fetch(null, 1);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Caller {
              String call() {
                return Service.fetch(Context.todo(), 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementOfKnownNullVariableAndReturn() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Caller {
              Context parent() {
                return null;
              }

              String call() {
                Context ctx = null;
                return Service.fetch(ctx, 1);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Caller {
              Context parent() {
                return Context.todo();
              }

              String call() {
                Context ctx = null;
                return Service.fetch(Context.todo(), 1);
              }
            }
            """)
        .doTest();
  }

  /** The fix passes the context the code already has: a parameter first, else the only local. */
  @Test
  void replacementUsesTheContextInScope() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              interface Handler {
                String handle(int id, Context ctx);
              }

              interface Wrapper {
                Context wrap(Context ctx);
              }

              String parameter(int id, Context ctx) {
                return Service.fetch(null, id);
              }

              Context returned(Context parent) {
                return null;
              }

              Handler lambda() {
                return (id, c) -> Service.fetch(null, id);
              }

              Wrapper expressionLambda() {
                return c -> null;
              }

              void lambdaWithoutContextUsesTheMethods(Context ctx) {
                Runnable r = () -> Service.fetch(null, 1);
              }

              void local() {
                Context root = Context.background();
                Service.fetch(null, 1);
              }

              void resource(Context parent) {
                try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(1))) {
                  Service.stop(null);
                }
              }

              void twoLocals() {
                Context a = Context.background();
                Context b = Context.todo();
                Service.fetch(null, 1);
              }

              void localDeclaredLater() {
                Service.fetch(null, 1);
                Context late = Context.background();
              }

              void anonymous(Context outer) {
                Handler h =
                    new Handler() {
                      @Override
                      public String handle(int id, Context mine) {
                        return Service.fetch(null, id);
                      }
                    };
              }

              static {
                Service.fetch(null, 0);
              }

              void checkedParameter(Context ctx) {
                if (ctx == null) {
                  Service.fetch(null, 1);
                }
              }

              void notCapturable() {
                Context root = Context.background();
                root = Context.todo();
                Runnable r = () -> Service.fetch(null, 1);
              }

              void inItsOwnDeclaration() {
                Context child = Context.withCancel(null);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              interface Handler {
                String handle(int id, Context ctx);
              }

              interface Wrapper {
                Context wrap(Context ctx);
              }

              String parameter(int id, Context ctx) {
                return Service.fetch(ctx, id);
              }

              Context returned(Context parent) {
                return parent;
              }

              Handler lambda() {
                return (id, c) -> Service.fetch(c, id);
              }

              Wrapper expressionLambda() {
                return c -> c;
              }

              void lambdaWithoutContextUsesTheMethods(Context ctx) {
                Runnable r = () -> Service.fetch(ctx, 1);
              }

              void local() {
                Context root = Context.background();
                Service.fetch(root, 1);
              }

              void resource(Context parent) {
                try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(1))) {
                  Service.stop(ctx);
                }
              }

              void twoLocals() {
                Context a = Context.background();
                Context b = Context.todo();
                Service.fetch(Context.todo(), 1);
              }

              void localDeclaredLater() {
                Service.fetch(Context.todo(), 1);
                Context late = Context.background();
              }

              void anonymous(Context outer) {
                Handler h =
                    new Handler() {
                      @Override
                      public String handle(int id, Context mine) {
                        return Service.fetch(mine, id);
                      }
                    };
              }

              static {
                Service.fetch(Context.todo(), 0);
              }

              void checkedParameter(Context ctx) {
                if (ctx == null) {
                  Service.fetch(Context.todo(), 1);
                }
              }

              void notCapturable() {
                Context root = Context.background();
                root = Context.todo();
                Runnable r = () -> Service.fetch(Context.todo(), 1);
              }

              void inItsOwnDeclaration() {
                Context child = Context.withCancel(Context.todo());
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConstructorPassesItsOwnContextParameter() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              private final String name;

              Caller(Context ctx, String name) {
                this.name = Service.fetch(null, 1);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              private final String name;

              Caller(Context ctx, String name) {
                this.name = Service.fetch(ctx, 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nestedLambdasPassTheInnermostContextTheyCanUse() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void nested(Context outer) {
                Function<Context, Supplier<String>> f =
                    inner -> () -> Service.fetch(null, 2);
                Supplier<Supplier<String>> g = () -> () -> Service.fetch(null, 3);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void nested(Context outer) {
                Function<Context, Supplier<String>> f =
                    inner -> () -> Service.fetch(inner, 2);
                Supplier<Supplier<String>> g = () -> () -> Service.fetch(outer, 3);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLocalClassMethodPassesItsOwnParameterElseTodo() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void localClass(Context outer) {
                class Local {
                  String run(int id, Context own) {
                    return Service.fetch(null, id);
                  }

                  String none() {
                    return Service.fetch(null, 4);
                  }
                }
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void localClass(Context outer) {
                class Local {
                  String run(int id, Context own) {
                    return Service.fetch(own, id);
                  }

                  String none() {
                    return Service.fetch(Context.todo(), 4);
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anOverloadIsPassedTheContextInScope() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              String overload(Context ctx) {
                return fetch(null);
              }

              static String fetch(Context ctx) {
                return "";
              }

              static String fetch(Context ctx, int id) {
                return "";
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              String overload(Context ctx) {
                return fetch(ctx);
              }

              static String fetch(Context ctx) {
                return "";
              }

              static String fetch(Context ctx, int id) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void anotherOverloadIsPassedTheContextInScope() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              String overload(Context ctx, int id) {
                return fetch(null, id);
              }

              static String fetch(Context ctx) {
                return "";
              }

              static String fetch(Context ctx, int id) {
                return "";
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              String overload(Context ctx, int id) {
                return fetch(ctx, id);
              }

              static String fetch(Context ctx) {
                return "";
              }

              static String fetch(Context ctx, int id) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWhereTheParameterIsATypeVariable() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              <C extends Context> C generic(C ctx) {
                return Service.same(null);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              <C extends Context> C generic(C ctx) {
                return Service.same(null);
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWhenTheFirstContextParameterDoesNotFitTheExpectedType() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void cancellable(Context parent, CancellableContext own) {
                Service.stop(null);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Caller {
              void cancellable(Context parent, CancellableContext own) {
                Service.stop(null);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementQualifiesWhenContextNameIsTaken() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import javax.naming.Context;

            class Caller {
              String call(Context naming) {
                return Service.fetch(null, 1);
              }
            }
            """)
        .addOutputLines(
            "Caller.java",
            """
            package demo;

            import javax.naming.Context;

            class Caller {
              String call(Context naming) {
                return Service.fetch(org.ctx4j.Context.todo(), 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWhereTodoWouldNotFit() {
    refactoring
        .addInputLines(NULLABLE[0], NULLABLE[1])
        .expectUnchanged()
        .addInputLines(SERVICE[0], SERVICE[1])
        .expectUnchanged()
        .addInputLines(
            "Caller.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;

            class Caller {
              CancellableContext call() {
                Service.stop(null);
                return null;
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void severityAndSuppression() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Suppressed.java",
            """
            package demo;

            import org.ctx4j.Context;

            @SuppressWarnings("NullContext")
            class Suppressed {
              void run() {
                Service.fetch(null, 1);
              }

              static class Nested {
                Context get() {
                  return null;
                }
              }
            }
            """)
        .addSourceLines(
            "SuppressedMethod.java",
            """
            package demo;

            class SuppressedMethod {
              @SuppressWarnings("NullContext")
              void run() {
                Service.fetch(null, 1);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /** A null key where a runtime method takes one; a null context given to a ContextKey. */
  @Test
  void nullKeysAndTypedKeys() {
    helper
        .addSourceLines(
            "Keys.java",
            """
            package demo;

            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Keys {
              private static final ContextKey<String> USER = ContextKey.of("user", String.class);
              private static final Object KEY = new Object();

              void keys(Context ctx, Object passedOn) {
                // BUG: Diagnostic contains: passes a null key
                Context.withValue(ctx, null, "v");
                // BUG: Diagnostic contains: passes a null key
                ctx.value(null);
                Object none = null;
                // BUG: Diagnostic contains: passes a null key
                ctx.value(none);
                // a null value is allowed; a key that is not null is not flagged
                Context.withValue(ctx, KEY, null);
                ctx.value(KEY);
                ctx.value(passedOn);
              }

              void typed(Context ctx) {
                // BUG: Diagnostic contains: passes a null context
                USER.with(null, "u");
                // BUG: Diagnostic contains: passes a null context
                USER.get(null);
                Context missing = null;
                // BUG: Diagnostic contains: passes a null context
                USER.get(missing);
                // a null value hides an ancestor's: allowed
                USER.with(ctx, null);
                USER.get(ctx);
              }

              // a value(...) that is not Context.value: its argument is not a key
              static final class Lookup {
                Object value(Object key) {
                  return key;
                }
              }

              void otherValue(Lookup lookup) {
                lookup.value(null);
              }

              // a user implementation's value(...) overrides Context.value: its argument is a key
              abstract static class Wrapper implements Context {
                @Override
                public Object value(Object key) {
                  return null;
                }
              }

              void wrapper(Wrapper w) {
                // BUG: Diagnostic contains: passes a null key
                w.value(null);
              }
            }
            """)
        .doTest();
  }

  /**
   * Guava's {@code checkState(ctx != null)}, {@code checkArgument} and {@code verify} throw where
   * the local is null, like {@code requireNonNull}; another test, or another variable, does not.
   */
  @Test
  void nullOnSomePathRejectedByAPrecondition() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Checked.java",
            """
            package demo;

            import static com.google.common.base.Preconditions.checkArgument;
            import static com.google.common.base.Preconditions.checkState;
            import static com.google.common.base.Verify.verify;

            import org.ctx4j.Context;

            class Checked {
              void state(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                checkState(ctx != null, "no context");
                Service.fetch(ctx, 1);
              }

              void argument(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                checkArgument((null != ctx), "no context");
                verify(ctx != null);
                Service.fetch(ctx, 1);
              }

              void wrongTest(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                checkState(ctx == null || retry, "odd");
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
              }

              void anotherVariable(Context parent, Context other, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                checkState(other != null);
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
              }
            }
            """)
        .doTest();
  }

  /**
   * A local that is null on some path reaching its use: flagged, saying on which path; a twin that
   * is non-null on every path for each shape.
   */
  @Test
  void nullOnSomePath() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "Paths.java",
            """
            package demo;

            import java.util.List;
            import java.util.Objects;
            import org.ctx4j.Context;

            class Paths {
              enum Mode { A, B }

              Context field;

              static Context make() {
                return Context.todo();
              }

              void ifNotTaken(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                // BUG: Diagnostic contains: ctx is null here when the `if (retry)` at line 18 is not taken
                Service.fetch(ctx, 1);
              }

              void ifTaken(Context parent, boolean reset) {
                Context ctx = parent;
                if (reset) {
                  ctx = null;
                }
                // BUG: Diagnostic contains: when the `if (reset)` at line 27 is taken
                Service.fetch(ctx, 1);
              }

              void bothBranchesAssign(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                } else {
                  ctx = Context.todo();
                }
                Service.fetch(ctx, 1);
              }

              void checked(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                if (ctx != null) {
                  Service.fetch(ctx, 1);
                }
                if (ctx == null) {
                  return;
                }
                Service.fetch(ctx, 2);
              }

              void checkedInline(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                String s = ctx != null ? Service.fetch(ctx, 1) : "";
                boolean b = ctx != null && Service.fetch(ctx, 2).isEmpty();
                boolean c = Objects.isNull(ctx) || Service.fetch(ctx, 3).isEmpty();
                if (!(ctx instanceof Context)) {
                  return;
                }
                Service.fetch(ctx, 4);
              }

              void checkedTooLate(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
                if (ctx == null) {
                  ctx = Context.todo();
                }
                Service.fetch(ctx, 2);
              }

              void dereferenced(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                ctx.throwIfDone();
                Service.fetch(ctx, 1);
              }

              void requireNonNull(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                Objects.requireNonNull(ctx);
                Service.fetch(ctx, 1);
              }

              void switchWithDefault(Context parent, int n) {
                Context ctx = null;
                switch (n) {
                  case 1:
                    ctx = parent;
                    break;
                  default:
                    ctx = Context.todo();
                }
                Service.fetch(ctx, 1);
              }

              void switchWithoutDefault(Context parent, int n) {
                Context ctx = null;
                switch (n) {
                  case 1 -> ctx = parent;
                  case 2 -> ctx = Context.todo();
                }
                // BUG: Diagnostic contains: matches no case
                Service.fetch(ctx, 1);
              }

              void switchCaseLeavesNull(Context parent, int n) {
                Context ctx = null;
                switch (n) {
                  case 1 -> ctx = parent;
                  case 2 -> {}
                  default -> ctx = Context.todo();
                }
                // BUG: Diagnostic contains: takes `case 2`
                Service.fetch(ctx, 1);
              }

              void enumSwitchCoversAll(Context parent, Mode mode) {
                Context ctx = null;
                switch (mode) {
                  case A -> ctx = parent;
                  case B -> ctx = Context.todo();
                }
                Service.fetch(ctx, 1);
              }

              void tryCatchBothAssign(Context parent) {
                Context ctx = null;
                try {
                  ctx = make();
                } catch (RuntimeException e) {
                  ctx = parent;
                }
                Service.fetch(ctx, 1);
              }

              void tryCatchLeavesNull() {
                Context ctx = null;
                try {
                  ctx = make();
                } catch (RuntimeException e) {
                  System.out.println(e);
                }
                // BUG: Diagnostic contains: when the `try` block at line 157 throws
                Service.fetch(ctx, 1);
              }

              void nothingThrowsBeforeTheAssignment(Context parent) {
                Context ctx = null;
                try {
                  ctx = parent;
                  make();
                } catch (RuntimeException e) {
                  Service.fetch(ctx, 1);
                }
              }

              void loopRunsNoIteration(List<String> ids) {
                Context ctx = null;
                for (String id : ids) {
                  ctx = make();
                }
                // BUG: Diagnostic contains: when the `for` loop at line 178 runs no iteration
                Service.fetch(ctx, 1);
              }

              void firstIteration(Context parent, int n) {
                Context ctx = null;
                for (int i = 0; i < n; i++) {
                  // BUG: Diagnostic contains: in the first iteration of the `for` loop at line 187
                  Service.fetch(ctx, i);
                  ctx = parent;
                }
              }

              void laterIterations(Context parent, int n) {
                Context ctx = parent;
                while (n-- > 0) {
                  // BUG: Diagnostic contains: comes round again
                  Service.fetch(ctx, n);
                  ctx = null;
                }
              }

              void loopAssignsFirst(Context parent, int n) {
                Context ctx = null;
                while (n-- > 0) {
                  ctx = parent;
                  Service.fetch(ctx, n);
                }
              }

              void breakOut(Context parent, List<String> ids) {
                Context ctx = null;
                while (true) {
                  ctx = parent;
                  if (ids.isEmpty()) {
                    break;
                  }
                }
                Service.fetch(ctx, 1);
              }

              void lambdaCapture(Context parent, boolean retry) {
                Context chosen = null;
                if (retry) {
                  chosen = parent;
                }
                Context ctx = chosen;
                Context maybe;
                if (retry) {
                  maybe = null;
                } else {
                  maybe = parent;
                }
                // BUG: Diagnostic contains: maybe is null here when the `if (retry)` at line 229 is taken
                Runnable r = () -> Service.fetch(maybe, 1);
                Context sure;
                if (retry) {
                  sure = Context.todo();
                } else {
                  sure = parent;
                }
                Runnable s = () -> Service.fetch(sure, 1);
              }

              void anonymousCapture(Context parent, boolean retry) {
                Context maybe;
                if (retry) {
                  maybe = null;
                } else {
                  maybe = parent;
                }
                Runnable r =
                    new Runnable() {
                      @Override
                      public void run() {
                        // BUG: Diagnostic contains: maybe is null here
                        Service.fetch(maybe, 1);
                      }
                    };
              }

              void withVar(Context parent, boolean retry) {
                var ctx = parent;
                if (retry) {
                  ctx = null;
                }
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
              }

              Context returned(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                // BUG: Diagnostic contains: ctx is null here when the `if (retry)` at line 273 is not taken
                return ctx;
              }

              // fields and parameters are unknown, not null
              void fieldsAndParameters(Context ctx, boolean retry) {
                Context local = field;
                if (retry) {
                  local = ctx;
                }
                Service.fetch(local, 1);
                Service.fetch(field, 2);
                Service.fetch(ctx, 3);
              }

              void reassignedAfterReturn(Context parent, boolean retry) {
                Context ctx = null;
                if (!retry) {
                  return;
                }
                ctx = parent;
                Service.fetch(ctx, 1);
              }

              void earlyExit(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                } else {
                  throw new IllegalStateException();
                }
                Service.fetch(ctx, 1);
              }

              void labeled(Context parent, List<List<String>> batches) {
                Context ctx = null;
                outer:
                for (List<String> batch : batches) {
                  for (String id : batch) {
                    ctx = parent;
                    continue outer;
                  }
                }
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
              }

              void nullableParameter(Context parent, boolean retry) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                Service.maybe(ctx);
              }
            }
            """)
        .doTest();
  }

  /** More shapes of null on some path: each silent one with a flagged twin. */
  @Test
  void nullOnSomePathMoreShapes() {
    helper
        .addSourceLines(NULLABLE[0], NULLABLE[1])
        .addSourceLines(SERVICE[0], SERVICE[1])
        .addSourceLines(
            "More.java",
            """
            package demo;

            import java.util.List;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class More {
              static Context make() {
                return Context.todo();
              }

              void localRecord(Context parent, boolean retry) {
                record Pair(int a, int b) {}
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, new Pair(1, 2).a());
              }

              void finallyElsewhere(Context parent) {
                Context ctx = null;
                try {
                  ctx = parent;
                } finally {
                  System.out.println("done");
                }
                Service.fetch(ctx, 1);
              }

              void finallyAssigns(Context parent, boolean retry) {
                Context ctx = null;
                try {
                  if (retry) {
                    ctx = parent;
                  }
                } finally {
                  ctx = parent; // assigned in finally: not followed
                }
                Service.fetch(ctx, 1);
              }

              void doWhileAssigns(Context parent, int n) {
                Context ctx = null;
                do {
                  ctx = parent;
                } while (--n > 0);
                Service.fetch(ctx, 1);
              }

              void doWhileMaybe(Context parent, int n) {
                Context ctx = null;
                do {
                  if (n == 3) {
                    ctx = parent;
                  }
                } while (--n > 0);
                // BUG: Diagnostic contains: when the `if (n == 3)` at line 55 is not taken
                Service.fetch(ctx, 1);
              }

              void nestedLambda(Context parent, boolean retry) {
                Context captured;
                if (retry) {
                  captured = parent;
                } else {
                  captured = null;
                }
                Supplier<Runnable> s =
                    () ->
                        () ->
                            // BUG: Diagnostic contains: captured is null here when the `if (retry)`
                            Service.fetch(captured, 1);
                // a copy of a maybe-null variable is not followed
                Context copy = captured;
                Runnable r = () -> Service.fetch(copy, 2);
              }

              void declaredInLambda(Context parent) {
                Runnable r =
                    () -> {
                      Context ctx = null;
                      if (parent.err() == null) {
                        ctx = parent;
                      }
                      // BUG: Diagnostic contains: ctx is null here when the `if (parent.err() == null)`
                      Service.fetch(ctx, 1);
                      Context sure = null;
                      sure = parent;
                      Service.fetch(sure, 2);
                    };
              }

              void labeledBreak(Context parent, List<List<String>> batches) {
                Context ctx = null;
                search:
                for (List<String> batch : batches) {
                  for (String id : batch) {
                    if (id.isEmpty()) {
                      ctx = parent;
                      break search;
                    }
                  }
                }
                // BUG: Diagnostic contains: ctx is null here
                Service.fetch(ctx, 1);
              }

              void assignedBeforeEveryBreak(Context parent, List<String> ids) {
                Context ctx = null;
                for (String id : ids) {
                  if (id.isEmpty()) {
                    continue;
                  }
                  ctx = parent;
                }
                ctx = ctx == null ? Context.todo() : ctx;
                Service.fetch(ctx, 1);
              }

              void switchExpressionAssigns(Context parent, int n) {
                Context ctx = null;
                ctx =
                    switch (n) {
                      case 1 -> parent;
                      default -> Context.todo();
                    };
                Service.fetch(ctx, 1);
              }

              void assignedInACondition(Context parent) {
                Context ctx = null;
                if ((ctx = make()) == parent) {
                  return;
                }
                Service.fetch(ctx, 1); // an assignment inside an expression: not followed
              }

              // the same condition tested again cannot take the other branch
              void correlated(Context parent, boolean retry, List<String> ids) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                if (retry) {
                  Service.fetch(ctx, 1);
                }
                if (!retry) {
                  return;
                }
                Service.fetch(ctx, 2);
                Context other = null;
                if (!ids.isEmpty()) {
                  other = parent;
                }
                if (ids.isEmpty()) {
                  return;
                }
                Service.fetch(other, 3);
              }

              void correlatedTwin(Context parent, boolean retry, boolean other) {
                Context ctx = null;
                if (retry) {
                  ctx = parent;
                }
                if (other) {
                  // BUG: Diagnostic contains: ctx is null here
                  Service.fetch(ctx, 1);
                }
              }

              void syncAndWhileTrue(Context parent, Object lock) {
                Context ctx = null;
                synchronized (lock) {
                  ctx = parent;
                }
                Service.fetch(ctx, 1);
                Context loopCtx = null;
                while (true) {
                  loopCtx = make();
                  if (loopCtx.err() == null) {
                    break;
                  }
                }
                Service.fetch(loopCtx, 2);
              }
            }
            """)
        .doTest();
  }

  /**
   * A {@code for} loop whose first test compares constants and passes runs at least once: no path
   * skips it. A bound that is not constant, or a first test that fails, leaves the path.
   */
  @Test
  void aLoopWhoseFirstTestPassesRunsAtLeastOnce() {
    helper
        .addSourceLines(
            "Retries.java",
            """
            import org.ctx4j.Context;

            class Retries {
              private static final int ATTEMPTS = 3;

              void constantBound(Context parent) {
                Context last = null;
                for (int i = 0; i < 3; i++) {
                  last = Context.withoutCancel(parent);
                }
                use(last);
              }

              void namedConstant(Context parent) {
                Context last = null;
                for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                  last = Context.withValue(parent, Retries.class, attempt);
                }
                use(last);
              }

              void countingDown(Context parent) {
                Context last = null;
                for (long i = 10; i > 0; i--) {
                  last = parent;
                }
                use(last);
              }

              void variableBound(Context parent, int attempts) {
                Context last = null;
                for (int i = 0; i < attempts; i++) {
                  last = parent;
                }
                // BUG: Diagnostic contains: runs no iteration
                use(last);
              }

              void firstTestFails(Context parent) {
                Context last = null;
                for (int i = 3; i < 3; i++) {
                  last = parent;
                }
                // BUG: Diagnostic contains: runs no iteration
                use(last);
              }

              void skippedInTheFirstIteration(Context parent) {
                Context last = null;
                for (int i = 0; i < 3; i++) {
                  if (i == 0) {
                    continue;
                  }
                  last = parent;
                }
                // BUG: Diagnostic contains: NullContext
                use(last);
              }

              static void use(Context ctx) {}
            }
            """)
        .doTest();
  }
}
