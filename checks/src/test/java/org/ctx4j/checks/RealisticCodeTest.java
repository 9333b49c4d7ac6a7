package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.ctx4j.checks.nullcontext.NullContext;
import org.ctx4j.checks.parameters.ContextNotFirstParameter;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Realistic code compiled with every ctx4j check the service loader finds, as users run them:
 * services, repositories, handlers, records, enums, anonymous and local classes, lambdas, switch
 * expressions, generics, constructors and overloads. Correct code stays quiet under every check;
 * each finding is a true positive by the rule on its check's page in docs/checks/, reported by the
 * right check on the line that page names, also where several checks meet in the same code. A case
 * of one shape for one check lives in that check's own test class, not here.
 */
final class RealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, RealisticCodeTest.class);
  }

  private static CompilationTestHelper withSources(String[][] files) {
    CompilationTestHelper helper = everyCheck();
    for (String[] file : files) {
      helper = helper.addSourceLines(file[0], file[1]);
    }
    return helper;
  }

  /** Correct code: not one finding from any check. */
  @Nested
  final class CorrectCodeIsQuiet {
    @Test
    void orderServiceApplication() {
      withSources(RealisticPrograms.SHOP).expectNoDiagnostics().doTest();
    }

    /** Sealed types, records, generics, a builder, enums, inner and local classes. */
    @Test
    void modernJavaShapes() {
      everyCheck()
          .addSourceLines("Shapes.java", RealisticPrograms.SHAPES)
          .expectNoDiagnostics()
          .doTest();
    }

    /** Fan-out with TaskGroups, and work run in grpc's context. */
    @Test
    void fanOutServiceAndGrpcScope() {
      withSources(RealisticPrograms.FAN_OUT).expectNoDiagnostics().doTest();
    }

    @Test
    void nearMissesOfTheRules() {
      everyCheck()
          .addSourceLines("NearMisses.java", RealisticPrograms.NEAR_MISSES)
          .expectNoDiagnostics()
          .doTest();
    }

    /** Null checks, instanceof, do-while, loops with break, catch and finally around a cancel. */
    @Test
    void cancelShapesFromRealCode() {
      everyCheck()
          .addSourceLines("More.java", RealisticPrograms.MORE)
          .expectNoDiagnostics()
          .doTest();
    }

    /**
     * A context rolled over per item, reset after cancel, retried in a loop, swapped with an alias.
     */
    @Test
    void rollingAndRetryingContexts() {
      everyCheck()
          .addSourceLines(
              "Rolling.java",
              """
              import java.time.Duration;
              import java.util.List;
              import org.ctx4j.CancellableContext;
              import org.ctx4j.Context;
              final class Rolling {
                void rolling(Context ctx, List<String> items) {
                  CancellableContext c = null;
                  for (String item : items) {
                    if (c != null) c.cancel();
                    c = Context.withTimeout(ctx, Duration.ofSeconds(1));
                    work(c, item);
                  }
                  if (c != null) c.cancel();
                }
                void resetAfterCancel(Context ctx) {
                  CancellableContext c = null;
                  try {
                    c = Context.withCancel(ctx);
                    work(c, "x");
                  } finally {
                    if (c != null) {
                      c.cancel();
                      c = null;
                    }
                  }
                }
                void retry(Context ctx, int attempts) {
                  for (int i = 0; i < attempts; i++) {
                    try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
                      if (work(c, "x")) return;
                    }
                  }
                }
                void swapped(Context ctx) {
                  CancellableContext a = Context.withCancel(ctx);
                  CancellableContext b = a;
                  a = Context.withCancel(ctx);
                  b.cancel();
                  a.cancel();
                }
                static boolean work(Context ctx, String s) { return true; }
              }
              """)
          .doTest();
    }

    /**
     * The runtime's own tests of bad input: a factory given null throws at once and leaks nothing
     * (LostCancel stays quiet); NullContext stays quiet inside assertThrows and inside a lambda
     * typed as JUnit's Executable handed to a user-written wrapper.
     */
    @Test
    void badInputTestsOfTheRuntime() {
      everyCheck()
          .addSourceLines(
              "BadInput.java",
              """
              import static org.junit.jupiter.api.Assertions.assertThrows;

              import java.time.Duration;
              import java.time.Instant;
              import org.ctx4j.Context;
              import org.junit.jupiter.api.function.Executable;

              class BadInput {
                void direct(Context ctx) {
                  assertThrows(NullPointerException.class, () -> Context.withCancel(null));
                  assertThrows(NullPointerException.class, () -> Context.withTimeout(ctx, null));
                  assertThrows(NullPointerException.class, () -> Context.withDeadline(ctx, null));
                }

                void wrapped(Context ctx) {
                  npe(() -> Context.withCancel(null));
                  npe(() -> Context.withTimeoutCause(ctx, null, new Exception()));
                  npe(() -> Context.withDeadline(ctx, (Instant) null));
                }

                static void npe(Executable e) {
                  assertThrows(NullPointerException.class, e);
                }
              }
              """)
          .doTest();
    }
  }

  /** Realistic code with mistakes, several checks' findings in the same code. */
  @Nested
  final class FindingsWhereChecksMeet {
    /** A server owning a lifetime, an executor, futures, streams, loops, switch and patterns. */
    @Test
    void serverWithExecutorsFuturesAndStreams() {
      everyCheck().addSourceLines("Server.java", RealisticPrograms.SERVER).doTest();
    }

    /** The twins of the fan-out service and the grpc scope, each with a leak. */
    @Test
    void fanOutAndGrpcLeaks() {
      withSources(RealisticPrograms.FAN_OUT_LEAKS).doTest();
    }

    /**
     * Enum constants with bodies, inner-class creation, intersections, var lambdas, local types.
     */
    @Test
    void unusualTreesNeverCrashAndReportOnce() {
      everyCheck().addSourceLines("Odd.java", RealisticPrograms.ODD).doTest();
    }

    /** Records (compact and explicit canonical constructors), anonymous subclasses, varargs. */
    @Test
    void constructorsRecordsAndVarargs() {
      everyCheck().addSourceLines("Ctors.java", RealisticPrograms.CTORS).doTest();
    }

    /** A checkout where each mistake breaks the rules of two checks, and each check reports it. */
    @Test
    void twoRulesOnOneLine() {
      everyCheck().addSourceLines("Checkout.java", RealisticPrograms.CHECKOUT).doTest();
    }

    /**
     * A user Context implementation wrapping its parent: the parent field and the private key are
     * the implementation (no ContextInField, no ContextKeyNotPrivate), the overrides keep the
     * interface's names; the constructor's first context parameter is not named ctx.
     */
    @Test
    void userContextImplementation() {
      everyCheck().addSourceLines("Traced.java", RealisticPrograms.TRACED).doTest();
    }

    /** JSpecify (type-use) {@code @Nullable} on a parameter or return type is a contract. */
    @Test
    void jspecifyNullableIsAContract() {
      everyCheck()
          .addSourceLines(
              "Lib.java",
              """
              import org.ctx4j.Context;
              import org.jspecify.annotations.NullMarked;
              import org.jspecify.annotations.Nullable;

              @NullMarked
              final class Lib {
                static String run(@Nullable Context ctx, String what) {
                  return what;
                }

                static @Nullable Context maybe() {
                  return null;
                }

                static <C extends Context> @Nullable C generic() {
                  return null;
                }

                static String call() {
                  return run(null, "x");
                }

                static String notNullable(Context ctx) {
                  return "";
                }

                static String callNotNullable() {
                  // BUG: Diagnostic contains: [NullContext]
                  return notNullable(null);
                }
              }
              """)
          .doTest();
    }

    /**
     * Keys that are private although they look otherwise: a key assigned in a static initialiser,
     * and a primitive key boxed to a type every caller can construct.
     */
    @Test
    void keysAssignedLateOrBoxed() {
      everyCheck()
          .addSourceLines(
              "Keys.java",
              """
              import org.ctx4j.Context;

              public final class Keys {
                private enum Key { USER }
                private static final Object TRACE = new Object();
                private static final Object LAZY;
                static {
                  LAZY = new Object();
                }

                static Context with(Context ctx) {
                  Context c = Context.withValue(ctx, Key.USER, "u");
                  c = Context.withValue(c, TRACE, "t");
                  return Context.withValue(c, LAZY, "l");
                }

                static Object boxedKey(Context ctx, int i) {
                  // BUG: Diagnostic contains: [ContextKeyNotPrivate]
                  return Context.withValue(ctx, i, i);
                }
              }
              """)
          .doTest();
    }

    /**
     * Typed keys as libraries write them (a public key class with identity equals, instances in
     * private fields, {@code get} reading {@code this}), a job registry that keeps cancel handles,
     * and the nulls real code writes: a shared {@code static final} null default, a switch that
     * picks no context, a local left null; all found, and each fix passes the context in scope.
     */
    @Test
    void typedKeysCancelHandlesAndNullDefaults() {
      everyCheck()
          .addSourceLines(
              "lib/TypedKey.java",
              """
              package lib;

              import org.ctx4j.Context;

              public final class TypedKey<T> {
                private final String name;

                public TypedKey(String name) {
                  this.name = name;
                }

                @SuppressWarnings("unchecked")
                public T get(Context ctx) {
                  return (T) ctx.value(this);
                }

                public Context with(Context ctx, T value) {
                  return Context.withValue(ctx, this, value);
                }

                @Override
                public String toString() {
                  return name;
                }
              }
              """)
          .addSourceLines(
              "app/Users.java",
              """
              package app;

              import java.util.Map;
              import java.util.concurrent.ConcurrentHashMap;
              import lib.TypedKey;
              import org.ctx4j.CancellableContext;
              import org.ctx4j.Context;

              public final class Users {
                private static final TypedKey<String> USER = new TypedKey<>("user");
                // BUG: Diagnostic contains: [ContextInField]
                static final Context NO_CONTEXT = null;

                @FunctionalInterface
                interface Cancel {
                  void cancel(Throwable cause);
                }

                private final Map<String, Cancel> jobs = new ConcurrentHashMap<>();

                // BUG: Diagnostic contains: store its cancel handle instead
                private final Map<String, CancellableContext> running = new ConcurrentHashMap<>();

                static Context withUser(Context ctx, String name) {
                  return Context.withValue(ctx, USER, name);
                }

                static String user(Context ctx) {
                  return USER.get(ctx);
                }

                void start(Context ctx, String id) {
                  CancellableContext job = Context.withCancel(ctx);
                  jobs.put(id, job::cancel);
                  running.put(id, job);
                }

                String lookup(Context ctx, int mode) {
                  Context chosen =
                      switch (mode) {
                        case 0 -> null;
                        default -> NO_CONTEXT;
                      };
                  // BUG: Diagnostic contains: [NullContext]
                  return user(chosen);
                }

                static String fallback() {
                  // BUG: Diagnostic contains: [NullContext]
                  return user(NO_CONTEXT);
                }
              }
              """)
          .doTest();
    }
  }

  /** Fixes on realistic shapes that no check's own test class covers. */
  @Nested
  final class FixesInRealCode {
    /**
     * The fix of ContextNotFirstParameter on an enum constructor moves the constants' arguments.
     */
    @Test
    void enumConstructorReorderCompiles() {
      FixRoundTrip.newInstance(ContextNotFirstParameter.class, RealisticCodeTest.class)
          .addInputLines(
              "Phase.java",
              """
              import org.ctx4j.Context;

              enum Phase {
                START(1, Context.background()),
                STOP(2, Context.todo());

                Phase(int order, Context ctx) {}
              }
              """)
          .addOutputLines(
              "Phase.java",
              """
              import org.ctx4j.Context;

              enum Phase {
                START(Context.background(), 1),
                STOP(Context.todo(), 2);

                Phase(Context ctx, int order) {}
              }
              """)
          .doTest();
    }

    @Test
    void nullContextFixPassesTheContextInScope() {
      FixRoundTrip.newInstance(NullContext.class, RealisticCodeTest.class)
          .addInputLines(
              "Users.java",
              """
              import java.util.function.Function;
              import org.ctx4j.Context;

              final class Users {
                static final Context NO_CONTEXT = null;

                static String user(Context ctx) {
                  return "";
                }

                String lookup(Context ctx, int mode) {
                  Function<String, String> f = id -> user(NO_CONTEXT);
                  return user(switch (mode) { case 0 -> null; default -> NO_CONTEXT; });
                }
              }
              """)
          .addOutputLines(
              "Users.java",
              """
              import java.util.function.Function;
              import org.ctx4j.Context;

              final class Users {
                static final Context NO_CONTEXT = null;

                static String user(Context ctx) {
                  return "";
                }

                String lookup(Context ctx, int mode) {
                  Function<String, String> f = id -> user(ctx);
                  return user(ctx);
                }
              }
              """)
          .doTest();
    }
  }
}
