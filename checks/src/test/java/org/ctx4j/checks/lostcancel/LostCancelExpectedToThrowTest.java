package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel} in test code: a lambda a test expects to throw (and a JUnit 4 test
 * with {@code expected}) does not leak by ending normally, but one it expects to succeed is checked
 * like any other code. AssertJ and JUnit 4 are not on the test class path: just enough of their API
 * is declared here, in their own packages.
 */
final class LostCancelExpectedToThrowTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  private static final String[] STAND_INS = {
    "org/assertj/core/api/Assertions.java",
    """
    package org.assertj.core.api;

    public class Assertions {
      public static Object assertThatThrownBy(ThrowableAssert.ThrowingCallable c) {
        return null;
      }

      public static ThrowableTypeAssert assertThatExceptionOfType(Class<? extends Throwable> t) {
        return null;
      }

      public static NotThrownAssert assertThatNoException() {
        return null;
      }
    }
    """,
    "org/assertj/core/api/ThrowableAssert.java",
    """
    package org.assertj.core.api;

    public class ThrowableAssert {
      public interface ThrowingCallable {
        void call() throws Throwable;
      }
    }
    """,
    "org/assertj/core/api/ThrowableTypeAssert.java",
    """
    package org.assertj.core.api;

    public class ThrowableTypeAssert {
      public Object isThrownBy(ThrowableAssert.ThrowingCallable c) {
        return null;
      }
    }
    """,
    "org/assertj/core/api/NotThrownAssert.java",
    """
    package org.assertj.core.api;

    public class NotThrownAssert {
      public void isThrownBy(ThrowableAssert.ThrowingCallable c) {}
    }
    """,
    "org/junit/Test.java",
    """
    package org.junit;

    import java.lang.annotation.Retention;
    import java.lang.annotation.RetentionPolicy;

    @Retention(RetentionPolicy.RUNTIME)
    public @interface Test {
      Class<? extends Throwable> expected() default None.class;

      class None extends Throwable {}
    }
    """,
    "org/junit/rules/ExpectedException.java",
    """
    package org.junit.rules;

    public class ExpectedException {
      public static ExpectedException none() {
        return new ExpectedException();
      }

      public void expect(Class<? extends Throwable> type) {}

      public void expectMessage(String message) {}
    }
    """
  };

  @Test
  void expectedToThrow() {
    helper
        .addSourceLines(STAND_INS[0], STAND_INS[1])
        .addSourceLines(STAND_INS[2], STAND_INS[3])
        .addSourceLines(STAND_INS[4], STAND_INS[5])
        .addSourceLines(STAND_INS[6], STAND_INS[7])
        .addSourceLines(STAND_INS[8], STAND_INS[9])
        .addSourceLines(STAND_INS[10], STAND_INS[11])
        .addSourceLines(
            "Test.java",
            """
            import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
            import static org.assertj.core.api.Assertions.assertThatThrownBy;
            import static org.assertj.core.api.Assertions.assertThatNoException;
            import static org.junit.jupiter.api.Assertions.assertThrows;

            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              public org.junit.rules.ExpectedException thrown =
                  org.junit.rules.ExpectedException.none();

              @org.junit.Test
              public void expectedExceptionRule() {
                thrown.expect(IllegalStateException.class);
                CancellableContext c = Context.withCancel(Context.background());
                fail(c);
              }

              void junit5(Context p) {
                assertThrows(
                    IllegalStateException.class,
                    () -> {
                      CancellableContext c = Context.withTimeout(p, Duration.ofSeconds(1));
                      fail(c);
                    });
              }

              void assertj(Context p) {
                assertThatThrownBy(
                    () -> {
                      CancellableContext c = Context.withCancel(p);
                      fail(c);
                    });
                assertThatExceptionOfType(IllegalStateException.class)
                    .isThrownBy(
                        (() -> {
                          CancellableContext c = Context.withCancel(p);
                          fail(c);
                        }));
              }

              @org.junit.Test(expected = IllegalStateException.class)
              public void junit4Expected() {
                CancellableContext c = Context.withCancel(Context.background());
                fail(c);
              }

              void expectedToSucceed(Context p) {
                assertThatNoException()
                    .isThrownBy(
                        () -> {
                          // BUG: Diagnostic contains: it leaks when the lambda ends
                          CancellableContext c = Context.withCancel(p);
                          use(c);
                        });
                org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                    () -> {
                      // BUG: Diagnostic contains: it leaks when the lambda ends
                      CancellableContext c = Context.withCancel(p);
                      use(c);
                    });
              }

              @org.junit.Test
              public void junit4Plain() {
                // BUG: Diagnostic contains: it leaks when the method ends
                CancellableContext c = Context.withCancel(Context.background());
                use(c);
              }

              void fail(Context ctx) {
                throw new IllegalStateException();
              }

              void use(Context ctx) {}
            }
            """)
        .doTest();
  }
}
