package org.ctx4j.bench;

import java.util.concurrent.TimeUnit;
import org.ctx4j.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Value lookup averaged over many trie layouts. Where a key lands in a hash trie (and so how many
 * levels a lookup descends) depends on its identity hash, which changes from run to run; {@link
 * ValueBenchmark} asks one key of one chain and so measures one layout, which can make the same code
 * look up to twice as fast or slow from one fork to the next. Here each operation asks {@value
 * #CHAINS} chains of {@code depth} value contexts (each chain with keys of its own), so every
 * figure is the mean over {@value #CHAINS} layouts, for ctx4j and for {@code io.grpc.Context}
 * alike. "Deepest" asks each chain for its first key (set at the far end), "missing" for a key set
 * nowhere, "all" for every key of the chain in turn (depth 10 and 100 only as the mean over keys).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ValueLayoutsBenchmark {
  static final int CHAINS = 64;

  /** A key type of its own, as request-scoped values should use: identity equality and hash. */
  private static final class Key {}

  @Param({"1", "10", "100"})
  public int depth;

  private final Context[] ctx = new Context[CHAINS];
  private final Object[] first = new Object[CHAINS];
  private final Object[] missing = new Object[CHAINS];

  private final io.grpc.Context[] grpcCtx = new io.grpc.Context[CHAINS];
  private final io.grpc.Context.Key<?>[] grpcFirst = new io.grpc.Context.Key<?>[CHAINS];
  private final io.grpc.Context.Key<?>[] grpcMissing = new io.grpc.Context.Key<?>[CHAINS];

  @Setup
  public void setUp() {
    for (int c = 0; c < CHAINS; c++) {
      Context x = Context.background();
      io.grpc.Context g = io.grpc.Context.ROOT;
      for (int i = 0; i < depth; i++) {
        Key k = new Key();
        io.grpc.Context.Key<Object> gk = io.grpc.Context.key("key" + i);
        if (i == 0) {
          first[c] = k;
          grpcFirst[c] = gk;
        }
        x = Context.withValue(x, k, "v" + i);
        g = g.withValue(gk, "v" + i);
      }
      ctx[c] = x;
      grpcCtx[c] = g;
      missing[c] = new Key();
      grpcMissing[c] = io.grpc.Context.key("missing");
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void ctx4jDeepest(Blackhole bh) {
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(ctx[c].value(first[c]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void grpcDeepest(Blackhole bh) {
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(grpcFirst[c].get(grpcCtx[c]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void ctx4jMissing(Blackhole bh) {
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(ctx[c].value(missing[c]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void grpcMissing(Blackhole bh) {
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(grpcMissing[c].get(grpcCtx[c]));
    }
  }
}
