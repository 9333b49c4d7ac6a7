package org.ctx4j.checks.loops;

import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class ContextDerivedInLoopTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ContextDerivedInLoop.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(ContextDerivedInLoop.class, getClass());

  @Test
  void aFreshVariableInEachIterationIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // a fresh variable in each iteration
              void fresh(Context ctx, List<String> ids) {
                for (String id : ids) {
                  Context item = Context.withValue(ctx, "id", id);
                  handle(item, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void derivingOnceBeforeTheLoopIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // derived once, before the loop
              void before(Context ctx, List<String> ids) {
                ctx = Context.withValue(ctx, "batch", ids.size());
                for (String id : ids) {
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aResetOnEveryPathBeforeTheDerivationIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // a reset on every path through the iteration, before the derivation
              void reset(Context base, List<String> ids) {
                Context ctx = base;
                for (String id : ids) {
                  ctx = base;
                  ctx = Context.withValue(ctx, "id", id);
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aResetFromAnotherDerivationIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              void resetFromAnotherDerivation(Context base, List<String> ids) {
                Context ctx = base;
                for (String id : ids) {
                  ctx = Context.withValue(base, "id", id);
                  if (id.isEmpty()) {
                    ctx = Context.withValue(ctx, "empty", true);
                  }
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void derivingFromAnotherVariableIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // derived from another variable: no nesting
              void otherParent(Context base, List<String> ids) {
                Context ctx = base;
                for (String id : ids) {
                  ctx = Context.withValue(base, "id", id);
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aHelperThatIsNotAFactoryIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static Context decorate(Context ctx) {
                return ctx;
              }

              // not a context factory (what a helper returns is unknown)
              void helper(Context ctx, List<String> ids) {
                for (String id : ids) {
                  ctx = decorate(ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theVariableOfAnEnhancedForIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // the variable of an enhanced for is fresh in each iteration
              void loopVariable(List<Context> contexts) {
                for (Context c : contexts) {
                  c = Context.withValue(c, "seen", true);
                  handle(c, "");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aVariableDeclaredInsideTheLoopIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              static void handle(Context ctx, String id) {}

              // declared inside the loop
              void inside(Context base, int n) {
                for (int i = 0; i < n; i++) {
                  Context ctx = base;
                  ctx = Context.withValue(ctx, "i", i);
                  handle(ctx, "");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aBodyThatNeverComesRoundAgainIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              // a body that never comes round again
              Context once(Context ctx, List<String> ids) {
                for (String id : ids) {
                  ctx = Context.withValue(ctx, "first", id);
                  return ctx;
                }
                return ctx;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLambdaParameterInALoopIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              // a lambda in a loop cannot assign a captured local at all; its own parameter is fresh
              void lambda(Context ctx, List<String> ids) {
                for (String id : ids) {
                  java.util.function.UnaryOperator<Context> f = c -> {
                    c = Context.withValue(c, "id", id);
                    return c;
                  };
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theLoopHeaderIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Negatives {
              // the loop's header
              void header(Context base) {
                for (Context c = base; c.value("depth") == null; c = Context.withValue(c, "depth", 1)) {}
              }
            }
            """)
        .doTest();
  }

  @Test
  void anEnhancedForIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static void handle(Context ctx, String id) {}

              void forEach(Context ctx, List<String> ids) {
                for (String id : ids) {
                  // BUG: Diagnostic contains: nesting it one level deeper
                  ctx = Context.withValue(ctx, "id", id);
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWhileLoopIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static void handle(Context ctx, String id) {}

              void whileLoop(Context ctx, Iterator<String> ids) {
                while (ids.hasNext()) {
                  String id = ids.next();
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withoutCancel(ctx);
                  handle(ctx, id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDoWhileLoopIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void doWhile(Context base, int n) {
                Context ctx = base;
                int i = 0;
                do {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withTimeout(ctx, Duration.ofSeconds(1));
                } while (++i < n);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nestedFactoriesAreFlaggedOnce() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void nestedFactories(Context ctx, int n) {
                for (int i = 0; i < n; i++) {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withValue(Context.withValue(ctx, "a", i), "b", i);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDerivationUnderAnIfIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void conditional(Context ctx, List<String> ids) {
                for (String id : ids) {
                  if (!id.isEmpty()) {
                    // BUG: Diagnostic contains: [ContextDerivedInLoop]
                    ctx = Context.withValue(ctx, "id", id);
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aResetInOnlyOneBranchIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              // a reset inside a branch does not cover every path
              void partialReset(Context base, List<String> ids) {
                Context ctx = base;
                for (String id : ids) {
                  if (id.isEmpty()) {
                    ctx = base;
                  }
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withValue(ctx, "id", id);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aDerivationInAnInnerLoopIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static void handle(Context ctx, String id) {}

              // declared in an outer loop, derived in an inner one
              void innerLoop(Context base, List<List<String>> batches) {
                for (List<String> batch : batches) {
                  Context ctx = base;
                  for (String id : batch) {
                    // BUG: Diagnostic contains: [ContextDerivedInLoop]
                    ctx = Context.withValue(ctx, "id", id);
                  }
                  handle(ctx, "");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLoopInsideALambdaIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              void inLambda(List<String> ids) {
                java.util.function.Consumer<Context> c = ctx -> {
                  for (String id : ids) {
                    // BUG: Diagnostic contains: [ContextDerivedInLoop]
                    ctx = Context.withValue(ctx, "id", id);
                  }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLoopInAConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              Positives(Context ctx, List<String> ids) {
                for (String id : ids) {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = (Context.withValue(ctx, "id", id));
                  if (id.isEmpty()) {
                    continue;
                  }
                  return;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTypeVariableValueIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              <C extends Context> void generic(Context ctx, List<C> others) {
                for (C other : others) {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withValue(ctx, "other", other);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aVariableReadAfterTheLoopIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.Iterator;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Positives {
              static void handle(Context ctx, String id) {}

              void readAfter(Context ctx, List<String> ids) {
                for (String id : ids) {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = Context.withValue(ctx, "id", id);
                }
                handle(ctx, "");
              }
            }
            """)
        .doTest();
  }

  @Test
  void declaresAFreshVariableWhenTheLoopVariableIsNotReadAfterTheLoop() {
    refactoring
        .addInputLines(
            "Batch.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Batch {
              static void handle(Context ctx, String id) {}

              void run(Context ctx, List<String> ids) {
                handle(ctx, "start");
                for (String id : ids) {
                  handle(ctx, "before");
                  ctx = Context.withValue(ctx, "id", id);
                  handle(ctx, id);
                  Runnable r = () -> {};
                }
              }
            }
            """)
        .addOutputLines(
            "Batch.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Batch {
              static void handle(Context ctx, String id) {}

              void run(Context ctx, List<String> ids) {
                handle(ctx, "start");
                for (String id : ids) {
                  handle(ctx, "before");
                  Context loopCtx = Context.withValue(ctx, "id", id);
                  handle(loopCtx, id);
                  Runnable r = () -> {};
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFreshNameAvoidsNamesInUse() {
    refactoring
        .addInputLines(
            "Batch.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Batch {
              static void handle(Context ctx, String id) {}

              void run(Context parent, List<String> ids) {
                String loopParent = "taken";
                for (String id : ids) {
                  parent = Context.withValue(parent, "id", id);
                  handle(parent, loopParent);
                }
              }
            }
            """)
        .addOutputLines(
            "Batch.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Batch {
              static void handle(Context ctx, String id) {}

              void run(Context parent, List<String> ids) {
                String loopParent = "taken";
                for (String id : ids) {
                  Context loopParent2 = Context.withValue(parent, "id", id);
                  handle(loopParent2, loopParent);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void noFixWhenTheVariableIsReadAfterTheLoopOrByAnOuterLoop() {
    refactoring
        .addInputLines(
            "Batch.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;

            class Batch {
              static void handle(Context ctx, String id) {}

              void after(Context ctx, List<String> ids) {
                for (String id : ids) {
                  ctx = Context.withValue(ctx, "id", id);
                }
                handle(ctx, "");
              }

              void outer(Context ctx, List<List<String>> batches) {
                for (List<String> batch : batches) {
                  handle(ctx, "batch");
                  for (String id : batch) {
                    ctx = Context.withValue(ctx, "id", id);
                  }
                }
              }

              void header(Context ctx, List<String> ids) {
                for (int i = 0; ctx.err() == null && i < ids.size(); i++) {
                  ctx = Context.withValue(ctx, "id", ids.get(i));
                }
              }

              void nestedStatement(Context ctx, List<String> ids) {
                for (String id : ids) {
                  if (!id.isEmpty()) {
                    ctx = Context.withValue(ctx, "id", id);
                  }
                }
              }
            }
            """)
        .expectUnchanged()
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void aValuePerItemIsWhatTheLoopIsFor() {
    helper
        .addSourceLines(
            "Baggage.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import org.ctx4j.ContextKey;
            import org.ctx4j.Context;

            class Baggage {
              private record Key(String name) {}

              private static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);

              static Context withBaggage(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> header : headers.entrySet()) {
                  ctx = Context.withValue(ctx, new Key(header.getKey()), header.getValue());
                }
                return ctx;
              }

              static Context indexed(Context ctx, List<Key> keys, List<String> values) {
                for (int i = 0; i < keys.size(); i++) {
                  Key key = keys.get(i);
                  ctx = Context.withValue(Context.withValue(ctx, key, values.get(i)), keys.get(i), "");
                }
                return ctx;
              }

              static Context sameKeyEachTime(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  // BUG: Diagnostic contains: nesting it one level deeper
                  ctx = Context.withValue(ctx, TENANT, tenant);
                }
                return ctx;
              }

              static Context perItemKeyButATimeoutToo(Context ctx, List<Key> keys) {
                for (Key key : keys) {
                  // BUG: Diagnostic contains: nesting it one level deeper
                  ctx = Context.withoutCancel(Context.withValue(ctx, key, "v"));
                }
                return ctx;
              }
            }
            """)
        .doTest();
  }

  /**
   * {@code KEY.with(ctx, v)} derives a context like {@code Context.withValue}, and is judged so.
   */
  @Test
  void typedKeysDeriveToo() {
    helper
        .addSourceLines(
            "Typed.java",
            """
            package demo;

            import java.util.List;
            import java.util.Map;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Typed {
              private static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);
              private static final ContextKey<Integer> ATTEMPT = ContextKey.of("a", Integer.class);

              static void handle(Context ctx) {}

              static void sameKey(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  // BUG: Diagnostic contains: nesting it one level deeper
                  ctx = TENANT.with(ctx, tenant);
                  handle(ctx);
                }
              }

              static void nested(Context ctx, int n) {
                for (int i = 0; i < n; i++) {
                  // BUG: Diagnostic contains: nesting it one level deeper
                  ctx = ATTEMPT.with(Context.withValue(ctx, "k", i), i);
                }
              }

              static void fresh(Context base, List<String> tenants) {
                for (String tenant : tenants) {
                  Context ctx = TENANT.with(base, tenant);
                  handle(ctx);
                }
              }

              static void reset(Context base, List<String> tenants) {
                Context ctx = base;
                for (String tenant : tenants) {
                  ctx = base;
                  ctx = TENANT.with(ctx, tenant);
                  handle(ctx);
                }
              }

              static void otherParent(Context base, List<String> tenants) {
                Context ctx = base;
                for (String tenant : tenants) {
                  ctx = TENANT.with(base, tenant);
                  handle(ctx);
                }
              }

              // a key per item: the chain holds one value per item, which is what the loop is for
              static Context perItemKey(Context ctx, Map<ContextKey<String>, String> values) {
                for (Map.Entry<ContextKey<String>, String> e : values.entrySet()) {
                  ctx = e.getKey().with(ctx, e.getValue());
                }
                return ctx;
              }

              // get takes a key but derives nothing
              static void reads(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  String t = TENANT.get(ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void typedKeyDerivationGetsAFreshVariable() {
    refactoring
        .addInputLines(
            "Tenants.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Tenants {
              private static final ContextKey<String> TENANT = ContextKey.of("t", String.class);

              static void handle(Context ctx) {}

              void run(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  ctx = TENANT.with(ctx, tenant);
                  handle(ctx);
                }
              }
            }
            """)
        .addOutputLines(
            "Tenants.java",
            """
            package demo;

            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Tenants {
              private static final ContextKey<String> TENANT = ContextKey.of("t", String.class);

              static void handle(Context ctx) {}

              void run(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  Context loopCtx = TENANT.with(ctx, tenant);
                  handle(loopCtx);
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * A derivation followed in its block by a jump out of the loop (a search that stops at the first
   * match) never reaches another iteration; one where a {@code continue} comes first, where a
   * {@code catch} inside the loop may swallow an exception thrown before the jump (a retry), or
   * where the {@code break} only leaves a {@code switch}, is flagged.
   */
  @Test
  void aDerivationFollowedByAJumpOutOfTheLoopIsNotFlagged() {
    helper
        .addSourceLines(
            "Headers.java",
            """
            import java.io.IOException;
            import java.util.List;
            import java.util.Map;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Headers {
              private static final ContextKey<String> REQUEST_ID =
                  ContextKey.of("requestId", String.class);

              Context firstMatch(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> header : headers.entrySet()) {
                  if (header.getKey().equalsIgnoreCase("x-request-id")) {
                    ctx = REQUEST_ID.with(ctx, header.getValue());
                    break;
                  }
                }
                return ctx;
              }

              String returnsAfter(Context ctx, List<String> ids) {
                for (String id : ids) {
                  if (!id.isEmpty()) {
                    ctx = REQUEST_ID.with(ctx, id);
                    log(id);
                    return REQUEST_ID.get(ctx);
                  }
                }
                return "";
              }

              Context continuesFirst(Context ctx, List<String> ids) {
                for (String id : ids) {
                  if (!id.isEmpty()) {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    ctx = REQUEST_ID.with(ctx, "x");
                    if (id.startsWith("-")) {
                      continue;
                    }
                    break;
                  }
                }
                return ctx;
              }

              String retried(Context ctx, int attempts) {
                for (int i = 0; i < attempts; i++) {
                  try {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    ctx = REQUEST_ID.with(ctx, "retry");
                    return call(ctx);
                  } catch (IOException e) {
                    log(e.getMessage());
                  }
                }
                return "";
              }

              Context inSwitch(Context ctx, List<Integer> kinds) {
                for (int kind : kinds) {
                  switch (kind) {
                    case 1:
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = REQUEST_ID.with(ctx, "one");
                      break;
                    case 2:
                      {
                        // BUG: Diagnostic contains: ContextDerivedInLoop
                        ctx = REQUEST_ID.with(ctx, "two");
                        break;
                      }
                    default:
                      break;
                  }
                }
                return ctx;
              }

              static String call(Context ctx) throws IOException {
                return "";
              }

              static void log(String s) {}
            }
            """)
        .doTest();
  }

  /**
   * A labelled {@code break} whose label is on the loop or on a statement around it (a search of
   * nested loops, a labelled block that holds the loop) leaves the loop like an unlabelled one; a
   * {@code break} to a label inside the loop only ends that statement, and the iteration comes
   * round again.
   */
  @Test
  void aLabelledBreakOutOfTheLoopEndsTheIteration() {
    helper
        .addSourceLines(
            "Routes.java",
            """
            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Routes {
              private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);

              Context nested(Context ctx, List<List<String>> groups) {
                outer:
                for (List<String> group : groups) {
                  for (String g : group) {
                    if (g.startsWith("!")) {
                      ctx = ROUTE.with(ctx, g);
                      break outer;
                    }
                  }
                }
                return ctx;
              }

              Context labelOnTheLoop(Context ctx, List<String> parts) {
                scan:
                for (String p : parts) {
                  if (p.isEmpty()) {
                    ctx = ROUTE.with(ctx, "empty");
                    break scan;
                  }
                }
                return ctx;
              }

              String labelledBlock(Context ctx, List<String> parts) {
                search:
                {
                  for (String p : parts) {
                    ctx = ROUTE.with(ctx, p);
                    break search;
                  }
                  return "none";
                }
                return ROUTE.get(ctx);
              }

              Context labelInsideTheLoop(Context ctx, List<String> parts) {
                for (String p : parts) {
                  step:
                  {
                    if (p.isEmpty()) {
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = ROUTE.with(ctx, "empty");
                      break step;
                    }
                  }
                }
                return ctx;
              }

              Context innerLoopOnly(Context ctx, List<List<String>> groups) {
                for (List<String> group : groups) {
                  inner:
                  while (true) {
                    for (String g : group) {
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = ROUTE.with(ctx, "x");
                      if (g.isEmpty()) {
                        continue inner;
                      }
                      break inner;
                    }
                  }
                }
                return ctx;
              }
            }
            """)
        .doTest();
  }

  /**
   * A context saved before the loop and restored at the end of each iteration (a walker around each
   * child), by a later statement or in a {@code finally}: the derived context never reaches the
   * next iteration. A restore that a {@code continue} can skip, that only runs in a branch, or that
   * an exception caught inside the loop can skip is flagged.
   */
  @Test
  void aResetLaterInTheIterationIsNotFlagged() {
    helper
        .addSourceLines(
            "Walker.java",
            """
            import java.util.List;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Walker {
              private static final ContextKey<String> PATH = ContextKey.of("path", String.class);

              record Node(String name, List<Node> children) {}

              void restored(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  current = PATH.with(current, child.name());
                  visit(current, child);
                  if (child.children().isEmpty()) {
                    break;
                  }
                  current = ctx;
                }
              }

              void restoredInFinally(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  try {
                    current = PATH.with(current, child.name());
                    if (child.name().isEmpty()) {
                      continue;
                    }
                    visit(current, child);
                  } finally {
                    current = ctx;
                  }
                }
              }

              void restoredAfterATry(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  try {
                    current = PATH.with(current, child.name());
                    visit(current, child);
                  } catch (RuntimeException e) {
                    log(e);
                  }
                  current = ctx;
                }
              }

              void skippedByContinue(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  // BUG: Diagnostic contains: ContextDerivedInLoop
                  current = PATH.with(current, child.name());
                  if (child.name().isEmpty()) {
                    continue;
                  }
                  current = ctx;
                }
              }

              void onlyInABranch(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  // BUG: Diagnostic contains: ContextDerivedInLoop
                  current = PATH.with(current, child.name());
                  visit(current, child);
                  if (child.children().isEmpty()) {
                    current = ctx;
                  }
                }
              }

              void skippedByACaughtException(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  try {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    current = PATH.with(current, child.name());
                    visit(current, child);
                    current = ctx;
                  } catch (RuntimeException e) {
                    log(e);
                  }
                }
              }

              void skippedByALabelledBreak(Context ctx, Node node) {
                Context current = ctx;
                for (Node child : node.children()) {
                  step:
                  {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    current = PATH.with(current, child.name());
                    if (child.name().isEmpty()) {
                      break step;
                    }
                    current = ctx;
                  }
                }
              }

              private void visit(Context ctx, Node node) {}

              private static void log(Exception e) {}
            }
            """)
        .doTest();
  }

  /**
   * Over a map's keys, a derivation that runs only for a key equal to a constant (middleware that
   * copies the headers it knows) runs at most once per constant, since a map's keys are distinct.
   * Over a list, whose items may repeat, under a test of the value, in the {@code else} branch or
   * the {@code default} case, it may run in every iteration and is flagged.
   */
  @Test
  void aDerivationForOneKeyOfAMapIsNotFlagged() {
    helper
        .addSourceLines(
            "Headers.java",
            """
            import java.util.List;
            import java.util.Locale;
            import java.util.Map;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Headers {
              private static final ContextKey<String> REQUEST_ID =
                  ContextKey.of("requestId", String.class);
              private static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);
              private static final String TENANT_HEADER = "x-tenant";

              Context arrowSwitch(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  switch (h.getKey().toLowerCase(Locale.ROOT)) {
                    case "x-request-id" -> ctx = REQUEST_ID.with(ctx, h.getValue());
                    case TENANT_HEADER -> {
                      ctx = TENANT.with(ctx, h.getValue());
                    }
                    default -> {}
                  }
                }
                return ctx;
              }

              Context colonSwitch(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  switch (h.getKey()) {
                    case "x-request-id":
                      ctx = REQUEST_ID.with(ctx, h.getValue());
                      break;
                    case "x-tenant":
                      ctx = TENANT.with(ctx, h.getValue());
                      break;
                    default:
                      break;
                  }
                }
                return ctx;
              }

              Context ifElseIf(Context ctx, Map<String, String> headers) {
                for (var h : headers.entrySet()) {
                  if (h.getKey().equalsIgnoreCase("x-request-id")) {
                    ctx = REQUEST_ID.with(ctx, h.getValue());
                  } else if (TENANT_HEADER.equals(h.getKey().trim()) && !h.getValue().isEmpty()) {
                    ctx = TENANT.with(ctx, h.getValue());
                  }
                }
                return ctx;
              }

              Context keys(Context ctx, Map<String, String> headers) {
                for (String name : headers.keySet()) {
                  if (name.equals("x-tenant")) {
                    ctx = TENANT.with(ctx, headers.get(name));
                  }
                }
                return ctx;
              }

              Context listOfHeaders(Context ctx, List<Map.Entry<String, String>> headers) {
                for (Map.Entry<String, String> h : headers) {
                  if (h.getKey().equals("x-tenant")) {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    ctx = TENANT.with(ctx, h.getValue());
                  }
                }
                return ctx;
              }

              Context testOfTheValue(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  if (h.getValue().equals("admin")) {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    ctx = TENANT.with(ctx, h.getKey());
                  }
                }
                return ctx;
              }

              Context elseBranch(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  if (h.getKey().equals("x-request-id")) {
                    continue;
                  } else {
                    // BUG: Diagnostic contains: ContextDerivedInLoop
                    ctx = TENANT.with(ctx, h.getValue());
                  }
                }
                return ctx;
              }

              Context defaultCase(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  switch (h.getKey()) {
                    case "x-request-id":
                      break;
                    default:
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = TENANT.with(ctx, h.getValue());
                  }
                }
                return ctx;
              }

              Context fallsInto(Context ctx, Map<String, String> headers) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                  switch (h.getKey()) {
                    default:
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = REQUEST_ID.with(ctx, "?");
                    case "x-tenant":
                      // BUG: Diagnostic contains: ContextDerivedInLoop
                      ctx = TENANT.with(ctx, h.getValue());
                  }
                }
                return ctx;
              }
            }
            """)
        .doTest();
  }

  /**
   * A derivation followed by a statement that always leaves the loop without being a bare jump (a
   * try-with-resources that returns, an {@code if}/{@code else} that returns or throws on both
   * branches) never comes round again; an {@code if} without an {@code else}, or a {@code catch}
   * that lets the loop go on, may, and is flagged.
   */
  @Test
  void aDerivationFollowedByAStatementThatAlwaysLeavesIsNotFlagged() {
    helper
        .addSourceLines(
            "Router.java",
            """
            import java.time.Duration;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            class Router {
              private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);

              record Route(String prefix, Duration budget) {}

              String tryWithResources(Context ctx, List<Route> routes, String path) {
                for (Route r : routes) {
                  if (path.startsWith(r.prefix())) {
                    ctx = ROUTE.with(ctx, r.prefix());
                    try (CancellableContext t = Context.withTimeout(ctx, r.budget())) {
                      return handle(t, path);
                    }
                  }
                }
                return "404";
              }

              String bothBranches(Context ctx, List<Route> routes, String path) {
                for (Route r : routes) {
                  ctx = ROUTE.with(ctx, r.prefix());
                  if (path.startsWith(r.prefix())) {
                    return handle(ctx, path);
                  } else {
                    throw new IllegalArgumentException(path);
                  }
                }
                return "404";
              }

              String oneBranch(Context ctx, List<Route> routes, String path) {
                for (Route r : routes) {
                  // BUG: Diagnostic contains: ContextDerivedInLoop
                  ctx = ROUTE.with(ctx, r.prefix());
                  if (path.startsWith(r.prefix())) {
                    return handle(ctx, path);
                  }
                }
                return "404";
              }

              String caughtAndGoesOn(Context ctx, List<Route> routes, String path) {
                for (Route r : routes) {
                  // BUG: Diagnostic contains: ContextDerivedInLoop
                  ctx = ROUTE.with(ctx, r.prefix());
                  try {
                    return handleOrFail(ctx, path);
                  } catch (IllegalStateException e) {
                    log(e);
                  }
                }
                return "404";
              }

              static String handle(Context ctx, String path) {
                return path;
              }

              static String handleOrFail(Context ctx, String path) {
                return path;
              }

              static void log(Exception e) {}
            }
            """)
        .doTest();
  }
}
