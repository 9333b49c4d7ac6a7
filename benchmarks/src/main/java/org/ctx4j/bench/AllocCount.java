package org.ctx4j.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/**
 * Counts the objects (not bytes) that each operation of Go's {@code TestAllocs} allocates, by
 * class, as JMH's gc profiler cannot: it runs each operation {@code n} times under the Epsilon
 * collector (which never frees anything) and diffs the heap's class histogram, unreachable objects
 * included, before and after. Every context is stored into a static sink so that escape analysis
 * removes nothing: the counts are the allocations of the code as written, an upper bound on what a
 * JIT-compiled caller pays.
 *
 * <pre>
 * java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms3g -Xmx3g \
 *      -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) org.ctx4j.bench.AllocCount
 * </pre>
 */
public final class AllocCount {
  private AllocCount() {}

  private static final Object KEY = new Object();
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  /** Keeps every result reachable from a static field, so nothing is scalar-replaced. */
  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Context root = Context.background();
    CancellableContext parent = Context.withCancel(root);
    Map<String, Runnable> ops = new LinkedHashMap<>();
    ops.put("background()", () -> sink = Context.background());
    ops.put(
        "withValue(bg) + value",
        () -> {
          Context c = Context.withValue(root, KEY, "v");
          sink = c;
          sink = c.value(KEY);
        });
    ops.put(
        "withCancel(bg) + cancel",
        () -> {
          CancellableContext c = Context.withCancel(root);
          c.cancel();
          sink = c;
        });
    ops.put(
        "withCancel(bg) + cancel + done()",
        () -> {
          CancellableContext c = Context.withCancel(root);
          c.cancel();
          sink = c.done();
        });
    ops.put(
        "withCancel(live parent) + cancel + done()",
        () -> {
          CancellableContext c = Context.withCancel(parent);
          c.cancel();
          sink = c.done();
        });
    ops.put(
        "withTimeout(bg, 1h) + cancel + done()",
        () -> {
          CancellableContext c = Context.withTimeout(root, HOUR);
          c.cancel();
          sink = c.done();
        });
    ops.put(
        "grpc ROOT.withValue + get",
        () -> {
          io.grpc.Context c = io.grpc.Context.ROOT.withValue(GrpcKeys.KEY, "v");
          sink = c;
          sink = GrpcKeys.KEY.get(c);
        });
    ops.put(
        "grpc ROOT.withCancellation + cancel",
        () -> {
          io.grpc.Context.CancellableContext c = io.grpc.Context.ROOT.withCancellation();
          c.cancel(null);
          sink = c;
        });
    for (Runnable op : ops.values()) { // load every class, start the timer thread, let C2 compile
      for (int i = 0; i < 50_000; i++) {
        op.run();
      }
    }
    for (Map.Entry<String, Runnable> e : ops.entrySet()) {
      Runnable op = e.getValue();
      Map<String, long[]> before = histogram();
      for (int i = 0; i < n; i++) {
        op.run();
      }
      Map<String, long[]> after = histogram();
      StringBuilder sb = new StringBuilder();
      double objects = 0;
      double bytes = 0;
      for (Map.Entry<String, long[]> a : after.entrySet()) {
        long[] b = before.getOrDefault(a.getKey(), new long[2]);
        double count = (a.getValue()[0] - b[0]) / (double) n;
        double size = (a.getValue()[1] - b[1]) / (double) n;
        if (count >= 0.01) {
          objects += count;
          bytes += size;
          sb.append(String.format("    %6.2f x %-50s %6.1f B%n", count, a.getKey(), size));
        }
      }
      System.out.printf(
          "%-45s %5.2f objects %7.1f bytes per op%n%s", e.getKey(), objects, bytes, sb);
    }
    parent.cancel();
  }

  private static final class GrpcKeys {
    static final io.grpc.Context.Key<Object> KEY = io.grpc.Context.key("k");
  }

  private static Map<String, long[]> histogram() throws Exception {
    String out =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[] {"-all"}},
                    new String[] {String[].class.getName()});
    Map<String, long[]> m = new TreeMap<>();
    for (String line : out.lines().toList()) {
      Matcher r = ROW.matcher(line);
      if (r.find()) {
        m.put(r.group(3), new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))});
      }
    }
    return m;
  }
}
