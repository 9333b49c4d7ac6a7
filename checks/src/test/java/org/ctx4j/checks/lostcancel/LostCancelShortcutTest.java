package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel}'s shortcuts: a declaration followed at once by a {@code try} whose
 * {@code finally} starts by cancelling it, or by a {@code return} that hands it over on the way,
 * needs no control-flow graph. The findings must be those the graph gives: none on these shapes,
 * with or without exceptional paths, and the usual ones where the shortcut does not apply.
 */
final class LostCancelShortcutTest {
  private static final String SOURCE =
      """
      import java.io.IOException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      class Test {
        String plain(Context p) {
          CancellableContext c = Context.withCancel(p);
          try {
            return fetch(c);
          } finally {
            c.cancel();
          }
        }

        String withCatches(Context p) {
          CancellableContext c = Context.withCancel(p);
          try {
            return fetchOrThrow(c);
          } catch (IOException e) {
            return "";
          } finally {
            c.close();
            log("done");
          }
        }

        void inLoop(Context p, int n) {
          for (int i = 0; i < n; i++) {
            CancellableContext c = Context.withCancel(p);
            try {
              if (i == 3) {
                break;
              }
              if (i == 2) {
                continue;
              }
              fetch(c);
            } finally {
              c.cancel(new IllegalStateException("stop"));
            }
          }
        }

        Runnable inLambda(Context p) {
          return () -> {
            CancellableContext c = Context.withCancel(p);
            try {
              fetch(c);
            } finally {
              c.cancel();
            }
          };
        }

        String statementsBefore(Context p, int n) {
          // STATEMENTS_BEFORE
          CancellableContext c = Context.withCancel(p);
          log("start");
          for (int i = 0; i < n; i++) {
            log("step");
          }
          try {
            return fetch(c);
          } finally {
            c.cancel();
          }
        }

        String aLoopThatBreaksBefore(Context p, int n) {
          // BUG: Diagnostic contains: LostCancel
          CancellableContext c = Context.withCancel(p);
          while (n > 0) {
            if (n == 3) {
              return "";
            }
            n--;
          }
          try {
            return fetch(c);
          } finally {
            c.cancel();
          }
        }

        void notFirstInFinally(Context p) {
          // NOT_FIRST
          CancellableContext c = Context.withCancel(p);
          try {
            fetch(c);
          } finally {
            log("before");
            c.cancel();
          }
        }

        void reassigned(Context p) {
          // BUG: Diagnostic contains: it leaks when c is reassigned
          CancellableContext c = Context.withCancel(p);
          c = Context.withCancel(p);
          try {
            fetch(c);
          } finally {
            c.cancel();
          }
        }

        void statementBetween(Context p, boolean b) {
          // BUG: Diagnostic contains: it leaks when the method is left after line
          CancellableContext c = Context.withCancel(p);
          if (b) {
            return;
          }
          try {
            fetch(c);
          } finally {
            c.cancel();
          }
        }

        void otherVariable(Context p, CancellableContext other) {
          // BUG: Diagnostic contains: LostCancel
          CancellableContext c = Context.withCancel(p);
          try {
            fetch(c);
          } finally {
            other.cancel();
          }
        }

        String fetch(Context ctx) {
          return "";
        }

        String fetchOrThrow(Context ctx) throws IOException {
          return "";
        }

        void log(String s) {}
      }
      """;

  @Test
  void theShortcutsGiveTheGraphsFindingsWithoutExceptionalPaths() {
    CompilationTestHelper.newInstance(LostCancel.class, getClass())
        .addSourceLines(
            "Test.java", SOURCE.replace("// NOT_FIRST", "// without exceptional paths, none"))
        .doTest();
  }

  @Test
  void theShortcutsGiveTheGraphsFindingsWithExceptionalPaths() {
    CompilationTestHelper.newInstance(LostCancel.class, getClass())
        .addSourceLines(
            "Test.java",
            SOURCE
                .replace("// NOT_FIRST", "// BUG: Diagnostic contains: when an exception is thrown")
                .replace(
                    "// STATEMENTS_BEFORE",
                    "// BUG: Diagnostic contains: when an exception is thrown"))
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }

  /**
   * The return shortcut: a declaration followed by {@code return E;} where {@code E} discharges the
   * context on the way needs no graph when exceptional paths do not count; the findings are the
   * graph's.
   */
  private static final String RETURNED =
      """
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.Executor;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      class Test {
        Executor executor;

        CompletableFuture<String> cancelledWhenDone(Context p) {
          CancellableContext c = Context.withCancel(p);
          return CompletableFuture.supplyAsync(() -> fetch(c), executor)
              .whenComplete((v, e) -> c.cancel());
        }

        CancellableContext returned(Context p) {
          CancellableContext c = Context.withCancel(p);
          return c;
        }

        CancellableContext returnedThroughACast(Context p) {
          CancellableContext c = Context.withCancel(p);
          return (CancellableContext) (c);
        }

        Runnable cancelledByAReference(Context p) {
          CancellableContext c = Context.withCancel(p);
          return c::cancel;
        }

        Runnable cancelledByAnAnonymousClass(Context p) {
          // CREATING_THE_CLASS_MAY_THROW
          CancellableContext c = Context.withCancel(p);
          return new Runnable() {
            @Override
            public void run() {
              c.close();
            }
          };
        }

        Holder keptByAConstructor(Context p) {
          CancellableContext c = Context.withCancel(p);
          return new Holder(c);
        }

        Object onlyOnOneBranch(Context p, boolean b) {
          // BUG: Diagnostic contains: it leaks when the method returns
          CancellableContext c = Context.withCancel(p);
          return b ? keep(c) : null;
        }

        Object onlyWhenTheFirstIsTrue(Context p, boolean b) {
          // BUG: Diagnostic contains: it leaks when the method returns
          CancellableContext c = Context.withCancel(p);
          return b && keep(c) != null;
        }

        String onlyRead(Context p) {
          // BUG: Diagnostic contains: it leaks when the method returns
          CancellableContext c = Context.withCancel(p);
          return fetch(c);
        }

        Supplier<String> capturedAndOnlyRead(Context p) {
          // BUG: Diagnostic contains: it leaks when the method returns
          CancellableContext c = Context.withCancel(p);
          return () -> fetch(c);
        }

        Supplier<Object> cancelledOnlyWhenCalled(Context p) {
          CancellableContext c = Context.withCancel(p);
          return () -> keep(c);
        }

        Object reassigned(Context p) {
          // BUG: Diagnostic contains: it leaks when c is reassigned
          CancellableContext c = Context.withCancel(p);
          c = Context.withCancel(p);
          return keep(c);
        }

        Object copiedOnTheWay(Context p) {
          // BUG: Diagnostic contains: it leaks when the method returns
          CancellableContext c = Context.withCancel(p);
          CancellableContext other;
          return fetch(other = c);
        }

        static final class Holder {
          Holder(CancellableContext c) {}
        }

        Object keep(CancellableContext c) {
          return c;
        }

        String fetch(Context ctx) {
          return "";
        }
      }
      """;

  @Test
  void aReturnThatHandsOverOnTheWayGivesTheGraphsFindingsWithoutExceptionalPaths() {
    CompilationTestHelper.newInstance(LostCancel.class, getClass())
        .addSourceLines("Test.java", RETURNED)
        .doTest();
  }

  @Test
  void aReturnThatHandsOverOnTheWayGivesTheGraphsFindingsWithExceptionalPaths() {
    CompilationTestHelper.newInstance(LostCancel.class, getClass())
        .addSourceLines(
            "Test.java",
            RETURNED.replace(
                "// CREATING_THE_CLASS_MAY_THROW",
                "// BUG: Diagnostic contains: when an exception is thrown"))
        .setArgs("-XepOpt:LostCancel:ExceptionalPaths=true")
        .doTest();
  }
}
