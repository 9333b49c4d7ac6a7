package org.ctx4j.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.Done;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The operations of Go's {@code TestAllocs} (the allocation bounds Go holds itself to), to be run
 * with JMH's {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per operation. Go's
 * bounds: Background 0 allocations; WithValue + Value at most 3; WithCancel + cancel + Done at most
 * 5; WithTimeout + cancel + Done at most 8. The grpc forms are the nearest equivalents (grpc has no
 * done() view; its deadline needs a caller-supplied scheduler). Every context created is handed to
 * the blackhole (or returned), so escape analysis cannot remove it: a context is made to be passed
 * on, and a benchmark whose context the JIT scalar-replaces measures nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllocBenchmark {
  private static final Object KEY = new Object();
  private static final io.grpc.Context.Key<Object> GRPC_KEY = io.grpc.Context.key("k");
  private static final Duration HOUR = Duration.ofHours(1);

  // The contexts in fields below are JMH state: fixtures made in @Setup for the invocations.
  @SuppressWarnings("ContextInField")
  private Context root;

  @SuppressWarnings("ContextInField")
  private CancellableContext parent;

  private Object value;
  private ScheduledExecutorService grpcScheduler;

  @Setup
  public void setUp() {
    root = Context.background();
    parent = Context.withCancel(root);
    value = "v";
    grpcScheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @TearDown
  public void tearDown() {
    parent.cancel();
    grpcScheduler.shutdownNow();
  }

  @Benchmark
  public Context background() {
    return Context.background();
  }

  /** From {@code background()} itself, as grpc's counterpart starts from its constant ROOT. */
  @Benchmark
  public Object withValueValue(Blackhole bh) {
    Context c = Context.withValue(Context.background(), KEY, value);
    bh.consume(c);
    return c.value(KEY);
  }

  @Benchmark
  public Done withCancelCancelDone() {
    CancellableContext c = Context.withCancel(root);
    c.cancel();
    return c.done();
  }

  /** As above under a live cancellable parent: the child registers and unregisters. */
  @Benchmark
  public Done withCancelCancelDoneUnderCancellable() {
    CancellableContext c = Context.withCancel(parent);
    c.cancel();
    return c.done();
  }

  @Benchmark
  public Done withTimeoutCancelDone() {
    CancellableContext c = Context.withTimeout(root, HOUR);
    c.cancel();
    return c.done();
  }

  @Benchmark
  public Object grpcWithValueGet(Blackhole bh) {
    io.grpc.Context c = io.grpc.Context.ROOT.withValue(GRPC_KEY, value);
    bh.consume(c);
    return GRPC_KEY.get(c);
  }

  @Benchmark
  public Object grpcWithCancellationCancel() {
    io.grpc.Context.CancellableContext c = io.grpc.Context.ROOT.withCancellation();
    c.cancel(null);
    return c;
  }

  @Benchmark
  public Object grpcWithDeadlineAfterCancel() {
    io.grpc.Context.CancellableContext c =
        io.grpc.Context.ROOT.withDeadlineAfter(1, TimeUnit.HOURS, grpcScheduler);
    c.cancel(null);
    return c;
  }
}
