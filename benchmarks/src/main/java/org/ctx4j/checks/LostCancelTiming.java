package org.ctx4j.checks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A quick timed run of the same workload as {@link LostCancelBenchmark}, for machines where a JMH
 * run is too slow or too noisy: prints wall-clock and CPU time per analysis (CPU time is what the
 * analysis costs; wall time also counts waiting for a busy machine).
 *
 * <pre>
 * java --add-exports=... -cp benchmarks/target/classes:$(cat cp.txt) org.ctx4j.checks.LostCancelTiming [statements branches runs]
 * </pre>
 */
public final class LostCancelTiming {
  private LostCancelTiming() {}

  public static void main(String[] args) throws Exception {
    LostCancelBenchmark benchmark = new LostCancelBenchmark();
    benchmark.statements = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    benchmark.branches = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    benchmark.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf(
        "generated method: %d statements, %d branches%n", benchmark.statements, benchmark.branches);
    for (String which : new String[] {"analyze", "controlFlowGraphOnly", "fastPath"}) {
      long bestWall = Long.MAX_VALUE;
      long bestCpu = Long.MAX_VALUE;
      long firstWall = 0;
      for (int i = 0; i < runs; i++) {
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        switch (which) {
          case "analyze":
            benchmark.analyze();
            break;
          case "controlFlowGraphOnly":
            benchmark.controlFlowGraphOnly();
            break;
          default:
            benchmark.fastPath();
        }
        long wallTime = System.nanoTime() - wall;
        long cpuTime = threads.getCurrentThreadCpuTime() - cpu;
        if (i == 0) {
          firstWall = wallTime;
        }
        bestWall = Math.min(bestWall, wallTime);
        bestCpu = Math.min(bestCpu, cpuTime);
      }
      System.out.printf(
          "%-22s first run %7.1f ms, best of %d: %7.1f ms wall, %7.1f ms CPU%n",
          which, firstWall / 1e6, runs, bestWall / 1e6, bestCpu / 1e6);
    }
  }
}
