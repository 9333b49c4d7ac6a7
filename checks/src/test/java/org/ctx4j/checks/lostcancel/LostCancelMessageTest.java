package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/** Tests of {@link LostCancel}'s messages: which path leaks, and what to do about it. */
final class LostCancelMessageTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  @Test
  void theMessageNamesTheReturnThatLeaks() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String returns(Context p, boolean b) {
                // BUG: Diagnostic contains: This context is not cancelled on every path: it leaks when the method returns at line 9; use try-with-resources (try (CancellableContext c = ...) { ... }) or call c.cancel() before that return
                CancellableContext c = Context.withCancel(p);
                if (b) {
                  return "";
                }
                c.cancel();
                return "x";
              }
            }
            """)
        .doTest();
  }

  @Test
  void theMessageNamesTheEndOfTheMethod() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void ends(Context p) {
                // BUG: Diagnostic contains: it leaks when the method ends at line 9; use try-with-resources (try (CancellableContext c = ...) { ... }) or call c.cancel() before its end
                CancellableContext c = Context.withCancel(p);
                work(c);
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void theMessageNamesTheReassignment() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void reassigned(Context p) {
                // BUG: Diagnostic contains: it leaks when c is reassigned at line 8; use try-with-resources (try (CancellableContext c = ...) { ... }) or call c.cancel() before reassigning it
                CancellableContext c = Context.withCancel(p);
                c = Context.withCancel(p);
                c.cancel();
              }
            }
            """)
        .doTest();
  }

  @Test
  void errorEscapingACatchOfException() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void catchesOnlyException(Context p) throws Exception {
                // BUG: Diagnostic contains: it leaks when an Error thrown at line 9 escapes the catch that cancels it (an Error is not an Exception); use try-with-resources (try (CancellableContext c = ...) { ... }) or cancel it in a finally block
                CancellableContext c = Context.withCancel(p);
                try {
                  work(c);
                } catch (Exception e) {
                  c.cancel();
                  throw e;
                }
                c.cancel();
              }

              void catchesRuntimeException(Context p) {
                // BUG: Diagnostic contains: it leaks when an Error thrown at line 21 escapes the catch
                CancellableContext c = Context.withCancel(p);
                try {
                  work(c);
                } catch (RuntimeException e) {
                  c.cancel();
                  throw e;
                }
                c.cancel();
              }

              void alsoThrowsBeforeTheTry(Context p, boolean b) throws Exception {
                // BUG: Diagnostic contains: it leaks when an exception is thrown at line
                CancellableContext c = Context.withCancel(p);
                work(c);
                try {
                  work(c);
                } catch (Exception e) {
                  c.cancel();
                  throw e;
                }
                c.cancel();
              }

              void catchesThrowable(Context p) {
                CancellableContext c = Context.withCancel(p);
                try {
                  work(c);
                } catch (Throwable e) {
                  c.cancel();
                  throw e;
                }
                c.cancel();
              }

              void work(Context ctx) {}
            }
            """)
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }
}
