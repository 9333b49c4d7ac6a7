package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel}: a copy of a context into another variable is the same context under
 * two names, not a hand-over.
 */
final class LostCancelAliasTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  @Test
  void cancelledThroughEitherName() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CancellableContext field;

              void throughTheCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                work(c);
                other.cancel();
              }

              void throughTheOriginal(Context p) {
                CancellableContext c = Context.withCancel(p);
                var other = c;
                work(other);
                c.close();
              }

              void eachBranchItsName(Context p, boolean b) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other;
                other = c;
                if (b) {
                  other.cancel();
                } else {
                  c.cancel();
                }
              }

              void copyOfACopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext a = c;
                CancellableContext b = a;
                b.cancel();
              }

              CancellableContext returnedCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                return other;
              }

              void storedCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                field = other;
              }

              void copyCapturedAndCancelled(Context p, CompletableFuture<?> f) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                f.whenComplete((v, e) -> other.cancel());
              }

              void copyIntoResource(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                try (other) {
                  work(c);
                }
              }

              void nullCheckedCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                if (other != null) {
                  other.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void neitherNameCancels() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void copyOnly(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                work(other);
              }

              void oneBranchMisses(Context p, boolean b) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                Context other = c;
                if (b) {
                  return;
                }
                work(other);
                c.cancel();
              }

              void copyInLambda(Context p) {
                Runnable r =
                    () -> {
                      // BUG: Diagnostic contains: LostCancel
                      CancellableContext c = Context.withCancel(p);
                      CancellableContext other = c;
                      work(other);
                    };
                r.run();
              }

              Test(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext a = c;
                CancellableContext b = a;
                work(b);
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void copiesIntoVariablesWrittenTwiceThatEndTheContext() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void cancelledThroughTheCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c;
                work(cur);
                cur.cancel();
              }

              void copyInOneBranch(Context p, boolean b) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                if (b) {
                  cur = c;
                  cur.close();
                } else {
                  c.cancel();
                }
              }

              void copyInALoop(Context p, int n) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                for (int i = 0; i < n; i++) {
                  cur = c;
                  work(cur);
                }
                c.cancel();
              }

              void sourceReassignedCopyKeepsTheOld(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext old = c;
                c = Context.withTimeout(p, java.time.Duration.ofSeconds(1));
                old.cancel();
                c.cancel();
              }

              void copyOfACopyWrittenTwice(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext a = null;
                CancellableContext b = null;
                a = c;
                b = a;
                a = null;
                b.cancel();
              }

              void swapThroughATemporary(Context p) {
                CancellableContext a = Context.withCancel(p);
                CancellableContext b = Context.withCancel(p);
                CancellableContext tmp = a;
                a = b;
                b = tmp;
                a.cancel();
                b.cancel();
              }

              void conditionalCopyIsAHandOver(Context p, CancellableContext fallback) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c != null ? c : fallback;
                work(cur);
              }

              CancellableContext returnedCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c;
                return cur;
              }

              void resourceOfTheCopy(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c;
                try (CancellableContext r = cur) {
                  work(r);
                }
              }

              void copyResourceDeclaredOnce(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur;
                cur = c;
                try (cur) {
                  work(cur);
                }
              }

              void copyCapturedAndCancelled(Context p, CompletableFuture<?> f) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur;
                cur = c;
                f.whenComplete((v, e) -> cur.cancel());
              }

              void copyCapturedByAnonymousClassThatCloses(Context p, CompletableFuture<?> f) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur;
                cur = c;
                f.thenRun(
                    new Runnable() {
                      @Override
                      public void run() {
                        cur.close();
                      }
                    });
              }

              void copyInAForHeader(Context p) {
                CancellableContext c = Context.withCancel(p);
                for (CancellableContext cur = c; cur != null; cur = null) {
                  cur.cancel();
                }
              }

              void nullCheckedCopyWrittenTwice(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c;
                if (cur != null) {
                  cur.cancel();
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void copiesIntoVariablesWrittenTwiceThatLoseTheContext() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void copyIntoAVariableWrittenTwice(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                cur = c;
                work(cur);
              }

              void copyOverwrittenBeforeTheCancel(Context p, CancellableContext q) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                other = q;
                other.cancel();
              }

              void copyInOneBranchOnly(Context p, boolean b) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                if (b) {
                  cur = c;
                }
                work(cur);
              }

              void copyInALoopNeverCancelled(Context p, int n) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur = null;
                for (int i = 0; i < n; i++) {
                  cur = c;
                  work(cur);
                }
              }

              void sourceReassignedOldLost(Context p) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext old = c;
                // BUG: Diagnostic contains: LostCancel
                c = Context.withTimeout(p, java.time.Duration.ofSeconds(1));
                old.cancel();
              }

              void copyOfACopyBothOverwritten(Context p) {
                // BUG: Diagnostic contains: reassigned at line
                CancellableContext c = Context.withCancel(p);
                CancellableContext a = null;
                a = c;
                CancellableContext b = a;
                c = null;
                a = null;
                work(b);
                b = null;
              }

              void swapThenCancelOne(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext a = Context.withCancel(p);
                CancellableContext b = Context.withCancel(p);
                CancellableContext tmp = a;
                a = b;
                b = tmp;
                a.cancel();
              }

              void cancelTheChosenOfTwo(Context p, boolean k) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                // BUG: Diagnostic contains: LostCancel
                CancellableContext d = Context.withCancel(p);
                CancellableContext cur = k ? c : d;
                cur.cancel();
              }

              void copyUnderAFlagCancelledUnderTheSameFlag(Context p, boolean flag) {
                // A known limit: copies are not correlated with the conditions they are made under.
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = null;
                if (flag) {
                  other = c;
                }
                if (flag) {
                  other.cancel();
                } else {
                  c.cancel();
                }
              }

              void copyCapturedAndOnlyRead(Context p, CompletableFuture<?> f) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                CancellableContext cur;
                cur = c;
                f.thenRun(() -> work(cur));
              }

              void copyInAForHeaderOnlyRead(Context p, int n) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                for (CancellableContext cur = c; n > 0; n--) {
                  work(cur);
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }
}
