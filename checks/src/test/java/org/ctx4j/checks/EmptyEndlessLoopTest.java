package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import java.util.concurrent.TimeUnit;
import org.ctx4j.checks.lostcancel.LostCancel;
import org.ctx4j.checks.nullcontext.NullContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Endless loops whose body does nothing (or only {@code continue}s): the control-flow graph library
 * Error Prone ships never finishes building a graph for some of them, so the check must decide
 * these without one (LostCancel's path analysis, NullContext's nullness facts). A hang fails the
 * test through its time limit instead of stalling the build.
 */
final class EmptyEndlessLoopTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void endlessEmptyLoopsLeakNothingAndNeverHang() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void forContinue(Context p) {
                CancellableContext c = Context.withCancel(p);
                for (;;) {
                  continue;
                }
              }

              void forEmptyBlock(Context p) {
                CancellableContext c = Context.withCancel(p);
                for (;;) {}
              }

              void forEmptyStatement(Context p) {
                CancellableContext c = Context.withCancel(p);
                for (;;);
              }

              void doContinue(Context p) {
                CancellableContext c = Context.withCancel(p);
                do {
                  continue;
                } while (true);
              }

              void labelledContinue(Context p) {
                CancellableContext c = Context.withCancel(p);
                outer:
                for (;;) {
                  for (;;) {
                    continue outer;
                  }
                }
              }

              void whileContinue(Context p) {
                CancellableContext c = Context.withCancel(p);
                while (true) {
                  continue;
                }
              }

              void lambdaForContinue(Context p) {
                Runnable r =
                    () -> {
                      CancellableContext c = Context.withCancel(p);
                      for (;;) {
                        continue;
                      }
                    };
              }
            }
            """)
        .doTest();
  }

  /**
   * Without a graph the whole body goes unanalysed: a leak before such a loop is not found (a
   * documented limit; an empty busy loop is rare, a hung build is not an option).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aBodyWithAnEmptyEndlessLoopIsNotAnalysed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void leaksFirst(Context p, boolean b) {
                CancellableContext c = Context.withCancel(p);
                if (b) {
                  return;
                }
                c.cancel();
                for (;;) {
                  continue;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void nullContextAsksNoNullnessFactsOfSuchABody() {
    CompilationTestHelper.newInstance(NullContext.class, getClass())
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.Context;

            class Test {
              void spin(Context p, boolean b) {
                Context c = null;
                if (b) {
                  c = p;
                }
                // BUG: Diagnostic contains: c is null here when the `if (b)` at line 6 is not taken
                use(c);
                for (;;) {
                  continue;
                }
              }

              void use(Context ctx) {}
            }
            """)
        .doTest();
  }
}
