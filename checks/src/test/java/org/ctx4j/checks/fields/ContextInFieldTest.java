package org.ctx4j.checks.fields;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ContextInFieldTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextInField.class, getClass());

  @Test
  void functionalTypesOfContextsAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // functional types store code, not a context
              private final Function<Context, String> handler = ctx -> "";
              private final Supplier<Context> contexts = Context::background;
              private final Consumer<CancellableContext> closer = CancellableContext::cancel;
              private final BiFunction<Context, String, Integer> parse = (ctx, s) -> 1;
              private final List<Function<Context, String>> handlers = List.of();
              private final Optional<Supplier<Context>> maybe = Optional.empty();
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void whatAContextHandsOutIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // what a context hands out is not a context
              private Done done;
              private ContextDoneException err;
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void rawAndWildcardContainersAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // raw and wildcard containers say nothing about contexts
              @SuppressWarnings("rawtypes")
              private List raw;
              private List<?> unknown;
              private List<? super Context> sink;
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aGenericHolderNotBoundedByContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // a generic holder not bounded by Context
              private Box<String> box;
              private CompletableFuture<String> future;

              static final class Box<T> {
                private T value; // T is not a context type
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void cancelHandlesAndLocalsInAConstructorAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              // the cancel handle of a lifetime, typed as what it is used for
              private final AutoCloseable stop;
              private final Runnable cancel;

              Negatives(Context parent) {
                CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(1));
                this.stop = ctx;
                this.cancel = ctx::cancel;
                // locals, lambdas and anonymous classes capture contexts without fields
                Context local = parent;
                Runnable r = () -> System.out.println(local);
                Object o = new Object() {
                  @Override
                  public String toString() {
                    return String.valueOf(parent);
                  }
                };
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void localsAndLoopVariablesAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              void method(Context ctx, int n) {
                Context local = ctx;
                for (Context c : List.of(ctx)) {
                  System.out.println(c);
                }
                var inferred = withCancel(ctx);
                inferred.cancel();
                try (CancellableContext scoped = withCancel(ctx)) {
                  Context chosen =
                      switch (n) {
                        case 0 -> scoped;
                        default -> ctx;
                      };
                  System.out.println(chosen);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void interfaceMethodsAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.BiFunction;
            import java.util.function.Consumer;
            import java.util.function.Function;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            class Negatives {
              interface Service {
                String fetch(Context ctx);

                default String fetchTwice(Context ctx) {
                  Context local = ctx;
                  return fetch(local) + fetch(local);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aUserContextHoldingItsParentIsNotFlagged() {
    helper
        .addSourceLines(
            "Wrapping.java",
            """
            package demo;

            import java.util.Optional;
            import java.time.Instant;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.Done;

            // A user implementation of Context holds its parent, as Go's own implementations do.
            final class Wrapping implements Context {
              private final Context parent;
              private final Context[] others;

              Wrapping(Context parent) {
                this.parent = parent;
                this.others = new Context[] {parent};
              }

              @Override
              public Optional<Instant> deadline() {
                return parent.deadline();
              }

              @Override
              public Done done() {
                return parent.done();
              }

              @Override
              public ContextDoneException err() {
                return parent.err();
              }

              @Override
              public Object value(Object key) {
                return parent.value(key);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void anotherContextTypeIsNotFlagged() {
    helper
        .addSourceLines(
            "Other.java",
            """
            package demo;

            // A class that shares the simple name is not ctx4j's Context.
            class Other {
              static class Context {}

              private Context ctx;
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aContextFieldIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: This field stores a context, which outlives the call it belongs to; pass the context as the first parameter
              private Context ctx;
            }
            """)
        .doTest();
  }

  @Test
  void aCancellableContextFieldIsToldToKeepItsCancelHandle() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: store its cancel handle instead (an org.ctx4j.CancelFunc
              private final CancellableContext lifetime = Context.withCancel(Context.background());
            }
            """)
        .doTest();
  }

  @Test
  void aStaticContextConstantIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              static final Context ROOT = Context.background();
            }
            """)
        .doTest();
  }

  @Test
  void anArrayOfContextsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Context[] many;
            }
            """)
        .doTest();
  }

  @Test
  void aTwoDimensionalArrayOfContextsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Context[][] grid;
            }
            """)
        .doTest();
  }

  @Test
  void aListOfContextsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private List<Context> list;
            }
            """)
        .doTest();
  }

  @Test
  void aSetOfAWildcardContextTypeIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Set<? extends Context> set;
            }
            """)
        .doTest();
  }

  @Test
  void aDequeOfCancellableContextsIsToldItKeepsCancellableContexts() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: keeps cancellable contexts
              private Deque<CancellableContext> stack;
            }
            """)
        .doTest();
  }

  @Test
  void aMapWithContextValuesIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Map<String, Context> byId;
            }
            """)
        .doTest();
  }

  @Test
  void aMapWithContextKeysIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Map<Context, String> byContext;
            }
            """)
        .doTest();
  }

  @Test
  void aMapOfListsOfContextsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private final ConcurrentHashMap<String, List<Context>> nested = new ConcurrentHashMap<>();
            }
            """)
        .doTest();
  }

  @Test
  void anOptionalContextIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private Optional<Context> maybe;
            }
            """)
        .doTest();
  }

  @Test
  void anAtomicReferenceToAContextIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private final AtomicReference<Context> current = new AtomicReference<>();
            }
            """)
        .doTest();
  }

  @Test
  void aThreadLocalContextIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();
            }
            """)
        .doTest();
  }

  @Test
  void anInheritableThreadLocalContextIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private static final InheritableThreadLocal<Context> INHERITED = new InheritableThreadLocal<>();
            }
            """)
        .doTest();
  }

  @Test
  void aSubclassOfAListOfContextsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private ContextList custom;

              static final class ContextList extends ArrayList<Context> {}
            }
            """)
        .doTest();
  }

  @Test
  void aListOfContextArraysIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: stores a context
              private List<Context[]> arrays;
            }
            """)
        .doTest();
  }

  @Test
  void aRecordComponentIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: This record component stores a context
              record Request(Context ctx, String id) {}
            }
            """)
        .doTest();
  }

  @Test
  void anInterfaceConstantIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface Defaults {
                // BUG: Diagnostic contains: stores a context
                Context DEFAULT = Context.background();
              }
            }
            """)
        .doTest();
  }

  @Test
  void anEnumFieldIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              enum Mode {
                A;

                // BUG: Diagnostic contains: stores a context
                private Context ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void fieldsOfATypeVariableBoundedByContextAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static class Generic<C extends Context> {
                // BUG: Diagnostic contains: stores a context
                private C ctx;
                // BUG: Diagnostic contains: stores a context
                private List<C> all;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFieldOfAnIntersectionBoundIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static class Intersection<C extends java.io.Serializable & Context> {
                // BUG: Diagnostic contains: stores a context
                private C ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void fieldsOfAnonymousLocalAndLambdaLocalClassesAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.Deque;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import java.util.Set;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.atomic.AtomicReference;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void method() {
                Object anonymous =
                    new Object() {
                      // BUG: Diagnostic contains: stores a context
                      private Context held;
                    };
                class Local {
                  // BUG: Diagnostic contains: stores a context
                  private Context held;
                }
                Runnable r =
                    () -> {
                      class InLambda {
                        // BUG: Diagnostic contains: stores a context
                        Context held;
                      }
                    };
              }
            }
            """)
        .doTest();
  }

  /**
   * A class that tracks work in flight keeps cancellable contexts: the message points it to a
   * cancel handle. A plain context keeps the pass-it-as-a-parameter advice, and a field of a cancel
   * handle (a functional type) is not flagged.
   */
  @Test
  void inFlightContextsAreToldToKeepACancelHandle() {
    helper
        .addSourceLines(
            "Jobs.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            final class Jobs {
              /** A cancel handle of the user's own, shaped like ctx4j's CancelFunc. */
              @FunctionalInterface
              interface Cancel {
                void cancel(Throwable cause);

                default void cancel() {
                  cancel(null);
                }
              }

              // BUG: Diagnostic contains: keeps cancellable contexts beyond the calls they belong to; to cancel work in flight later, store its cancel handle instead (an org.ctx4j.CancelFunc such as ctx::cancel)
              private final Map<String, CancellableContext> running = new ConcurrentHashMap<>();
              // BUG: Diagnostic contains: store its cancel handle instead
              private List<CancellableContext> all;
              // BUG: Diagnostic contains: store its cancel handle instead
              private CancellableContext current;
              // BUG: Diagnostic contains: store its cancel handle instead
              private CancellableContext[] slots;

              static class Generic<C extends CancellableContext> {
                // BUG: Diagnostic contains: store its cancel handle instead
                private Map<String, List<C>> byOwner;
              }

              // BUG: Diagnostic contains: This record component keeps cancellable contexts
              record Running(CancellableContext ctx, String id) {}

              interface Registry {
                // BUG: Diagnostic contains: store its cancel handle instead
                Map<String, CancellableContext> ALL = new ConcurrentHashMap<>();
              }

              // BUG: Diagnostic contains: stores a context, which outlives the call it belongs to; pass the context as the first parameter
              private Context parent;
              // a mixed container is a store of contexts first of all
              // BUG: Diagnostic contains: pass the context as the first parameter
              private Map<Context, String> names;

              // cancel handles are what such a class should keep: not flagged
              private final Map<String, Cancel> cancels = new ConcurrentHashMap<>();
              private Cancel stop;
              private final List<Runnable> closers = List.of();

              void start(Context ctx, String id) {
                CancellableContext job = Context.withCancel(ctx);
                cancels.put(id, job::cancel);
                stop = cause -> job.cancel(cause);
              }
            }
            """)
        .doTest();
  }

  /** The runtime's cancel handle is what a class keeps instead of the context: not flagged. */
  @Test
  void cancelFuncFieldsAreNotFlagged() {
    helper
        .addSourceLines(
            "Worker.java",
            """
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.CopyOnWriteArrayList;
            import org.ctx4j.CancelFunc;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            final class Worker {
              private CancelFunc stop;
              private final Map<String, CancelFunc> running = new ConcurrentHashMap<>();
              private final List<CancelFunc> all = new CopyOnWriteArrayList<>();

              void start(Context ctx, String id) {
                CancellableContext job = Context.withCancel(ctx);
                stop = job::cancel;
                running.put(id, job::cancel);
                all.add(job::cancel);
              }
            }
            """)
        .doTest();
  }

  /**
   * What a class answers is asked once per class in each file: the same types in several files, a
   * container class declared in one file and used in another, JDK types without type arguments
   * (never a context) next to JDK containers that hold one.
   */
  @Test
  void sameTypesInSeveralFiles() {
    helper
        .addSourceLines(
            "Batch.java",
            """
            package demo;

            import java.util.ArrayList;
            import org.ctx4j.Context;

            class Batch extends ArrayList<Context> {
              private Object payload;
              private Thread worker;
              private int[][] grid;
              private String[] names;
              private Pair<Context, String> pair;
              // BUG: Diagnostic contains: stores a context
              private Batch next;
              // BUG: Diagnostic contains: stores a context
              private Context[] contexts;

              static final class Pair<A, B> {
                private String label;
              }
            }
            """)
        .addSourceLines(
            "Holder.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import org.ctx4j.Context;

            class Holder {
              private Object payload;
              private Thread worker;
              @SuppressWarnings("rawtypes")
              private List raw;
              private Batch.Pair<Context, String> pair;
              // BUG: Diagnostic contains: stores a context
              private Batch batch;
              // BUG: Diagnostic contains: stores a context
              private Map<String, Batch> batches;
              // BUG: Diagnostic contains: stores a context
              private List<Context> list;
            }
            """)
        .doTest();
  }

  @Test
  void severityAndSuppression() {
    helper
        .addSourceLines(
            "Suppressed.java",
            """
            package demo;

            import org.ctx4j.Context;

            @SuppressWarnings("ContextInField")
            class Suppressed {
              private Context ctx;

              static class Nested {
                private Context ctx;
              }
            }
            """)
        .addSourceLines(
            "SuppressedField.java",
            """
            package demo;

            import org.ctx4j.Context;

            class SuppressedField {
              @SuppressWarnings("ContextInField")
              private Context ctx;
            }
            """)
        .addSourceLines(
            "SuppressedRecord.java",
            """
            package demo;

            import org.ctx4j.Context;

            @SuppressWarnings("ContextInField")
            record SuppressedRecord(Context ctx) {}
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /** A task group is a structured scope, not a context: holding one is not flagged. */
  @Test
  void taskGroupFieldsAreNotFlaggedButTheirContextIs() {
    helper
        .addSourceLines(
            "Crawler.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            final class Crawler implements AutoCloseable {
              private final TaskGroup group;
              private final List<TaskGroup> groups;
              private final Map<String, TaskGroup> byHost;
              private final TaskGroup.Task task = c -> {};
              // BUG: Diagnostic contains: ContextInField
              private final Context groupContext;

              Crawler(Context ctx) {
                this.group = TaskGroup.withContext(ctx);
                this.groups = List.of(group);
                this.byHost = Map.of("a", group);
                this.groupContext = group.context();
              }

              record Job(TaskGroup group, String url) {}

              // BUG: Diagnostic contains: ContextInField
              record Bad(Context groupContext, String url) {}

              @Override
              public void close() {
                group.close();
              }
            }
            """)
        .doTest();
  }
}
