package org.ctx4j.checks.lostcancel;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LostCancel}: a context captured by a lambda, method reference, anonymous or local
 * class is handed over only where that body can end it or pass the duty on; a parameter declared
 * {@code Object} is a use.
 */
final class LostCancelCaptureTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  @Test
  void capturesThatHandOver() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              private CancellableContext field;
              private final List<CancellableContext> open = new ArrayList<>();

              void whenComplete(Context p, CompletableFuture<String> f) {
                CancellableContext c = Context.withCancel(p);
                f.whenComplete((v, e) -> c.cancel());
              }

              void methodReferences(Context p, CompletableFuture<String> f) {
                CancellableContext a = Context.withCancel(p);
                f.thenRun(a::cancel);
                CancellableContext b = Context.withCancel(p);
                f.thenRun(b::close);
              }

              void resourceInLambda(Context p, ExecutorService executor) {
                CancellableContext c = Context.withCancel(p);
                executor.execute(
                    () -> {
                      try (c) {
                        work(c);
                      }
                    });
              }

              Supplier<CancellableContext> returnedByLambda(Context p) {
                CancellableContext c = Context.withCancel(p);
                return () -> c;
              }

              void storedByLambda(Context p, ExecutorService executor) {
                CancellableContext a = Context.withCancel(p);
                executor.execute(() -> field = a);
                CancellableContext b = Context.withCancel(p);
                executor.execute(() -> open.add(b));
                CancellableContext d = Context.withCancel(p);
                executor.execute(() -> own(d));
                CancellableContext e = Context.withCancel(p);
                executor.execute(() -> closeLater(e));
                CancellableContext g = Context.withCancel(p);
                executor.execute(() -> keep(g));
              }

              void nestedLambda(Context p, ExecutorService executor, CompletableFuture<String> f) {
                CancellableContext c = Context.withCancel(p);
                executor.execute(
                    () -> {
                      work(c);
                      f.whenComplete((v, e) -> c.cancel());
                    });
              }

              void anonymousClass(Context p, ExecutorService executor) {
                CancellableContext c = Context.withCancel(p);
                executor.execute(
                    new Runnable() {
                      @Override
                      public void run() {
                        work(c);
                        c.close();
                      }
                    });
              }

              void localClass(Context p, ExecutorService executor) {
                CancellableContext c = Context.withCancel(p);
                class Task implements Runnable {
                  @Override
                  public void run() {
                    try {
                      work(c);
                    } finally {
                      c.cancel();
                    }
                  }
                }
                executor.execute(new Task());
              }

              void genericMethodInLambda(Context p, ExecutorService executor) {
                CancellableContext c = Context.withCancel(p);
                executor.execute(() -> java.util.Objects.requireNonNull(c));
              }

              Test(Context p, ExecutorService executor) {
                CancellableContext c = Context.withCancel(p);
                executor.execute(c::cancel);
              }

              void work(Context ctx) {}

              void own(CancellableContext ctx) {}

              void closeLater(AutoCloseable c) {}

              <T> void keep(T value) {}
            }
            """)
        .doTest();
  }

  @Test
  void capturesThatOnlyUse() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.math.BigDecimal;
            import java.time.Duration;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.function.Supplier;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              interface Pricing {
                BigDecimal quote(Context ctx, String sku);
              }

              Pricing pricing;
              ExecutorService executor;

              BigDecimal price(Context ctx, String sku)
                  throws ExecutionException, InterruptedException {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(30));
                Future<BigDecimal> f = executor.submit(() -> pricing.quote(c, sku));
                return Context.await(c, f);
              }

              void readsOnly(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                executor.execute(() -> System.out.println(c.err() + " " + c.done() + c.deadline()));
              }

              void neverRun(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                Runnable r = () -> work(c);
              }

              void readingMethodReference(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                Supplier<?> s = c::err;
                s.get();
              }

              void anonymousClassReads(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                executor.execute(
                    new Runnable() {
                      @Override
                      public void run() {
                        work(c);
                      }
                    });
              }

              void localClassReads(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                class Task implements Runnable {
                  @Override
                  public void run() {
                    work(Context.withValue(c, "k", "v"));
                  }
                }
                executor.execute(new Task());
              }

              void nestedLambdasRead(Context p, CompletableFuture<String> f) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                executor.execute(() -> f.thenRun(() -> work(c)));
              }

              <T> T generic(Context p, Supplier<T> s) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                executor.execute(() -> work(c));
                return s.get();
              }

              int switchExpression(Context p, int k) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                Runnable r =
                    switch (k) {
                      case 0 -> () -> work(c);
                      default -> () -> System.out.println(c);
                    };
                executor.execute(r);
                return k;
              }

              record Job(Context parent, ExecutorService executor) {
                Job {
                  // BUG: Diagnostic contains: LostCancel
                  CancellableContext c = Context.withCancel(parent);
                  executor.execute(() -> System.out.println(c.err()));
                }
              }

              void work(Context ctx) {}
            }
            """)
        .doTest();
  }

  @Test
  void objectParametersAreUses() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.Objects;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              interface Log {
                void info(String format, Object... args);

                void debug(String format, Object arg);
              }

              interface Request {
                void setAttribute(String name, Object value);
              }

              Log log;

              void logged(Context p) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                log.info("{} {}", c, 1);
              }

              void printed(Context p, StringBuilder sb) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                sb.append(c);
                System.out.println(String.valueOf(c) + c);
                log.debug("{}", c);
              }

              boolean compared(Context p, Object other) {
                // BUG: Diagnostic contains: LostCancel
                CancellableContext c = Context.withCancel(p);
                return Objects.equals(c, other) || String.format("%s", c).isEmpty();
              }

              void discardedIntoObject(Context p) {
                // BUG: Diagnostic contains: not kept
                log.debug("{}", Context.withCancel(p));
              }

              void storedThroughObject(Context p, Request request) {
                CancellableContext c = Context.withCancel(p);
                request.setAttribute("ctx", c);
              }

              void typeVariable(Context p) {
                CancellableContext c = Context.withCancel(p);
                Objects.requireNonNull(c);
              }

              void loggedThenCancelled(Context p) {
                CancellableContext c = Context.withCancel(p);
                log.info("{}", c);
                c.cancel();
              }
            }
            """)
        .doTest();
  }
}
