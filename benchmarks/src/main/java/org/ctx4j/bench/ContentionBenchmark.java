package org.ctx4j.bench;

import java.util.concurrent.TimeUnit;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads deriving and cancelling children of one shared live cancellable parent: both register
 * in and unregister from the same parent. The score is the average time per operation per thread.
 * grpc registers a child with its parent only when the child gets its first listener, so {@code
 * grpcSharedParent} touches no shared state; {@code grpcSharedParentListening} adds one listener to
 * force the registration that ctx4j (like Go) does on every derive.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class ContentionBenchmark {
  // The contexts in fields below are JMH state: fixtures made in @Setup for the invocations.
  @SuppressWarnings("ContextInField")
  private CancellableContext parent;

  private io.grpc.Context.CancellableContext grpcParent;

  @Setup
  public void setUp() {
    parent = Context.withCancel(Context.background());
    grpcParent = io.grpc.Context.ROOT.withCancellation();
  }

  @TearDown
  public void tearDown() {
    parent.cancel();
    grpcParent.cancel(null);
  }

  @Benchmark
  public Object ctx4jSharedParent() {
    CancellableContext c = Context.withCancel(parent);
    c.cancel();
    return c;
  }

  @Benchmark
  public Object grpcSharedParent() {
    io.grpc.Context.CancellableContext c = grpcParent.withCancellation();
    c.cancel(null);
    return c;
  }

  @Benchmark
  public Object grpcSharedParentListening() {
    io.grpc.Context.CancellableContext c = grpcParent.withCancellation();
    c.addListener(CancelBenchmark.NOOP, CancelBenchmark.DIRECT);
    c.cancel(null);
    return c;
  }
}
