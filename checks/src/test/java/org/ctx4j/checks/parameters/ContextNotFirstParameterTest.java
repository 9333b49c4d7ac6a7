package org.ctx4j.checks.parameters;

import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class ContextNotFirstParameterTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextNotFirstParameter.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(ContextNotFirstParameter.class, getClass());

  @Test
  void aContextFirstIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              void first(Context ctx, String id) {}
            }
            """)
        .doTest();
  }

  @Test
  void aGrpcContextBeforeTheContextIsAContextToo() {
    helper
        .addSourceLines(
            "Bridge.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Bridge {
              // grpc's context as the parent of a ctx4j one: both are contexts.
              static void toGrpc(io.grpc.Context grpcParent, Context ctx) {}

              static void both(io.grpc.Context.CancellableContext grpc, Context ctx, String id) {}

              // BUG: Diagnostic contains: comes after a parameter that is not a context
              static void afterAGrpcContextAndAString(io.grpc.Context grpc, String id, Context ctx) {}

              // BUG: Diagnostic contains: comes after a parameter that is not a context
              static void afterAString(String id, io.grpc.Context grpc, Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void severalContextsAtTheFrontAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              void several(Context a, CancellableContext b, String id, int n) {}
            }
            """)
        .doTest();
  }

  @Test
  void aContextAloneIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              void only(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aMethodWithoutAContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              void none(String a, int b) {}
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableContextFirstIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              <C extends Context> void generic(C ctx, String id) {}
            }
            """)
        .doTest();
  }

  @Test
  void aVarargsArrayOfContextsIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // an array or a function of contexts is not a context parameter
              void array(String id, Context... ctxs) {}
            }
            """)
        .doTest();
  }

  @Test
  void aFunctionOfContextsIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              void function(String id, Function<Context, String> f) {}
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaTakesTheOrderOfItsInterface() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // lambdas take the order of their functional interface
              BiFunction<String, Context, String> lambda = (id, ctx) -> id;
            }
            """)
        .doTest();
  }

  @Test
  void overridesFollowTheirSupertypeWhichIsFlaggedInstead() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            package demo;

            import org.ctx4j.Context;

            public interface Handler<T> {
              // BUG: Diagnostic contains: The context parameter 'ctx' comes after a parameter that is not a context; move it to the front of the parameter list
              void handle(T request, Context ctx);
            }
            """)
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              Handler<String> typed = (String request, Context ctx) -> {};

              // overriding methods, with or without @Override, follow their supertype
              static class Impl implements Handler<String> {
                @Override
                public void handle(String request, Context ctx) {}
              }

              static class NoAnnotation implements Handler<Integer> {
                public void handle(Integer request, Context ctx) {}
              }

              static class Sub extends Impl {
                public void handle(String request, Context ctx) {}
              }

              @SuppressWarnings("rawtypes")
              static class RawOverride implements Handler {
                public void handle(Object request, Context ctx) {}
              }

              void anonymous() {
                Handler<Long> h =
                    new Handler<Long>() {
                      public void handle(Long request, Context ctx) {}
                    };
              }
            }
            """)
        .doTest();
  }

  @Test
  void anAbstractMethodIsFlaggedAndItsOverridesAreNot() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              abstract static class AbstractHandler<T> {
                // BUG: Diagnostic contains: 'ctx'
                abstract void handle(T request, Context ctx);

                // BUG: Diagnostic contains: 'ctx'
                abstract <R> R map(R input, Context ctx);
              }

              static class StringHandler extends AbstractHandler<String> {
                void handle(String request, Context ctx) {}

                <S> S map(S input, Context ctx) {
                  return input;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anOverrideOfAGenericInterfaceIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              static class GenericOverride implements BiFunction<String, Context, String> {
                public String apply(String id, Context ctx) {
                  return id;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCompactRecordConstructorIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // records follow their header; a context component is ContextInField's finding
              record Request(String id, Context ctx) {
                Request {}
              }
            }
            """)
        .doTest();
  }

  @Test
  void anExplicitCanonicalRecordConstructorIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              record Explicit(String id, Context ctx) {
                Explicit(String id, Context ctx) {
                  this.id = id;
                  this.ctx = ctx;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anotherTypeNamedLikeContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Negatives {
              // a class that shares the simple name is not ctx4j's Context
              static class Context2 {}

              void notOurs(String id, Context2 c) {}
            }
            """)
        .doTest();
  }

  @Test
  void aContextAfterAnotherParameterIsFlaggedInEveryKindOfClass() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              void after(String id, Context ctx) {}

              void shapes(Context parent, int n) {
                Object anonymous =
                    new Object() {
                      // BUG: Diagnostic contains: 'ctx'
                      void helper(String id, Context ctx) {}
                    };
                class Local {
                  // BUG: Diagnostic contains: 'ctx'
                  void run(String id, Context ctx) {}
                }
                Supplier<Object> s =
                    () ->
                        new Object() {
                          // BUG: Diagnostic contains: 'ctx'
                          void run(String id, Context ctx) {}
                        };
                var v = switch (n) { default -> parent; };
                after("x", v);
                try (CancellableContext child = withCancel(parent)) {
                  after("y", child);
                }
              }

              // BUG: Diagnostic contains: 'ctx'
              void withResources(String id, Context ctx) throws Exception {
                try (CancellableContext child = withCancel(ctx)) {
                  after(id, child);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aStaticMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              static String staticMethod(int n, Context ctx) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFirstMisplacedContextIsTheOneReported() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'b'
              void firstMisplacedIsReported(Context a, String id, CancellableContext b, Context c) {}
            }
            """)
        .doTest();
  }

  @Test
  void aConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              Positives(String id, Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableContextAfterAnotherParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              <C extends Context> void generic(String id, C ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void anIntersectionBoundContextIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              <C extends Runnable & Context> void intersection(String id, C ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aContextBeforeVarargsIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              void withVarargs(String id, Context ctx, Object... rest) {}
            }
            """)
        .doTest();
  }

  @Test
  void anAnnotatedFinalContextParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: 'ctx'
              void annotated(String id, @Deprecated final Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void interfaceMethodsAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface Service {
                // BUG: Diagnostic contains: 'ctx'
                String fetch(String id, Context ctx);

                // BUG: Diagnostic contains: 'ctx'
                default String fetchTwice(String id, Context ctx) {
                  return fetch(id, ctx) + fetch(id, ctx);
                }

                // BUG: Diagnostic contains: 'ctx'
                static void helper(int n, Context ctx) {}
              }
            }
            """)
        .doTest();
  }

  @Test
  void anEnumConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              enum Mode {
                A("a", Context.background());

                // BUG: Diagnostic contains: 'ctx'
                Mode(String name, Context ctx) {}

                abstract static class Inner {
                  // BUG: Diagnostic contains: 'ctx'
                  abstract void run(String id, Context ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aNonCanonicalRecordConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              record Holder(String id) {
                // BUG: Diagnostic contains: 'ctx'
                Holder(String id, Context ctx) {
                  this(id);
                }

                // BUG: Diagnostic contains: 'ctx'
                static Holder of(String id, Context ctx) {
                  return new Holder(id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aMethodOfAnInnerClassIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import static org.ctx4j.Context.withCancel;

            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static class Nested {
                class Inner {
                  // BUG: Diagnostic contains: 'ctx'
                  void run(String id, Context ctx) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFixMovesTheContextFirstInTheDeclarationAndEveryCall() {
    refactoring
        .addInputLines(
            "Fetcher.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Fetcher {
              String run(Context ctx, int n) {
                String a = fetch("a", ctx);
                String b = this.fetch(String.valueOf(n), ctx);
                return a + b + fetch(/* id */ "c", Context.todo());
              }

              private String fetch(String id, final Context ctx) {
                return id;
              }

              private static final class Inner {
                Inner(int n, Context ctx, Object... rest) {}

                Inner(Context ctx) {
                  this(1, ctx, "x", "y");
                }
              }

              Inner make(Context ctx) {
                return new Inner(2, ctx);
              }
            }
            """)
        .addOutputLines(
            "Fetcher.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Fetcher {
              String run(Context ctx, int n) {
                String a = fetch(ctx, "a");
                String b = this.fetch(ctx, String.valueOf(n));
                return a + b + fetch(/* id */ Context.todo(), "c");
              }

              private String fetch(final Context ctx, String id) {
                return id;
              }

              private static final class Inner {
                Inner(Context ctx, int n, Object... rest) {}

                Inner(Context ctx) {
                  this(ctx, 1, "x", "y");
                }
              }

              Inner make(Context ctx) {
                return new Inner(ctx, 2);
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementMovesEveryContextInOrder() {
    refactoring
        .addInputLines(
            "Merger.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Merger {
              void run(Context a, CancellableContext b) {
                merge(a, "x", b, 1);
              }

              private void merge(Context first, String id, CancellableContext second, int n) {}
            }
            """)
        .addOutputLines(
            "Merger.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Merger {
              void run(Context a, CancellableContext b) {
                merge(a, b, "x", 1);
              }

              private void merge(Context first, CancellableContext second, String id, int n) {}
            }
            """)
        .doTest();
  }

  @Test
  void noFixWhenCallersMayBeElsewhereOrOrderMatters() {
    refactoring
        .addInputLines(
            "NoFix.java",
            """
            package demo;

            import java.util.function.BiFunction;
            import org.ctx4j.Context;

            class NoFix {
              // callable from other files
              String visible(String id, Context ctx) {
                return id;
              }

              // a method reference fixes the order
              private String referenced(String id, Context ctx) {
                return id;
              }

              BiFunction<String, Context, String> ref = this::referenced;

              // an overload that could compete after reordering
              private void overloaded(String id, Context ctx) {}

              private void overloaded(Context ctx, Object id) {}

              // moving the arguments would reorder side effects
              private void effects(String id, Context ctx) {}

              void callEffects() {
                effects(next(), make());
              }

              String next() {
                return "";
              }

              Context make() {
                return Context.background();
              }

              // a local class whose method is overridden in the same file
              void local(Context ctx) {
                class Base {
                  void run(String id, Context c) {}
                }
                class Derived extends Base {
                  @Override
                  void run(String id, Context c) {}
                }
                new Derived().run("x", ctx);
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  /**
   * A misplaced method called inside one of its own arguments: reordering the outer call moves the
   * text in which the inner call is reordered, so the edits would overlap and Error Prone would
   * throw while printing the finding, crashing javac. The finding stays; the fix is withheld.
   */
  private static final String[] NESTED_SELF_CALLS = {
    "Self.java",
    """
    package demo;

    import org.ctx4j.Context;

    final class Self {
      private enum Key { NAME }

      // BUG: Diagnostic contains: [ContextNotFirstParameter]
      private static Context tag(String name, Context ctx) {
        return Context.withValue(ctx, Key.NAME, name);
      }

      // BUG: Diagnostic contains: [ContextNotFirstParameter]
      private static void run(Runnable r, Context ctx) {
        r.run();
      }

      private static final class Box {
        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        private Box(Object inner, Context ctx) {}
      }

      // BUG: Diagnostic contains: [ContextNotFirstParameter]
      private static String deep(String s, Context ctx) {
        return s;
      }

      static Context call(Context ctx) {
        run(() -> run(() -> {}, ctx), ctx);
        Box box = new Box(new Box("x", ctx), ctx);
        String s = deep(String.valueOf(new Object() {
          @Override
          public String toString() {
            return deep("anonymous", ctx);
          }
        }), ctx);
        return tag("outer", tag("inner", ctx));
      }
    }
    """
  };

  @Test
  void nestedSelfCallMustNotCrash() {
    helper.addSourceLines(NESTED_SELF_CALLS[0], NESTED_SELF_CALLS[1]).doTest();
    refactoring
        .addInputLines(NESTED_SELF_CALLS[0], NESTED_SELF_CALLS[1])
        .expectUnchanged()
        .doTest();
  }

  /** A call of the method in an argument that stays in place does not block the fix. */
  @Test
  void replacementWithSelfCallInAnArgumentThatStays() {
    refactoring
        .addInputLines(
            "Stays.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class Stays {
              private static Context merge(Context a, String id, Context b) {
                return a;
              }

              static Context call(Context ctx) {
                return merge(merge(ctx, "inner", ctx), "outer", ctx);
              }
            }
            """)
        .addOutputLines(
            "Stays.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class Stays {
              private static Context merge(Context a, Context b, String id) {
                return a;
              }

              static Context call(Context ctx) {
                return merge(merge(ctx, ctx, "inner"), ctx, "outer");
              }
            }
            """)
        .doTest();
  }

  /**
   * Two misplaced methods, a call of one inside an argument the other's fix moves: the outer method
   * gets no fix (its moved text would hide the inner rewrite), the inner one does, so applying
   * every fix at once still compiles. A call inside an argument that stays put blocks nothing.
   */
  @Test
  void nestedCallsOfTwoMisplacedMethods() {
    refactoring
        .addInputLines(
            "Nested.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class Nested {
              private static String f(String a, Context ctx) {
                return a;
              }

              private static Context g(int b, Context ctx) {
                return ctx;
              }

              private static Context h(Context a, String id, Context b) {
                return a;
              }

              private static final class Box {
                private Box(Object o, Context ctx) {}
              }

              static String call(Context ctx) {
                h(g(2, ctx), "stays", ctx);
                Runnable r = () -> f("lambda", ctx);
                new Box((Runnable) () -> f("in box", ctx), ctx);
                return f("a", g(1, ctx));
              }
            }
            """)
        .addOutputLines(
            "Nested.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class Nested {
              private static String f(String a, Context ctx) {
                return a;
              }

              private static Context g(Context ctx, int b) {
                return ctx;
              }

              private static Context h(Context a, Context b, String id) {
                return a;
              }

              private static final class Box {
                private Box(Object o, Context ctx) {}
              }

              static String call(Context ctx) {
                h(g(ctx, 2), ctx, "stays");
                Runnable r = () -> f("lambda", ctx);
                new Box((Runnable) () -> f("in box", ctx), ctx);
                return f("a", g(ctx, 1));
              }
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

            @SuppressWarnings("ContextNotFirstParameter")
            class Suppressed {
              void run(String id, Context ctx) {}

              static class Nested {
                Nested(int n, Context ctx) {}
              }
            }
            """)
        .addSourceLines(
            "SuppressedMethod.java",
            """
            package demo;

            import org.ctx4j.Context;

            class SuppressedMethod {
              @SuppressWarnings("ContextNotFirstParameter")
              void run(String id, Context ctx) {}
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /** JUnit decides the order in a test template: its own arguments first, resolved ones after. */
  @Test
  void junitTestTemplatesAreExempt() {
    helper
        .addSourceLines(
            "TemplateTest.java",
            """
            import org.ctx4j.Context;
            import org.junit.jupiter.api.RepeatedTest;
            import org.junit.jupiter.api.RepetitionInfo;
            import org.junit.jupiter.params.ParameterizedTest;
            import org.junit.jupiter.params.provider.ValueSource;

            class TemplateTest {
              @ParameterizedTest
              @ValueSource(strings = {"a", "b"})
              void parameterized(String input, Context ctx) {}

              @RepeatedTest(2)
              void repeated(RepetitionInfo info, Context ctx) {}

              // BUG: Diagnostic contains: ContextNotFirstParameter
              void helper(String input, Context ctx) {}
            }
            """)
        .doTest();
  }

  /** JUnit finds @TestTemplate through composed annotations at any depth, and so does the check. */
  @Test
  void composedTestTemplateAnnotationsAreExempt() {
    helper
        .addSourceLines(
            "ComposedTest.java",
            """
            import java.lang.annotation.Retention;
            import java.lang.annotation.RetentionPolicy;
            import org.ctx4j.Context;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.params.ParameterizedTest;
            import org.junit.jupiter.params.provider.ValueSource;

            class ComposedTest {
              @Retention(RetentionPolicy.RUNTIME)
              @ParameterizedTest
              @ValueSource(strings = {"a", "b"})
              @interface EachInput {}

              @Retention(RetentionPolicy.RUNTIME)
              @EachInput
              @interface EachInputAgain {}

              @Retention(RetentionPolicy.RUNTIME)
              @Test
              @interface PlainTest {}

              @EachInput
              void composed(String input, Context ctx) {}

              @EachInputAgain
              void composedTwice(String input, Context ctx) {}

              // A plain @Test resolves every parameter by type: the order is the author's.
              @PlainTest
              // BUG: Diagnostic contains: ContextNotFirstParameter
              void notATemplate(String input, Context ctx) {}
            }
            """)
        .doTest();
  }

  /**
   * A method named by a method reference implements the functional interface, whose declaration
   * fixed the order, as an override's supertype does; a method only called from a lambda does not.
   */
  @Test
  void aMethodReferenceToAnInterfaceWithTheSameOrderIsNotFlagged() {
    helper
        .addSourceLines(
            "Bus.java",
            """
            import java.util.function.BiConsumer;
            import java.util.function.BiFunction;
            import org.ctx4j.Context;

            class Bus {
              interface Listener {
                // BUG: Diagnostic contains: ContextNotFirstParameter
                void onEvent(String event, Context ctx);
              }

              interface Receiver {
                // BUG: Diagnostic contains: ContextNotFirstParameter
                void receive(Bus bus, String event, Context ctx);
              }

              static final class Job {
                // named by Job::new below, as a BiFunction<String, Context, Job>
                Job(String name, Context ctx) {}
              }

              void subscribe(Listener listener) {}

              void consume(BiConsumer<String, Context> consumer) {}

              void receiveWith(Receiver receiver) {}

              void register() {
                subscribe(this::onEvent);
                consume(Bus::log);
                receiveWith(Bus::received);
                BiFunction<String, Context, Job> jobs = Job::new;
                subscribe((event, ctx) -> handle(event, ctx));
              }

              private void onEvent(String event, Context ctx) {}

              private static void log(String event, Context ctx) {}

              // unbound: the interface's first parameter is the receiver
              private void received(String event, Context ctx) {}

              // BUG: Diagnostic contains: ContextNotFirstParameter
              private void handle(String event, Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void didYouMeanShowsTheDeclarationWhenItComesBeforeItsCalls() {
    helper
        .addSourceLines(
            "Outbox.java",
            """
            import org.ctx4j.Context;

            class Outbox {
              // BUG: Diagnostic contains: Did you mean 'private void send(Context ctx, String topic) {}'
              private void send(String topic, Context ctx) {}

              void flush(Context ctx) {
                send("orders", ctx);
              }
            }
            """)
        .doTest();
  }

  @Test
  void theMessageNamesTheNewParameterListWhenACallComesFirst() {
    // Error Prone's "Did you mean" shows the first line a fix changes: here the call above the
    // declaration. The message names the declaration's new parameter list.
    helper
        .addSourceLines(
            "Outbox.java",
            """
            import org.ctx4j.Context;

            class Outbox {
              void flush(Context ctx) {
                send("orders", ctx);
              }

              // BUG: Diagnostic matches: CALL_FIRST
              private void send(String topic, Context ctx) {}
            }
            """)
        .expectErrorMessage(
            "CALL_FIRST",
            message ->
                message.contains(
                        "send(Context ctx, String topic) (the fix reorders the arguments of its"
                            + " calls too)")
                    && message.contains("Did you mean 'send(ctx, \"orders\");'"))
        .doTest();
  }
}
