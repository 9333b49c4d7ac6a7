package org.ctx4j.compiletime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the ctx4j checks spend their time, from a JFR recording of {@link CompileBenchmark} (best
 * with {@code --only=B}, see benchmarks/README.md): of all execution samples, the share with a
 * ctx4j check frame on the stack, split by the check method Error Prone called (the outermost ctx4j
 * frame), by the innermost ctx4j method (its callees in javac or Error Prone included), and by the
 * method actually running (the top frame) while a check is on the stack.
 *
 * <p>Arguments: the {@code .jfr} file, then optionally how many rows of each table (default 20).
 */
public final class ProfileSummary {
  private static final String CHECKS = "org.ctx4j.checks.";

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ProfileSummary <recording.jfr> [rows]");
      System.exit(2);
    }
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long total = 0;
    long inChecks = 0;
    Map<String, Long> entries = new HashMap<>();
    Map<String, Long> innermost = new HashMap<>();
    Map<String, Long> leaves = new HashMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      total++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames(); // top (running) frame first
      String inner = null;
      String outer = null;
      Set<String> seen = new LinkedHashSet<>();
      for (RecordedFrame frame : frames) {
        String method = name(frame);
        if (method.startsWith(CHECKS) && seen.add(method)) {
          if (inner == null) {
            inner = method;
          }
          outer = method;
        }
      }
      if (outer == null) {
        continue;
      }
      inChecks++;
      entries.merge(outer, 1L, Long::sum);
      innermost.merge(inner, 1L, Long::sum);
      leaves.merge(name(frames.get(0)), 1L, Long::sum);
    }
    if (total == 0) {
      System.err.println(
          "no jdk.ExecutionSample event in " + args[0] + " (record with settings=profile)");
      System.exit(1);
    }
    System.out.printf(
        "%d execution samples, %d (%.1f %%) with a ctx4j check on the stack%n",
        total, inChecks, 100.0 * inChecks / total);
    print("by the check method Error Prone called (outermost ctx4j frame)", entries, total, rows);
    print(
        "by the innermost ctx4j method (its calls into javac and Error Prone included)",
        innermost,
        total,
        rows);
    print("by the running method while a check is on the stack", leaves, total, rows);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> counts, long total, int rows) {
    System.out.println();
    System.out.println(title + ", % of all samples:");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(rows)
        .forEach(
            e ->
                System.out.printf(
                    "  %6.2f %%  %6d  %s%n",
                    100.0 * e.getValue() / total, e.getValue(), e.getKey()));
  }
}
