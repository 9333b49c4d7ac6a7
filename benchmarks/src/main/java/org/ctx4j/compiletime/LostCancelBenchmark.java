package org.ctx4j.compiletime;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.BasicJavacTask;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.ctx4j.checks.lostcancel.LostCancelAnalysis;
import org.ctx4j.checks.support.ErrorProneCompat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@code LostCancel}'s path analysis ({@link LostCancelAnalysis#leaks}) on one large
 * generated method: {@code statements} statements, {@code branches} of them {@code if}/{@code else}
 * statements, and a cancellable context per 50 branches whose cancel sits on only some paths (so
 * the analysis must run to its fixed point and report). {@code analyze} is the full analysis
 * (scans, control-flow graph, fixed point); {@code fastPath} is the same method without any factory
 * call, which the check must dismiss after one tree scan.
 *
 * <p>The source is parsed and attributed once in {@link #setUp}; each invocation analyses the
 * attributed method, as the check does inside javac.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.main=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.model=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.processing=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
      "--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED",
      "--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED"
    })
public class LostCancelBenchmark {
  @Param("5000")
  public int statements;

  @Param("500")
  public int branches;

  private Analysed withContexts;
  private Analysed withoutContexts;

  /** An attributed method and a {@link VisitorState} positioned on it. */
  static final class Analysed {
    final TreePath path;
    final VisitorState state;

    Analysed(TreePath path, VisitorState state) {
      this.path = path;
      this.state = state;
    }

    int analyze() {
      return LostCancelAnalysis.leaks(path, /* exceptionalPaths= */ false, state).size();
    }
  }

  @Setup
  public void setUp() throws IOException {
    withContexts = compile(generate(statements, branches, true));
    withoutContexts = compile(generate(statements, branches, false));
    if (withContexts.analyze() == 0 || withoutContexts.analyze() != 0) {
      throw new IllegalStateException("the generated method does not exercise the analysis");
    }
  }

  @Benchmark
  public int analyze() {
    return withContexts.analyze();
  }

  @Benchmark
  public Object controlFlowGraphOnly() {
    return ErrorProneCompat.buildControlFlowGraph(withContexts.path, withContexts.state);
  }

  @Benchmark
  public int fastPath() {
    return withoutContexts.analyze();
  }

  /**
   * A method of {@code statements} statements of which {@code branches} are {@code if}/{@code
   * else}; with {@code contexts}, one context is created every 50 branches, used in both arms and
   * cancelled in one, and every other one is cancelled again at the end.
   */
  static String generate(int statements, int branches, boolean contexts) {
    StringBuilder out = new StringBuilder();
    out.append("import org.ctx4j.CancellableContext;\n")
        .append("import org.ctx4j.Context;\n\n")
        .append("class Generated {\n")
        .append("  int big(Context parent, int seed) {\n")
        .append("    int x = seed;\n");
    int emitted = 1;
    int contextCount = 0;
    int every = Math.max(1, statements / Math.max(1, branches));
    for (int i = 0; emitted < statements - 2; i++) {
      boolean branch = i % every == 0 && i / every < branches;
      int branchIndex = i / every;
      if (contexts && branch && branchIndex % 50 == 0) {
        out.append("    CancellableContext c")
            .append(contextCount)
            .append(" = Context.withCancel(parent);\n");
        contextCount++;
        emitted++;
      }
      if (branch) {
        String ctx = contexts && contextCount > 0 ? "c" + (contextCount - 1) : "parent";
        out.append("    if (x % 7 == ")
            .append(i % 7)
            .append(") {\n")
            .append("      x += use(")
            .append(ctx)
            .append(");\n");
        if (contexts && branchIndex % 50 == 49) {
          out.append("      ").append(ctx).append(".cancel();\n");
        }
        out.append("    } else {\n")
            .append("      x -= ")
            .append(i)
            .append(";\n")
            .append("    }\n");
        emitted += 3;
      } else {
        out.append("    x = x * 31 + ").append(i).append(";\n");
        emitted++;
      }
    }
    for (int c = 0; c < contextCount; c += 2) {
      out.append("    c").append(c).append(".cancel();\n");
    }
    out.append("    return x;\n  }\n\n")
        .append("  static int use(Context ctx) {\n    return ctx.hashCode();\n  }\n}\n");
    return out.toString();
  }

  private static Analysed compile(String source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    SimpleJavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///Generated.java"), SimpleJavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavacTask task =
        (JavacTask)
            javac.getTask(
                null,
                null,
                null,
                List.of("-proc:none", "-classpath", System.getProperty("java.class.path")),
                null,
                List.of(file));
    CompilationUnitTree unit = task.parse().iterator().next();
    task.analyze();
    TreePath[] found = new TreePath[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree tree, Void unused) {
        if (tree.getName().contentEquals("big")) {
          found[0] = getCurrentPath();
        }
        return null;
      }
    }.scan(unit, null);
    VisitorState state =
        VisitorState.createForUtilityPurposes(((BasicJavacTask) task).getContext())
            .withPath(found[0]);
    return new Analysed(found[0], state);
  }
}
