package org.ctx4j.checks.blocking;

import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;

final class BlockingCallIgnoresContextTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallIgnoresContext.class, getClass());
  private final FixRoundTrip refactoring =
      FixRoundTrip.newInstance(BlockingCallIgnoresContext.class, getClass());

  @Test
  void aWaitWithoutAContextInScopeIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // no context in scope
              void noContext(Future<String> f) throws Exception {
                Thread.sleep(10);
                f.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void waitsThatObserveTheContextAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // the ways to wait under the context
              String observed(Context ctx, Future<String> f) throws Exception {
                Context.sleep(ctx, Duration.ofMillis(10));
                ctx.done().await(Duration.ofSeconds(1));
                return Context.await(ctx, f);
              }
            }
            """)
        .doTest();
  }

  @Test
  void anInterruptibleWaitInATaskBodyIsNotFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.TaskGroup;

            class Tasks {
              // the runtime runs each body inside Context.interruptWhenDone of the context it hands it
              void pipeline(Context ctx, BlockingQueue<String> in, BlockingQueue<String> out)
                  throws Exception {
                try (TaskGroup g = TaskGroup.withLimit(ctx, 4)) {
                  g.go(c -> {
                    for (String s = in.take(); !s.isEmpty(); s = in.take()) {
                      out.put(s.trim());
                    }
                  });
                  boolean started = g.tryGo((c) -> Thread.sleep(10));
                  TaskGroup.Result<String> r = g.fork(c -> in.take());
                  g.go(
                      new TaskGroup.Task() {
                        @Override
                        public void run(Context c) throws Exception {
                          out.put(in.take());
                        }
                      });
                  // a stage kept in a local and only handed to the group
                  TaskGroup.Task stage = c -> out.put(in.take());
                  for (int i = 0; i < 3; i++) {
                    g.go(stage);
                  }
                  g.await();
                }
              }

              void async(Context ctx, ExecutorService pool, CountDownLatch ready, Future<String> f) {
                var a = ContextExecutors.runAsync(ctx, pool, c -> ready.await());
                var b = ContextExecutors.callAsync(ctx, pool, (TaskGroup.ValueTask<String>) c -> f.get());
              }
            }
            """)
        .doTest();
  }

  @Test
  void allOfFuturesThatEndWithTheContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Gather.java",
            """
            package demo;

            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;

            class Gather {
              List<String> all(Context ctx, ExecutorService pool, List<String> ids) {
                List<CompletableFuture<String>> fs =
                    ids.stream().map(id -> ContextExecutors.callAsync(ctx, pool, c -> id)).toList();
                CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
                var a = ContextExecutors.callAsync(ctx, pool, c -> "a");
                var b = ContextExecutors.callAsync(ctx, pool, c -> "b");
                CompletableFuture.allOf(a, b).join();
                return fs.stream().map(CompletableFuture::join).toList();
              }
            }
            """)
        .doTest();
  }

  @Test
  void allOfFuturesNotAllBoundToTheContextIsFlagged() {
    helper
        .addSourceLines(
            "Gather.java",
            """
            package demo;

            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.stream.Collectors;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;

            class Gather {
              void all(Context ctx, ExecutorService pool, List<String> ids, CompletableFuture<String> f) {
                // a modifiable list: anything may be added to it later
                List<CompletableFuture<String>> fs =
                    ids.stream()
                        .map(id -> ContextExecutors.callAsync(ctx, pool, c -> id))
                        .collect(Collectors.toList());
                // BUG: Diagnostic contains: CompletableFuture.join
                CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
                // bound to another context
                List<CompletableFuture<String>> gs =
                    ids.stream()
                        .map(id -> ContextExecutors.callAsync(Context.background(), pool, c -> id))
                        .toList();
                // BUG: Diagnostic contains: CompletableFuture.join
                CompletableFuture.allOf(gs.toArray(new CompletableFuture[0])).join();
                var a = ContextExecutors.callAsync(ctx, pool, c -> "a");
                // BUG: Diagnostic contains: CompletableFuture.join
                CompletableFuture.allOf(a, f).join();
              }
            }
            """)
        .doTest();
  }

  @Test
  void joinInsideAnInterruptScopeIsFlagged() {
    helper
        .addSourceLines(
            "Scoped.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Scoped {
              String price(Context ctx, CompletableFuture<String> f) throws Exception {
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  String cached = f.get(); // an interrupt ends get()
                  // join() ignores the interrupt
                  // BUG: Diagnostic contains: Context.await(ctx, future)
                  return cached + f.join();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitThatAnInterruptDoesNotEndInATaskBodyIsFlagged() {
    helper
        .addSourceLines(
            "Tasks.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.Consumer;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;

            class Tasks {
              interface Handlers {
                void on(Consumer<Context> handler);
              }

              void run(Context ctx, CompletableFuture<String> f, BlockingQueue<String> q, Handlers h)
                  throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  // join() does not end on an interrupt
                  // BUG: Diagnostic contains: CompletableFuture.join
                  g.go(c -> System.out.println(f.join()));
                  // a task given as a method reference: its method may run anywhere else too
                  g.go(this::drain);
                  // a task kept in a local that is also run directly, outside the group
                  // BUG: Diagnostic contains: BlockingQueue.take
                  TaskGroup.Task stage = c -> q.take();
                  g.go(stage);
                  stage.run(ctx);
                  g.await();
                }
                // a lambda with a context parameter that is not a task's body
                h.on(c -> {
                  try {
                    // BUG: Diagnostic contains: BlockingQueue.take
                    q.take();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
              }

              void drain(Context c) throws InterruptedException {
                BlockingQueue<String> q = new java.util.concurrent.LinkedBlockingQueue<>(1);
                // BUG: Diagnostic contains: BlockingQueue.take
                q.take();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInsideAnInterruptScopeIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // an interrupt scope ends the wait when the context ends
              String interrupted(Context ctx, BlockingQueue<String> queue) throws Exception {
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  Thread.sleep(10);
                  return queue.take();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInsideAnInterruptScopeDeclaredWithVarIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              String interruptedVar(Context ctx, BlockingQueue<String> queue) throws Exception {
                try (var scope = Context.interruptWhenDone(ctx)) {
                  if (queue.isEmpty()) {
                    queue.put("x");
                  }
                  return queue.take();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInALambdaOrClassThatOnlyCapturesTheContextIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // a lambda or class that only captures the context (it may run elsewhere, later)
              void captured(Context ctx, ExecutorService pool, CompletableFuture<String> f) {
                pool.submit(() -> {
                  Thread.sleep(10);
                  return f.join();
                });
                new Thread() {
                  @Override
                  public void run() {
                    f.join();
                  }
                }.start();
              }
            }
            """)
        .doTest();
  }

  @Test
  void nonBlockingMethodsOfTheSameNamesAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // non-blocking methods of the same names
              String nonBlocking(Context ctx, CompletableFuture<String> f, java.util.Map<String, String> m) {
                return f.getNow("") + m.get("k") + (f.isDone() ? "" : "pending");
              }
            }
            """)
        .doTest();
  }

  @Test
  void putOnAnAlwaysUnboundedQueueIsNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // put on a queue that is always unbounded never waits
              void unbounded(Context ctx, java.util.concurrent.PriorityBlockingQueue<String> q,
                  java.util.concurrent.LinkedTransferQueue<String> t) throws InterruptedException {
                q.put("x");
                t.put("y");
              }
            }
            """)
        .doTest();
  }

  @Test
  void anotherClassesWaitAndJoinAreNotFlagged() {
    helper
        .addSourceLines(
            "Negatives.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Negatives {
              // another class's wait and join
              static final class Waiter {
                void wait(String reason) {}

                String join() {
                  return "";
                }
              }

              void others(Context ctx, Waiter w, java.util.List<String> parts) {
                w.wait("x");
                w.join();
                String.join(",", parts);
              }
            }
            """)
        .doTest();
  }

  @Test
  void threadSleepIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              void sleep(Context ctx) throws InterruptedException {
                // BUG: Diagnostic contains: use Context.sleep(ctx, duration)
                Thread.sleep(100);
              }
            }
            """)
        .doTest();
  }

  @Test
  void futureGetIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              String get(Context ctx, Future<String> f) throws Exception {
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                return f.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void futureGetWithATimeLimitIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              String getWithLimit(Context ctx, Future<String> f) throws Exception {
                // BUG: Diagnostic contains: Future.get blocks
                return f.get(1, TimeUnit.SECONDS);
              }
            }
            """)
        .doTest();
  }

  @Test
  void completableFutureJoinIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              String join(Context ctx, CompletableFuture<String> f) {
                // BUG: Diagnostic contains: CompletableFuture.join
                return f.join();
              }
            }
            """)
        .doTest();
  }

  @Test
  void latchBarrierAndSemaphoreWaitsAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              void latch(Context ctx, CountDownLatch latch, CyclicBarrier barrier, Semaphore s)
                  throws Exception {
                // BUG: Diagnostic contains: Context.interruptWhenDone(ctx)
                latch.await();
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                barrier.await();
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                s.acquire();
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingQueuePutAndTakeAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              String queue(CancellableContext request, BlockingQueue<String> q) throws Exception {
                // BUG: Diagnostic contains: (request)
                q.put("x");
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                return q.take();
              }
            }
            """)
        .doTest();
  }

  @Test
  void threadJoinAndAwaitTerminationAreFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              void threads(Context ctx, Thread t, ExecutorService pool) throws Exception {
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                t.join();
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                pool.awaitTermination(1, TimeUnit.SECONDS);
              }
            }
            """)
        .doTest();
  }

  @Test
  void objectWaitIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              synchronized void monitor(Context ctx) throws InterruptedException {
                // BUG: Diagnostic contains: Object.wait
                wait();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInALambdaWithAContextParameterIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              // a lambda's own context parameter is in scope inside it
              BiFunction<Context, CompletableFuture<String>, String> handler =
                  // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                  (ctx, f) -> f.join();
            }
            """)
        .doTest();
  }

  @Test
  void aWaitAfterTheInterruptScopesBlockIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              // outside the interrupt scope's block (in its finally) the wait is not covered
              String afterScope(Context ctx, BlockingQueue<String> q) throws Exception {
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  return q.take();
                } finally {
                  // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                  q.put("done");
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInAConstructorIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              Positives(Context ctx, CountDownLatch ready) throws InterruptedException {
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                ready.await();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitReturningATypeVariableIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              <T> T generic(Context ctx, Future<? extends T> f) throws Exception {
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                return f.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInASwitchExpressionIsFlagged() {
    helper
        .addSourceLines(
            "Positives.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.CyclicBarrier;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.Semaphore;
            import java.util.concurrent.TimeUnit;
            import java.util.function.BiFunction;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;

            class Positives {
              String switched(Context ctx, int n, CompletableFuture<String> f) {
                return switch (n) {
                  // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
                  case 0 -> f.join();
                  default -> "";
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void sleepBecomesContextSleep() {
    refactoring
        .addInputLines(
            "Poller.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Poller {
              void poll(Context ctx, long backoffMillis) throws InterruptedException {
                Thread.sleep(backoffMillis * 2);
                Thread.sleep(250);
              }
            }
            """)
        .addOutputLines(
            "Poller.java",
            """
            package demo;

            import java.time.Duration;
            import org.ctx4j.Context;

            class Poller {
              void poll(Context ctx, long backoffMillis) throws InterruptedException {
                Context.sleep(ctx, Duration.ofMillis(backoffMillis * 2));
                Context.sleep(ctx, Duration.ofMillis(250));
              }
            }
            """)
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void getAndJoinBecomeAwaitWhereTheCheckedExceptionsAreHandled() {
    refactoring
        .addInputLines(
            "Client.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;

            class Client {
              String get(Context ctx, Future<String> f) throws ExecutionException, InterruptedException {
                return f.get();
              }

              String joinDeclared(Context ctx, CompletableFuture<String> f) throws Exception {
                return f.join();
              }

              static void check() throws ExecutionException, InterruptedException {}

              String joinCaught(Context ctx, CompletableFuture<String> f) {
                try {
                  check();
                  return f.join().trim();
                } catch (ExecutionException | InterruptedException e) {
                  return "";
                }
              }
            }
            """)
        .addOutputLines(
            "Client.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;

            class Client {
              String get(Context ctx, Future<String> f) throws ExecutionException, InterruptedException {
                return Context.await(ctx, f);
              }

              String joinDeclared(Context ctx, CompletableFuture<String> f) throws Exception {
                return Context.await(ctx, f);
              }

              static void check() throws ExecutionException, InterruptedException {}

              String joinCaught(Context ctx, CompletableFuture<String> f) {
                try {
                  check();
                  return Context.await(ctx, f).trim();
                } catch (ExecutionException | InterruptedException e) {
                  return "";
                }
              }
            }
            """)
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void noFixWhereItWouldNotCompileOrWouldChangeTheHandler() {
    refactoring
        .addInputLines(
            "Client.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionException;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.Future;
            import java.util.concurrent.TimeUnit;
            import java.util.function.Function;
            import org.ctx4j.Context;

            class Client {
              // join() throws no checked exception; Context.await would not compile here
              String join(Context ctx, CompletableFuture<String> f) {
                return f.join();
              }

              // a handler for CompletionException would no longer see the failure
              String handled(Context ctx, CompletableFuture<String> f) throws Exception {
                try {
                  return f.join();
                } catch (CompletionException e) {
                  return "failed";
                }
              }

              // a lambda whose function type declares no checked exception
              Function<Context, String> lambda(CompletableFuture<String> f) {
                return ctx -> f.join();
              }

              // a time limit has no Context counterpart that keeps its TimeoutException
              String limited(Context ctx, Future<String> f) throws Exception {
                return f.get(1, TimeUnit.SECONDS);
              }

              // the rest: no mechanical fix
              void latch(Context ctx, CountDownLatch latch) throws InterruptedException {
                latch.await();
                Thread.sleep(1, 500);
              }
            }
            """)
        .expectUnchanged()
        .doTest(TestMode.TEXT_MATCH);
  }

  @Test
  void waitsThatCannotOutwaitTheContext() {
    helper
        .addSourceLines(
            "Ending.java",
            """
            package demo;

            import java.util.List;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import java.util.concurrent.LinkedBlockingDeque;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.TimeoutException;
            import org.ctx4j.Context;

            class Ending {
              private final BlockingQueue<String> published = new LinkedBlockingQueue<>();
              private final LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>();

              // futures that end with the context itself
              String awaitAsync(Context ctx, CompletableFuture<String> price) throws Exception {
                String a = Context.awaitAsync(ctx, price).join();
                CompletableFuture<String> bounded = Context.awaitAsync(ctx, price);
                return a + bounded.get().trim() + bounded.join();
              }

              void doneView(Context ctx) {
                ctx.done().toFuture().join();
              }

              // futures that are already complete
              String checkedFirst(Context ctx, Future<String> f, CompletableFuture<String> g)
                  throws Exception {
                if (f.isDone() && !f.isCancelled()) {
                  return f.get();
                }
                return g.isDone() ? g.join() : "pending";
              }

              String afterAllOf(Context ctx, CompletableFuture<String> a, CompletableFuture<String> b)
                  throws Exception {
                Context.await(ctx, CompletableFuture.allOf(a, b));
                return a.join() + b.get();
              }

              // polls with a zero time limit
              String polls(Context ctx, Future<String> f, CountDownLatch latch, ExecutorService pool)
                  throws ExecutionException, InterruptedException {
                Thread.sleep(0);
                latch.await(0, TimeUnit.MILLISECONDS);
                pool.awaitTermination(0L, TimeUnit.SECONDS);
                try {
                  return f.get(0, TimeUnit.SECONDS);
                } catch (TimeoutException notYet) {
                  return null;
                }
              }

              // put on a queue made without a capacity never waits
              void publish(Context ctx, String event, List<String> more) throws InterruptedException {
                published.put(event);
                deque.put(event);
                BlockingQueue<String> batch = new LinkedBlockingQueue<>(more);
                batch.put(event);
              }
            }
            """)
        .doTest();
  }

  @Test
  void waitsThatLookSimilarButCanOutwaitTheContext() {
    helper
        .addSourceLines(
            "Waiting.java",
            """
            package demo;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Future;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.Context;

            class Waiting {
              private final BlockingQueue<String> bounded = new LinkedBlockingQueue<>(16);
              private BlockingQueue<String> replaced = new LinkedBlockingQueue<>();

              void queues(Context ctx, String event) throws InterruptedException {
                // BUG: Diagnostic contains: BlockingQueue.put blocks
                bounded.put(event);
                // BUG: Diagnostic contains: BlockingQueue.put blocks
                replaced.put(event);
              }

              String notDoneYet(Context ctx, Future<String> f) throws Exception {
                if (!f.isDone()) {
                  // BUG: Diagnostic contains: Future.get blocks
                  return f.get();
                }
                return "";
              }

              String otherFuture(Context ctx, CompletableFuture<String> a, CompletableFuture<String> b) {
                // BUG: Diagnostic contains: CompletableFuture.join blocks
                CompletableFuture.allOf(a).join();
                // BUG: Diagnostic contains: CompletableFuture.join blocks
                return b.join();
              }

              String timed(Context ctx, Future<String> f) throws Exception {
                // BUG: Diagnostic contains: Future.get blocks
                return f.get(1, TimeUnit.SECONDS);
              }

              void joinForEver(Context ctx, Thread worker) throws InterruptedException {
                // BUG: Diagnostic contains: Thread.join blocks
                worker.join(0);
              }
            }
            """)
        .doTest();
  }

  /** A blocking stub as grpc's code generator writes one, and the ways to call it. */
  private static final String GREETER =
      """
      package demo;

      import io.grpc.CallOptions;
      import io.grpc.Channel;
      import io.grpc.MethodDescriptor;
      import io.grpc.stub.AbstractBlockingStub;
      import io.grpc.stub.ClientCalls;

      final class GreeterGrpc {
        static MethodDescriptor<String, String> SAY_HELLO;

        static GreeterBlockingStub newBlockingStub(Channel channel) {
          return new GreeterBlockingStub(channel, CallOptions.DEFAULT);
        }

        static final class GreeterBlockingStub extends AbstractBlockingStub<GreeterBlockingStub> {
          private GreeterBlockingStub(Channel channel, CallOptions options) {
            super(channel, options);
          }

          @Override
          protected GreeterBlockingStub build(Channel channel, CallOptions options) {
            return new GreeterBlockingStub(channel, options);
          }

          String sayHello(String request) {
            return ClientCalls.blockingUnaryCall(getChannel(), SAY_HELLO, getCallOptions(), request);
          }
        }
      }
      """;

  /**
   * The entry points of ctx4j's bridge modules, with the signatures those modules declare. The
   * checks match the bridges by name; the bridge modules are built after the checks (and are not
   * published with them), so the checks' tests cannot depend on them.
   */
  private static final String GRPC_BRIDGE =
      """
      package org.ctx4j.grpc;

      import io.grpc.ClientInterceptor;
      import io.grpc.stub.AbstractStub;
      import org.ctx4j.Context;

      public final class GrpcBridge {
        public static <S extends AbstractStub<S>> S withContext(Context ctx, S stub) {
          return stub;
        }

        public static ClientInterceptor clientInterceptor(Context ctx) {
          return null;
        }

        public static io.grpc.Context.CancellableContext toGrpc(Context ctx) {
          return io.grpc.Context.current().withCancellation();
        }
      }
      """;

  private static final String HTTP_BRIDGE =
      """
      package org.ctx4j.http;

      import java.net.http.HttpClient;
      import java.net.http.HttpRequest;
      import java.net.http.HttpResponse;
      import org.ctx4j.Context;

      public final class HttpBridge {
        public static <T> HttpResponse<T> send(
            Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws java.io.IOException, InterruptedException {
          return null;
        }

        public static <T> java.util.concurrent.CompletableFuture<HttpResponse<T>> sendAsync(
            Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
          return null;
        }

        public static HttpRequest withTimeLeft(Context ctx, HttpRequest request) {
          return request;
        }
      }
      """;

  /** An async stub as grpc's code generator writes one, with a server-streaming method. */
  private static final String GREETER_ASYNC =
      """
      package demo;

      import io.grpc.CallOptions;
      import io.grpc.Channel;
      import io.grpc.stub.AbstractAsyncStub;
      import io.grpc.stub.ClientCalls;
      import io.grpc.stub.StreamObserver;

      final class GreeterAsync extends AbstractAsyncStub<GreeterAsync> {
        GreeterAsync(Channel channel, CallOptions options) {
          super(channel, options);
        }

        @Override
        protected GreeterAsync build(Channel channel, CallOptions options) {
          return new GreeterAsync(channel, options);
        }

        void lotsOfReplies(String request, StreamObserver<String> responseObserver) {
          ClientCalls.asyncServerStreamingCall(
              getChannel().newCall(GreeterGrpc.SAY_HELLO, getCallOptions()), request, responseObserver);
        }
      }
      """;

  /** A future stub as grpc's code generator writes one. */
  private static final String GREETER_FUTURE =
      """
      package demo;

      import com.google.common.util.concurrent.ListenableFuture;
      import io.grpc.CallOptions;
      import io.grpc.Channel;
      import io.grpc.stub.AbstractFutureStub;
      import io.grpc.stub.ClientCalls;

      final class GreeterFuture extends AbstractFutureStub<GreeterFuture> {
        GreeterFuture(Channel channel, CallOptions options) {
          super(channel, options);
        }

        @Override
        protected GreeterFuture build(Channel channel, CallOptions options) {
          return new GreeterFuture(channel, options);
        }

        ListenableFuture<String> sayHello(String request) {
          return ClientCalls.futureUnaryCall(
              getChannel().newCall(GreeterGrpc.SAY_HELLO, getCallOptions()), request);
        }
      }
      """;

  private static final String JDBC_BRIDGE =
      """
      package org.ctx4j.jdbc;

      import java.sql.SQLException;
      import java.sql.Statement;
      import org.ctx4j.Context;

      public final class JdbcBridge {
        @FunctionalInterface
        public interface StatementWork<S extends Statement, R> {
          R run(S statement) throws SQLException;
        }

        public static <S extends Statement, R> R execute(
            Context ctx, S statement, StatementWork<? super S, ? extends R> work)
            throws SQLException {
          return work.run(statement);
        }
      }
      """;

  @Test
  void taskGroupsAndBoundFuturesAreContextAware() {
    helper
        .addSourceLines(
            "Groups.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.TaskGroup;

            class Groups {
              // await() ends when the group's context ends, which a group made from ctx does with it
              void group(Context ctx) throws Exception {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  g.go(c -> {});
                  g.await();
                }
              }

              // futures bound to the context in scope, or to a context derived from it
              String bound(Context ctx, ExecutorService pool) throws Exception {
                CompletableFuture<String> a = ContextExecutors.callAsync(ctx, pool, c -> "a");
                String joined = a.join() + ContextExecutors.runAsync(ctx, pool, c -> {}).get();
                try (CancellableContext t = Context.withTimeout(ctx, java.time.Duration.ofSeconds(1))) {
                  joined += ContextExecutors.callAsync(t, pool, c -> "b").join();
                }
                Context valued = Context.withValue(ctx, Groups.class, "v");
                joined += ContextExecutors.callAsync(valued, pool, c -> "c").get();
                ExecutorService view = ContextExecutors.bind(ctx, pool);
                Future<String> d = view.submit(() -> "d");
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  joined += ContextExecutors.callAsync(g.context(), pool, c -> "e").join();
                  g.await();
                }
                return joined + d.get();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
    CompilationTestHelper.newInstance(BlockingCallIgnoresContext.class, getClass())
        .addSourceLines(
            "Unbound.java",
            """
            package demo;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Future;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;

            class Unbound {
              // twins: futures bound to a context that does not end with the one in scope
              String unbound(Context ctx, Context other, ExecutorService pool) throws Exception {
                CompletableFuture<String> a = ContextExecutors.callAsync(other, pool, c -> "a");
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                String joined = a.join();
                Context detached = Context.withoutCancel(ctx);
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                joined += ContextExecutors.callAsync(detached, pool, c -> "b").join();
                ExecutorService view = ContextExecutors.bind(other, pool);
                Future<String> d = view.submit(() -> "d");
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                joined += d.get();
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                return joined + pool.submit(() -> "e").get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void futuresOfACollectionAfterAnAllOfWait() {
    helper
        .addSourceLines(
            "Collections.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.Context;

            class Collections {
              int toArray(Context ctx, List<CompletableFuture<Integer>> futures) throws Exception {
                Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
                int total = 0;
                for (CompletableFuture<Integer> f : futures) {
                  total += f.join();
                }
                return total + futures.get(0).join() + futures.size();
              }

              int stream(Context ctx, List<CompletableFuture<Integer>> futures) throws Exception {
                Context.await(
                    ctx, CompletableFuture.allOf(futures.stream().toArray(CompletableFuture[]::new)));
                int total = 0;
                for (var f : futures) {
                  if (!futures.isEmpty()) {
                    total += f.get();
                  }
                }
                return total;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
    CompilationTestHelper.newInstance(BlockingCallIgnoresContext.class, getClass())
        .addSourceLines(
            "Twins.java",
            """
            package demo;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.Context;

            class Twins {
              int modifiedAfter(Context ctx, List<CompletableFuture<Integer>> futures,
                  CompletableFuture<Integer> late) throws Exception {
                Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
                futures.add(late);
                int total = 0;
                for (var f : futures) {
                  // BUG: Diagnostic contains: BlockingCallIgnoresContext
                  total += f.join();
                }
                return total;
              }

              int passedAfter(Context ctx, List<CompletableFuture<Integer>> futures) throws Exception {
                Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
                refill(futures);
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                return futures.get(0).join();
              }

              int otherList(Context ctx, List<CompletableFuture<Integer>> futures,
                  List<CompletableFuture<Integer>> others) throws Exception {
                Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
                int total = 0;
                for (var f : others) {
                  // BUG: Diagnostic contains: BlockingCallIgnoresContext
                  total += f.join();
                }
                return total;
              }

              int waitAfterTheLoop(Context ctx, List<CompletableFuture<Integer>> futures)
                  throws Exception {
                int total = 0;
                for (var f : futures) {
                  // BUG: Diagnostic contains: BlockingCallIgnoresContext
                  total += f.join();
                }
                Context.await(ctx, CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])));
                return total;
              }

              int reassignedList(Context ctx, List<CompletableFuture<Integer>> futures)
                  throws Exception {
                List<CompletableFuture<Integer>> list = futures;
                Context.await(ctx, CompletableFuture.allOf(list.toArray(new CompletableFuture[0])));
                list = new ArrayList<>(futures);
                int total = 0;
                for (var f : list) {
                  // BUG: Diagnostic contains: BlockingCallIgnoresContext
                  total += f.join();
                }
                return total;
              }

              static void refill(List<CompletableFuture<Integer>> futures) {}
            }
            """)
        .doTest();
  }

  @Test
  void ioThatABridgeBindsToTheContext() {
    helper
        .addSourceLines("GreeterGrpc.java", GREETER)
        .addSourceLines("GrpcBridge.java", GRPC_BRIDGE)
        .addSourceLines("HttpBridge.java", HTTP_BRIDGE)
        .addSourceLines("JdbcBridge.java", JDBC_BRIDGE)
        .addSourceLines(
            "Io.java",
            """
            package demo;

            import io.grpc.Channel;
            import io.grpc.ClientInterceptors;
            import io.grpc.stub.ClientCalls;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.sql.CallableStatement;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.ResultSet;
            import java.sql.Statement;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.http.HttpBridge;
            import org.ctx4j.jdbc.JdbcBridge;

            class Io {
              String http(Context ctx, HttpClient client, HttpRequest request) throws Exception {
                // BUG: Diagnostic contains: HttpBridge.send(ctx, client, request, handler)
                client.send(request, HttpResponse.BodyHandlers.ofString());
                // BUG: Diagnostic contains: HttpClient.send blocks
                client.send(HttpBridge.withTimeLeft(ctx, request), HttpResponse.BodyHandlers.ofString());
                return HttpBridge.send(ctx, client, request, HttpResponse.BodyHandlers.ofString()).body();
              }

              int jdbc(Context ctx, Connection connection, Statement s, PreparedStatement ps,
                  CallableStatement cs) throws Exception {
                // BUG: Diagnostic contains: JdbcBridge.execute(ctx, statement, s -> ...)
                s.execute("DELETE FROM t");
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                ResultSet rows = ps.executeQuery();
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                int n = ps.executeUpdate() + s.executeBatch().length + (int) ps.executeLargeUpdate();
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                n += cs.executeLargeBatch().length;
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  // an interrupt does not stop a JDBC driver
                  // BUG: Diagnostic contains: BlockingCallIgnoresContext
                  n += ps.executeUpdate();
                }
                // through the bridge: no context in scope in its callback
                n += JdbcBridge.execute(ctx, ps, p -> p.executeUpdate());
                n += JdbcBridge.execute(ctx, ps, PreparedStatement::executeUpdate);
                return n + (rows.next() ? 1 : 0);
              }

              String grpc(Context ctx, Channel channel, GreeterGrpc.GreeterBlockingStub stub)
                  throws Exception {
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                String a = stub.sayHello("a");
                // a deadline of its own is not the context's cancellation
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                a += stub.withDeadlineAfter(1, TimeUnit.SECONDS).sayHello("b");
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                a += GreeterGrpc.newBlockingStub(channel).sayHello("c");
                // BUG: Diagnostic contains: GrpcBridge.clientInterceptor(ctx)
                a += ClientCalls.blockingUnaryCall(
                    channel, GreeterGrpc.SAY_HELLO, io.grpc.CallOptions.DEFAULT, "d");
                return a;
              }

              String grpcBridged(Context ctx, Channel channel, GreeterGrpc.GreeterBlockingStub stub)
                  throws Exception {
                String a = GrpcBridge.withContext(ctx, stub).sayHello("a");
                GreeterGrpc.GreeterBlockingStub bound = GrpcBridge.withContext(ctx, stub);
                a += bound.sayHello("b");
                a += bound.withDeadlineAfter(1, TimeUnit.SECONDS).sayHello("c");
                a += stub.withInterceptors(GrpcBridge.clientInterceptor(ctx)).sayHello("d");
                Channel intercepted = ClientInterceptors.intercept(channel, GrpcBridge.clientInterceptor(ctx));
                a += GreeterGrpc.newBlockingStub(intercepted).sayHello("e");
                a += ClientCalls.blockingUnaryCall(
                    intercepted, GreeterGrpc.SAY_HELLO, io.grpc.CallOptions.DEFAULT, "f");
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  a += stub.sayHello("g"); // an interrupt cancels a blocking grpc call
                }
                return a;
              }

              String grpcAttached(Context ctx, GreeterGrpc.GreeterBlockingStub stub) {
                io.grpc.Context previous = GrpcBridge.toGrpc(ctx).attach();
                try {
                  return stub.sayHello("a");
                } finally {
                  io.grpc.Context.current().detach(previous);
                }
              }

              // no context in scope
              String noContext(GreeterGrpc.GreeterBlockingStub stub, Statement s) throws Exception {
                s.execute("SELECT 1");
                return stub.sayHello("a");
              }
            }
            """)
        .doTest();
  }

  /**
   * A stub bound by a helper of the same class that cannot be overridden, or held in a local whose
   * every value is bound (reassigned with a copy made by grpc's {@code with*} methods), goes
   * through the bridge; an overridable helper, a helper with an unbound return, and a local that
   * may hold an unbound stub do not.
   */
  @Test
  void stubsBoundByHelpersAndReassignedLocals() {
    helper
        .addSourceLines("GreeterGrpc.java", GREETER)
        .addSourceLines("GrpcBridge.java", GRPC_BRIDGE)
        .addSourceLines(
            "Client.java",
            """
            package demo;

            import java.util.concurrent.TimeUnit;
            import org.ctx4j.Context;
            import org.ctx4j.grpc.GrpcBridge;

            class Client {
              private final GreeterGrpc.GreeterBlockingStub stub;

              Client(GreeterGrpc.GreeterBlockingStub stub) {
                this.stub = stub;
              }

              private GreeterGrpc.GreeterBlockingStub bound(Context ctx) {
                GreeterGrpc.GreeterBlockingStub s = GrpcBridge.withContext(ctx, stub);
                return s.withDeadlineAfter(1, TimeUnit.SECONDS);
              }

              static GreeterGrpc.GreeterBlockingStub staticBound(
                  Context ctx, GreeterGrpc.GreeterBlockingStub stub) {
                return GrpcBridge.withContext(ctx, stub);
              }

              GreeterGrpc.GreeterBlockingStub overridable(Context ctx) {
                return GrpcBridge.withContext(ctx, stub);
              }

              private GreeterGrpc.GreeterBlockingStub sometimes(Context ctx, boolean bind) {
                if (bind) {
                  return GrpcBridge.withContext(ctx, stub);
                }
                return stub;
              }

              String helpers(Context ctx) {
                String a = bound(ctx).sayHello("a");
                a += staticBound(ctx, stub).withCompression("gzip").sayHello("b");
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                a += overridable(ctx).sayHello("c");
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                a += sometimes(ctx, true).sayHello("d");
                return a;
              }

              String reassigned(Context ctx, boolean compress, boolean wait) {
                GreeterGrpc.GreeterBlockingStub s = GrpcBridge.withContext(ctx, stub);
                if (compress) {
                  s = s.withCompression("gzip");
                }
                if (wait) {
                  s = s.withWaitForReady().withDeadlineAfter(1, TimeUnit.SECONDS);
                }
                return s.sayHello("a");
              }

              String reassignedUnbound(Context ctx, boolean plain) {
                GreeterGrpc.GreeterBlockingStub s = GrpcBridge.withContext(ctx, stub);
                if (plain) {
                  s = stub;
                }
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                return s.sayHello("a");
              }

              String boundTooLate(Context ctx, boolean bind) {
                GreeterGrpc.GreeterBlockingStub s = stub;
                if (bind) {
                  s = GrpcBridge.withContext(ctx, s);
                }
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                return s.sayHello("a");
              }
            }
            """)
        .doTest();
  }

  /**
   * The future of {@code HttpBridge.sendAsync} under the context in scope, and of a call on a
   * future stub bound by the gRPC bridge, ends when the context ends, and so does a stage that
   * depends on it alone; a future of the plain client or stub, of another context, or composed with
   * another future, does not.
   */
  @Test
  void futuresOfTheBridgesEndWithTheContext() {
    helper
        .addSourceLines("GreeterGrpc.java", GREETER)
        .addSourceLines("GreeterFuture.java", GREETER_FUTURE)
        .addSourceLines("GrpcBridge.java", GRPC_BRIDGE)
        .addSourceLines("HttpBridge.java", HTTP_BRIDGE)
        .addSourceLines(
            "Futures.java",
            """
            package demo;

            import com.google.common.util.concurrent.ListenableFuture;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.time.Duration;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.http.HttpBridge;

            class Futures {
              String http(Context ctx, HttpClient client, HttpRequest request) throws Exception {
                String a =
                    HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString())
                        .join()
                        .body();
                CompletableFuture<String> body =
                    HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(HttpResponse::body)
                        .exceptionally(e -> "");
                a += body.get();
                try (CancellableContext call = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
                  a += HttpBridge.sendAsync(call, client, request, HttpResponse.BodyHandlers.ofString())
                      .get(2, TimeUnit.SECONDS)
                      .body();
                }
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                a += client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join().body();
                Context detached = Context.withoutCancel(ctx);
                CompletableFuture<HttpResponse<String>> outliving =
                    HttpBridge.sendAsync(detached, client, request, HttpResponse.BodyHandlers.ofString());
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                a += outliving.join().body();
                CompletableFuture<String> composed =
                    HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString())
                        .thenCompose(r -> CompletableFuture.supplyAsync(r::body));
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                return a + composed.join();
              }

              String grpc(Context ctx, GreeterFuture stub) throws Exception {
                GreeterFuture bound = GrpcBridge.withContext(ctx, stub);
                ListenableFuture<String> a = bound.sayHello("a");
                ListenableFuture<String> b = bound.withCompression("gzip").sayHello("b");
                String replies = a.get() + b.get(1, TimeUnit.SECONDS);
                replies += GrpcBridge.withContext(ctx, stub).sayHello("c").get();
                ListenableFuture<String> plain = stub.sayHello("d");
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                return replies + plain.get();
              }
            }
            """)
        .doTest();
  }

  /**
   * A latch of one that both {@code onError} and {@code onCompleted} of the observer count down,
   * given to a streaming call through the bridge, is released when the context ends (the bridge
   * cancels the call, grpc calls {@code onError}). Without the bridge, with a larger count, with an
   * observer that may not count down on error, or waited for before the call, it is flagged.
   */
  @Test
  void aLatchReleasedByABridgedStreamingCall() {
    helper
        .addSourceLines("GreeterGrpc.java", GREETER)
        .addSourceLines("GreeterAsync.java", GREETER_ASYNC)
        .addSourceLines("GrpcBridge.java", GRPC_BRIDGE)
        .addSourceLines(
            "Streams.java",
            """
            package demo;

            import io.grpc.stub.StreamObserver;
            import java.util.List;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;
            import org.ctx4j.grpc.GrpcBridge;

            class Streams {
              static StreamObserver<String> observer(List<String> out, CountDownLatch done, boolean onError) {
                return new StreamObserver<String>() {
                  @Override
                  public void onNext(String value) {
                    out.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    if (onError) {
                      done.countDown();
                    }
                  }

                  @Override
                  public void onCompleted() {
                    done.countDown();
                  }
                };
              }

              void bridged(Context ctx, GreeterAsync stub, List<String> out) throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                GrpcBridge.withContext(ctx, stub)
                    .lotsOfReplies(
                        "a",
                        new StreamObserver<String>() {
                          @Override
                          public void onNext(String value) {
                            out.add(value);
                          }

                          @Override
                          public void onError(Throwable t) {
                            out.add(t.toString());
                            done.countDown();
                          }

                          @Override
                          public void onCompleted() {
                            done.countDown();
                          }
                        });
                done.await();
                done.await(1, TimeUnit.MINUTES);
              }

              void inATask(Context ctx, GreeterAsync stub) throws Exception {
                try (TaskGroup group = TaskGroup.withContext(ctx)) {
                  group.go(
                      c -> {
                        CountDownLatch done = new CountDownLatch(1);
                        GrpcBridge.withContext(c, stub)
                            .lotsOfReplies(
                                "a",
                                new StreamObserver<String>() {
                                  @Override
                                  public void onNext(String value) {}

                                  @Override
                                  public void onError(Throwable t) {
                                    done.countDown();
                                  }

                                  @Override
                                  public void onCompleted() {
                                    done.countDown();
                                  }
                                });
                        done.await();
                      });
                  group.await();
                }
              }

              void unbound(Context ctx, GreeterAsync stub, List<String> out) throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                stub.lotsOfReplies(
                    "a",
                    new StreamObserver<String>() {
                      @Override
                      public void onNext(String value) {}

                      @Override
                      public void onError(Throwable t) {
                        done.countDown();
                      }

                      @Override
                      public void onCompleted() {
                        done.countDown();
                      }
                    });
                // BUG: Diagnostic contains: CountDownLatch.await
                done.await();
              }

              void twoCalls(Context ctx, GreeterAsync stub, List<String> out) throws Exception {
                CountDownLatch done = new CountDownLatch(2);
                GreeterAsync bound = GrpcBridge.withContext(ctx, stub);
                bound.lotsOfReplies(
                    "a",
                    new StreamObserver<String>() {
                      @Override
                      public void onNext(String value) {}

                      @Override
                      public void onError(Throwable t) {
                        done.countDown();
                      }

                      @Override
                      public void onCompleted() {
                        done.countDown();
                      }
                    });
                // BUG: Diagnostic contains: CountDownLatch.await
                done.await();
              }

              void notOnError(Context ctx, GreeterAsync stub, List<String> out) throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                GrpcBridge.withContext(ctx, stub).lotsOfReplies("a", observer(out, done, false));
                // BUG: Diagnostic contains: CountDownLatch.await
                done.await();
              }

              void waitsFirst(Context ctx, GreeterAsync stub, CountDownLatch started) throws Exception {
                CountDownLatch done = new CountDownLatch(1);
                // BUG: Diagnostic contains: CountDownLatch.await
                done.await(1, TimeUnit.SECONDS);
                GrpcBridge.withContext(ctx, stub)
                    .lotsOfReplies(
                        "a",
                        new StreamObserver<String>() {
                          @Override
                          public void onNext(String value) {}

                          @Override
                          public void onError(Throwable t) {
                            done.countDown();
                          }

                          @Override
                          public void onCompleted() {
                            done.countDown();
                          }
                        });
                // BUG: Diagnostic contains: CountDownLatch.await
                started.await();
              }
            }
            """)
        .doTest();
  }
}
