package org.ctx4j.checks.parameters;

import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class ContextParameterNameTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextParameterName.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(ContextParameterName.class, getClass());

  @Test
  void aParameterNamedCtxIsNotFlagged() {
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
              String named(Context ctx, String id) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void onlyTheFirstContextParameterIsAskedFor() {
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
              // only the first context parameter is asked for
              String second(Context ctx, Context other) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableParameterNamedCtxIsNotFlagged() {
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
              <C extends Context> String generic(C ctx) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConstructorParameterNamedCtxIsNotFlagged() {
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
              Negatives(CancellableContext ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aDerivingFunctionsParentIsNotFlagged() {
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
              // functions that derive a context name its parent as Go's WithCancel(parent) does
              static Context withUser(Context parent, String user) {
                return Context.withValue(parent, "user", user);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDerivingFunctionsParentReturningACancellableContextIsNotFlagged() {
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
              static CancellableContext bounded(Context parent) {
                return Context.withTimeout(parent, java.time.Duration.ofSeconds(1));
              }
            }
            """)
        .doTest();
  }

  @Test
  void aMethodWithoutAContextParameterIsNotFlagged() {
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
              String noContext(String id, Object parent) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aParentWhoseBodyDeclaresItsOwnCtxIsNotFlagged() {
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
              // the body's own ctx, derived from the parameter (Go would shadow it)
              String derived(Context parent, String id) {
                try (CancellableContext ctx = Context.withTimeout(parent, java.time.Duration.ofSeconds(1))) {
                  return id + ctx.err();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaParameterIsNotFlagged() {
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
              // lambdas: the functional interface's users pick the names
              Function<Context, String> handler = c -> "";
            }
            """)
        .doTest();
  }

  @Test
  void aTwoParameterLambdaIsNotFlagged() {
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
              BiFunction<Context, String, String> pair = (parent, id) -> id;
            }
            """)
        .doTest();
  }

  @Test
  void anOverridingMethodIsNotFlagged() {
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
              // overrides: the supertype chose the names
              interface Handler {
                String handle(Context ctx, String id);
              }

              static final class Impl implements Handler {
                @Override
                public String handle(Context request, String id) {
                  return id;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anOverridingMethodWithoutAnnotationIsNotFlagged() {
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
              static class Base {
                String load(Context ctx) {
                  return "";
                }
              }

              static final class Derived extends Base {
                String load(Context parent) { // overrides without the annotation
                  return "";
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anAnonymousClassOverrideIsNotFlagged() {
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
              // overrides: the supertype chose the names
              interface Handler {
                String handle(Context ctx, String id);
              }

              Object anonymous =
                  new Handler() {
                    @Override
                    public String handle(Context c, String id) {
                      return id;
                    }
                  };
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
              // records: the canonical constructor's parameters are the components
              record Request(Context context, String id) {
                Request {
                  id = id.trim();
                }
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
              record Explicit(Context context) {
                Explicit(Context context) {
                  this.context = context;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaParameterNamedCtxDoesNotExcuseTheMethod() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // a lambda's parameter named ctx is not the method's own context
              // BUG: Diagnostic contains: instead of parent
              java.util.List<String> each(Context parent, java.util.List<String> ids) {
                java.util.function.BiFunction<Context, String, String> f = (ctx, id) -> id;
                return ids.stream().map(id -> f.apply(parent, id)).toList();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aParameterNamedParentIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: Name the first context parameter ctx, as Go code does, instead of parent
              static String userOf(Context parent, String user) {
                return user + Context.withValue(parent, "user", user);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aParameterNamedBaseIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: instead of base
              static Context withTenant(Context base, String tenant) {
                return Context.withValue(base, "tenant", tenant);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConstructorParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: instead of context
              Positives(Context context) {}
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: instead of c
              <C extends Context> String generic(String id, C c) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCancellableContextParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // BUG: Diagnostic contains: instead of cancellable
              void cancellable(CancellableContext cancellable, Context ctx) {}
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

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              interface Api {
                // BUG: Diagnostic contains: instead of context
                String fetch(Context context, String id);

                // BUG: Diagnostic contains: instead of context
                default String fetchAll(Context context) {
                  return fetch(context, "*");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRecordMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              record Service(String name) {
                // BUG: Diagnostic contains: instead of parent
                String call(Context parent) {
                  return name;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anEnumMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              enum Mode {
                FAST;

                // BUG: Diagnostic contains: instead of requestContext
                String run(Context requestContext) {
                  return name();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLocalClassMethodIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              Object local() {
                class Local {
                  // BUG: Diagnostic contains: [ContextParameterName]
                  void go(Context parent) {}
                }
                return new Local();
              }
            }
            """)
        .doTest();
  }

  @Test
  void renamesTheParameterItsUsesAndItsJavadocTag() {
    refactoring
        .addInputLines(
            "Users.java",
            """
            package demo;

            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Users {
              /**
               * Loads a user.
               *
               * @param parent the request's context
               * @param id the user
               * @return the name
               */
              @Deprecated
              static String load(Context parent, String id) {
                Supplier<String> later = () -> String.valueOf(parent.err());
                return Context.withValue(parent, "id", id) + later.get();
              }
            }
            """)
        .addOutputLines(
            "Users.java",
            """
            package demo;

            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Users {
              /**
               * Loads a user.
               *
               * @param ctx the request's context
               * @param id the user
               * @return the name
               */
              @Deprecated
              static String load(Context ctx, String id) {
                Supplier<String> later = () -> String.valueOf(ctx.err());
                return Context.withValue(ctx, "id", id) + later.get();
              }
            }
            """)
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void noFixWhenCtxIsAlreadyANameInTheMethod() {
    refactoring
        .addInputLines(
            "Clashes.java",
            """
            package demo;

            import java.util.function.Function;
            import org.ctx4j.Context;

            class Clashes {
              private String ctx = "a field";

              String field(Context parent) {
                return ctx + parent;
              }

              String local(Context parent) {
                String ctx = "a local";
                return ctx + parent;
              }

              String localNotAContext(Context parent) {
                for (String ctx : java.util.List.of("a")) {
                  parent = Context.withValue(parent, ctx, 1);
                }
                return "" + parent;
              }

              String lambda(Context parent) {
                Function<Context, String> f = ctx -> "" + ctx;
                return f.apply(parent);
              }

              String parameter(Context parent, Context ctx) {
                return "" + parent + ctx;
              }
            }
            """)
        .expectUnchanged()
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void aFieldNamedCtxThatTheBodyDoesNotUseIsNoClash() {
    refactoring
        .addInputLines(
            "Holder.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Holder {
              private final String ctx = "unused here";

              String get(Context parent) {
                return this.ctx + parent;
              }
            }
            """)
        .addOutputLines(
            "Holder.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Holder {
              private final String ctx = "unused here";

              String get(Context ctx) {
                return this.ctx + ctx;
              }
            }
            """)
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void didYouMeanShowsTheRenamedParameter() {
    helper
        .addSourceLines(
            "Lookup.java",
            """
            import org.ctx4j.Context;

            class Lookup {
              // BUG: Diagnostic contains: Did you mean 'String find(Context ctx, String id) {'
              String find(Context context, String id) {
                return context.toString() + id;
              }
            }
            """)
        .doTest();
  }
}
