package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel}: a context created under a condition on an effectively final boolean
 * and cancelled under the same condition does not leak.
 */
final class LostCancelCorrelatedTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  @Test
  void sameConditionCancels() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String parameter(Context ctx, boolean bounded) {
                Context c = ctx;
                CancellableContext timeout = null;
                if (bounded) {
                  timeout = Context.withTimeout(ctx, Duration.ofSeconds(1));
                  c = timeout;
                }
                String result = fetch(c);
                if (bounded) {
                  timeout.cancel();
                }
                return result;
              }

              void local(Context ctx, int limit) {
                final boolean bounded = limit > 0;
                CancellableContext c = null;
                if (bounded) c = Context.withCancel(ctx);
                fetch(ctx);
                if (bounded) c.cancel();
              }

              void negated(Context ctx, boolean unbounded) {
                CancellableContext c = null;
                if (!unbounded) {
                  c = Context.withCancel(ctx);
                }
                fetch(ctx);
                if (!unbounded) {
                  c.cancel();
                }
              }

              void elseBranches(Context ctx, boolean unbounded) {
                CancellableContext c;
                if (unbounded) {
                  c = null;
                } else {
                  c = Context.withCancel(ctx);
                }
                fetch(ctx);
                if (unbounded) {
                  return;
                } else {
                  c.cancel();
                }
              }

              void earlyReturnOnTheOtherValue(Context ctx, boolean bounded) {
                CancellableContext c = null;
                if (bounded) {
                  c = Context.withCancel(ctx);
                }
                if (!bounded) {
                  return;
                }
                c.cancel();
              }

              void ternary(Context ctx, boolean bounded) {
                CancellableContext c = bounded ? Context.withCancel(ctx) : null;
                fetch(ctx);
                if (bounded) {
                  c.cancel();
                }
              }

              void lambda(Context ctx, boolean bounded) {
                Runnable r =
                    () -> {
                      CancellableContext c = null;
                      if (bounded) {
                        c = Context.withCancel(ctx);
                      }
                      if (bounded) {
                        c.cancel();
                      }
                    };
                r.run();
              }

              String fetch(Context ctx) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void otherConditionsStayAsTheyWere() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              boolean flag;

              void reassignedFlag(Context ctx, boolean bounded) {
                CancellableContext c = null;
                if (bounded) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                bounded = !bounded;
                if (bounded) {
                  c.cancel();
                }
              }

              void field(Context ctx) {
                CancellableContext c = null;
                if (flag) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                if (flag) {
                  c.cancel();
                }
              }

              void otherVariable(Context ctx, boolean a, boolean b) {
                CancellableContext c = null;
                if (a) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                if (b) {
                  c.cancel();
                }
              }

              void oppositeValue(Context ctx, boolean bounded) {
                CancellableContext c = null;
                if (bounded) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                if (!bounded) {
                  c.cancel();
                }
              }

              void boxed(Context ctx, Boolean bounded) {
                CancellableContext c = null;
                if (bounded) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                if (bounded) {
                  c.cancel();
                }
              }

              void compound(Context ctx, boolean a, boolean b) {
                CancellableContext c = null;
                if (a && b) {
                  // BUG: Diagnostic contains: LostCancel
                  c = Context.withCancel(ctx);
                }
                if (a || b) {
                  return;
                }
                if (b) {
                  c.cancel();
                }
              }
            }
            """)
        .doTest();
  }
}
