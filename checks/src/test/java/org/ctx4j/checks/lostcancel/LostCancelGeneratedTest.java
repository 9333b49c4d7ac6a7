package org.ctx4j.checks.lostcancel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.errorprone.ErrorProneJavaCompiler;
import com.google.errorprone.scanner.ScannerSupplier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Alias;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Break;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Case;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Create;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Discard;
import org.ctx4j.checks.lostcancel.LostCancelProgram.End;
import org.ctx4j.checks.lostcancel.LostCancelProgram.EndKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Exit;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ExitKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Factory;
import org.ctx4j.checks.lostcancel.LostCancelProgram.HandKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.If;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Loop;
import org.ctx4j.checks.lostcancel.LostCancelProgram.LoopKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Resource;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Return;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Stmt;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Switch;
import org.ctx4j.checks.lostcancel.LostCancelProgram.TryFinally;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Unheld;
import org.ctx4j.checks.lostcancel.LostCancelProgram.UseKind;
import org.ctx4j.checks.lostcancel.LostCancelProgramGenerator.Feature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LostCancel against thousands of generated methods: each is compiled with the real check and its
 * findings are compared with what {@link LostCancelOracle}, an interpreter of the rule that shares
 * no code with the check, says must be reported.
 *
 * <p>A failure prints each disagreeing program with its seed. To replay one seed alone: {@code
 * -Dctx4j.generated.seed=<seed> -Dctx4j.generated.count=1}. To see the disagreements on a shape
 * switched off below: {@code -Dctx4j.generated.on=DEFAULT_NOT_LAST} (or {@code
 * -Dctx4j.generated.all=true} for all of them); {@code -Dctx4j.generated.shown=<n>} prints more.
 */
final class LostCancelGeneratedTest {
  private static final long SEED = Long.getLong("ctx4j.generated.seed", 20261130L);
  private static final int COUNT = Integer.getInteger("ctx4j.generated.count", 2000);
  private static final int BATCH = 500;

  /** Generous: a batch takes a few seconds of CPU, but the machine may be shared. */
  private static final long COMPILE_SECONDS = 600;

  private static final int SHOWN = Integer.getInteger("ctx4j.generated.shown", 5);

  /**
   * Shapes on which the check disagrees with the rule today, switched off until it is fixed (turn
   * one back on to see its disagreements).
   */
  private static final Set<Feature> FEATURES_OFF =
      EnumSet.of(
          // `c = Context.withCancel(p);` over a live context, then only `System.exit`, an endless
          // loop, a throw (also: in a finally block run by an exception, or in main): the check
          // reports every overwrite of a live context, the rule only one a normal exit follows.
          Feature.OVERWRITE_WITHOUT_NORMAL_EXIT,
          // `switch (k) { default: ... case 1: ... }`: the check adds a path on which no label
          // matches and loses the fall-through from `default`: findings on paths that do not
          // exist, and a leak through the fall-through missed.
          Feature.DEFAULT_NOT_LAST,
          // `for (;;) { continue; }`, `while (true) { continue; }`: the dataflow library's
          // control-flow graph builder never returns on such a loop, so the check analyses no body
          // that has one (no finding; see EmptyEndlessLoopTest), and a leak before the loop is
          // missed.
          Feature.FOR_EVER_ONLY_CONTINUE);

  private static final Set<HandKind> HAND_KINDS_OFF = EnumSet.noneOf(HandKind.class);

  /** Uses on which the check disagrees with the rule today: none. */
  private static final Set<UseKind> USE_KINDS_OFF = EnumSet.noneOf(UseKind.class);

  @TempDir Path classes;

  @Test
  void findingsMatchTheOracle() throws IOException {
    LostCancelProgramGenerator generator = generator();
    List<String> mismatches = new ArrayList<>();
    int reported = 0;
    for (int start = 0; start < COUNT; start += BATCH) {
      List<LostCancelProgram> programs = new ArrayList<>();
      for (int i = start; i < Math.min(COUNT, start + BATCH); i++) {
        programs.add(generator.generate(SEED + i));
      }
      reported += compare(programs, start / BATCH, mismatches);
    }
    if (!mismatches.isEmpty()) {
      fail(
          mismatches.size()
              + " of "
              + COUNT
              + " generated programs disagree with the oracle; the first ones:\n\n"
              + String.join("\n\n", mismatches.subList(0, Math.min(SHOWN, mismatches.size()))));
    }
    // A sanity floor: a generator that stopped producing leaks would make this test vacuous.
    assertTrue(reported > COUNT / 10, "only " + reported + " findings in " + COUNT + " programs");
  }

  @Test
  void theOracleSeesLeaksAndCancels() {
    // The oracle itself, on shapes whose answer is known.
    Stmt create0 = new Create(0, "c", true, false, Factory.CANCEL);
    Stmt cancel = new End("c", EndKind.CANCEL);
    Stmt returns = new Return(null);
    assertEquals(Set.of(0), sites(create0, new If("b0", List.of(returns), null), cancel));
    assertEquals(Set.of(), sites(create0, new If("b0", List.of(cancel), List.of(cancel))));
    assertEquals(Set.of(0), sites(create0, new If("b0", List.of(cancel), null)));
    // A copy is the same context: cancelling the copy cancels the first; the second leaks.
    assertEquals(
        Set.of(1),
        sites(
            create0,
            new Alias("d", "c", true),
            new Create(1, "c", false, false, Factory.TIMEOUT),
            new End("d", EndKind.CLOSE)));
    // Overwritten while live: leaks when a normal exit follows, not before an endless loop.
    Stmt overwrite = new Create(1, "c", false, false, Factory.CANCEL);
    assertEquals(Set.of(0), sites(create0, overwrite, cancel));
    assertEquals(
        Set.of(), sites(create0, overwrite, new Loop(LoopKind.WHILE_TRUE, "", List.of(cancel))));
    // Declared again by the next iteration: only the last one is cancelled after the loop.
    assertEquals(
        Set.of(0),
        sites(new Loop(LoopKind.WHILE, "b0", List.of(create0)), new If("b1", List.of(), null)));
    // finally runs on return; a resource is closed on every way out; a break leaves the loop.
    assertEquals(
        Set.of(),
        sites(
            create0,
            new TryFinally(List.of(new If("b0", List.of(returns), null)), List.of(cancel))));
    assertEquals(
        Set.of(1),
        sites(
            new Resource(0, "r", Factory.CANCEL, List.of(new If("b0", List.of(returns), null))),
            new Create(1, "c", true, false, Factory.CANCEL)));
    assertEquals(
        Set.of(),
        sites(
            new Loop(
                LoopKind.FOR_EVER,
                "",
                List.of(create0, new If("b0", List.of(cancel, new Break()), null), cancel))));
    // Fall-through: case 0 creates, case 1 cancels; without a default, k may match no label.
    assertEquals(
        Set.of(),
        sites(new Switch(List.of(new Case(0, List.of(create0)), new Case(1, List.of(cancel))))));
    assertEquals(
        Set.of(0),
        sites(
            new Switch(
                List.of(
                    new Case(0, List.of(create0, new Break())), new Case(1, List.of(cancel))))));
    // Discarded whatever the path; ended at once is not.
    assertEquals(
        Set.of(0),
        sites(new Exit(ExitKind.SYSTEM_EXIT), new Discard(0, Factory.CANCEL, Unheld.STATEMENT)));
    assertEquals(Set.of(), sites(new Discard(0, Factory.CANCEL, Unheld.CANCELLED_AT_ONCE)));
  }

  private static Set<Integer> sites(Stmt... body) {
    return LostCancelOracle.expectedSites(
        new LostCancelProgram(0, LostCancelProgram.ReturnType.VOID, List.of(body)));
  }

  /**
   * Every shape but those switched off, minus the names listed in {@code -Dctx4j.generated.on}
   * (comma-separated constants of {@link Feature}, {@link HandKind} or {@link UseKind}), which are
   * switched back on; {@code -Dctx4j.generated.all=true} switches all of them on.
   */
  private static LostCancelProgramGenerator generator() {
    if (Boolean.getBoolean("ctx4j.generated.all")) {
      return LostCancelProgramGenerator.all();
    }
    Set<Feature> features = EnumSet.allOf(Feature.class);
    features.removeAll(FEATURES_OFF);
    Set<HandKind> hands = EnumSet.allOf(HandKind.class);
    hands.removeAll(HAND_KINDS_OFF);
    Set<UseKind> uses = EnumSet.allOf(UseKind.class);
    uses.removeAll(USE_KINDS_OFF);
    for (String name : System.getProperty("ctx4j.generated.on", "").split(",")) {
      if (name.isBlank()) {
        continue;
      }
      String n = name.trim();
      boolean known =
          switchOn(Feature.class, n, features)
              | switchOn(HandKind.class, n, hands)
              | switchOn(UseKind.class, n, uses);
      if (!known) {
        throw new IllegalArgumentException(
            "ctx4j.generated.on names no Feature, HandKind or UseKind: " + n);
      }
    }
    return new LostCancelProgramGenerator(features, hands, uses, EnumSet.allOf(Unheld.class));
  }

  private static <E extends Enum<E>> boolean switchOn(Class<E> type, String name, Set<E> on) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        on.add(constant);
        return true;
      }
    }
    return false;
  }

  /**
   * Compiles one batch as one class and adds a description of each program whose findings differ
   * from the oracle's to {@code mismatches}; returns the number of findings.
   */
  private int compare(List<LostCancelProgram> programs, int batch, List<String> mismatches)
      throws IOException {
    String className = "Generated" + batch;
    List<String> lines = new ArrayList<>(HEADER);
    lines.add("final class " + className + " {");
    lines.addAll(MEMBERS);
    List<SortedSet<Integer>> expected = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int i = 0; i < programs.size(); i++) {
      LostCancelProgram program = programs.get(i);
      int first = lines.size() + 1;
      LostCancelProgram.Printed printed = program.print("m" + i, first);
      lines.addAll(printed.lines());
      ranges.add(new int[] {first, lines.size()});
      SortedSet<Integer> want = new TreeSet<>();
      for (int site : LostCancelOracle.expectedSites(program)) {
        want.add(printed.siteLines().get(site));
      }
      expected.add(want);
    }
    lines.add("}");
    String source = String.join("\n", lines) + "\n";

    TreeMap<Integer, Integer> findings = new TreeMap<>(); // line -> how many findings
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compile(className, source)) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String message = d.getMessage(null);
      int line = (int) d.getLineNumber();
      if (message.startsWith("[LostCancel]")) {
        findings.merge(line, 1, Integer::sum);
      } else {
        errors.add("line " + line + ": " + message + "\n  " + lines.get(line - 1).trim());
      }
    }
    if (!errors.isEmpty()) {
      fail(
          "batch "
              + batch
              + " (seeds "
              + programs.get(0).seed
              + "..) does not compile cleanly:\n"
              + String.join("\n", errors.subList(0, Math.min(10, errors.size()))));
    }
    for (int i = 0; i < programs.size(); i++) {
      int[] range = ranges.get(i);
      SortedSet<Integer> actual = new TreeSet<>();
      boolean twice = false;
      for (Map.Entry<Integer, Integer> f : findings.subMap(range[0], range[1] + 1).entrySet()) {
        actual.add(f.getKey());
        twice |= f.getValue() > 1;
      }
      if (!actual.equals(expected.get(i)) || twice) {
        mismatches.add(describe(programs.get(i), range[0], expected.get(i), actual, twice));
      }
    }
    return findings.size();
  }

  /** The program as a method starting at line 1, with expected and actual lines relative to it. */
  private static String describe(
      LostCancelProgram program,
      int first,
      Set<Integer> expected,
      Set<Integer> actual,
      boolean twice) {
    return "seed "
        + program.seed
        + ": expected findings on lines "
        + relative(expected, first)
        + ", the check reported "
        + relative(actual, first)
        + (twice ? " (one line twice)" : "")
        + "\n"
        + numbered(program.source());
  }

  private static List<Integer> relative(Set<Integer> lines, int first) {
    List<Integer> relative = new ArrayList<>();
    lines.forEach(line -> relative.add(line - first + 1));
    return relative;
  }

  private static String numbered(String source) {
    StringBuilder out = new StringBuilder();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(String.format("%3d %s%n", i + 1, lines[i]));
    }
    return out.toString();
  }

  private List<Diagnostic<? extends JavaFileObject>> compile(String className, String source)
      throws IOException {
    JavaCompiler compiler =
        new ErrorProneJavaCompiler(ScannerSupplier.fromBugCheckerClasses(LostCancel.class));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, null, UTF_8)) {
      List<String> options =
          List.of(
              "-d",
              classes.toString(),
              "-cp",
              System.getProperty("java.class.path"),
              "-proc:none",
              "-nowarn",
              "-Xmaxerrs",
              "1000000", // javac stops printing errors after 100 by default
              "-XepOpt:Ctx4j:FailOnInternalError=true");
      JavaCompiler.CompilationTask task =
          compiler.getTask(null, files, diagnostics, options, null, List.of(file));
      // A check that loops forever must fail the test, not hang it: compile on a daemon thread.
      FutureTask<Boolean> compilation = new FutureTask<>(task::call);
      Thread thread = new Thread(compilation, "compile " + className);
      thread.setDaemon(true);
      thread.start();
      try {
        compilation.get(COMPILE_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail(
            className
                + " did not compile within "
                + COMPILE_SECONDS
                + " s: the check hangs on"
                + " one of its programs (replay them one seed at a time)");
      } catch (InterruptedException | ExecutionException e) {
        throw new AssertionError("compiling " + className + " failed", e);
      }
    }
    return diagnostics.getDiagnostics();
  }

  private static final List<String> HEADER =
      List.of(
          "import java.time.Duration;",
          "import java.time.Instant;",
          "import java.util.ArrayList;",
          "import java.util.List;",
          "import java.util.Objects;",
          "import org.ctx4j.CancellableContext;",
          "import org.ctx4j.Context;",
          "");

  /** What the generated statements call and store into. */
  private static final List<String> MEMBERS =
      List.of(
          "  static CancellableContext held;",
          "  static Object heldObject;",
          "  static final CancellableContext[] HELD_ARRAY = new CancellableContext[1];",
          "  static final List<CancellableContext> HELD_LIST = new ArrayList<>();",
          "  static void takeCancellable(CancellableContext ctx) {}",
          "  static void takeCloseable(AutoCloseable resource) {}",
          "  static <T> void takeAny(T value) {}",
          "  static void useContext(Context ctx) {}",
          "  static void useObject(Object value) {}",
          "");
}
