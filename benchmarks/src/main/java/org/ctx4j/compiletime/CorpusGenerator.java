package org.ctx4j.compiletime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Writes a corpus of context-heavy Java code for {@link CompileBenchmark}: {@code files} classes of
 * about 120 lines, the same for the same seed. Every method takes {@code ctx} first, derives its
 * timeouts in try-with-resources or try/finally, reads values through private keys (a private enum
 * and a {@code private static final} identity key), and mixes loops, both kinds of switch, lambdas,
 * {@code CompletableFuture}s on an executor, records, nested and anonymous classes, and calls into
 * other generated classes, so that javac attributes code like a real service's.
 *
 * <p>The clean corpus follows every ctx4j rule. The violation corpus puts one mistake in each file,
 * in turn: a lost cancel, a null context, a context field, a context parameter after another
 * parameter, a String key; so the checks' reporting path is measured too.
 */
public final class CorpusGenerator {
  /** Files per package: packages of 50 classes, like a real source tree. */
  private static final int PER_PACKAGE = 50;

  /** Target length of a file; methods are added until it is reached. */
  private static final int TARGET_LINES = 120;

  /** The kinds of mistake of the violation corpus, one per file in turn. */
  static final List<String> VIOLATIONS =
      List.of(
          "LostCancel",
          "NullContext",
          "ContextInField",
          "ContextNotFirstParameter",
          "ContextKeyNotPrivate");

  private CorpusGenerator() {}

  /**
   * Writes {@code files} classes under {@code dir} (a source root; deleted and recreated) and
   * returns the paths written.
   */
  public static List<Path> write(Path dir, int files, long seed, boolean violations)
      throws IOException {
    if (files < 1) {
      throw new IllegalArgumentException("the corpus needs at least one file, got " + files);
    }
    deleteRecursively(dir);
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      Path file = dir.resolve(packageName(i).replace('.', '/')).resolve(className(i) + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source(i, new Random(seed * 1_000_003L + i), violations));
      written.add(file);
    }
    return written;
  }

  static String packageName(int index) {
    return "bench.gen.p" + index / PER_PACKAGE;
  }

  static String className(int index) {
    return "Service" + index;
  }

  /** The source of class {@code index}. */
  static String source(int index, Random random, boolean violations) {
    Source out = new Source();
    String name = className(index);
    out.line("package " + packageName(index) + ";")
        .line("")
        .line("import java.time.Duration;")
        .line("import java.time.Instant;")
        .line("import java.util.ArrayList;")
        .line("import java.util.HashMap;")
        .line("import java.util.List;")
        .line("import java.util.Map;")
        .line("import java.util.concurrent.CompletableFuture;")
        .line("import java.util.concurrent.ExecutionException;")
        .line("import java.util.concurrent.Executor;")
        .line("import java.util.function.Function;")
        .line("import org.ctx4j.CancellableContext;")
        .line("import org.ctx4j.Context;")
        .line("")
        .line("/** Generated class " + index + " of the compile-time benchmark corpus. */")
        .line("public final class " + name + " {")
        .line("  private enum Key {")
        .line("    REQUEST_ID,")
        .line("    TENANT,")
        .line("    ATTEMPT")
        .line("  }")
        .line("")
        .line("  private static final Object TRACE_KEY = new Object();")
        .line("")
        .line("  private final Executor executor;")
        .line("  private final Map<String, Integer> cache = new HashMap<>();")
        .line("")
        .line("  /** One line of an order. */")
        .line("  public record Item(String id, int quantity) {}")
        .line("")
        .line("  public " + name + "(Executor executor) {")
        .line("    this.executor = executor;")
        .line("  }")
        .line("");
    // Every class has the helpers the other methods call; the rest is a seeded mix.
    requestValues(out);
    price(out, random);
    List<Template> pool = new ArrayList<>(List.of(Template.values()));
    Collections.shuffle(pool, random);
    for (Template t : pool) {
      if (out.lines >= TARGET_LINES - 12) {
        break;
      }
      t.write(out, index, random);
    }
    if (index > 0) {
      int other = random.nextInt(index);
      String type = packageName(other) + "." + className(other);
      out.line("  int upstream(Context ctx, Item item) {")
          .line(
              "    return new "
                  + type
                  + "(executor).price(ctx, new "
                  + type
                  + ".Item(item.id(), item.quantity()));")
          .line("  }")
          .line("");
    }
    if (violations) {
      violation(out, VIOLATIONS.get(index % VIOLATIONS.size()));
    }
    out.line("}");
    return out.toString();
  }

  private static void requestValues(Source out) {
    out.line("  static Context withRequest(Context ctx, String id, String tenant) {")
        .line("    Context withId = Context.withValue(ctx, Key.REQUEST_ID, id);")
        .line(
            "    return Context.withValue(Context.withValue(withId, Key.TENANT, tenant), TRACE_KEY,"
                + " \"t-\" + id);")
        .line("  }")
        .line("")
        .line("  static String requestId(Context ctx) {")
        .line("    return ctx.value(Key.REQUEST_ID) instanceof String s ? s : \"\";")
        .line("  }")
        .line("")
        .line("  static String trace(Context ctx) {")
        .line("    Object trace = ctx.value(TRACE_KEY);")
        .line("    return trace == null ? \"none\" : trace.toString();")
        .line("  }")
        .line("");
  }

  private static void price(Source out, Random random) {
    out.line("  public int price(Context ctx, Item item) {")
        .line("    return switch (item.quantity() % 4) {")
        .line("      case 0 -> item.quantity() * " + (2 + random.nextInt(9)) + ";")
        .line("      case 1 -> item.quantity() + requestId(ctx).length();")
        .line("      case 2 -> cache.getOrDefault(item.id(), " + random.nextInt(100) + ");")
        .line("      default -> {")
        .line("        int base = item.quantity() + trace(ctx).length();")
        .line("        yield base * base;")
        .line("      }")
        .line("    };")
        .line("  }")
        .line("");
  }

  /** The methods a class is made of, in a seeded order. */
  private enum Template {
    TOTAL_WITH_TIMEOUT {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  int total(Context ctx, List<Item> items) {")
            .line(
                "    try (CancellableContext child = Context.withTimeout(ctx, Duration.ofMillis("
                    + (100 + random.nextInt(900))
                    + "))) {")
            .line("      int sum = 0;")
            .line("      for (Item item : items) {")
            .line("        if (child.err() != null) {")
            .line("          break;")
            .line("        }")
            .line("        sum += price(child, item);")
            .line("      }")
            .line("      return sum;")
            .line("    }")
            .line("  }")
            .line("");
      }
    },
    RETRY_WITH_FINALLY {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  int retry(Context ctx, Item item, int attempts) {")
            .line(
                "    CancellableContext child = Context.withDeadline(ctx, Instant.now().plusMillis("
                    + (50 + random.nextInt(500))
                    + "));")
            .line("    try {")
            .line("      int result = -1;")
            .line(
                "      for (int attempt = 0; attempt < attempts && child.err() == null; attempt++)"
                    + " {")
            .line("        Context step = Context.withValue(child, Key.ATTEMPT, attempt);")
            .line("        result = Math.max(result, price(step, item));")
            .line("      }")
            .line("      return result;")
            .line("    } finally {")
            .line("      child.cancel();")
            .line("    }")
            .line("  }")
            .line("");
      }
    },
    DESCRIBE_SWITCH {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  String describe(Context ctx, int code) {")
            .line("    String label;")
            .line("    switch (code % 3) {")
            .line("      case 0:")
            .line("        label = \"none\";")
            .line("        break;")
            .line("      case 1:")
            .line("        label = \"one of " + index + "\";")
            .line("        break;")
            .line("      default:")
            .line("        label = \"many\";")
            .line("    }")
            .line("    return label + \" for \" + requestId(ctx) + \" in \" + trace(ctx);")
            .line("  }")
            .line("");
      }
    },
    ASYNC_FETCH {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  CompletableFuture<Integer> fetchAsync(Context ctx, List<Item> items) {")
            .line(
                "    CancellableContext child = Context.withTimeout(ctx, Duration.ofSeconds("
                    + (1 + random.nextInt(5))
                    + "));")
            .line("    return CompletableFuture.supplyAsync(")
            .line(
                "            () -> items.stream().mapToInt(item -> price(child, item)).sum(),"
                    + " executor)")
            .line("        .whenComplete((sum, error) -> child.cancel());")
            .line("  }")
            .line("")
            .line("  int awaitTotal(Context ctx, List<Item> items) throws InterruptedException {")
            .line("    try {")
            .line("      return Context.await(ctx, fetchAsync(ctx, items));")
            .line("    } catch (ExecutionException e) {")
            .line("      return -1;")
            .line("    }")
            .line("  }")
            .line("");
      }
    },
    FAN_OUT {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  List<CompletableFuture<String>> fanOut(Context ctx, List<String> ids) {")
            .line("    List<CompletableFuture<String>> futures = new ArrayList<>();")
            .line("    for (String id : ids) {")
            .line(
                "      Context request = withRequest(ctx, id, \"tenant-"
                    + random.nextInt(20)
                    + "\");")
            .line(
                "      futures.add(CompletableFuture.supplyAsync(() -> summarize(request,"
                    + " id.length()), executor));")
            .line("    }")
            .line("    return futures;")
            .line("  }")
            .line("")
            .line("  String summarize(Context ctx, int length) {")
            .line("    return length > " + random.nextInt(10) + " ? requestId(ctx) : trace(ctx);")
            .line("  }")
            .line("");
      }
    },
    FUNCTIONS {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  Map<String, Integer> priceAll(Context ctx, List<Item> items) {")
            .line(
                "    Function<Context, Function<Item, Integer>> pricer = c -> item -> price(c,"
                    + " item);")
            .line("    Map<String, Integer> prices = new HashMap<>();")
            .line(
                "    items.forEach(item -> prices.merge(item.id(), pricer.apply(ctx).apply(item),"
                    + " Integer::sum));")
            .line("    return prices;")
            .line("  }")
            .line("");
      }
    },
    ANONYMOUS_TASK {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  Runnable refresher(Context ctx, List<Item> items) {")
            .line("    return new Runnable() {")
            .line("      @Override")
            .line("      public void run() {")
            .line("        try (CancellableContext child = Context.withCancel(ctx)) {")
            .line("          for (Item item : items) {")
            .line("            cache.put(item.id(), price(child, item));")
            .line("          }")
            .line("        }")
            .line("      }")
            .line("    };")
            .line("  }")
            .line("")
            .line("  void refreshLater(Context ctx, List<Item> items) {")
            .line("    executor.execute(refresher(ctx, items));")
            .line("  }")
            .line("");
      }
    },
    NESTED_WORKER {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  final class Worker {")
            .line("    private final String name;")
            .line("")
            .line("    Worker(String name) {")
            .line("      this.name = name;")
            .line("    }")
            .line("")
            .line("    String work(Context ctx, Item item) {")
            .line("      int limit = " + (1 + random.nextInt(8)) + ";")
            .line("      StringBuilder log = new StringBuilder(name);")
            .line("      while (limit-- > 0 && ctx.err() == null) {")
            .line("        log.append(':').append(price(ctx, item));")
            .line("      }")
            .line("      return log.toString();")
            .line("    }")
            .line("  }")
            .line("");
      }
    },
    STARTUP {
      @Override
      void write(Source out, int index, Random random) {
        out.line("  static int warmUp(List<Item> items) {")
            .line("    Service" + index + " service = new Service" + index + "(Runnable::run);")
            .line(
                "    try (CancellableContext ctx = Context.withTimeout(Context.background(),"
                    + " Duration.ofSeconds("
                    + (1 + random.nextInt(30))
                    + "))) {")
            .line("      return service.sum(withRequest(ctx, \"warm-up\", \"system\"), items);")
            .line("    }")
            .line("  }")
            .line("")
            .line("  int sum(Context ctx, List<Item> items) {")
            .line("    return items.stream().mapToInt(item -> price(ctx, item)).sum();")
            .line("  }")
            .line("");
      }
    };

    abstract void write(Source out, int index, Random random);
  }

  /** One mistake of the given check's kind, as a self-contained member. */
  private static void violation(Source out, String check) {
    switch (check) {
      case "LostCancel" ->
          out.line("  int lostCancel(Context ctx, Item item) {")
              .line(
                  "    CancellableContext child = Context.withTimeout(ctx, Duration.ofMillis(10));")
              .line("    return price(child, item);")
              .line("  }");
      case "NullContext" ->
          out.line("  int nullContext(Item item) {")
              .line("    return price(null, item);")
              .line("  }");
      case "ContextInField" -> out.line("  private Context lastContext;");
      case "ContextNotFirstParameter" ->
          out.line("  int contextLast(Item item, Context ctx) {")
              .line("    return price(ctx, item);")
              .line("  }");
      case "ContextKeyNotPrivate" ->
          out.line("  static Context withUser(Context ctx, String user) {")
              .line("    return Context.withValue(ctx, \"user\", user);")
              .line("  }");
      default -> throw new IllegalArgumentException("no violation of kind " + check);
    }
  }

  /** A source file under construction that counts its lines. */
  private static final class Source {
    private final StringBuilder text = new StringBuilder();
    private int lines;

    Source line(String line) {
      text.append(line).append('\n');
      lines++;
      return this;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
