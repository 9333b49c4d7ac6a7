package org.ctx4j.bridgebench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The pairs of {@link BridgeBenchmark} as ratios, for a shared machine: each round measures a block
 * of calls of the plain way and a block through the bridge back to back (alternating which goes
 * first), so both see the same load; it prints each side's median per call and the median and range
 * of the per-round ratios (bridge / plain). What is measured is the process's CPU time ({@code
 * OperatingSystemMXBean.getProcessCpuTime}: the caller, the client's and the server's threads, JIT
 * and GC), which a loaded machine disturbs far less than the wall-clock time, also printed.
 *
 * <pre>{@code
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) \
 *     org.ctx4j.bridgebench.BridgeCompare [rounds] [grpc calls per block] [http calls per block]
 * }</pre>
 */
public final class BridgeCompare {
  private BridgeCompare() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int grpcCalls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int httpCalls = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    BridgeBenchmark b = new BridgeBenchmark();
    b.setUp();
    try {
      compare(
          "grpc unary, in-process", true, rounds, grpcCalls, b::grpcPlainDeadline, b::grpcBridge);
      compare("http GET, loopback", false, rounds, httpCalls, b::httpPlainTimeout, b::httpBridge);
    } finally {
      b.tearDown();
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static void compare(
      String name,
      boolean threadCpu,
      int rounds,
      int calls,
      Callable<String> plain,
      Callable<String> bridge)
      throws Exception {
    // Warm-up: a third of the rounds, not recorded.
    for (int i = 0; i < Math.max(3, rounds / 3); i++) {
      measure(plain, calls, threadCpu);
      measure(bridge, calls, threadCpu);
    }
    List<double[]> plainTimes = new ArrayList<>();
    List<double[]> bridgeTimes = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        plainTimes.add(measure(plain, calls, threadCpu));
        bridgeTimes.add(measure(bridge, calls, threadCpu));
      } else {
        bridgeTimes.add(measure(bridge, calls, threadCpu));
        plainTimes.add(measure(plain, calls, threadCpu));
      }
    }
    for (int k = 0; k < 2; k++) {
      List<Double> p = new ArrayList<>();
      List<Double> q = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        p.add(plainTimes.get(r)[k]);
        q.add(bridgeTimes.get(r)[k]);
        ratios.add(bridgeTimes.get(r)[k] / plainTimes.get(r)[k]);
      }
      double[] rs = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "%-24s %-19s plain %9.2f us  bridge %9.2f us  ratio median %.3f (rounds %.3f .. %.3f,"
              + " %d x %d calls)%n",
          name,
          k == 1 ? "wall" : threadCpu ? "cpu (caller thread)" : "cpu (process)",
          median(p),
          median(q),
          median(ratios),
          rs[0],
          rs[rs.length - 1],
          rounds,
          calls);
    }
  }

  /** Process CPU and wall-clock microseconds per call over a block of {@code calls}. */
  private static double[] measure(Callable<String> call, int calls, boolean threadCpu)
      throws Exception {
    long cpu = threadCpu ? THREADS.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
    long start = System.nanoTime();
    int sink = 0;
    for (int i = 0; i < calls; i++) {
      sink += call.call().length();
    }
    long elapsed = System.nanoTime() - start;
    long cpuElapsed =
        (threadCpu ? THREADS.getCurrentThreadCpuTime() : OS.getProcessCpuTime()) - cpu;
    if (sink == 0) {
      throw new AssertionError("no reply");
    }
    return new double[] {cpuElapsed / 1000.0 / calls, elapsed / 1000.0 / calls};
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
