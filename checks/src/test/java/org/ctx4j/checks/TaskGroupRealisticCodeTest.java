package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * Realistic code that uses {@code TaskGroup} and {@code ContextExecutors}, compiled with every
 * ctx4j check: scatter/gather services, request handlers and middleware, pipelines with bounded
 * concurrency, batch jobs, a worker that owns a group, crawlers whose tasks start tasks, generic
 * helpers, tasks as method references, records, anonymous and local classes, switch expressions,
 * and {@code CompletableFuture} chains. Correct code stays quiet under every check; the programs'
 * real bugs are reported by the right check on the right line.
 */
final class TaskGroupRealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, TaskGroupRealisticCodeTest.class);
  }

  /** Scatter/gather of quotes and search shards, handlers and middleware that fan out. */
  @Test
  void fanOutServicesAreQuiet() {
    everyCheck()
        .addSourceLines("shop/Quotes.java", QUOTES)
        .addSourceLines("search/Search.java", SEARCH)
        .addSourceLines("web/Handlers.java", HANDLERS)
        .addSourceLines("mw/Middleware.java", MIDDLEWARE)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * Groups picked by a switch expression or a ternary, handed to helpers and records, kept in
   * fields and maps and closed later, awaited on another thread, closed on early returns.
   */
  @Test
  void batchJobsAndWorkersAreQuiet() {
    everyCheck()
        .addSourceLines("batch/Batch.java", BATCH)
        .addSourceLines("worker/Worker.java", WORKER)
        .addSourceLines("scopes/Scopes.java", SCOPES)
        .addSourceLines("shapes/Shapes.java", SHAPES)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * Tasks that start tasks of their own group, method references, anonymous and local task classes,
   * Go's gctx in tasks kept in variables, and the caller's context read (not passed on) inside a
   * task, directly or through a helper of the same file.
   */
  @Test
  void tasksThatStartTasksAndReadTheCallersContextAreQuiet() {
    everyCheck()
        .addSourceLines("crawl/Crawler.java", CRAWLER)
        .addSourceLines("reports/Reports.java", REPORTS)
        .addSourceLines("queries/Queries.java", QUERIES)
        .addSourceLines("named/NamedTasks.java", NAMED_TASKS)
        .expectNoDiagnostics()
        .doTest();
  }

  /** callAsync, runAsync and bind with CompletableFuture chains. */
  @Test
  void executorBridgesAreQuiet() {
    everyCheck().addSourceLines("async/Async.java", ASYNC).expectNoDiagnostics().doTest();
  }

  /**
   * Waits inside a task's body: the end of the group's context interrupts the task's thread, so
   * {@code BlockingQueue.take} and {@code put} in a task end with it.
   */
  @Test
  void interruptibleWaitsInsideTasksAreQuiet() {
    everyCheck().addSourceLines("pipeline/Pipeline.java", PIPELINE).expectNoDiagnostics().doTest();
  }

  /**
   * {@code join} on {@code allOf} of futures bound to the task's context, gathered through a stream
   * into an unmodifiable list: every future ends with the context, so the wait does too.
   */
  @Test
  void futuresGatheredByAStreamAreQuiet() {
    everyCheck()
        .addSourceLines("pipeline/FuturesInTasks.java", FUTURES_IN_TASKS)
        .expectNoDiagnostics()
        .doTest();
  }

  /** The twins with real bugs: each finding is a true positive, from the right check. */
  @Test
  void realBugsAreReported() {
    everyCheck().addSourceLines("bugs/Bugs.java", BUGS).doTest();
  }

  private static final String QUOTES =
      """
      package shop;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.Comparator;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** Scatter/gather of quotes from several carriers, under a budget. */
      public final class Quotes {
        public record Quote(String carrier, long cents) {}

        public interface Carrier {
          String name();

          Quote quote(Context ctx, String parcel) throws Exception;
        }

        static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);

        private final List<Carrier> carriers;

        public Quotes(List<Carrier> carriers) {
          this.carriers = List.copyOf(carriers);
        }

        public Optional<Quote> cheapest(Context ctx, String parcel)
            throws InterruptedException, ExecutionException {
          try (CancellableContext budget = Context.withTimeout(ctx, Duration.ofMillis(800));
              TaskGroup group = TaskGroup.withContext(budget)) {
            List<TaskGroup.Result<Quote>> results = new ArrayList<>(carriers.size());
            for (Carrier carrier : carriers) {
              results.add(group.fork(c -> carrier.quote(c, parcel)));
            }
            group.await();
            return results.stream().map(TaskGroup.Result::get).min(Comparator.comparingLong(Quote::cents));
          }
        }

        /** Every carrier's quote; a failing carrier is skipped rather than failing the whole call. */
        public Map<String, Quote> all(Context ctx, String parcel) throws InterruptedException {
          Map<String, Quote> quotes = new ConcurrentHashMap<>();
          String tenant = TENANT.get(ctx);
          try (TaskGroup group = TaskGroup.withLimit(ctx, 4)) {
            for (Carrier carrier : carriers) {
              group.go(
                  c -> {
                    try {
                      quotes.put(carrier.name(), carrier.quote(c, parcel));
                    } catch (Exception e) {
                      log("carrier " + carrier.name() + " failed for " + tenant, e);
                    }
                  });
            }
            group.await();
          } catch (ExecutionException e) {
            log("unexpected", e);
          }
          return quotes;
        }

        /** The first carrier to answer in time wins; the group cancels the rest. */
        public Quote first(Context ctx, String parcel) throws InterruptedException, ExecutionException {
          java.util.concurrent.atomic.AtomicReference<Quote> winner =
              new java.util.concurrent.atomic.AtomicReference<>();
          try (TaskGroup group = TaskGroup.withContext(ctx)) {
            for (Carrier carrier : carriers) {
              group.go(
                  c -> {
                    Quote q = carrier.quote(c, parcel);
                    if (winner.compareAndSet(null, q)) {
                      throw new Done();
                    }
                  });
            }
            try {
              group.await();
            } catch (ExecutionException e) {
              if (!(e.getCause() instanceof Done)) {
                throw e;
              }
            }
          }
          return winner.get();
        }

        private static final class Done extends Exception {
          private static final long serialVersionUID = 1L;
        }

        /** Reads the tenant in the task from the caller's context: same tree, same value. */
        public List<Quote> tenantQuotes(Context ctx, String parcel)
            throws InterruptedException, ExecutionException {
          List<Quote> out = java.util.Collections.synchronizedList(new ArrayList<>());
          try (TaskGroup group = TaskGroup.withContext(ctx)) {
            for (Carrier carrier : carriers) {
              group.go(
                  c -> {
                    String tenant = TENANT.get(ctx);
                    Optional<Duration> left = ctx.timeLeft();
                    if (tenant != null && left.map(d -> !d.isNegative()).orElse(true)) {
                      out.add(carrier.quote(c, parcel));
                    }
                  });
            }
            group.await();
          }
          return out;
        }

        private static void log(String message, Throwable t) {
          System.err.println(message + ": " + t);
        }
      }
      """;
  private static final String SEARCH =
      """
      package search;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.Callable;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.Executor;
      import java.util.function.Function;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** Search over shards: fan-out, merge, nested groups per shard replica. */
      public final class Search {
        public record Hit(String doc, double score) {}

        public interface Shard {
          List<Hit> search(Context ctx, String query) throws Exception;

          List<Shard> replicas();
        }

        private final List<Shard> shards;
        private final Executor executor;

        public Search(List<Shard> shards, Executor executor) {
          this.shards = List.copyOf(shards);
          this.executor = executor;
        }

        public List<Hit> search(Context ctx, String query)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<List<Hit>>> parts = new ArrayList<>();
          try (TaskGroup shardsGroup = TaskGroup.withContext(ctx, executor)) {
            for (Shard shard : shards) {
              parts.add(shardsGroup.fork(c -> searchReplicas(c, shard, query)));
            }
            shardsGroup.await();
          }
          List<Hit> merged = new ArrayList<>();
          for (TaskGroup.Result<List<Hit>> part : parts) {
            merged.addAll(part.get());
          }
          merged.sort((a, b) -> Double.compare(b.score(), a.score()));
          return merged;
        }

        /** Asks every replica of a shard; nested group under the task's context. */
        private List<Hit> searchReplicas(Context ctx, Shard shard, String query)
            throws InterruptedException, ExecutionException {
          try (TaskGroup replicas = TaskGroup.withLimit(ctx, 2)) {
            List<TaskGroup.Result<List<Hit>>> answers = new ArrayList<>();
            for (Shard replica : shard.replicas()) {
              answers.add(replicas.fork(c -> replica.search(c, query)));
            }
            replicas.await();
            return answers.isEmpty() ? List.of() : answers.get(0).get();
          }
        }

        /** Generic scatter/gather over plain callables. */
        public static <T> List<T> all(Context ctx, List<Callable<T>> calls)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<T>> results = new ArrayList<>(calls.size());
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (Callable<T> call : calls) {
              results.add(g.fork(c -> call.call()));
            }
            g.await();
          }
          List<T> out = new ArrayList<>(results.size());
          for (TaskGroup.Result<T> r : results) {
            out.add(r.get());
          }
          return out;
        }

        /** Generic scatter/gather over context-taking tasks. */
        public static <T> List<T> allTasks(Context ctx, List<TaskGroup.ValueTask<T>> tasks)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<T>> results = new ArrayList<>(tasks.size());
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            tasks.forEach(task -> results.add(g.fork(task)));
            g.await();
          }
          return results.stream().map(TaskGroup.Result::get).toList();
        }

        /** Maps every input with a bounded number at once. */
        public static <I, O> List<O> map(
            Context ctx, List<I> inputs, int limit, Function<I, TaskGroup.ValueTask<O>> work)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<O>> results = new ArrayList<>();
          try (var g = TaskGroup.withLimit(ctx, limit)) {
            for (I input : inputs) {
              results.add(g.fork(work.apply(input)));
            }
            g.await();
          }
          return results.stream().map(TaskGroup.Result::get).toList();
        }

        public List<List<Hit>> many(Context ctx, List<String> queries)
            throws InterruptedException, ExecutionException {
          return map(ctx, queries, 4, q -> c -> search(c, q));
        }
      }
      """;
  private static final String HANDLERS =
      """
      package web;

      import java.time.Duration;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** Request handlers that fan out inside the request. */
      public final class Handlers {
        public record Request(String user, Map<String, String> params) {}

        public record Response(int status, String body) {}

        public interface Handler {
          Response handle(Context ctx, Request request) throws Exception;
        }

        public interface Profiles {
          String profile(Context ctx, String user) throws Exception;
        }

        public interface Orders {
          List<String> recent(Context ctx, String user) throws Exception;
        }

        public interface Audit {
          void record(Context ctx, String event);
        }

        static final ContextKey<String> REQUEST_ID = ContextKey.of("request-id", String.class);

        private final Profiles profiles;
        private final Orders orders;
        private final Audit audit;

        public Handlers(Profiles profiles, Orders orders, Audit audit) {
          this.profiles = profiles;
          this.orders = orders;
          this.audit = audit;
        }

        public Handler dashboard() {
          return (ctx, request) -> {
            try (CancellableContext deadline = Context.withTimeout(ctx, Duration.ofSeconds(1));
                TaskGroup g = TaskGroup.withContext(deadline)) {
              TaskGroup.Result<String> profile = g.fork(c -> profiles.profile(c, request.user()));
              TaskGroup.Result<List<String>> recent = g.fork(c -> orders.recent(c, request.user()));
              g.await();
              return new Response(200, profile.get() + " " + recent.get());
            } catch (ExecutionException e) {
              audit.record(ctx, "dashboard failed: " + e.getCause());
              return new Response(503, "try again");
            }
          };
        }

        public Response profile(Context ctx, Request request) throws Exception {
          String id = REQUEST_ID.get(ctx);
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<String> p = g.fork(c -> profiles.profile(c, request.user()));
            g.go(c -> audit.record(c, "profile " + id));
            g.await();
            return new Response(200, p.get());
          }
        }

        public Map<String, Handler> routes() {
          return Map.of(
              "/dashboard", dashboard(),
              "/profile", this::profile,
              "/health", (ctx, request) -> new Response(200, "ok"));
        }

        /** A handler as an anonymous class whose method fans out. */
        public Handler orders() {
          return new Handler() {
            @Override
            public Response handle(Context ctx, Request request) throws Exception {
              try (TaskGroup g = TaskGroup.withLimit(ctx, 2)) {
                TaskGroup.Result<List<String>> recent = g.fork(c -> orders.recent(c, request.user()));
                g.await();
                return new Response(200, String.join(",", recent.get()));
              }
            }
          };
        }
      }
      """;
  private static final String MIDDLEWARE =
      """
      package mw;

      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** A middleware chain whose handlers receive the request's context; one fans out. */
      public final class Middleware {
        public record Request(String id, List<String> items) {}

        public interface Handler {
          String handle(Context ctx, Request request) throws Exception;
        }

        public interface Inventory {
          int stock(Context ctx, String item) throws Exception;
        }

        static final ContextKey<String> REQUEST_ID = ContextKey.of("request-id", String.class);

        static Handler withTimeout(Handler next, Duration d) {
          return (ctx, request) -> {
            try (CancellableContext t = Context.withTimeout(ctx, d)) {
              return next.handle(t, request);
            }
          };
        }

        static Handler withRequestId(Handler next) {
          return (ctx, request) -> next.handle(REQUEST_ID.with(ctx, request.id()), request);
        }

        static Handler stock(Inventory inventory) {
          return (ctx, request) -> {
            try (TaskGroup g = TaskGroup.withLimit(ctx, 4)) {
              List<TaskGroup.Result<Integer>> counts =
                  request.items().stream().map(item -> g.fork(c -> inventory.stock(c, item))).toList();
              g.await();
              return String.valueOf(counts.stream().mapToInt(TaskGroup.Result::get).sum());
            } catch (ExecutionException e) {
              return "error " + REQUEST_ID.get(ctx);
            }
          };
        }

        static Handler chain(Inventory inventory) {
          return withRequestId(withTimeout(stock(inventory), Duration.ofSeconds(2)));
        }

        /** A server loop: each request handled under a child of the server's context. */
        static void serve(Context ctx, List<Request> requests, Handler handler)
            throws InterruptedException, ExecutionException {
          try (TaskGroup connections = TaskGroup.withLimit(ctx, 64)) {
            for (Request request : requests) {
              connections.go(c -> System.out.println(handler.handle(c, request)));
            }
            connections.await();
          }
        }
      }
      """;
  private static final String BATCH =
      """
      package batch;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.atomic.AtomicInteger;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** A nightly batch job: chunks, groups handed to helpers, records and switch expressions. */
      public final class Batch {
        public enum Mode {
          FAST,
          CAREFUL,
          SERIAL
        }

        public interface Store {
          List<String> chunk(Context ctx, int index) throws Exception;

          void save(Context ctx, String row) throws Exception;
        }

        /** A chunk of work, as a record that is itself a task. */
        public record Chunk(Store store, int index, AtomicInteger done) implements TaskGroup.Task {
          @Override
          public void run(Context ctx) throws Exception {
            for (String row : store.chunk(ctx, index)) {
              store.save(ctx, row);
              done.incrementAndGet();
            }
          }
        }

        private final Store store;

        public Batch(Store store) {
          this.store = store;
        }

        public int run(Context ctx, int chunks, Mode mode)
            throws InterruptedException, ExecutionException {
          AtomicInteger done = new AtomicInteger();
          TaskGroup group =
              switch (mode) {
                case FAST -> TaskGroup.withContext(ctx);
                case CAREFUL -> TaskGroup.withLimit(ctx, 2);
                case SERIAL -> TaskGroup.withLimit(ctx, 1);
              };
          try (group) {
            startAll(group, chunks, done);
            group.await();
          }
          return done.get();
        }

        public int runTernary(Context ctx, int chunks, int limit)
            throws InterruptedException, ExecutionException {
          AtomicInteger done = new AtomicInteger();
          try (TaskGroup group =
              limit > 0 ? TaskGroup.withLimit(ctx, limit) : TaskGroup.withContext(ctx)) {
            startAll(group, chunks, done);
            group.await();
          }
          return done.get();
        }

        /** Hands work to a group it does not own. */
        private void startAll(TaskGroup group, int chunks, AtomicInteger done) {
          for (int i = 0; i < chunks; i++) {
            group.go(new Chunk(store, i, done));
          }
        }

        /** Awaits in a finally-less style with the close in finally. */
        public void explicit(Context ctx, int chunks) throws InterruptedException, ExecutionException {
          TaskGroup group = TaskGroup.withLimit(ctx, 4);
          try {
            for (int i = 0; i < chunks; i++) {
              int index = i;
              group.go(c -> new Chunk(store, index, new AtomicInteger()).run(c));
            }
            group.await();
          } finally {
            group.close();
          }
        }

        /** Results per chunk via fork, a switch expression picking the task. */
        public List<Integer> sizes(Context ctx, int chunks, Mode mode)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<Integer>> results = new ArrayList<>();
          try (TaskGroup group = TaskGroup.withContext(ctx)) {
            for (int i = 0; i < chunks; i++) {
              int index = i;
              TaskGroup.ValueTask<Integer> task =
                  switch (mode) {
                    case FAST -> c -> store.chunk(c, index).size();
                    case CAREFUL, SERIAL ->
                        c -> {
                          List<String> rows = store.chunk(c, index);
                          c.throwIfDone();
                          return rows.size();
                        };
                  };
              results.add(group.fork(task));
            }
            group.await();
          }
          return results.stream().map(TaskGroup.Result::get).toList();
        }

        /** Groups kept in a list and awaited together. */
        public void waves(Context ctx, int waves, int chunks)
            throws InterruptedException, ExecutionException {
          List<TaskGroup> groups = new ArrayList<>();
          try {
            for (int w = 0; w < waves; w++) {
              TaskGroup wave = TaskGroup.withContext(ctx);
              groups.add(wave);
              startAll(wave, chunks, new AtomicInteger());
            }
            for (TaskGroup wave : groups) {
              wave.await();
            }
          } finally {
            groups.forEach(TaskGroup::close);
          }
        }
      }
      """;
  private static final String WORKER =
      """
      package worker;

      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Executors;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** A long-lived worker: its group is a field, started in start(), closed in close(). */
      public final class Worker implements AutoCloseable {
        public interface Job {
          void run(Context ctx) throws Exception;
        }

        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final TaskGroup group;
        private TaskGroup batch;

        public Worker(Context ctx) {
          this.group = TaskGroup.withLimit(ctx, pool, 4);
        }

        public void submit(Job job) {
          group.go(job::run);
        }

        public boolean offer(Job job) {
          return group.tryGo(c -> job.run(c));
        }

        public void startBatch(List<Job> jobs) {
          TaskGroup next = TaskGroup.withContext(group.context(), pool);
          for (Job job : jobs) {
            next.go(job::run);
          }
          TaskGroup previous = batch;
          batch = next;
          if (previous != null) {
            previous.close();
          }
        }

        public void drain() throws InterruptedException, ExecutionException {
          TaskGroup b = batch;
          batch = null;
          if (b != null) {
            b.await();
          }
        }

        @Override
        public void close() {
          try {
            if (batch != null) {
              batch.close();
            }
            group.close();
          } finally {
            pool.shutdown();
          }
        }
      }
      """;
  private static final String SCOPES =
      """
      package scopes;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.Executor;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** Groups made by factories of the application, kept in records, awaited from lambdas. */
      public final class Scopes {
        static final ContextKey<String> TRACE = ContextKey.of("trace", String.class);

        public interface Backend {
          String get(Context ctx, String key) throws Exception;
        }

        /** A group with its own timeout: both end together. */
        public record Bounded(CancelFunc timeout, TaskGroup group) implements AutoCloseable {
          public static Bounded of(Context ctx, Duration d, int limit) {
            CancellableContext timeout = Context.withTimeout(ctx, d);
            return new Bounded(timeout::cancel, TaskGroup.withLimit(timeout, limit));
          }

          @Override
          public void close() {
            try {
              group.close();
            } finally {
              timeout.cancel();
            }
          }
        }

        private final Backend backend;
        private final int limit;

        public Scopes(Backend backend, int limit) {
          this.backend = backend;
          this.limit = limit;
        }

        private TaskGroup newGroup(Context ctx) {
          return limit > 0 ? TaskGroup.withLimit(ctx, limit) : TaskGroup.withContext(ctx);
        }

        public List<String> getAll(Context ctx, List<String> keys)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<String>> results = new ArrayList<>();
          try (TaskGroup g = newGroup(ctx)) {
            for (String key : keys) {
              results.add(g.fork(c -> backend.get(c, key)));
            }
            g.await();
          }
          return results.stream().map(TaskGroup.Result::get).toList();
        }

        public List<String> bounded(Context ctx, List<String> keys)
            throws InterruptedException, ExecutionException {
          try (Bounded b = Bounded.of(ctx, Duration.ofSeconds(1), 4)) {
            List<TaskGroup.Result<String>> results = new ArrayList<>();
            for (String key : keys) {
              results.add(b.group().fork(c -> backend.get(c, key)));
            }
            b.group().await();
            return results.stream().map(TaskGroup.Result::get).toList();
          }
        }

        /** Awaits on another thread; the future owns the group. */
        public CompletableFuture<Void> inBackground(Context ctx, List<String> keys, Executor executor) {
          TaskGroup g = TaskGroup.withContext(ctx, executor);
          for (String key : keys) {
            g.go(c -> backend.get(c, key));
          }
          return CompletableFuture.runAsync(
              () -> {
                try (g) {
                  g.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                  throw new IllegalStateException(e.getCause());
                }
              },
              executor);
        }

        /** Early exits on input checks, before and after the group starts. */
        public Optional<String> firstNonEmpty(Context ctx, List<String> keys)
            throws InterruptedException, ExecutionException {
          if (keys.isEmpty()) {
            return Optional.empty();
          }
          TaskGroup g = TaskGroup.withContext(ctx);
          List<TaskGroup.Result<String>> results = new ArrayList<>();
          for (String key : keys) {
            if (key.isBlank()) {
              g.close();
              return Optional.empty();
            }
            results.add(g.fork(c -> backend.get(c, key)));
          }
          g.await();
          return results.stream().map(TaskGroup.Result::get).filter(s -> !s.isEmpty()).findFirst();
        }

        /** Traced: a value added to the task's context, and a log line reading the caller's. */
        public void traced(Context ctx, List<String> keys) throws InterruptedException, ExecutionException {
          String trace = TRACE.get(ctx);
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String key : keys) {
              g.go(
                  c -> {
                    Context traced = TRACE.with(c, trace + "/" + key);
                    System.out.println("get " + key + " under " + ctx + " deadline " + ctx.deadline());
                    backend.get(traced, key);
                  });
            }
            g.await();
          }
        }

        /** A group in each branch of a switch statement. */
        public String bySize(Context ctx, List<String> keys) throws Exception {
          switch (keys.size()) {
            case 0:
              return "";
            case 1:
              return backend.get(ctx, keys.get(0));
            default:
              try (TaskGroup g = TaskGroup.withLimit(ctx, 2)) {
                TaskGroup.Result<String> a = g.fork(c -> backend.get(c, keys.get(0)));
                TaskGroup.Result<String> b = g.fork(c -> backend.get(c, keys.get(1)));
                g.await();
                return a.get() + b.get();
              }
          }
        }

        /** Await in a loop of rounds, each round its own group. */
        public void rounds(Context ctx, List<List<String>> rounds)
            throws InterruptedException, ExecutionException {
          for (List<String> round : rounds) {
            try (TaskGroup g = TaskGroup.withContext(ctx)) {
              for (String key : round) {
                g.go(c -> backend.get(c, key));
              }
              g.await();
            }
            ctx.throwIfDone();
          }
        }

        /** A group's await wrapped for callers who only take unchecked exceptions. */
        public void awaitUnchecked(Context ctx, Runnable onDone, List<String> keys) {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            keys.forEach(key -> g.go(c -> backend.get(c, key)));
            g.await();
            onDone.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }

        /** A task with its own deadline, cancelled in finally. */
        public void eachWithDeadline(Context ctx, List<String> keys)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String key : keys) {
              g.go(
                  c -> {
                    CancellableContext deadline = Context.withTimeout(c, Duration.ofMillis(200));
                    try {
                      backend.get(deadline, key);
                    } finally {
                      deadline.cancel();
                    }
                  });
            }
            g.await();
          }
        }
      }
      """;
  private static final String SHAPES =
      """
      package shapes;

      import java.util.ArrayList;
      import java.util.HashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.Executor;
      import java.util.stream.Collectors;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** Less common but legitimate control flow around groups. */
      public final class Shapes {
        public interface Api {
          String call(Context ctx, String arg) throws Exception;
        }

        private final Api api;
        private final Map<String, TaskGroup> running = new HashMap<>();
        private final Object lock = new Object();

        public Shapes(Api api) {
          this.api = api;
        }

        public void assignedInBranches(Context ctx, List<String> args, Executor executor, boolean bounded)
            throws InterruptedException, ExecutionException {
          TaskGroup g;
          if (bounded) {
            g = TaskGroup.withLimit(ctx, executor, 4);
          } else {
            g = TaskGroup.withContext(ctx, executor);
          }
          try (g) {
            for (String arg : args) {
              g.go(c -> api.call(c, arg));
            }
            g.await();
          }
        }

        public void registered(Context ctx, String job, List<String> args) {
          TaskGroup g = TaskGroup.withContext(ctx);
          synchronized (lock) {
            running.put(job, g);
          }
          args.forEach(arg -> g.go(c -> api.call(c, arg)));
        }

        public void finish(String job) throws InterruptedException, ExecutionException {
          TaskGroup g;
          synchronized (lock) {
            g = running.remove(job);
          }
          if (g != null) {
            try (g) {
              g.await();
            }
          }
        }

        public List<String> perStream(Context ctx, List<List<String>> batches) {
          return batches.stream()
              .map(
                  batch -> {
                    try (TaskGroup g = TaskGroup.withLimit(ctx, 2)) {
                      List<TaskGroup.Result<String>> rs = new ArrayList<>();
                      for (String arg : batch) {
                        rs.add(g.fork(c -> api.call(c, arg)));
                      }
                      g.await();
                      return rs.stream().map(TaskGroup.Result::get).collect(Collectors.joining(","));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return "";
                    } catch (ExecutionException e) {
                      return "!";
                    }
                  })
              .toList();
        }

        public int retryWholeGroup(Context ctx, List<String> args) throws InterruptedException {
          int attempt = 0;
          do {
            try (TaskGroup g = TaskGroup.withContext(ctx)) {
              for (String arg : args) {
                g.go(c -> api.call(c, arg));
              }
              g.await();
              return attempt;
            } catch (ExecutionException e) {
              attempt++;
            }
          } while (attempt < 3);
          return -1;
        }

        public void labelled(Context ctx, List<List<String>> matrix)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            outer:
            for (List<String> row : matrix) {
              for (String cell : row) {
                if (cell == null) {
                  break outer;
                }
                if (cell.isEmpty()) {
                  continue outer;
                }
                g.go(c -> api.call(c, cell));
              }
            }
            g.await();
          }
        }

        public String awaitInFinally(Context ctx, String arg) throws Exception {
          TaskGroup g = TaskGroup.withContext(ctx);
          TaskGroup.Result<String> r;
          try {
            r = g.fork(c -> api.call(c, arg));
          } finally {
            g.await();
          }
          return r.get();
        }

        public Runnable closer(Context ctx, List<String> args) {
          TaskGroup g = TaskGroup.withContext(ctx);
          args.forEach(arg -> g.go(c -> api.call(c, arg)));
          return g::close;
        }

        public void instanceOfSwitch(Context ctx, Object job) throws Exception {
          if (job instanceof String arg) {
            try (TaskGroup g = TaskGroup.withContext(ctx)) {
              g.go(c -> api.call(c, arg));
              g.await();
            }
          } else if (job instanceof List<?> list) {
            try (TaskGroup g = TaskGroup.withLimit(ctx, 2)) {
              for (Object o : list) {
                g.go(c -> api.call(c, String.valueOf(o)));
              }
              g.await();
            }
          }
        }

        /** Anonymous task classes that call back into the enclosing instance. */
        public void anonymousTasks(Context ctx, List<String> args) throws Exception {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String arg : args) {
              g.go(
                  new TaskGroup.Task() {
                    private int attempts;

                    @Override
                    public void run(Context c) throws Exception {
                      while (attempts++ < 3) {
                        try {
                          api.call(c, arg);
                          return;
                        } catch (RuntimeException e) {
                          c.throwIfDone();
                        }
                      }
                    }
                  });
            }
            g.await();
          }
        }
      }
      """;
  private static final String CRAWLER =
      """
      package crawl;

      import java.util.List;
      import java.util.Set;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** A crawler: tasks start more tasks in their own group. */
      public final class Crawler {
        public interface Fetcher {
          List<String> links(Context ctx, String url) throws Exception;
        }

        private final Fetcher fetcher;

        public Crawler(Fetcher fetcher) {
          this.fetcher = fetcher;
        }

        public Set<String> crawl(Context ctx, String root, int depth)
            throws InterruptedException, ExecutionException {
          Set<String> seen = ConcurrentHashMap.newKeySet();
          seen.add(root);
          try (TaskGroup g = TaskGroup.withLimit(ctx, 16)) {
            g.go(c -> visit(c, g, seen, root, depth));
            g.await();
          }
          return seen;
        }

        private void visit(Context ctx, TaskGroup g, Set<String> seen, String url, int depth)
            throws Exception {
          if (depth == 0) {
            return;
          }
          for (String link : fetcher.links(ctx, url)) {
            if (seen.add(link)) {
              if (!g.tryGo(c -> visit(c, g, seen, link, depth - 1))) {
                visit(ctx, g, seen, link, depth - 1);
              }
            }
          }
        }

        /** A task that starts its children in the same group, inline. */
        public Set<String> twoLevels(Context ctx, String root)
            throws InterruptedException, ExecutionException {
          Set<String> seen = ConcurrentHashMap.newKeySet();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            g.go(
                c -> {
                  for (String link : fetcher.links(c, root)) {
                    g.go(child -> seen.addAll(fetcher.links(child, link)));
                  }
                });
            g.await();
          }
          return seen;
        }

        /** The same, where the child task uses the parent task's context: the same group's context. */
        public Set<String> twoLevelsParentContext(Context ctx, String root)
            throws InterruptedException, ExecutionException {
          Set<String> seen = ConcurrentHashMap.newKeySet();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            g.go(
                c -> {
                  for (String link : fetcher.links(c, root)) {
                    g.go(unused -> seen.addAll(fetcher.links(c, link)));
                  }
                });
            g.await();
          }
          return seen;
        }
      }
      """;
  private static final String REPORTS =
      """
      package reports;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ExecutionException;
      import java.util.function.Consumer;
      import java.util.function.Supplier;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** Reports assembled from sections: method references, anonymous and local task classes. */
      public final class Reports {
        static final ContextKey<String> LOCALE = ContextKey.withDefault("locale", String.class, "en");

        /** Reads a value: a helper of the application. */
        static String locale(Context ctx) {
          return LOCALE.get(ctx);
        }

        public interface Section {
          String render(Context ctx) throws Exception;
        }

        private final Map<String, String> cache = new ConcurrentHashMap<>();

        String header(Context ctx) {
          return "header/" + locale(ctx);
        }

        String body(Context ctx) throws Exception {
          ctx.throwIfDone();
          return "body";
        }

        void warmCache(Context ctx) {
          cache.put("k", header(ctx));
        }

        public String render(Context ctx) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<String> header = g.fork(this::header);
            TaskGroup.Result<String> body = g.fork(this::body);
            g.go(this::warmCache);
            g.await();
            return header.get() + body.get();
          }
        }

        public List<String> sections(Context ctx, List<Section> sections)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<String>> out = new ArrayList<>();
          try (TaskGroup g = TaskGroup.withLimit(ctx, 3)) {
            for (Section s : sections) {
              out.add(g.fork(s::render));
            }
            g.await();
          }
          return out.stream().map(TaskGroup.Result::get).toList();
        }

        public String anonymous(Context ctx) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<String> r =
                g.fork(
                    new TaskGroup.ValueTask<String>() {
                      @Override
                      public String call(Context c) throws Exception {
                        return body(c) + suffix(c);
                      }

                      private String suffix(Context ctx) {
                        return "/" + locale(ctx);
                      }
                    });
            g.await();
            return r.get();
          }
        }

        public void local(Context ctx, List<String> names) throws InterruptedException, ExecutionException {
          final class Render implements TaskGroup.Task {
            private final String name;

            Render(String name) {
              this.name = name;
            }

            @Override
            public void run(Context c) throws Exception {
              cache.put(name, body(c));
            }
          }
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            names.forEach(n -> g.go(new Render(n)));
            g.await();
          }
        }

        /** A group created in a lambda run by the caller. */
        public void inLambda(Context ctx, Consumer<Supplier<String>> runner) {
          runner.accept(
              () -> {
                try (TaskGroup g = TaskGroup.withContext(ctx)) {
                  TaskGroup.Result<String> r = g.fork(this::body);
                  g.await();
                  return r.get();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return "";
                } catch (ExecutionException e) {
                  return "failed";
                }
              });
        }

        /** Tasks passing their context on through helpers that take it. */
        public String passOn(Context ctx) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<String> r = g.fork(c -> decorate(c, body(c)));
            g.await();
            return r.get();
          }
        }

        private String decorate(Context ctx, String s) {
          return s + "@" + locale(ctx);
        }

        /** The task looks up the locale on the caller's context on purpose: same tree, same answer. */
        public String localeOuter(Context ctx) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<String> r = g.fork(c -> body(c) + "/" + locale(ctx));
            g.await();
            return r.get();
          }
        }
      }
      """;
  private static final String QUERIES =
      """
      package queries;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.Executor;
      import java.util.function.Function;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextExecutors;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      public final class Queries {
        public interface Db {
          String query(Context ctx, String sql) throws Exception;
        }

        static final ContextKey<String> USER = ContextKey.of("user", String.class);

        private final Db db;
        private final Executor executor;

        public Queries(Db db, Executor executor) {
          this.db = db;
          this.executor = executor;
        }

        /** Go's gctx, with the task kept in a variable first. */
        public void gctxStyle(Context ctx, List<String> sqls) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withLimit(ctx, 4)) {
            Context gctx = g.context();
            for (String sql : sqls) {
              g.go(c -> db.query(gctx, sql));
            }
            g.await();
          }
        }

        /** A task that fans out once more, asynchronously, under its own context. */
        public List<String> asyncInsideTask(Context ctx, List<String> sqls)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<List<String>> r =
                g.fork(
                    c -> {
                      List<CompletableFuture<String>> fs = new ArrayList<>();
                      for (String sql : sqls) {
                        fs.add(ContextExecutors.callAsync(c, executor, c2 -> db.query(c2, sql)));
                      }
                      List<String> out = new ArrayList<>();
                      for (CompletableFuture<String> f : fs) {
                        out.add(Context.await(c, f));
                      }
                      return out;
                    });
            g.await();
            return r.get();
          }
        }

        /** A task builder: a function from an input to a task, tasks receive their context. */
        static Function<String, TaskGroup.ValueTask<String>> queries(Db db) {
          return sql -> c -> db.query(c, sql);
        }

        public List<String> withBuilder(Context ctx, List<String> sqls)
            throws InterruptedException, ExecutionException {
          Function<String, TaskGroup.ValueTask<String>> q = queries(db);
          List<TaskGroup.Result<String>> rs = new ArrayList<>();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            sqls.stream().map(q).forEach(t -> rs.add(g.fork(t)));
            g.await();
          }
          return rs.stream().map(TaskGroup.Result::get).toList();
        }

        /** A task given its own deadline from the caller's remaining budget (a read of the caller's). */
        public void budgeted(Context ctx, List<String> sqls) throws InterruptedException, ExecutionException {
          Duration perQuery = ctx.timeLeft().map(d -> d.dividedBy(Math.max(1, sqls.size()))).orElse(Duration.ofSeconds(1));
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String sql : sqls) {
              g.go(
                  c -> {
                    try (CancellableContext t = Context.withTimeout(c, perQuery)) {
                      db.query(t, sql);
                    }
                  });
            }
            g.await();
          }
        }

        /** The caller's user is read inside the task, for an audit line. */
        public void audited(Context ctx, List<String> sqls) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String sql : sqls) {
              g.go(
                  c -> {
                    String user = USER.get(ctx);
                    String who = ctx.value(USER) == null ? "anonymous" : user;
                    db.query(c, "/* " + who + " */ " + sql);
                  });
            }
            g.await();
          }
        }

        /** runAsync with a task that uses its own context and the group's executor. */
        public CompletableFuture<Void> refresh(Context ctx, List<String> sqls) {
          return ContextExecutors.runAsync(
              ctx,
              executor,
              c -> {
                try (TaskGroup g = TaskGroup.withLimit(c, executor, 2)) {
                  for (String sql : sqls) {
                    g.go(c2 -> db.query(c2, sql));
                  }
                  g.await();
                }
              });
        }

        /** An outer callAsync task whose inner group's tasks use the group's context by name. */
        public CompletableFuture<Integer> counted(Context ctx, List<String> sqls) {
          return ContextExecutors.callAsync(
              ctx,
              executor,
              c -> {
                try (TaskGroup g = TaskGroup.withContext(c)) {
                  Context gctx = g.context();
                  List<TaskGroup.Result<String>> rs = new ArrayList<>();
                  for (String sql : sqls) {
                    rs.add(g.fork(inner -> db.query(gctx, sql)));
                  }
                  g.await();
                  return rs.size();
                }
              });
        }
      }
      """;
  private static final String NAMED_TASKS =
      """
      package named;

      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      public final class NamedTasks {
        public interface Db {
          String query(Context ctx, String sql) throws Exception;
        }

        private final Db db;

        public NamedTasks(Db db) {
          this.db = db;
        }

        /** Tasks written as variables first, using Go's gctx. */
        public void namedTasks(Context ctx, List<String> sqls) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            Context gctx = g.context();
            TaskGroup.Task warm = c -> db.query(gctx, "select 1");
            g.go(warm);
            for (String sql : sqls) {
              TaskGroup.Task one = c -> db.query(gctx, sql);
              g.go(one);
            }
            g.await();
          }
        }

        public void castsAndTypes(Context ctx, String sql) throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            g.go((TaskGroup.Task) c -> db.query(c, sql));
            Context gctx = g.context();
            g.go((TaskGroup.Task) c -> db.query(gctx, sql));
            g.go((Context c) -> db.query(c, sql));
            g.go((var c) -> db.query(c, sql));
            g.go(((c) -> db.query(c, sql)));
            TaskGroup.Result<? extends CharSequence> r = g.fork(c -> db.query(c, sql));
            g.await();
            System.out.println(r.get());
          }
        }
      }
      """;
  private static final String ASYNC =
      """
      package async;

      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.Executor;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Future;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextExecutors;

      /** ContextExecutors with CompletableFuture chains. */
      public final class Async {
        public interface Users {
          String load(Context ctx, String id) throws Exception;
        }

        public interface Avatars {
          byte[] avatar(Context ctx, String profile) throws Exception;
        }

        private final ExecutorService pool;
        private final Users users;
        private final Avatars avatars;

        public Async(ExecutorService pool, Users users, Avatars avatars) {
          this.pool = pool;
          this.users = users;
          this.avatars = avatars;
        }

        public CompletableFuture<byte[]> avatarOf(Context ctx, String id) {
          return ContextExecutors.callAsync(ctx, pool, c -> users.load(c, id))
              .thenCompose(profile -> ContextExecutors.callAsync(ctx, pool, c -> avatars.avatar(c, profile)));
        }

        public CompletableFuture<Void> warm(Context ctx, List<String> ids) {
          CompletableFuture<?>[] all =
              ids.stream()
                  .map(id -> ContextExecutors.runAsync(ctx, pool, c -> users.load(c, id)))
                  .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(all);
        }

        public String loadBlocking(Context ctx, String id) throws Exception {
          return Context.await(ctx, ContextExecutors.callAsync(ctx, pool, c -> users.load(c, id)));
        }

        public String loadWithin(Context ctx, String id) throws Exception {
          try (CancellableContext bounded = Context.withTimeout(ctx, Duration.ofMillis(300))) {
            CompletableFuture<String> f = ContextExecutors.callAsync(bounded, pool, c -> users.load(c, id));
            return Context.await(bounded, f);
          }
        }

        public List<String> viaBoundService(Context ctx, List<String> ids) throws Exception {
          ExecutorService bound = ContextExecutors.bind(ctx, pool);
          List<Future<String>> futures =
              bound.invokeAll(ids.stream().map(id -> (java.util.concurrent.Callable<String>) () -> users.load(ctx, id)).toList());
          List<String> out = new java.util.ArrayList<>();
          for (Future<String> f : futures) {
            out.add(Context.await(ctx, f));
          }
          return out;
        }

        public void viaBoundExecutor(Context ctx, List<Runnable> jobs) {
          Executor bound = ContextExecutors.bind(ctx, pool);
          jobs.forEach(bound::execute);
        }

        /** A handler-style method returning the future; completion handled downstream. */
        public CompletableFuture<String> nameOrDefault(Context ctx, String id) {
          return ContextExecutors.callAsync(ctx, pool, c -> users.load(c, id))
              .exceptionally(e -> Context.isCanceled(e) ? "(cancelled)" : "(unknown)")
              .thenApply(String::trim);
        }
      }
      """;
  private static final String PIPELINE =
      """
      package pipeline;

      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.ArrayBlockingQueue;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.TimeUnit;
      import java.util.concurrent.atomic.AtomicLong;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.TaskGroup;

      /** A bounded pipeline: a producer, n transformers, one sink, all in one group. */
      public final class Pipeline {
        public interface Source {
          String next(Context ctx) throws Exception; // null at the end
        }

        public interface Sink {
          void write(Context ctx, String record) throws Exception;
        }

        private static final String END = "<end>";

        public long run(Context ctx, Source source, Sink sink, int workers)
            throws InterruptedException, ExecutionException {
          BlockingQueue<String> raw = new ArrayBlockingQueue<>(64);
          BlockingQueue<String> cooked = new ArrayBlockingQueue<>(64);
          AtomicLong written = new AtomicLong();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            g.go(
                c -> {
                  for (String r = source.next(c); r != null; r = source.next(c)) {
                    while (!raw.offer(r, 50, TimeUnit.MILLISECONDS)) {
                      c.throwIfDone();
                    }
                  }
                  for (int i = 0; i < workers; i++) {
                    raw.put(END);
                  }
                });
            TaskGroup.Task transform =
                c -> {
                  for (String r = raw.take(); !r.equals(END); r = raw.take()) {
                    c.throwIfDone();
                    cooked.put(r.trim().toLowerCase(java.util.Locale.ROOT));
                  }
                  cooked.put(END);
                };
            for (int i = 0; i < workers; i++) {
              g.go(transform);
            }
            g.go(
                c -> {
                  int ended = 0;
                  while (ended < workers) {
                    String r = cooked.take();
                    if (r.equals(END)) {
                      ended++;
                    } else {
                      sink.write(c, r);
                      written.incrementAndGet();
                    }
                  }
                });
            g.await();
          }
          return written.get();
        }

        /** Bounded concurrency with withLimit; each item under its own timeout derived from the task's. */
        public void process(Context ctx, List<String> items, Sink sink)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withLimit(ctx, 8)) {
            for (String item : items) {
              g.go(
                  c -> {
                    try (CancellableContext itemCtx = Context.withTimeout(c, Duration.ofSeconds(1))) {
                      sink.write(itemCtx, item);
                    }
                  });
            }
            g.await();
          }
        }

        /** tryGo: run inline when no slot is free (back-pressure without blocking the producer). */
        public void processOrInline(Context ctx, List<String> items, Sink sink)
            throws Exception {
          try (TaskGroup g = TaskGroup.withLimit(ctx, 4)) {
            Context gctx = g.context();
            for (String item : items) {
              if (!g.tryGo(c -> sink.write(c, item))) {
                sink.write(gctx, item);
              }
            }
            g.await();
          }
        }

        /** Retries with a sleep that ends with the task's context. */
        public void withRetries(Context ctx, List<String> items, Sink sink)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withLimit(ctx, 3)) {
            for (String item : items) {
              g.go(
                  c -> {
                    for (int attempt = 0; ; attempt++) {
                      try {
                        sink.write(c, item);
                        return;
                      } catch (ContextDoneException e) {
                        throw e;
                      } catch (Exception e) {
                        if (attempt == 3) {
                          throw e;
                        }
                        Context.sleep(c, Duration.ofMillis(100L << attempt));
                      }
                    }
                  });
            }
            g.await();
          }
        }
      }
      """;
  private static final String FUTURES_IN_TASKS =
      """
      package pipeline;

      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.ExecutorService;
      import org.ctx4j.Context;
      import org.ctx4j.ContextExecutors;
      import org.ctx4j.TaskGroup;

      /** A task that waits for futures bound to its own context. */
      public final class FuturesInTasks {
        public interface Users {
          String load(Context ctx, String id) throws Exception;
        }

        private final ExecutorService pool;
        private final Users users;

        public FuturesInTasks(ExecutorService pool, Users users) {
          this.pool = pool;
          this.users = users;
        }

        /** A task that starts async work bound to its own context. */
        public List<String> groupOfFutures(Context ctx, List<String> ids)
            throws InterruptedException, ExecutionException {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            TaskGroup.Result<List<String>> r =
                g.fork(
                    c -> {
                      List<CompletableFuture<String>> fs =
                          ids.stream().map(id -> ContextExecutors.callAsync(c, pool, c2 -> users.load(c2, id))).toList();
                      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
                      return fs.stream().map(CompletableFuture::join).toList();
                    });
            g.await();
            return r.get();
          }
        }

      }
      """;
  private static final String BUGS =
      """
      package bugs;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.Executor;
      import org.ctx4j.Context;
      import org.ctx4j.ContextExecutors;
      import org.ctx4j.TaskGroup;

      /** The realistic programs' real bugs: each finding is a true positive. */
      public final class Bugs {
        public interface Shard {
          List<String> search(Context ctx, String query) throws Exception;
        }

        private final List<Shard> shards;
        private final Executor executor;

        public Bugs(List<Shard> shards, Executor executor) {
          this.shards = List.copyOf(shards);
          this.executor = executor;
        }

        /** errgroup's classic bug: the caller's context, not the group's. */
        public List<String> search(Context ctx, String query)
            throws InterruptedException, ExecutionException {
          List<TaskGroup.Result<List<String>>> parts = new ArrayList<>();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (Shard shard : shards) {
              // BUG: Diagnostic contains: [TaskContextIgnored] ctx is captured
              parts.add(g.fork(c -> shard.search(ctx, query)));
            }
            g.await();
          }
          List<String> out = new ArrayList<>();
          parts.forEach(p -> out.addAll(p.get()));
          return out;
        }

        /** A nested group's task that uses the outer task's context: it outlives a failing sibling. */
        public void replicas(Context ctx, String query) throws InterruptedException, ExecutionException {
          try (TaskGroup outer = TaskGroup.withContext(ctx)) {
            for (Shard shard : shards) {
              outer.go(
                  c -> {
                    try (TaskGroup inner = TaskGroup.withLimit(c, 2)) {
                      // BUG: Diagnostic contains: [TaskContextIgnored] c is captured
                      inner.go(replica -> shard.search(c, query));
                      inner.await();
                    }
                  });
            }
            outer.await();
          }
        }

        /** A second stage chained inside a task, bound to the caller's context instead of the task's. */
        public CompletableFuture<List<String>> twoStages(Context ctx, String query) {
          return ContextExecutors.callAsync(
              ctx,
              executor,
              c -> {
                List<String> first = shards.get(0).search(c, query);
                CompletableFuture<List<String>> second =
                    // BUG: Diagnostic contains: [TaskContextIgnored] ctx is captured
                    ContextExecutors.callAsync(ctx, executor, c2 -> shards.get(1).search(c2, first.get(0)));
                // BUG: Diagnostic contains: [BlockingCallIgnoresContext] CompletableFuture.join
                return second.join();
              });
        }

        /** A group left behind by an early return. */
        public int count(Context ctx, String query) throws InterruptedException, ExecutionException {
          // BUG: Diagnostic contains: [LostCancel] This TaskGroup is neither awaited nor closed
          TaskGroup g = TaskGroup.withLimit(ctx, 4);
          List<TaskGroup.Result<List<String>>> parts = new ArrayList<>();
          for (Shard shard : shards) {
            if (query.isBlank()) {
              return 0;
            }
            parts.add(g.fork(c -> shard.search(c, query)));
          }
          g.await();
          return parts.stream().mapToInt(p -> p.get().size()).sum();
        }
      }
      """;
}
