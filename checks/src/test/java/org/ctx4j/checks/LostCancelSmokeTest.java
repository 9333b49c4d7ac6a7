package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class LostCancelSmokeTest {
  @Test
  void smoke() {
    CompilationTestHelper.newInstance(LostCancel.class, getClass())
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            class Test {
              void ok(Context p) {
                CancellableContext c = Context.withCancel(p);
                try { work(c); } finally { c.cancel(); }
              }
              void ok2(Context p) {
                try (CancellableContext c = Context.withCancel(p)) { work(c); }
              }
              void ok3(Context p, boolean b) {
                CancellableContext c = Context.withCancel(p);
                if (b) { c.cancel(); return; }
                c.close();
              }
              void bad(Context p, boolean b) {
                // BUG: Diagnostic contains: left after line 20
                CancellableContext c = Context.withCancel(p);
                if (b) { return; }
                c.close();
              }
              void bad2(Context p) {
                // BUG: Diagnostic contains: never be cancelled
                work(Context.withTimeout(p, Duration.ZERO));
              }
              void bad3(Context p) {
                // BUG: Diagnostic contains: ends at line 31
                CancellableContext c = Context.withCancel(p);
                if (false) { c.cancel(); }
              }
              void work(Context c) {}
            }
            """)
        .doTest();
  }
}
