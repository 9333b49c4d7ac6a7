package org.ctx4j.compiletime;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;
import com.sun.tools.javac.api.BasicJavacTask;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.ctx4j.Context;
import org.ctx4j.checks.support.ContextFreeFiles;

/**
 * The cost of the one walk that proves a file context-free ({@link ContextFreeFiles}), alone: the
 * sources are parsed and attributed, every file is asked once (as a build asks it) and then again
 * and again, and the median times of the first pass and of a later one are printed with the number
 * of files found context-free, over a number of fresh compilations. {@link CompileBenchmark}
 * measures what the gate costs a whole compilation, but at about 1 % of it, a change that makes the
 * walk 20 % cheaper moves the ratio by less than its noise; here it is the whole figure.
 *
 * <p>Arguments: a source root (every {@code .java} file below it, plus one file that uses a
 * context, as {@code CompileBenchmark --corpus=library} compiles), then optionally the number of
 * timed compilations (default 20, after 5 untimed ones for the JIT). Times are the javac thread's
 * CPU time. The answers about classes are memoized per compilation, as in a build: the first pass
 * over a compilation is what a build pays (its trees, symbols and types read for the first time
 * since they were attributed, every class asked once), a later pass the walk alone.
 */
public final class GateBenchmark {
  private GateBenchmark() {}

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** Compilations before the timed ones, for the JIT. */
  private static final int WARM_UP_ROUNDS = 5;

  /** Passes over the same compilation after its first. */
  private static final int PASSES_AGAIN = 20;

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: GateBenchmark <source root> [compilations]");
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    // As in CompileBenchmark: one file that uses a context joins the library's sources.
    List<File> files =
        CompileBenchmark.librarySources(
                Path.of(args[0]), Path.of("benchmarks/target/compile-time/uses-ctx4j"))
            .stream()
            .map(Path::toFile)
            .toList();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null);
    String classpath = CompileBenchmark.jarOf(Context.class);
    long[] first = new long[rounds];
    long[] again = new long[rounds];
    int free = 0;
    for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
      JavacTask task =
          (JavacTask)
              javac.getTask(
                  null,
                  fileManager,
                  d -> {},
                  List.of("-proc:none", "-cp", classpath),
                  null,
                  fileManager.getJavaFileObjectsFromFiles(files));
      List<CompilationUnitTree> units = new ArrayList<>();
      task.parse().forEach(units::add);
      task.analyze();
      VisitorState state =
          VisitorState.createForUtilityPurposes(((BasicJavacTask) task).getContext());
      System.gc(); // not timed: the garbage of the attribution, collected before the passes
      long start = CPU.getCurrentThreadCpuTime();
      free = pass(units, state);
      long firstPass = CPU.getCurrentThreadCpuTime() - start;
      long[] passes = new long[PASSES_AGAIN];
      for (int i = 0; i < PASSES_AGAIN; i++) {
        start = CPU.getCurrentThreadCpuTime();
        pass(units, state);
        passes[i] = CPU.getCurrentThreadCpuTime() - start;
      }
      if (round >= 0) {
        Arrays.sort(passes);
        first[round] = firstPass;
        again[round] = passes[PASSES_AGAIN / 2];
      }
    }
    Arrays.sort(first);
    Arrays.sort(again);
    System.out.printf(
        "%d files, %d context-free; medians over %d compilations of the CPU time of one pass"
            + " over all files: first pass %.3f ms (what a build pays), a pass again %.3f ms (every answer of the"
            + " per-compilation memo known)%n",
        files.size(), free, rounds, first[rounds / 2] / 1e6, again[rounds / 2] / 1e6);
  }

  private static int pass(List<CompilationUnitTree> units, VisitorState state) {
    int free = 0;
    for (CompilationUnitTree unit : units) {
      if (ContextFreeFiles.isContextFree(unit, state)) {
        free++;
      }
    }
    return free;
  }
}
