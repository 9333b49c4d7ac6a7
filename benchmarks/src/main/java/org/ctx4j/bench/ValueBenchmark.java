package org.ctx4j.bench;

import java.util.concurrent.TimeUnit;
import org.ctx4j.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Value lookup through a chain of {@code depth} value contexts, each adding its own key, in ctx4j
 * and in {@code io.grpc.Context}. "Deepest" asks for the key set first (at the far end of the
 * chain); "missing" asks for a key set nowhere, as Go's {@code BenchmarkDeepValueSameGoRoutine}
 * does (Go 1.19: 583 ns at depth 100; grpc about 2 ns). Each method asks the same key every time,
 * which ctx4j answers from the one-entry memo its contexts keep; {@link ValueLayoutsBenchmark} also
 * measures lookups of a different key each time, through the trie.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ValueBenchmark {
  /** A key type of its own, as request-scoped values should use: identity equality and hash. */
  private static final class Key {
    private final int id;

    Key(int id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return "Key" + id;
    }
  }

  @Param({"1", "10", "100"})
  public int depth;

  // The contexts in fields below are JMH state: fixtures made in @Setup for the invocations.
  @SuppressWarnings("ContextInField")
  private Context ctx;

  private Key first;
  private Key missing;

  private io.grpc.Context grpcCtx;
  private io.grpc.Context.Key<Object> grpcFirst;
  private io.grpc.Context.Key<Object> grpcMissing;

  @Setup
  public void setUp() {
    ctx = Context.background();
    grpcCtx = io.grpc.Context.ROOT;
    for (int i = 0; i < depth; i++) {
      Key k = new Key(i);
      io.grpc.Context.Key<Object> gk = io.grpc.Context.key("key" + i);
      if (i == 0) {
        first = k;
        grpcFirst = gk;
      }
      ctx = Context.withValue(ctx, k, "v" + i);
      grpcCtx = grpcCtx.withValue(gk, "v" + i);
    }
    missing = new Key(-1);
    grpcMissing = io.grpc.Context.key("missing");
  }

  @Benchmark
  public Object ctx4jDeepest() {
    return ctx.value(first);
  }

  @Benchmark
  public Object ctx4jMissing() {
    return ctx.value(missing);
  }

  @Benchmark
  public Object grpcDeepest() {
    return grpcFirst.get(grpcCtx);
  }

  @Benchmark
  public Object grpcMissing() {
    return grpcMissing.get(grpcCtx);
  }
}
