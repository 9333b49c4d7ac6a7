package org.ctx4j.compiletime;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneJavaCompiler;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.scanner.BuiltInCheckerSuppliers;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.management.OperatingSystemMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.ctx4j.Context;

/**
 * What the ctx4j checks add to a compilation with Error Prone: compiles one corpus again and again
 * in this JVM, alternating configurations, and prints the CPU time of each relative to Error Prone
 * with every check off.
 *
 * <ul>
 *   <li>{@code A}: Error Prone with every check off ({@code -XepDisableAllChecks}), the baseline;
 *   <li>{@code B}: the same, then every ctx4j check on ({@code -Xep:<Name>:WARN} for each);
 *   <li>{@code B5}: the same with only the five checks ctx4j shipped first;
 *   <li>{@code F10}: the floor of the ctx4j checks, the ten {@link MirrorChecks} on: no-op checks
 *       matching what Error Prone shows the ten ctx4j checks (files and classes), so what Error
 *       Prone itself costs for them;
 *   <li>{@code F}: one {@link NoOpCheck} on, an ordinary check that matches calls, methods,
 *       variables and four more kinds of trees and returns at once: what Error Prone itself costs
 *       for one such check;
 *   <li>one configuration per ctx4j check: only that check on.
 * </ul>
 *
 * <p>The ctx4j checks are whatever the {@code BugChecker} service file of {@code ctx4j-checks}
 * lists, so new checks are measured without a change here. Each round runs every configuration
 * once, each after a {@code System.gc()} that is not timed, the order rotated by one from round to
 * round; the figures are medians over the rounds, of the process CPU time (javac's thread plus the
 * JIT and GC work it causes) and of the compiling thread's CPU time alone. Wall-clock time is
 * printed too but means little on a shared machine. Every run also counts the ctx4j findings per
 * check: the clean corpus must give none, the violation corpus some, or the benchmark stops with an
 * error.
 *
 * <p>Arguments ({@code --name=value}): {@code --corpus=clean|violations|library}, {@code
 * --files=2000} and {@code --seed=42} (generated corpora), {@code --sources=DIR} (library: a source
 * root; one file that uses {@code org.ctx4j.Context} is added to it, so that no check can skip the
 * compilation wholesale), {@code --classpath=...} (library: its dependencies), {@code --runs=5},
 * {@code --warmup=8} (rounds of A and B before the timed rounds; with fewer, the JIT is still
 * compiling during the first timed rounds), {@code --singles=true} (also one configuration per
 * check), {@code --only=B} (time just that configuration, e.g. under a profiler), {@code
 * --work=benchmarks/target/compile-time} (where the corpus and class files go), {@code --jfr=FILE}
 * (a JFR recording, settings "profile", of the timed rounds; see {@link ProfileSummary}).
 */
public final class CompileBenchmark {
  private static final Pattern FINDING = Pattern.compile("^\\[(\\w+)\\] ");

  private final List<Path> sources;
  private final String classpath;
  private final Path classes;
  private final ScannerSupplier scanners;
  private final List<String> checks;

  private CompileBenchmark(
      List<Path> sources,
      String classpath,
      Path classes,
      List<Class<? extends BugChecker>> checkClasses) {
    this.sources = sources;
    this.classpath = classpath;
    this.classes = classes;
    this.checks = checkClasses.stream().map(CompileBenchmark::checkName).sorted().toList();
    this.scanners =
        BuiltInCheckerSuppliers.defaultChecks()
            .plus(ScannerSupplier.fromBugCheckerClasses(checkClasses))
            .plus(ScannerSupplier.fromBugCheckerClasses(NoOpCheck.class))
            .plus(ScannerSupplier.fromBugCheckerClasses(MirrorChecks.ALL));
  }

  /** One configuration: a name and the Error Prone flags that select its checks. */
  /**
   * The checks ctx4j shipped first, whose cost target (at most 1.05 together) was set before the
   * other checks joined: measured together as {@code B5}, so that both figures are on record.
   */
  private static final List<String> FIRST_FIVE =
      List.of(
          "ContextInField",
          "ContextKeyNotPrivate",
          "ContextNotFirstParameter",
          "LostCancel",
          "NullContext");

  record Config(String name, List<String> flags) {}

  /** What one compilation cost and reported. */
  record Run(long processCpu, long threadCpu, long wall, Map<String, Integer> findings) {
    int total() {
      return findings.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  public static void main(String[] args) throws IOException, ParseException {
    Map<String, String> options = parse(args);
    String corpus = options.getOrDefault("corpus", "clean");
    int files = positive(options, "files", 2000);
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    int runs = positive(options, "runs", 5);
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "8"));
    boolean singles = Boolean.parseBoolean(options.getOrDefault("singles", "true"));
    Path work =
        Path.of(options.getOrDefault("work", "benchmarks/target/compile-time")).toAbsolutePath();

    List<Class<? extends BugChecker>> checkClasses = ctx4jChecks();
    List<Path> sources;
    String classpath = jarOf(Context.class);
    switch (corpus) {
      case "clean", "violations" -> {
        Path root = work.resolve("corpus-" + corpus + "-" + files + "-" + seed);
        sources = CorpusGenerator.write(root, files, seed, corpus.equals("violations"));
      }
      case "library" -> {
        String dir = options.get("sources");
        if (dir == null) {
          throw new IllegalArgumentException("--corpus=library needs --sources=<source root>");
        }
        sources = librarySources(Path.of(dir), work.resolve("uses-ctx4j"));
        String extra = options.getOrDefault("classpath", "");
        classpath = extra.isEmpty() ? classpath : classpath + File.pathSeparator + extra;
      }
      default ->
          throw new IllegalArgumentException(
              "--corpus must be clean, violations or library, got " + corpus);
    }
    Path classes = work.resolve("classes-" + corpus);
    CorpusGenerator.deleteRecursively(classes);
    Files.createDirectories(classes);

    CompileBenchmark benchmark = new CompileBenchmark(sources, classpath, classes, checkClasses);
    List<Config> configs = benchmark.configs(singles, options.get("only"));
    System.out.printf(
        "corpus %s: %d files, %d lines; %d rounds after %d warm-up rounds; JDK %s; %d CPUs; ctx4j"
            + " checks: %s%n",
        corpus,
        sources.size(),
        lines(sources),
        runs,
        warmup,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        String.join(", ", benchmark.checks));
    for (int i = 0; i < warmup; i++) {
      for (Config config : configs.subList(0, Math.min(2, configs.size()))) {
        Run run = benchmark.compile(config);
        System.out.printf("warm-up %-28s %s%n", config.name(), describe(run));
      }
    }
    // A profile of the timed rounds only, after warm-up (JIT compilation and class loading
    // excluded).
    Recording recording = null;
    if (options.containsKey("jfr")) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      // One sample a millisecond instead of the profile's ten or twenty: a share of 1 % is then
      // hundreds of samples, not ten.
      recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
      recording.setDestination(Path.of(options.get("jfr")));
      recording.start();
    }
    Map<Config, List<Run>> results = new LinkedHashMap<>();
    for (int round = 1; round <= runs; round++) {
      // Each round starts one configuration later, so no configuration always runs right after
      // another's garbage or always first after the collection of the previous round.
      for (int k = 0; k < configs.size(); k++) {
        Config config = configs.get((k + round - 1) % configs.size());
        Run run = benchmark.compile(config);
        results.computeIfAbsent(config, c -> new ArrayList<>()).add(run);
        System.out.printf("round %d %-28s %s%n", round, config.name(), describe(run));
      }
    }
    if (recording != null) {
      recording.stop();
      recording.close();
      System.out.println("JFR recording of the timed rounds: " + options.get("jfr"));
    }
    benchmark.report(corpus, results);
  }

  /** A, then B, then one configuration per check; or just {@code only}. */
  private List<Config> configs(boolean singles, String only) {
    List<Config> configs = new ArrayList<>();
    configs.add(new Config("A (Error Prone, all off)", List.of("-XepDisableAllChecks")));
    List<String> all = new ArrayList<>(List.of("-XepDisableAllChecks"));
    checks.forEach(c -> all.add("-Xep:" + c + ":WARN"));
    configs.add(new Config("B (all ctx4j checks)", all));
    List<String> five = new ArrayList<>(List.of("-XepDisableAllChecks"));
    FIRST_FIVE.stream().filter(checks::contains).forEach(c -> five.add("-Xep:" + c + ":WARN"));
    configs.add(new Config("B5 (the first five ctx4j checks)", five));
    configs.add(
        new Config(
            "F (floor: one no-op check)", List.of("-XepDisableAllChecks", "-Xep:NoOpCheck:WARN")));
    List<String> mirrors = new ArrayList<>(List.of("-XepDisableAllChecks"));
    MirrorChecks.ALL.forEach(c -> mirrors.add("-Xep:" + c.getSimpleName() + ":WARN"));
    configs.add(new Config("F10 (ten no-op checks of the ctx4j checks' shape)", mirrors));
    if (singles) {
      for (String check : checks) {
        configs.add(new Config(check, List.of("-XepDisableAllChecks", "-Xep:" + check + ":WARN")));
      }
    }
    if (only == null) {
      return configs;
    }
    List<Config> chosen =
        configs.stream()
            .filter(c -> c.name().equals(only) || c.name().startsWith(only + " "))
            .toList();
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          "--only=" + only + " names no configuration; use A, B or a check name");
    }
    return chosen;
  }

  /** Compiles the corpus once with the given configuration. */
  private Run compile(Config config) throws IOException {
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            "-proc:none",
            "-encoding",
            "UTF-8",
            "--release",
            "17",
            "-Xmaxwarns",
            "1000000",
            "-Xmaxerrs",
            "1000000",
            "-cp",
            classpath,
            "-d",
            classes.toString()));
    options.addAll(config.flags());
    Counter counter = new Counter(checks);
    // Built once per compilation, as a build does; the checks' classes stay loaded (and
    // JIT-compiled)
    // between runs, as in a long-lived build daemon.
    JavaCompiler compiler = new ErrorProneJavaCompiler(scanners);
    System.gc();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long processStart = processCpuTime();
    long threadStart = threads.getCurrentThreadCpuTime();
    long wallStart = System.nanoTime();
    Boolean ok;
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(counter, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      ok = compiler.getTask(null, files, counter, options, null, units).call();
    }
    long wall = System.nanoTime() - wallStart;
    long threadCpu = threads.getCurrentThreadCpuTime() - threadStart;
    long processCpu = processCpuTime() - processStart;
    if (!counter.errors.isEmpty()
        || (!ok && counter.findings.values().stream().allMatch(n -> n == 0))) {
      throw new IllegalStateException(
          config.name()
              + ": the corpus does not compile; first errors:\n  "
              + String.join(
                  "\n  ", counter.errors.subList(0, Math.min(10, counter.errors.size()))));
    }
    return new Run(processCpu, threadCpu, wall, counter.findings);
  }

  private void report(String corpus, Map<Config, List<Run>> results) {
    List<Run> baseline = results.values().iterator().next();
    double baseProcess = median(baseline.stream().mapToLong(Run::processCpu));
    double baseThread = median(baseline.stream().mapToLong(Run::threadCpu));
    System.out.println();
    System.out.printf("corpus %s, medians of %d rounds:%n", corpus, baseline.size());
    System.out.printf(
        "%-28s %12s %8s %12s %8s %10s %9s  %s%n",
        "configuration",
        "process CPU",
        "ratio",
        "thread CPU",
        "ratio",
        "paired",
        "wall",
        "findings");
    boolean findingsWrong = false;
    for (Map.Entry<Config, List<Run>> e : results.entrySet()) {
      List<Run> runs = e.getValue();
      double process = median(runs.stream().mapToLong(Run::processCpu));
      double thread = median(runs.stream().mapToLong(Run::threadCpu));
      // Each round's own ratio to that round's A, so a slow stretch of the machine cancels out;
      // of the javac thread, whose CPU time the JIT and collector threads do not blur.
      double paired =
          median(
              IntStream.range(0, runs.size())
                  .mapToDouble(
                      i -> (double) runs.get(i).threadCpu() / baseline.get(i).threadCpu()));
      Run last = runs.get(runs.size() - 1);
      System.out.printf(
          "%-28s %10.2f s %7.3fx %10.2f s %7.3fx %9.3fx %7.2f s  %d %s%n",
          e.getKey().name(),
          process / 1e9,
          process / baseProcess,
          thread / 1e9,
          thread / baseThread,
          paired,
          median(runs.stream().mapToLong(Run::wall)) / 1e9,
          last.total(),
          nonZero(last.findings()));
      boolean enabledSomething = !e.getKey().flags().equals(List.of("-XepDisableAllChecks"));
      boolean inconsistent = runs.stream().anyMatch(r -> !r.findings().equals(last.findings()));
      if (inconsistent
          || (corpus.equals("violations")
              && enabledSomething
              && e.getKey().name().startsWith("B")
              && last.total() == 0)
          || (!corpus.equals("violations") && last.total() != 0)) {
        findingsWrong = true;
      }
    }
    System.out.println(
        "(ratio: median / median of A; paired: median over rounds of the run / that round's A,"
            + " javac thread CPU)");
    if (findingsWrong) {
      System.out.println(
          "FINDINGS WRONG: the clean and library corpora must give no ctx4j finding, the violation"
              + " corpus some, the same in every round");
      System.exit(1);
    }
  }

  /** The ctx4j checks that ctx4j-checks registers as {@code BugChecker} services. */
  static List<Class<? extends BugChecker>> ctx4jChecks() {
    List<Class<? extends BugChecker>> checks =
        ServiceLoader.load(BugChecker.class, CompileBenchmark.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::type)
            .filter(c -> c.getName().startsWith("org.ctx4j.checks."))
            .collect(Collectors.toList());
    if (checks.isEmpty()) {
      throw new IllegalStateException(
          "no ctx4j check on the class path (META-INF/services of ctx4j-checks)");
    }
    return checks;
  }

  private static String checkName(Class<? extends BugChecker> check) {
    BugPattern pattern = check.getAnnotation(BugPattern.class);
    return pattern.name().isEmpty() ? check.getSimpleName() : pattern.name();
  }

  /**
   * Every {@code .java} file under {@code root} except {@code module-info.java}, plus one file in
   * {@code extra} that uses {@code org.ctx4j.Context}.
   */
  static List<Path> librarySources(Path root, Path extra) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("--sources: not a directory: " + root);
    }
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(root)) {
      sources =
          walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
              .sorted()
              .collect(Collectors.toCollection(ArrayList::new));
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("--sources: no .java file under " + root);
    }
    Path file = extra.resolve("bench/usesctx4j/UsesContext.java");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        package bench.usesctx4j;

        import java.time.Duration;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        /** The one file of the library corpus that uses ctx4j. */
        public final class UsesContext {
          private enum Key {
            NAME
          }

          private UsesContext() {}

          static String name(Context ctx) {
            try (CancellableContext child = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
              return String.valueOf(Context.withValue(child, Key.NAME, "n").value(Key.NAME));
            }
          }
        }
        """);
    sources.add(file);
    return sources;
  }

  /** Counts the ctx4j findings by check, and keeps every other error. */
  private static final class Counter implements DiagnosticListener<JavaFileObject> {
    final Map<String, Integer> findings = new TreeMap<>();
    final List<String> errors = new ArrayList<>();

    Counter(List<String> checks) {
      checks.forEach(c -> findings.put(c, 0));
    }

    @Override
    public void report(Diagnostic<? extends JavaFileObject> diagnostic) {
      String message = diagnostic.getMessage(Locale.ROOT);
      Matcher m = FINDING.matcher(message);
      if (m.find() && findings.containsKey(m.group(1))) {
        findings.merge(m.group(1), 1, Integer::sum);
      } else if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(diagnostic.toString());
      }
    }
  }

  private static long processCpuTime() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String describe(Run run) {
    return String.format(
        "process CPU %7.2f s, thread CPU %7.2f s, wall %7.2f s, findings %d %s",
        run.processCpu() / 1e9,
        run.threadCpu() / 1e9,
        run.wall() / 1e9,
        run.total(),
        nonZero(run.findings()));
  }

  private static Map<String, Integer> nonZero(Map<String, Integer> findings) {
    Map<String, Integer> shown = new TreeMap<>(findings);
    shown.values().removeIf(n -> n == 0);
    return shown;
  }

  private static double median(LongStream values) {
    return median(values.asDoubleStream());
  }

  private static double median(DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static long lines(List<Path> files) throws IOException {
    long total = 0;
    for (Path f : files) {
      try (Stream<String> lines = Files.lines(f)) {
        total += lines.count();
      }
    }
    return total;
  }

  static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int positive(Map<String, String> options, String name, int fallback) {
    int value = Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    if (value < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1, got " + value);
    }
    return value;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> known =
        Arrays.asList(
            "corpus",
            "files",
            "seed",
            "runs",
            "warmup",
            "singles",
            "only",
            "sources",
            "classpath",
            "work",
            "jfr");
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name == null || !known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown argument " + arg + "; expected --name=value with name one of " + known);
      }
      options.put(name, arg.substring(eq + 1));
    }
    return options;
  }
}
