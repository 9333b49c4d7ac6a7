package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel}'s findings: cases that must not be flagged first, then findings. The
 * fix is tested in {@link LostCancelFixTest}.
 */
final class LostCancelTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  // ---------------------------------------------------------------------------------------------
  // Not flagged.

  @Test
  void cancelledOnEveryPath() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String resource(Context p) {
                try (CancellableContext ctx = Context.withTimeout(p, Duration.ofSeconds(2))) {
                  return fetch(ctx);
                }
              }

              void finallyCancel(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                try {
                  fetch(ctx);
                } finally {
                  ctx.cancel();
                }
              }

              void closeIt(Context p) {
                CancellableContext ctx = Context.withDeadline(p, Instant.now());
                fetch(ctx);
                ctx.close();
              }

              void cancelWithCause(Context p) {
                CancellableContext ctx = Context.withTimeoutCause(p, Duration.ZERO, new Exception());
                fetch(ctx);
                ctx.cancel(new IllegalStateException("done"));
              }

              void bothBranches(Context p, boolean b) {
                CancellableContext ctx = Context.withDeadlineCause(p, Instant.now(), new Exception());
                if (b) {
                  ctx.cancel();
                  return;
                } else {
                  fetch(ctx);
                }
                ctx.cancel();
              }

              void earlyReturnCancels(Context p, boolean b) {
                CancellableContext ctx = Context.withCancel(p);
                if (b) {
                  ctx.cancel();
                  return;
                }
                fetch(ctx);
                ctx.cancel();
              }

              void existingVariableAsResource(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                try (ctx) {
                  fetch(ctx);
                }
              }

              void nullCheckedInFinally(Context p) {
                CancellableContext ctx = null;
                try {
                  ctx = Context.withCancel(p);
                  fetch(ctx);
                } finally {
                  if (ctx != null) {
                    ctx.cancel();
                  }
                }
              }

              void cancelledDirectly(Context p) {
                Context.withCancel(p).cancel();
              }

              void usedAsPlainContext(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                Context child = Context.withValue(ctx, Key.K, "v");
                fetch(child);
                if (ctx.err() == null && ctx.deadline().isEmpty()) {
                  fetch(ctx);
                }
                ctx.cancel();
              }

              void varAndCast(Context p) {
                var ctx = Context.withCancel(p);
                Context plain = Context.withCancel(p);
                fetch(plain);
                ((CancellableContext) plain).cancel();
                ctx.cancel();
              }

              private enum Key { K }

              String fetch(Context ctx) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void escapes() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private CancellableContext field;
              private final List<CancellableContext> open = new ArrayList<>();
              private final List<AutoCloseable> closeables = new ArrayList<>();

              CancellableContext returned(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                work(ctx);
                return ctx;
              }

              CancellableContext returnedDirectly(Context p, boolean b) {
                return b ? Context.withCancel(p) : Context.withTimeout(p, java.time.Duration.ZERO);
              }

              void storedInField(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                field = ctx;
              }

              void createdIntoField(Context p) {
                field = Context.withCancel(p);
              }

              void storedInArray(Context p, CancellableContext[] out) {
                CancellableContext ctx = Context.withCancel(p);
                out[0] = ctx;
              }

              void addedToCollections(Context p) {
                CancellableContext a = Context.withCancel(p);
                open.add(a);
                CancellableContext b = Context.withCancel(p);
                closeables.add(b);
              }

              void handedToCancellableParameter(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                own(ctx);
                own(Context.withCancel(p));
              }

              void handedToAutoCloseableParameter(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                closeLater(ctx);
              }

              void capturedByLambda(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                Runnable r = () -> ctx.cancel();
                schedule(r);
              }

              void capturedByMethodReference(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                schedule(ctx::cancel);
              }

              void capturedByAnonymousClass(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                schedule(new Runnable() {
                  @Override
                  public void run() {
                    ctx.close();
                  }
                });
              }

              void capturedByLocalClass(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                class Closer implements Runnable {
                  @Override
                  public void run() {
                    ctx.cancel();
                  }
                }
                schedule(new Closer());
              }

              Supplier<CancellableContext> expressionLambda(Context p) {
                return () -> Context.withCancel(p);
              }

              void aliased(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                CancellableContext other = ctx;
                other.cancel();
              }

              void work(Context ctx) {}

              void own(CancellableContext ctx) {
                field = ctx;
              }

              void closeLater(AutoCloseable c) {
                closeables.add(c);
              }

              void schedule(Runnable r) {}
            }
            """)
        .doTest();
  }

  @Test
  void pathsThatLeakNothing() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              // go vet: "ok: infinite loop"
              void endlessLoop(Context p, boolean b) {
                CancellableContext ctx = Context.withCancel(p);
                if (b) {
                  ctx.cancel();
                } else {
                  while (true) {
                    work(ctx);
                  }
                }
              }

              void endlessFor(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                for (;;) {
                  work(ctx);
                }
              }

              void breakOutOfEndlessLoop(Context p, int n) {
                CancellableContext ctx = Context.withCancel(p);
                while (true) {
                  if (n-- == 0) {
                    break;
                  }
                  work(ctx);
                }
                ctx.cancel();
              }

              // go vet: every switch case uses cancel or never returns
              void switchEveryCase(Context p, int k) {
                CancellableContext ctx = Context.withCancel(p);
                switch (k) {
                  case 0:
                    throw new IllegalStateException();
                  case 1:
                    System.exit(1);
                  case 2:
                    ctx.cancel();
                    break;
                  case 3:
                    work(ctx);
                    // fall through
                  default:
                    Runtime.getRuntime().halt(1);
                }
              }

              void throwLeaksNothingByDefault(Context p, boolean b) throws Exception {
                CancellableContext ctx = Context.withCancel(p);
                if (b) {
                  throw new Exception("no");
                }
                work(ctx);
                ctx.cancel();
              }

              void exitCall(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                work(ctx);
                System.exit(0);
              }

              void labelledBreak(Context p, int[][] grid) {
                CancellableContext ctx = Context.withCancel(p);
                outer:
                for (int[] row : grid) {
                  for (int cell : row) {
                    if (cell < 0) {
                      break outer;
                    }
                    if (cell == 0) {
                      continue outer;
                    }
                    work(ctx);
                  }
                }
                ctx.cancel();
              }

              void cancelInEachIteration(Context p, int n) {
                for (int i = 0; i < n; i++) {
                  CancellableContext ctx = Context.withCancel(p);
                  if (i % 2 == 0) {
                    ctx.cancel();
                    continue;
                  }
                  work(ctx);
                  ctx.cancel();
                }
              }

              int nestedTryReturn(Context p, boolean b) {
                CancellableContext ctx = Context.withCancel(p);
                try {
                  try {
                    if (b) {
                      return 1;
                    }
                    work(ctx);
                  } finally {
                    work(p);
                  }
                  return 2;
                } finally {
                  ctx.cancel();
                }
              }

              int switchExpression(Context p, int k) {
                CancellableContext ctx = Context.withCancel(p);
                int r = switch (k) {
                  case 0 -> {
                    ctx.cancel();
                    yield 0;
                  }
                  case 1 -> throw new IllegalArgumentException();
                  default -> {
                    work(ctx);
                    ctx.close();
                    yield 1;
                  }
                };
                return r;
              }

              // go vet testdata b.go: a return from main exits the program.
              public static void main(String[] args) {
                CancellableContext ctx = Context.withCancel(Context.background());
                if (args.length > 0) {
                  ctx.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableParentInTryWithResourcesIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              <T extends Context> void generic(T parent) {
                try (CancellableContext ctx = withCancel(parent)) {
                  parent.value(ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRecordMethodThatCancelsIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              record Request(Context parent) {
                void handle() {
                  try (var ctx = withCancel(parent)) {
                    ctx.done();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void anEnumMethodThatCancelsIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              enum Mode {
                ON;
                void run(Context p) {
                  CancellableContext ctx = withCancel(p);
                  ctx.cancel();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDefaultMethodThatCancelsIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              interface Handler {
                default void handle(Context p) {
                  try (CancellableContext ctx = withCancel(p)) {
                    ctx.err();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaInAFieldThatCancelsIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              Function<Context, String> lambda =
                  p -> {
                    try (CancellableContext ctx = withCancel(p)) {
                      return ctx.toString();
                    }
                  };
            }
            """)
        .doTest();
  }

  @Test
  void aCloseInFinallyInANestedClassIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static class Nested {
                void run(Context p) {
                  CancellableContext ctx = withCancel(p);
                  try {
                    ctx.done();
                  } finally {
                    ctx.close();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppressWarningsOnTheMethodSilencesIt() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              @SuppressWarnings("LostCancel")
              void suppressed(Context p) {
                CancellableContext ctx = withCancel(p);
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppressWarningsOnTheVariableSilencesIt() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.ctx4j.Context.withCancel;

            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void suppressedVariable(Context p) {
                @SuppressWarnings("LostCancel")
                CancellableContext ctx = withCancel(p);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCancelAfterADoWhileLoopIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void doWhile(Context p, int n) {
                CancellableContext ctx = Context.withCancel(p);
                do {
                  work(ctx);
                } while (--n > 0);
                ctx.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void synchronizedAndAssertIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void synchronizedAndAssert(Context p, Object lock) {
                CancellableContext ctx = Context.withCancel(p);
                synchronized (lock) {
                  assert ctx.err() == null;
                  work(ctx);
                }
                ctx.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void cancellingEachContextOfAListIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void enhancedForOverContexts(List<CancellableContext> all) {
                for (CancellableContext ctx : all) {
                  ctx.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void anInstanceofPatternBeforeTheCancelIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void patternMatching(Context p, Object o) {
                CancellableContext ctx = Context.withCancel(p);
                if (o instanceof String s && !s.isEmpty()) {
                  work(ctx);
                }
                ctx.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aStringSwitchFallingThroughToTheCancelIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void stringSwitchFallThrough(Context p, String s) {
                CancellableContext ctx = Context.withCancel(p);
                switch (s) {
                  case "a":
                    work(ctx);
                  case "b":
                    ctx.cancel();
                    break;
                  default:
                    ctx.close();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void catchCancelsAndRethrowsIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void catchCancelsAndRethrows(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                try {
                  work(ctx);
                } catch (RuntimeException e) {
                  ctx.cancel();
                  throw e;
                }
                ctx.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aReturnedSwitchExpressionInitializerIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CancellableContext switchExpressionInitializer(Context p, int k) {
                CancellableContext ctx = switch (k) {
                  case 0 -> Context.withCancel(p);
                  default -> {
                    work(p);
                    yield Context.withTimeout(p, java.time.Duration.ZERO);
                  }
                };
                work(ctx);
                return ctx;
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void lambdaInsideLambdaIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void lambdaInsideLambda(Context p) {
                Runnable outer =
                    () -> {
                      Runnable inner =
                          () -> {
                            try (CancellableContext ctx = Context.withCancel(p)) {
                              work(ctx);
                            }
                          };
                      inner.run();
                    };
                outer.run();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // Flagged: go vet's lostcancel test data, written anew in Java.

  @Test
  void aCancelInDeadCodeDoesNotCount() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // A cancel in dead code does not count.
              void deadCancel(Context bg) {
                // BUG: Diagnostic contains: it leaks when the method ends at line 17
                CancellableContext ctx = Context.withCancel(bg);
                if (false) {
                  ctx.cancel();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCancelInDeadCodeAfterAnAssignmentDoesNotCount() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              void deadCancelAssignment(Context bg) {
                CancellableContext ctx;
                // BUG: Diagnostic contains: [LostCancel] This context is not cancelled on every path
                ctx = Context.withTimeout(bg, Duration.ZERO);
                if (false) {
                  ctx.cancel();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCancelOnlyInsideAnIfIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // Cancelled only inside an if.
              void onlyInIf(Context bg) {
                // BUG: Diagnostic contains: it leaks when the method is left after line 14
                CancellableContext ctx = Context.withDeadline(bg, Instant.now());
                if (condition) {
                  ctx.cancel();
                }
                return;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLoopThatEndsIsFlaggedUnlikeAnEndlessOne() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // A loop that ends, unlike the endless one.
              void boundedLoop(Context bg) {
                // BUG: Diagnostic contains: it leaks when the method ends at line 21
                CancellableContext ctx = Context.withCancel(bg);
                if (condition) {
                  ctx.cancel();
                } else {
                  for (int i = 0; i < 10; i++) {
                    System.out.print(0);
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aSwitchCaseFallingOutIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // One switch case falls out to the end of the method.
              void switchFallsOut(Context bg) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(bg);
                switch (someInt) {
                  case 0:
                    throw new IllegalStateException();
                  case 1:
                    System.exit(1);
                  case 2:
                    ctx.cancel();
                    break;
                  case 3:
                    System.out.print("hi");
                    break;
                  default:
                    System.exit(1);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aGenericMethodIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // A generic method.
              <T> void generic(Context bg, T value) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(bg);
                if (false) {
                  ctx.cancel();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaIsAnalysedOnItsOwn() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // A function literal is analysed on its own.
              void functionLiteral(Context bg) {
                Runnable r =
                    () -> {
                      // BUG: Diagnostic contains: it leaks when the lambda ends
                      CancellableContext ctx = Context.withCancel(bg);
                      if (false) {
                        ctx.cancel();
                      }
                      ctx.done();
                    };
                r.run();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCancelWithCauseOnlyInsideAnIfIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // WithCancelCause: cancel(cause) only inside an if.
              void cancelCause(Context bg, boolean maybe) {
                {
                  CancellableContext ctx = Context.withTimeoutCause(bg, Duration.ZERO, new Exception());
                  try {
                    ctx.done();
                  } finally {
                    ctx.cancel(new java.io.EOFException());
                  }
                }
                {
                  // BUG: Diagnostic contains: not cancelled on every path
                  CancellableContext ctx = Context.withDeadlineCause(bg, Instant.now(), new Exception());
                  if (maybe) {
                    ctx.cancel(new java.io.EOFException());
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void outsideMainTheSameCodeIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static boolean condition;
              static int someInt;

              // go vet b.go: outside main the same code is a leak.
              static void notMain(String[] args) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(Context.background());
                if (args.length > 0) {
                  ctx.cancel();
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
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static final Object KEY = new Object();

              void statement(Context p) {
                // BUG: Diagnostic contains: [LostCancel] This context can never be cancelled because it is not kept
                Context.withCancel(p);
              }

              void argument(Context p) {
                // BUG: Diagnostic contains: can never be cancelled
                work(Context.withTimeout(p, Duration.ofSeconds(1)));
              }

              Context nestedInWithValue(Context p) {
                // BUG: Diagnostic contains: can never be cancelled
                return Context.withValue(Context.withCancel(p), KEY, "v");
              }

              Context nestedAsParent(Context p) {
                // BUG: Diagnostic contains: can never be cancelled
                return Context.withoutCancel(Context.withCancel(p));
              }

              void receiver(Context p) {
                // BUG: Diagnostic contains: can never be cancelled
                Context.withCancel(p).done();
              }

              void ternary(Context p, boolean b) {
                // BUG: Diagnostic contains: can never be cancelled
                work(b ? Context.withCancel(p) : p);
              }

              CancellableContext outerKept(Context p) {
                // The outer context is returned; the inner one is lost.
                // BUG: Diagnostic contains: can never be cancelled
                return Context.withTimeout(Context.withCancel(p), Duration.ZERO);
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aReassignedVariableLosesTheFirstContext() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              // go vet misses this one: the first context is lost when the variable is reassigned.
              void reassigned(Context p) {
                CancellableContext ctx;
                // BUG: Diagnostic contains: it leaks when ctx is reassigned at line 12
                ctx = Context.withCancel(p);
                ctx = Context.withTimeout(ctx, Duration.ofSeconds(1));
                ctx.cancel();
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aLoopDeclaringTheVariableAgainIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void redeclaredInLoop(Context p, int n) {
                for (int i = 0; i < n; i++) {
                  // BUG: Diagnostic contains: it leaks when the loop declares ctx again at line 10
                  CancellableContext ctx = Context.withCancel(p);
                  if (i == 3) {
                    continue;
                  }
                  ctx.cancel();
                }
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aReturnInsideALoopIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int returnInLoop(Context p, int[] xs) {
                // BUG: Diagnostic contains: it leaks when the method returns at line 12
                CancellableContext ctx = Context.withCancel(p);
                for (int x : xs) {
                  if (x < 0) {
                    return x;
                  }
                }
                ctx.cancel();
                return 0;
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void labelledBreakSkipsCancelIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void labelledBreakSkipsCancel(Context p, int[][] grid) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                outer:
                for (int[] row : grid) {
                  for (int cell : row) {
                    if (cell < 0) {
                      break outer;
                    }
                  }
                  ctx.cancel();
                  return;
                }
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void switchExpressionArmReturnsIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int switchExpressionArmReturns(Context p, int k) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                int r = switch (k) {
                  case 0 -> 0;
                  default -> {
                    ctx.cancel();
                    yield 1;
                  }
                };
                return r;
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aCatchThatReturnsIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void catchReturns(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                try {
                  read(ctx);
                } catch (IOException e) {
                  return;
                }
                ctx.cancel();
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aConditionalStoredInAVariableIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void ternaryIntoVariable(Context p, boolean b) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = b ? Context.withCancel(p) : Context.withTimeout(p, Duration.ZERO);
                read2(ctx);
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aVariableDeclaredAsPlainContextIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void declaredAsContext(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                Context ctx = Context.withCancel(p);
                read2(ctx);
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aMethodOfAnAnonymousClassIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void anonymousClassMethod(Context p) {
                Runnable r =
                    new Runnable() {
                      @Override
                      public void run() {
                        // BUG: Diagnostic contains: it leaks when the method ends
                        CancellableContext ctx = Context.withCancel(p);
                        read2(ctx);
                      }
                    };
                r.run();
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aMethodOfALocalClassIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.IOException;
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void localClassMethod(Context p) {
                class Local {
                  void go() {
                    // BUG: Diagnostic contains: not cancelled on every path
                    CancellableContext ctx = Context.withCancel(p);
                    read2(ctx);
                  }
                }
                new Local().go();
              }

              void read(Context ctx) throws IOException {}

              void read2(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void theMessageNamesTheReturnThatLeaks() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              // The line named is the return that leaks, not the later one that follows a cancel.
              String namesTheLeakingReturn(Context parent, String id) {
                // BUG: Diagnostic contains: it leaks when the method returns at line 13
                CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2));
                if (id.isEmpty()) {
                  return "";
                }
                String user = id + ctx;
                ctx.cancel();
                return user;
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aCancelUnderAConstantFalseFlagIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              void constantFalseFlag(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                if (DEBUG) {
                  ctx.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void eachArmOfASwitchExpressionInitializerIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              void switchExpressionInitializer(Context p, int k) {
                CancellableContext ctx = switch (k) {
                  // BUG: Diagnostic contains: not cancelled on every path
                  case 0 -> Context.withCancel(p);
                  // BUG: Diagnostic contains: not cancelled on every path
                  default -> Context.withTimeout(p, Duration.ZERO);
                };
                work(ctx);
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void onlyTheLambdaThatLeaksIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              void onlyTheLambdaLeaks(Context p) {
                CancellableContext outer = Context.withCancel(p);
                Runnable r =
                    () -> {
                      // BUG: Diagnostic contains: it leaks when the lambda ends
                      CancellableContext inner = Context.withCancel(p);
                      work(inner);
                    };
                r.run();
                outer.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aContextCreatedInAnExpressionLambdaArgumentIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              java.util.function.Consumer<Context> expressionLambda() {
                // BUG: Diagnostic contains: can never be cancelled
                return x -> work(Context.withCancel(x));
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aCancelThroughAnInstanceofPatternIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              void patternAlias(Context p) {
                Context ctx = Context.withCancel(p);
                if (ctx instanceof CancellableContext c) {
                  c.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void aContextDiscardedByAVoidLambdaIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private static final boolean DEBUG = false;

              Runnable voidLambda(Context p) {
                // BUG: Diagnostic contains: can never be cancelled
                return () -> Context.withCancel(p);
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void exceptionalPathsCatchAndRethrow() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void catchCancelsAndRethrows(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                try {
                  work(ctx);
                } catch (Throwable e) {
                  ctx.cancel();
                  throw e;
                }
                ctx.cancel();
              }

              void nullCheckedInFinally(Context p) {
                CancellableContext ctx = null;
                try {
                  ctx = Context.withCancel(p);
                  work(ctx);
                } finally {
                  if (ctx != null) {
                    ctx.cancel();
                  }
                }
              }

              void throwBeforeCancel(Context p, boolean b) {
                // BUG: Diagnostic contains: it leaks when an exception is thrown at line 32
                CancellableContext ctx = Context.withCancel(p);
                if (b) {
                  throw new IllegalStateException();
                }
                ctx.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  @Test
  void aLambdaInAFieldInitializerIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              private final Runnable inFieldInitializer =
                  () -> {
                    // BUG: Diagnostic contains: it leaks when the lambda ends
                    CancellableContext ctx = Context.withCancel(parent);
                    ctx.done();
                  };

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaInAStaticInitializerIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              static {
                Runnable r =
                    () -> {
                      // BUG: Diagnostic contains: not cancelled on every path
                      CancellableContext ctx = Context.withCancel(Context.background());
                      ctx.err();
                    };
              }

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void constructorsAreAnalysedLikeMethods() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              Test(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                ctx.done();
              }

              Test(Context p, boolean b) {
                this(p);
                try (CancellableContext ctx = Context.withCancel(p)) {
                  ctx.done();
                }
              }

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aContextDeclaredInAForHeaderIsFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              void forHeader(Context p, int n) {
                // BUG: Diagnostic contains: not cancelled on every path
                for (CancellableContext ctx = Context.withCancel(p); n > 0; n--) {
                  ctx.done();
                }
              }

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aContextCreatedLazilyInAConditionalIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              void lazilyCreated(Context p, CancellableContext existing) {
                CancellableContext ctx = existing;
                ctx = ctx == null ? Context.withCancel(p) : ctx;
                ctx.cancel();
              }

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aContextPassedThroughAMethodAndCancelledIsNotFlagged() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private final Context parent = Context.background();

              void wrappedByCancellableParameter(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                ctx = keep(ctx);
                ctx.cancel();
              }

              CancellableContext keep(CancellableContext ctx) {
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void switchForms() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int colonSwitchExpression(Context p, int k) {
                CancellableContext ctx = Context.withCancel(p);
                int r = switch (k) {
                  case 0:
                    ctx.cancel();
                    yield 0;
                  case 1:
                    work(ctx);
                    // fall through
                  default:
                    ctx.close();
                    yield 1;
                };
                return r;
              }

              int colonSwitchExpressionLeaks(Context p, int k) {
                // BUG: Diagnostic contains: it leaks when the method returns at line 31
                CancellableContext ctx = Context.withCancel(p);
                int r = switch (k) {
                  case 0:
                    ctx.cancel();
                    yield 0;
                  default:
                    yield 1;
                };
                return r;
              }

              void arrowSwitchStatement(Context p, int k) {
                CancellableContext ctx = Context.withCancel(p);
                switch (k) {
                  case 0 -> ctx.cancel();
                  case 1 -> throw new IllegalStateException();
                  default -> {
                    work(ctx);
                    ctx.cancel();
                  }
                }
              }

              void arrowSwitchStatementLeaks(Context p, int k) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                switch (k) {
                  case 0 -> ctx.cancel();
                  default -> work(ctx);
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  /** Review: a loop whose header makes its first test true runs its body at least once. */
  @Test
  void loopsWhoseFirstTestIsTrue() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import java.util.concurrent.ExecutorService;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              static final int THREADS = 4;

              // Each worker may cancel: handed over on every run (ContextStressTest's shape).
              void handedToWorkers(Context p, ExecutorService pool) {
                CancellableContext ctx = Context.withCancel(p);
                for (int t = 0; t < THREADS; t++) {
                  pool.submit(() -> ctx.cancel());
                }
              }

              void countingDown(Context p, List<Runnable> out) {
                CancellableContext ctx = Context.withCancel(p);
                for (int t = 3; 0 <= t; t--) {
                  out.add(ctx::cancel);
                }
              }

              void cancelledInOneTripLoop(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                for (int i = 0; i != 1; i++) {
                  ctx.cancel();
                }
              }

              void zeroTrips(Context p, List<Runnable> out) {
                // BUG: Diagnostic contains: it leaks when the method ends at line 37
                CancellableContext ctx = Context.withCancel(p);
                for (int t = 0; t < 0; t++) {
                  out.add(ctx::cancel);
                }
              }

              void variableBound(Context p, List<Runnable> out, int n) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                for (int t = 0; t < n; t++) {
                  out.add(ctx::cancel);
                }
              }

              void breakBeforeHandingOver(Context p, List<Runnable> out, boolean b) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext ctx = Context.withCancel(p);
                for (int t = 0; t < 4; t++) {
                  if (b) {
                    break;
                  }
                  out.add(ctx::cancel);
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Review: where {@code c instanceof CancellableContext} is false, c holds no context made here.
   */
  @Test
  void instanceofWithoutPattern() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void castAfterTest(Context p, boolean b) {
                Context c = b ? Context.withCancel(p) : p;
                work(c);
                if (c instanceof CancellableContext) {
                  ((CancellableContext) c).cancel();
                }
              }

              void autoCloseable(Context p) throws Exception {
                Context c = Context.withTimeout(p, Duration.ofSeconds(1));
                work(c);
                if (c instanceof AutoCloseable) {
                  ((AutoCloseable) c).close();
                }
              }

              void negated(Context p) {
                Context c = Context.withCancel(p);
                work(c);
                if (!(c instanceof CancellableContext)) {
                  return;
                }
                ((CancellableContext) c).cancel();
              }

              void negatedNullCheck(Context p) {
                CancellableContext c = Context.withCancel(p);
                work(c);
                if (!(c == null)) {
                  c.cancel();
                }
              }

              void testedButNotCancelled(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                Context c = Context.withCancel(p);
                if (c instanceof CancellableContext) {
                  work(c);
                }
              }

              void unrelatedTypeTested(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                Context c = Context.withCancel(p);
                if (c instanceof Runnable) {
                  ((CancellableContext) c).cancel();
                }
              }

              static void work(Context c) {}
            }
            """)
        .doTest();
  }

  /**
   * Where {@code c.err()} is not null, c's context is already done (cancelled by its parent, or
   * past its deadline), which releases it as a cancel would: cancelling only when it is null is
   * enough.
   */
  @Test
  void errTestedBeforeTheCancel() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void unlessDone(Context p) {
                CancellableContext c = Context.withTimeout(p, Duration.ofMillis(10));
                work(c);
                if (c.err() == null) {
                  c.cancel();
                }
              }

              void doneReturnsEarly(Context p) {
                CancellableContext c = Context.withTimeout(p, Duration.ofMillis(10));
                work(c);
                if (null != c.err()) {
                  return;
                }
                c.cancel();
              }

              void throughACopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                Context scope = c;
                work(scope);
                if (scope.err() == null) {
                  c.cancel();
                }
              }

              void renewedWhenDone(Context p, int n) {
                CancellableContext window = Context.withTimeout(p, Duration.ofSeconds(1));
                for (int i = 0; i < n; i++) {
                  if (window.err() != null) {
                    window = Context.withTimeout(p, Duration.ofSeconds(1));
                  }
                  work(window);
                }
                window.cancel();
              }

              void pollUntilDone(Context p) {
                CancellableContext c = Context.withTimeout(p, Duration.ofSeconds(1));
                while (c.err() == null) {
                  work(c);
                }
              }

              void renewedWhileLive(Context p, int n) {
                // BUG: Diagnostic contains: leaks when window is reassigned
                CancellableContext window = Context.withTimeout(p, Duration.ofSeconds(1));
                for (int i = 0; i < n; i++) {
                  if (window.err() == null) {
                    // BUG: Diagnostic contains: leaks when window is reassigned
                    window = Context.withTimeout(p, Duration.ofSeconds(1));
                  }
                  work(window);
                }
                window.cancel();
              }

              void cancelledOnlyWhenDone(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext c = Context.withTimeout(p, Duration.ofMillis(10));
                work(c);
                if (c.err() != null) {
                  c.cancel();
                }
              }

              void anotherContextTested(Context p, Context other) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext c = Context.withTimeout(p, Duration.ofMillis(10));
                work(c);
                if (other.err() == null) {
                  c.cancel();
                }
              }

              void anotherMethodTested(Context p) {
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext c = Context.withTimeout(p, Duration.ofMillis(10));
                work(c);
                if (Context.cause(c) == null && c.deadline().isPresent()) {
                  c.cancel();
                }
              }

              static void work(Context c) {}
            }
            """)
        .doTest();
  }

  /**
   * Review: a factory given a null parent, duration or deadline throws at once and creates nothing;
   * a lambda handed to assertThrows is expected to throw. Neither is a leak.
   */
  @Test
  void callsThatThrowCreateNothing() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import static org.junit.jupiter.api.Assertions.assertThrows;

            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.junit.jupiter.api.function.Executable;

            class Test {
              void badInput(Context bg) {
                npe(() -> Context.withCancel(null));
                npe(() -> Context.withTimeout(null, Duration.ZERO));
                npe(() -> Context.withTimeout(bg, null));
                npe(() -> Context.withDeadline(bg, (Instant) null));
                npe(() -> Context.withTimeoutCause(bg, null, new Exception()));
                CancellableContext never = Context.withDeadlineCause(null, Instant.now(), null);
              }

              void expectedToThrow(Context bg, Duration negative) {
                assertThrows(IllegalArgumentException.class, () -> Context.withTimeout(bg, negative));
                assertThrows(
                    IllegalStateException.class,
                    () -> {
                      CancellableContext c = Context.withCancel(bg);
                      c.done().await();
                    });
              }

              void nullCauseIsAllowed(Context bg) {
                // A helper that takes JUnit's Executable runs code expected to throw: not checked.
                npe(() -> Context.withTimeoutCause(bg, Duration.ZERO, null));
                // BUG: Diagnostic contains: not cancelled on every path
                CancellableContext c = Context.withTimeoutCause(bg, Duration.ZERO, null);
                c.err();
              }

              void notAnAssertion(Context bg) {
                // BUG: Diagnostic contains: can never be cancelled
                run(() -> Context.withCancel(bg));
              }

              static void npe(Executable e) {
                assertThrows(NullPointerException.class, e);
              }

              static void run(Runnable r) {}
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // The ExceptionalPaths option.

  private static final String EXCEPTIONAL =
      """
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      class Test {
        void noFinally(Context p) {
          // BUG: Diagnostic contains: it leaks when an exception is thrown at line 7
          CancellableContext ctx = Context.withCancel(p);
          work(ctx);
          ctx.cancel();
        }

        void withFinally(Context p) {
          CancellableContext ctx = Context.withCancel(p);
          try {
            work(ctx);
          } finally {
            ctx.cancel();
          }
        }

        void withResource(Context p) {
          try (CancellableContext ctx = Context.withCancel(p)) {
            work(ctx);
          }
        }

        void work(Context ctx) {}
      }
      """;

  @Test
  void exceptionalPathsOn() {
    helper
        .addSourceLines("Test.java", EXCEPTIONAL.replace("line 7", "line 8"))
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  /**
   * Review: the graph's synthetic nodes (an enhanced for over an array) have no line of their own.
   */
  @Test
  void exceptionalPathsNameARealLine() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int overArray(Context p, int[][] grid) {
                int found = -1;
                // BUG: Diagnostic contains: it leaks when an exception is thrown at line 10
                CancellableContext ctx = Context.withCancel(p);
                for (int[] row : grid) {
                  found = row.length;
                }
                ctx.cancel();
                return found;
              }
            }
            """)
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  /**
   * Review: a context captured by a lambda or method reference, or passed to a parameter that keeps
   * it, escapes at the hand-over. An exception on the way into the receiving call (a null receiver,
   * its receiver expression) is not a leak: the receiving call is the escape point. Exceptions
   * before that statement still are.
   */
  @Test
  void exceptionalPathsHandOverIsTheEscapePoint() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.Done;

            class Test {
              void methodReference(Context parent) {
                CancellableContext c = Context.withCancel(parent);
                parent.done().onDone(c::cancel);
              }

              void lambda(Context parent) {
                CancellableContext c = Context.withCancel(parent);
                parent.done().onDone(() -> c.cancel());
              }

              void localReceiver(Context parent, Done done) {
                CancellableContext c = Context.withCancel(parent);
                done.onDone(c::close);
              }

              void wrapped(Context parent, Done done) {
                CancellableContext c = Context.withCancel(parent);
                done.onDone(logged(() -> c.cancel()));
              }

              void addedToResources(Context parent, List<AutoCloseable> resources) {
                CancellableContext c = Context.withCancel(parent);
                resources.add(c);
              }

              void handedToOwner(Context parent, Test owner) {
                CancellableContext c = Context.withCancel(parent);
                owner.own(c);
              }

              void handedToNewOwner(Context parent) {
                CancellableContext c = Context.withCancel(parent);
                new Owner(c);
              }

              void throwsBeforeTheHandOver(Context parent, Done done) {
                // BUG: Diagnostic contains: it leaks when an exception is thrown at line 45
                CancellableContext c = Context.withCancel(parent);
                work(c);
                done.onDone(c::cancel);
              }

              void plainContextArgumentIsNoHandOver(Context parent, Test other) {
                // BUG: Diagnostic contains: it leaks when an exception is thrown at line 52
                CancellableContext c = Context.withCancel(parent);
                other.work(c);
                c.cancel();
              }

              void work(Context ctx) {}

              void own(CancellableContext ctx) {}

              static Runnable logged(Runnable r) {
                return r;
              }

              static final class Owner {
                Owner(AutoCloseable resource) {}
              }
            }
            """)
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  @Test
  void exceptionalPathsOff() {
    helper
        .addSourceLines(
            "Test.java", EXCEPTIONAL.replace("// BUG: Diagnostic contains:", "// off by default:"))
        .doTest();
  }
}
