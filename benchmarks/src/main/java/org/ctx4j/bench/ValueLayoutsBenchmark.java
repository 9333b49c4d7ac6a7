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
 * ValueBenchmark} asks one key of one chain and so measures one layout, which can make the same
 * code look up to twice as fast or slow from one fork to the next. Here each operation asks {@value
 * #CHAINS} chains of {@code depth} value contexts (each chain with keys of its own), so every
 * figure is the mean over {@value #CHAINS} layouts, for ctx4j and for {@code io.grpc.Context}
 * alike. "Deepest" asks each chain for its first key (set at the far end) and "missing" for a key
 * set nowhere, the same key of a context every time, as a request id asked for by every log line
 * is: ctx4j answers those from the one-entry memo each context keeps. "Rotating" asks each chain
 * for a different one of its keys on every call (the next key of the chain each time), so that
 * nearly every ctx4j lookup descends the trie as it would without the memo.
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

  // The contexts in fields below are JMH state: fixtures made in @Setup for the invocations.
  @SuppressWarnings("ContextInField")
  private final Context[] ctx = new Context[CHAINS];

  private final Object[] first = new Object[CHAINS];
  private final Object[] missing = new Object[CHAINS];

  private Object[][] keys;
  private io.grpc.Context.Key<?>[][] grpcKeys;
  private int next;

  private final io.grpc.Context[] grpcCtx = new io.grpc.Context[CHAINS];
  private final io.grpc.Context.Key<?>[] grpcFirst = new io.grpc.Context.Key<?>[CHAINS];
  private final io.grpc.Context.Key<?>[] grpcMissing = new io.grpc.Context.Key<?>[CHAINS];

  @Setup
  public void setUp() {
    keys = new Object[CHAINS][depth];
    grpcKeys = new io.grpc.Context.Key<?>[CHAINS][depth];
    for (int c = 0; c < CHAINS; c++) {
      Context x = Context.background();
      io.grpc.Context g = io.grpc.Context.ROOT;
      for (int i = 0; i < depth; i++) {
        Key k = new Key();
        io.grpc.Context.Key<Object> gk = io.grpc.Context.key("key" + i);
        keys[c][i] = k;
        grpcKeys[c][i] = gk;
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

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void ctx4jRotating(Blackhole bh) {
    next = (next + 1) % depth;
    int i = next;
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(ctx[c].value(keys[c][i]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHAINS)
  public void grpcRotating(Blackhole bh) {
    next = (next + 1) % depth;
    int i = next;
    for (int c = 0; c < CHAINS; c++) {
      bh.consume(grpcKeys[c][i].get(grpcCtx[c]));
    }
  }
}
