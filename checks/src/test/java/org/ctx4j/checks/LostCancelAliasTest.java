package org.ctx4j.checks;

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

              void reassignedCopyStaysAHandOver(Context p, CancellableContext q) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext other = c;
                other = q;
                other.cancel();
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
}
