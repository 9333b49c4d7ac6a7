package org.ctx4j.compiletime;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.BaseErrorProneJavaCompiler;
import com.google.errorprone.ErrorProneTimings;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.tools.javac.api.BasicJavacTask;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.ctx4j.checks.contextkey.ContextKeyNotPrivate;
import org.ctx4j.checks.fields.ContextInField;
import org.ctx4j.checks.lostcancel.LostCancel;
import org.ctx4j.checks.nullcontext.NullContext;
import org.ctx4j.checks.parameters.ContextNotFirstParameter;

/**
 * What one check adds to a whole compilation: compiles a generated set of context-heavy files that
 * break no rule, in process, with Error Prone running no check at all and with Error Prone running
 * only the check measured, alternately, and prints the ratio of the CPU times (best of the runs). A
 * quick harness for the cheap-test-first work on the checks; not a JMH benchmark.
 *
 * <pre>
 * java @benchmarks/jvm.args -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) \
 *     org.ctx4j.compiletime.CheckCostTiming [files runs [Check ...]]
 * </pre>
 */
public final class CheckCostTiming {
  private CheckCostTiming() {}

  private static final List<Class<? extends BugChecker>> ALL =
      List.of(
          NullContext.class,
          ContextKeyNotPrivate.class,
          ContextNotFirstParameter.class,
          ContextInField.class,
          LostCancel.class);

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    List<Class<? extends BugChecker>> measured = new ArrayList<>();
    for (String name : Arrays.asList(args).subList(Math.min(2, args.length), args.length)) {
      measured.add(
          ALL.stream()
              .filter(c -> c.getSimpleName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException("no such check: " + name + "; one of " + ALL)));
    }
    if (measured.isEmpty()) {
      measured.addAll(ALL.subList(0, 4));
    }
    List<JavaFileObject> sources = generate(files);
    Path out = Files.createTempDirectory("ctx4j-timing");
    System.out.printf("%d generated files, %d runs each, best CPU time%n", files, runs);
    for (int i = 0; i < 2; i++) { // warm-up: class loading and JIT
      compile(sources, out, null, null);
      for (Class<? extends BugChecker> check : measured) {
        compile(sources, out, check, new long[1]);
      }
    }
    long[] baseline = new long[runs];
    long[][] withCheck = new long[measured.size()][runs];
    long[][] inCheck = new long[measured.size()][runs];
    for (int r = 0; r < runs; r++) {
      baseline[r] = compile(sources, out, null, null);
      for (int c = 0; c < measured.size(); c++) {
        long[] own = new long[1];
        withCheck[c][r] = compile(sources, out, measured.get(c), own);
        inCheck[c][r] = own[0];
      }
    }
    long base = Arrays.stream(baseline).min().orElseThrow();
    System.out.printf(Locale.ROOT, "%-26s %8.1f ms%n", "no check", base / 1e6);
    System.out.printf(
        Locale.ROOT,
        "%-26s %11s %9s %14s %14s%n",
        "",
        "best CPU",
        "best/best",
        "median ratio",
        "in check/base");
    for (int c = 0; c < measured.size(); c++) {
      long best = Arrays.stream(withCheck[c]).min().orElseThrow();
      double[] ratios = new double[runs];
      for (int r = 0; r < runs; r++) {
        ratios[r] = (double) withCheck[c][r] / baseline[r]; // neighbours share the machine's load
      }
      Arrays.sort(ratios);
      long ownTime = Arrays.stream(inCheck[c]).sorted().toArray()[runs / 2];
      System.out.printf(
          Locale.ROOT,
          "%-26s %8.1f ms %8.3fx %13.3fx %13.3fx%n",
          measured.get(c).getSimpleName(),
          best / 1e6,
          (double) best / base,
          ratios[runs / 2],
          1 + (double) ownTime / base);
    }
  }

  /**
   * Compiles {@code sources} with Error Prone running {@code check} alone (or none); returns the
   * compilation's CPU time and puts in {@code own[0]} the time Error Prone's own timer measured
   * inside the check (wall-clock time, median taken by the caller), both in nanoseconds.
   */
  private static long compile(
      List<JavaFileObject> sources, Path out, Class<? extends BugChecker> check, long[] own)
      throws IOException {
    ScannerSupplier scanners =
        check == null
            ? ScannerSupplier.fromBugCheckerClasses(ImmutableList.of())
            : ScannerSupplier.fromBugCheckerClasses(ImmutableList.of(check));
    BaseErrorProneJavaCompiler compiler = new BaseErrorProneJavaCompiler(scanners);
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (StandardJavaFileManager files =
        ToolProvider.getSystemJavaCompiler().getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of(
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              out.toString(),
              "-proc:none",
              "-XDcompilePolicy=simple",
              "-Xlint:none",
              "-nowarn");
      JavaCompiler.CompilationTask task =
          compiler.getTask(null, files, diagnostics, options, null, sources);
      // Taken before the call: javac drops its context when the task ends.
      ErrorProneTimings timings =
          own != null && task instanceof BasicJavacTask basicJavacTask
              ? ErrorProneTimings.instance(basicJavacTask.getContext())
              : null;
      long cpu = threads.getCurrentThreadCpuTime();
      boolean ok = task.call();
      long spent = threads.getCurrentThreadCpuTime() - cpu;
      if (timings != null) {
        own[0] = timings.timings().getOrDefault(check.getSimpleName(), Duration.ZERO).toNanos();
      }
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.NOTE) {
          throw new IllegalStateException("the corpus must compile without findings: " + d);
        }
      }
      if (!ok) {
        throw new IllegalStateException("the corpus does not compile");
      }
      return spent;
    }
  }

  /** {@code count} classes in the style of a service that passes contexts everywhere, correctly. */
  static List<JavaFileObject> generate(int count) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "Service" + i;
      String code =
          """
          package gen;

          import java.time.Duration;
          import java.util.ArrayList;
          import java.util.List;
          import java.util.Map;
          import java.util.Objects;
          import java.util.function.Function;
          import java.util.function.Supplier;
          import org.ctx4j.CancellableContext;
          import org.ctx4j.Context;

          public final class NAME {
            private static final Object TRACE = new Object();
            private final String name;
            private final List<String> items = new ArrayList<>();
            private final Map<String, Integer> counts;
            private final Function<Context, String> handler;

            private enum Key {
              USER,
              TENANT
            }

            public NAME(String name, Map<String, Integer> counts) {
              this.name = Objects.requireNonNull(name);
              this.counts = counts;
              this.handler = ctx -> fetch(ctx, name, 1);
            }

            public String fetch(Context ctx, String id, int attempt) {
              if (ctx.err() != null) {
                return null;
              }
              String cached = lookup(id);
              if (cached != null) {
                return cached;
              }
              try (CancellableContext call = Context.withTimeout(ctx, Duration.ofMillis(50))) {
                String user = user(call);
                return load(call, id, user, attempt);
              }
            }

            private String load(Context ctx, String id, String user, int attempt) {
              Context traced = Context.withValue(ctx, TRACE, id + attempt);
              StringBuilder out = new StringBuilder();
              for (String item : items) {
                if (item == null || item.isEmpty()) {
                  continue;
                }
                out.append(describe(traced, item)).append(user);
              }
              Integer count = counts.get(id);
              if (count == null) {
                count = 0;
              }
              counts.put(id, count + 1);
              return out.toString();
            }

            static Context withUser(Context ctx, String user) {
              return Context.withValue(ctx, Key.USER, user);
            }

            static String user(Context ctx) {
              Object value = ctx.value(Key.USER);
              return value instanceof String s ? s : "";
            }

            static String tenant(Context ctx) {
              return ctx.value(Key.TENANT) == null ? "none" : (String) ctx.value(Key.TENANT);
            }

            private String describe(Context ctx, String item) {
              Supplier<String> lazy = () -> tenant(ctx) + ":" + item;
              Runnable log = () -> System.out.println(lazy.get());
              log.run();
              String result = switch (item.length()) {
                case 0 -> "empty";
                case 1 -> tenant(ctx);
                default -> item + name;
              };
              return result;
            }

            Context derive(Context parent, boolean detached) {
              Context base = detached ? Context.withoutCancel(parent) : parent;
              return withUser(base, name);
            }

            String lookup(String id) {
              return id.isEmpty() ? null : counts.containsKey(id) ? id : null;
            }

            int sum(Context ctx, List<Integer> values) {
              int total = 0;
              for (Integer v : values) {
                if (ctx.err() != null) {
                  break;
                }
                total += v == null ? 0 : v;
              }
              return total;
            }

            String run(Context ctx) {
              return handler.apply(ctx);
            }
          }
          """
              .replace("NAME", name);
      sources.add(
          new SimpleJavaFileObject(
              URI.create("string:///gen/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return code;
            }
          });
    }
    return sources;
  }
}
