package org.ctx4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * ctx4j against {@code io.grpc.Context}, as ratios measured side by side: each round runs one JMH
 * fork of the ctx4j benchmark and one of its grpc counterpart back to back (in alternating order
 * from round to round), so both see the same machine. For each fork it records the wall-clock score
 * (ns/op, the mean of the measurement iterations) and the CPU time per operation ({@link
 * CpuTimeProfiler}). On a machine shared with other work the wall-clock figure mostly measures how
 * long the benchmark thread waited for a core; CPU time per operation does not count the waits, so
 * its ratio is the fair comparison there. The table gives the means over the rounds, their ratios,
 * and the lowest and highest per-round ratio of CPU time.
 *
 * <p>Arguments: {@code [rounds] [substrings of the names of the pairs to run...]}; defaults 2 and
 * all pairs. Each fork is 3 x 1 s warm-up and 5 x 1 s measurement.
 */
public final class CompareRuntime {
  private CompareRuntime() {}

  /** A ctx4j benchmark and the grpc one that does the same work, at a {@code depth} if not 0. */
  private record Pair(String name, String ctx4j, String grpc, int depth) {
    Pair(String name, String ctx4j, String grpc) {
      this(name, ctx4j, grpc, 0);
    }
  }

  private static final List<Pair> PAIRS =
      List.of(
          new Pair(
              "derive + cancel, child of root",
              "CancelBenchmark.ctx4jDeriveCancelFromRoot",
              "CancelBenchmark.grpcDeriveCancelFromRoot"),
          new Pair(
              "derive + cancel, child of live cancellable parent",
              "CancelBenchmark.ctx4jDeriveCancelFromCancellable",
              "CancelBenchmark.grpcDeriveCancelFromCancellable"),
          new Pair(
              "2 threads, one shared parent, derive + cancel",
              "ContentionBenchmark.ctx4jSharedParent",
              "ContentionBenchmark.grpcSharedParent"),
          new Pair(
              "withValue(root) + value",
              "AllocBenchmark.withValueValue",
              "AllocBenchmark.grpcWithValueGet"),
          new Pair(
              "err() of a live child of root (grpc isCancelled())",
              "CancelBenchmark.ctx4jErrOfLive",
              "CancelBenchmark.grpcIsCancelledOfLive"),
          new Pair(
              "err() of a cancelled context (grpc isCancelled())",
              "CancelBenchmark.ctx4jErrOfCancelled",
              "CancelBenchmark.grpcIsCancelledOfCancelled"),
          new Pair(
              "value, depth 1, the same key each call",
              "ValueBenchmark.ctx4jDeepest",
              "ValueBenchmark.grpcDeepest",
              1),
          new Pair(
              "value, depth 1, a key set nowhere",
              "ValueBenchmark.ctx4jMissing",
              "ValueBenchmark.grpcMissing",
              1),
          new Pair(
              "value, depth 10, the same key each call",
              "ValueBenchmark.ctx4jDeepest",
              "ValueBenchmark.grpcDeepest",
              10),
          new Pair(
              "value, depth 10, a key set nowhere",
              "ValueBenchmark.ctx4jMissing",
              "ValueBenchmark.grpcMissing",
              10),
          new Pair(
              "value, depth 100, the same key each call",
              "ValueBenchmark.ctx4jDeepest",
              "ValueBenchmark.grpcDeepest",
              100),
          new Pair(
              "value, depth 100, a key set nowhere",
              "ValueBenchmark.ctx4jMissing",
              "ValueBenchmark.grpcMissing",
              100),
          layouts("the same key each call", "Deepest", 1),
          layouts("the same key each call", "Deepest", 10),
          layouts("the same key each call", "Deepest", 100),
          layouts("a key set nowhere", "Missing", 1),
          layouts("a key set nowhere", "Missing", 10),
          layouts("a key set nowhere", "Missing", 100),
          layouts("a different key each call", "Rotating", 1),
          layouts("a different key each call", "Rotating", 10),
          layouts("a different key each call", "Rotating", 100));

  /** A pair of {@code ValueLayoutsBenchmark} methods, named "value over 64 layouts, depth ...". */
  private static Pair layouts(String what, String method, int depth) {
    return new Pair(
        "value over 64 layouts, depth " + depth + ", " + what,
        "ValueLayoutsBenchmark.ctx4j" + method,
        "ValueLayoutsBenchmark.grpc" + method,
        depth);
  }

  public static void main(String[] args) throws RunnerException, IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    List<String> only = List.of(args).subList(Math.min(1, args.length), args.length);
    List<Pair> pairs = new ArrayList<>();
    for (Pair p : PAIRS) {
      if (only.isEmpty() || only.stream().anyMatch(p.name::contains)) {
        pairs.add(p);
      }
    }
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("no pair's name contains any of " + only);
    }
    System.out.println("load before: " + loadAverage());
    double[][][] ctx4j = new double[pairs.size()][rounds][];
    double[][][] grpc = new double[pairs.size()][rounds][];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < pairs.size(); i++) {
        Pair p = pairs.get(i);
        if (r % 2 == 0) {
          ctx4j[i][r] = score(p.ctx4j, p.depth);
          grpc[i][r] = score(p.grpc, p.depth);
        } else {
          grpc[i][r] = score(p.grpc, p.depth);
          ctx4j[i][r] = score(p.ctx4j, p.depth);
        }
      }
    }
    System.out.println("load after: " + loadAverage());
    System.out.printf(
        Locale.ROOT,
        "%n| operation (%d rounds, 1 fork each side per round) | ctx4j ns/op | grpc ns/op | ratio"
            + " | ctx4j CPU ns/op | grpc CPU ns/op | CPU ratio | per-round CPU ratios |%n"
            + "|---|---:|---:|---:|---:|---:|---:|---|%n",
        rounds);
    for (int i = 0; i < pairs.size(); i++) {
      double c = mean(ctx4j[i], 0);
      double g = mean(grpc[i], 0);
      double cb = mean(ctx4j[i], 1);
      double gb = mean(grpc[i], 1);
      double lo = Double.MAX_VALUE;
      double hi = 0;
      for (int r = 0; r < rounds; r++) {
        double ratio = ctx4j[i][r][1] / grpc[i][r][1];
        lo = Math.min(lo, ratio);
        hi = Math.max(hi, ratio);
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f to %.2f |%n",
          pairs.get(i).name,
          c,
          g,
          c / g,
          cb,
          gb,
          cb / gb,
          lo,
          hi);
    }
  }

  /** One fork of {@code benchmark}: its wall-clock score and its CPU time per operation. */
  private static double[] score(String benchmark, int depth) throws RunnerException {
    OptionsBuilder b = new OptionsBuilder();
    if (depth != 0) {
      b.param("depth", Integer.toString(depth));
    }
    String name = CompareRuntime.class.getPackageName() + "." + benchmark;
    Options opt =
        b.include("^" + Pattern.quote(name) + "$")
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .timeUnit(TimeUnit.NANOSECONDS)
            .addProfiler(CpuTimeProfiler.class)
            .build();
    RunResult run = new Runner(opt).runSingle();
    Result<?> cpu = run.getSecondaryResults().get("cpu.time.norm");
    double cpuPerOp = cpu == null ? Double.NaN : cpu.getScore();
    return new double[] {run.getPrimaryResult().getScore(), cpuPerOp};
  }

  private static double mean(double[][] rounds, int column) {
    double sum = 0;
    for (double[] x : rounds) {
      sum += x[column];
    }
    return sum / rounds.length;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
