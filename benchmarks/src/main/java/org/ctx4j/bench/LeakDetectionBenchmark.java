package org.ctx4j.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What leak detection costs derive + cancel, at each level ({@code level}: {@code off}, {@code
 * sample}, {@code all}; JMH runs each in a fork of its own, so the level is fixed from the start as
 * with {@code -Dctx4j.leakDetection}).
 *
 * <p>Level {@code off} never touches the leak detection API (the level is set through reflection,
 * and only for the other levels), so with {@code level=off} this benchmark also runs on a runtime
 * built before leak detection existed: put that runtime's classes first on the class path to
 * compare the two (benchmarks/README.md, "Leak detection").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LeakDetectionBenchmark {
  @Param({"off", "sample", "all"})
  public String level;

  private CancellableContext parent;

  @Setup
  public void setUp() throws ReflectiveOperationException {
    if (!level.equals("off")) {
      Class<?> detection = Class.forName("org.ctx4j.LeakDetection");
      Class<?> levels = Class.forName("org.ctx4j.LeakDetection$Level");
      Object value =
          levels.getMethod("valueOf", String.class).invoke(null, level.toUpperCase(Locale.ROOT));
      detection.getMethod("setLevel", levels).invoke(null, value);
    }
    parent = Context.withCancel(Context.background());
  }

  @TearDown
  public void tearDown() {
    parent.cancel();
  }

  /** A child of a live cancellable parent, cancelled at once: a request's sub-operation. */
  @Benchmark
  public Object deriveCancelFromCancellable() {
    CancellableContext c = Context.withCancel(parent);
    c.cancel();
    return c;
  }

  /** A child of {@code background()}, cancelled at once. */
  @Benchmark
  public Object deriveCancelFromRoot() {
    CancellableContext c = Context.withCancel(Context.background());
    c.cancel();
    return c;
  }

  /**
   * As {@link #deriveCancelFromRoot}, with the context passed to a method the JIT does not inline
   * between derive and cancel, as real code does (the work the context covers): the JIT can then no
   * longer fold the cancel's checks against the fields of the object it just allocated, at any
   * level.
   */
  @Benchmark
  public Object deriveUseCancelFromRoot() {
    CancellableContext c = Context.withCancel(Context.background());
    if (use(c) != null) {
      throw new AssertionError("a fresh context is done");
    }
    c.cancel();
    return c;
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static Object use(Context ctx) {
    return ctx.err();
  }

  /** A timeout under a live parent, cancelled at once: its timer is queued, then removed. */
  @Benchmark
  public Object timeoutCancelFromCancellable() {
    CancellableContext c = Context.withTimeout(parent, Duration.ofSeconds(10));
    c.cancel();
    return c;
  }
}
