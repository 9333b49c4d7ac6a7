package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * Application code in modern Java 17, compiled with every ctx4j check: HTTP middleware and
 * interceptor chains, retries with backoff and per-attempt timeouts, a circuit breaker, a cache
 * with per-entry deadlines, pollers that derive a context per tick, builders, sealed interfaces
 * with records and patterns, enums with abstract methods, generic repositories, nested and inner
 * classes, default and static interface methods, varargs, overloads, {@code Optional} and stream
 * pipelines, {@code switch} expressions with {@code yield}, text blocks, labelled breaks,
 * try/finally with several contexts, and a context handed to a callback that cancels it. Correct
 * code stays quiet under every check; the mistakes of the last program are reported by the right
 * check on the right line.
 */
final class AppRealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, AppRealisticCodeTest.class);
  }

  /**
   * Pages read under a context each, a shard chosen by its key, a synchronized return out of a
   * loop.
   */
  @Test
  void batchesIsQuiet() {
    everyCheck().addSourceLines("batches/Batches.java", BATCHES).expectNoDiagnostics().doTest();
  }

  /**
   * A cache with per-entry deadlines and cancel handles, a refresh whose callback cancels, a poller
   * with a context per tick.
   */
  @Test
  void cacheIsQuiet() {
    everyCheck().addSourceLines("cache/Cache.java", CACHE).expectNoDiagnostics().doTest();
  }

  /**
   * Rollback and release under Context.withoutCancel, var and try (c), deferred cancels, a
   * forwarding Context of one's own.
   */
  @Test
  void cleanupIsQuiet() {
    everyCheck().addSourceLines("cleanup/Cleanup.java", CLEANUP).expectNoDiagnostics().doTest();
  }

  /**
   * A fluent client: builders, an interceptor chain walked by index, overloads with and without a
   * context, labelled loops.
   */
  @Test
  void clientIsQuiet() {
    everyCheck().addSourceLines("client/Client.java", CLIENT).expectNoDiagnostics().doTest();
  }

  /** A variable set under a condition and read under the same one, a try with only a finally. */
  @Test
  void correlatedIsQuiet() {
    everyCheck()
        .addSourceLines("correlated/Correlated.java", CORRELATED)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * Private keys, per-item baggage, null checks, a context handed to a callback that cancels it,
   * inner and local classes.
   */
  @Test
  void edgesIsQuiet() {
    everyCheck().addSourceLines("edges/Edges.java", EDGES).expectNoDiagnostics().doTest();
  }

  /** Unbounded queues filled by put, drained with the context's time left. */
  @Test
  void eventsIsQuiet() {
    everyCheck().addSourceLines("events/Events.java", EVENTS).expectNoDiagnostics().doTest();
  }

  /**
   * Futures joined after allOf or Context.await, interrupt scopes, children linked to the caller's
   * context.
   */
  @Test
  void gatherIsQuiet() {
    everyCheck().addSourceLines("gather/Gather.java", GATHER).expectNoDiagnostics().doTest();
  }

  /**
   * Cancels handed to buttons, schedulers, Optional and computeIfAbsent; a try-with-resources per
   * stream item.
   */
  @Test
  void handoverIsQuiet() {
    everyCheck().addSourceLines("handover/Handover.java", HANDOVER).expectNoDiagnostics().doTest();
  }

  /** Middleware that copies the headers it knows from a map into the context. */
  @Test
  void headersIsQuiet() {
    everyCheck().addSourceLines("headers/Headers.java", HEADERS).expectNoDiagnostics().doTest();
  }

  /**
   * Optional per-job timeouts, varargs cleanup, switch statements and expressions that cancel
   * early.
   */
  @Test
  void jobsIsQuiet() {
    everyCheck().addSourceLines("jobs/Jobs.java", JOBS).expectNoDiagnostics().doTest();
  }

  /**
   * Leases, a job table of cancel handles, sessions that own several contexts, generic context
   * types.
   */
  @Test
  void lifecycleIsQuiet() {
    everyCheck()
        .addSourceLines("lifecycle/Lifecycle.java", LIFECYCLE)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * An HTTP middleware chain: request id, per-route deadline, auth, logging, recovery and a router.
   */
  @Test
  void middlewareIsQuiet() {
    everyCheck().addSourceLines("web/Middleware.java", MIDDLEWARE).expectNoDiagnostics().doTest();
  }

  /**
   * Sealed commands and results, records, enums with abstract methods, a generic repository,
   * Optional pipelines.
   */
  @Test
  void ordersIsQuiet() {
    everyCheck().addSourceLines("orders/Orders.java", ORDERS).expectNoDiagnostics().doTest();
  }

  /**
   * Null-initialised context variables that every path assigns before use, a package's own keys and
   * Context.
   */
  @Test
  void pathsIsQuiet() {
    everyCheck().addSourceLines("paths/Paths.java", PATHS).expectNoDiagnostics().doTest();
  }

  /** A do/while retry, synchronized state, null values in the context. */
  @Test
  void pollerIsQuiet() {
    everyCheck().addSourceLines("poller/Poller.java", POLLER).expectNoDiagnostics().doTest();
  }

  /**
   * Contexts chosen by ternaries and switches, labelled breaks, cancel handles in scopes, a local
   * record.
   */
  @Test
  void probesIsQuiet() {
    everyCheck().addSourceLines("probes/Probes.java", PROBES).expectNoDiagnostics().doTest();
  }

  /**
   * Retries with backoff and per-attempt timeouts, a hedged call, a circuit breaker of enum states.
   */
  @Test
  void resilienceIsQuiet() {
    everyCheck()
        .addSourceLines("resilience/Resilience.java", RESILIENCE)
        .expectNoDiagnostics()
        .doTest();
  }

  /** A router that names the matching route and returns its answer from inside the loop. */
  @Test
  void routerIsQuiet() {
    everyCheck().addSourceLines("router/Router.java", ROUTER).expectNoDiagnostics().doTest();
  }

  /**
   * Enums of handlers, intersections, private interface methods, local interfaces, method
   * references as tasks.
   */
  @Test
  void syntaxIsQuiet() {
    everyCheck().addSourceLines("syntax/Syntax.java", SYNTAX).expectNoDiagnostics().doTest();
  }

  /** Waits on contexts themselves, keys with a debug name, steps generic in the context type. */
  @Test
  void waitsIsQuiet() {
    everyCheck().addSourceLines("waits/Waits.java", WAITS).expectNoDiagnostics().doTest();
  }

  /**
   * A tree walker that saves and restores its context around each child, receiver parameters,
   * annotations.
   */
  @Test
  void walkerIsQuiet() {
    everyCheck().addSourceLines("walker/Walker.java", WALKER).expectNoDiagnostics().doTest();
  }

  /** The same shapes with real mistakes: each finding from the right check. */
  @Test
  void mistakesAreReported() {
    everyCheck().addSourceLines("mistakes/Mistakes.java", MISTAKES).doTest();
  }

  private static final String BATCHES =
      """
      package batches;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.Iterator;
      import java.util.List;
      import java.util.Map;
      import java.util.function.Predicate;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Batches, pages and shards: contexts per page, derivations that stop the loop. */
      final class Batches {
        private static final ContextKey<String> SHARD = ContextKey.of("shard", String.class);
        private static final ContextKey<Integer> PAGE = ContextKey.of("page", Integer.class);

        interface Store {
          List<String> page(Context ctx, int page, int size) throws Exception;
        }

        static List<String> all(Context ctx, Store store, int size) throws Exception {
          List<String> out = new ArrayList<>();
          int page = 0;
          while (true) {
            List<String> items;
            try (CancellableContext pageCtx = Context.withTimeout(PAGE.with(ctx, page), Duration.ofSeconds(2))) {
              items = store.page(pageCtx, page, size);
            }
            out.addAll(items);
            if (items.size() < size) {
              return out;
            }
            page++;
          }
        }

        static String firstShard(Context ctx, Map<String, Store> shards, Predicate<String> healthy) throws Exception {
          Iterator<Map.Entry<String, Store>> it = shards.entrySet().iterator();
          while (it.hasNext()) {
            Map.Entry<String, Store> e = it.next();
            if (!healthy.test(e.getKey())) {
              continue;
            }
            ctx = SHARD.with(ctx, e.getKey());
            synchronized (e.getValue()) {
              return String.join(",", e.getValue().page(ctx, 0, 10));
            }
          }
          return "";
        }

        static int countUntilFull(Context ctx, Store store, int limit) throws Exception {
          int total = 0;
          for (int page = 0; ; page++) {
            List<String> items = store.page(PAGE.with(ctx, page), page, 100);
            total += items.size();
            if (items.isEmpty() || total >= limit) {
              break;
            }
          }
          return total;
        }
      }
      """;

  private static final String CACHE =
      """
      package cache;

      import java.time.Clock;
      import java.time.Duration;
      import java.time.Instant;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ScheduledExecutorService;
      import java.util.concurrent.ScheduledFuture;
      import java.util.concurrent.TimeUnit;
      import java.util.function.Consumer;
      import org.ctx4j.AfterFunc;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      /** A cache with per-entry deadlines, and a poller that derives a context per tick. */
      public final class Cache<K, V> {
        public interface Loader<K, V> {
          V load(Context ctx, K key) throws Exception;
        }

        private record Entry<V>(V value, Instant expires) {
          boolean live(Instant now) {
            return now.isBefore(expires);
          }
        }

        private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
        private final Map<K, CancelFunc> loading = new ConcurrentHashMap<>();
        private final Loader<K, V> loader;
        private final Clock clock;
        private final Duration ttl;

        public Cache(Loader<K, V> loader, Clock clock, Duration ttl) {
          this.loader = loader;
          this.clock = clock;
          this.ttl = ttl;
        }

        public Optional<V> peek(K key) {
          return Optional.ofNullable(entries.get(key)).filter(e -> e.live(clock.instant())).map(Entry::value);
        }

        public V get(Context ctx, K key) throws Exception {
          Entry<V> e = entries.get(key);
          Instant now = clock.instant();
          if (e != null && e.live(now)) {
            return e.value();
          }
          Instant deadline = ctx.deadline().filter(d -> d.isBefore(now.plus(ttl))).orElse(now.plus(ttl));
          try (CancellableContext loadCtx = Context.withDeadline(ctx, deadline)) {
            loading.put(key, loadCtx::cancel);
            V v = loader.load(loadCtx, key);
            entries.put(key, new Entry<>(v, clock.instant().plus(ttl)));
            return v;
          } finally {
            loading.remove(key);
          }
        }

        /** Cancels a load in flight, for example when the key is invalidated. */
        public void invalidate(K key) {
          entries.remove(key);
          CancelFunc cancel = loading.remove(key);
          if (cancel != null) {
            cancel.cancel();
          }
        }

        /** A background refresh: the context is handed to a callback that cancels it when done. */
        public void refreshAsync(Context ctx, K key, Consumer<Runnable> executor) {
          CancellableContext refreshCtx = Context.withTimeout(ctx, ttl);
          executor.accept(
              () -> {
                try {
                  entries.put(key, new Entry<>(loader.load(refreshCtx, key), clock.instant().plus(ttl)));
                } catch (Exception ignored) {
                  // keep the stale entry
                } finally {
                  refreshCtx.cancel();
                }
              });
        }

        /** A poller: each tick gets its own context, cancelled when the tick ends. */
        public static final class Poller implements AutoCloseable {
          private final ScheduledExecutorService scheduler;
          private final Map<String, ScheduledFuture<?>> jobs = new ConcurrentHashMap<>();

          public Poller(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
          }

          public interface Tick {
            void run(Context ctx) throws Exception;
          }

          public void every(Context ctx, String name, Duration period, Duration perTick, Tick tick) {
            CancellableContext jobCtx = Context.withCancel(ctx);
            ScheduledFuture<?> f =
                scheduler.scheduleAtFixedRate(
                    () -> {
                      if (jobCtx.done().isDone()) {
                        return;
                      }
                      try (CancellableContext tickCtx = Context.withTimeout(jobCtx, perTick)) {
                        tick.run(tickCtx);
                      } catch (Exception e) {
                        // logged by the tick
                      }
                    },
                    0,
                    period.toMillis(),
                    TimeUnit.MILLISECONDS);
            AfterFunc stop = Context.afterFunc(jobCtx, () -> f.cancel(false));
            jobs.put(name, f);
            ctx.done().onDone(jobCtx::cancel);
            if (f.isCancelled()) {
              stop.stop();
              jobCtx.cancel();
            }
          }

          public void stop(String name) {
            ScheduledFuture<?> f = jobs.remove(name);
            if (f != null) f.cancel(true);
          }

          @Override
          public void close() {
            jobs.values().forEach(f -> f.cancel(true));
            scheduler.shutdownNow();
          }
        }

        /** A poll loop on the caller's thread: a context per round, a sleep that the context ends. */
        public static int pollUntil(Context ctx, Duration every, Duration perRound, Loader<Integer, Boolean> probe)
            throws Exception {
          int round = 0;
          while (!ctx.done().isDone()) {
            round++;
            boolean ready;
            try (CancellableContext roundCtx = Context.withTimeout(ctx, perRound)) {
              ready = probe.load(roundCtx, round);
            }
            if (ready) {
              return round;
            }
            Context.sleep(ctx, every);
          }
          return -1;
        }
      }
      """;

  private static final String CLEANUP =
      """
      package cleanup;

      import java.time.Duration;
      import java.time.Instant;
      import java.util.ArrayDeque;
      import java.util.ArrayList;
      import java.util.Deque;
      import java.util.List;
      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.locks.ReentrantLock;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.ContextKey;
      import org.ctx4j.Done;

      /** Cleanup that must run after the caller's context has ended, var, and wrapper contexts. */
      public final class Cleanup {
        private static final ContextKey<String> TX = ContextKey.of("tx", String.class);

        public interface Store {
          void write(Context ctx, String row) throws Exception;

          void rollback(Context ctx, String tx);

          void release(Context ctx, String lock);
        }

        public static void transaction(Context ctx, Store store, List<String> rows) throws Exception {
          var tx = TX.with(ctx, "tx-" + System.nanoTime());
          try {
            for (var row : rows) {
              store.write(tx, row);
            }
          } catch (Exception e) {
            try (var rollback = Context.withTimeout(Context.withoutCancel(tx), Duration.ofSeconds(5))) {
              store.rollback(rollback, TX.get(rollback));
            }
            throw e;
          } finally {
            try (var release = Context.withTimeout(Context.withoutCancel(ctx), Duration.ofSeconds(2))) {
              store.release(release, "rows");
            }
          }
        }

        public static void withVar(Context ctx, Store store) throws Exception {
          var c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          try {
            store.write(c, "x");
          } finally {
            c.cancel();
          }
          final var d = Context.withCancel(ctx);
          try (d) {
            store.write(d, "y");
          }
        }

        public static void deferred(Context ctx, Store store, List<String> rows) throws Exception {
          Deque<Runnable> defers = new ArrayDeque<>();
          try {
            for (String row : rows) {
              CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(200));
              defers.push(c::cancel);
              store.write(c, row);
            }
          } finally {
            while (!defers.isEmpty()) {
              defers.pop().run();
            }
          }
        }

        public static void closeableHandle(Context ctx, Store store) throws Exception {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          try (AutoCloseable ignored = c::cancel) {
            store.write(c, "z");
          }
        }

        public static CompletableFuture<Void> async(Context ctx, Store store, String row) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          return CompletableFuture.runAsync(
                  () -> {
                    try {
                      store.write(c, row);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .whenComplete((v, e) -> c.cancel(e));
        }

        public static String awaitAsync(Context ctx, CompletableFuture<String> f) {
          return Context.awaitAsync(ctx, f).exceptionally(e -> "failed").join();
        }

        public static void locked(Context ctx, ReentrantLock lock, Store store) throws Exception {
          lock.lockInterruptibly();
          try (var c = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
            store.write(c, "locked");
          } finally {
            lock.unlock();
          }
        }

        /** A forwarding base for contexts of one's own, and a subclass. */
        abstract static class ForwardingContext implements Context {
          protected final Context parent;

          ForwardingContext(Context parent) {
            this.parent = parent;
          }

          @Override
          public Optional<Instant> deadline() {
            return parent.deadline();
          }

          @Override
          public Done done() {
            return parent.done();
          }

          @Override
          public ContextDoneException err() {
            return parent.err();
          }

          @Override
          public Object value(Object key) {
            return parent.value(key);
          }
        }

        static final class AuditedContext extends ForwardingContext {
          private final List<Object> asked = new ArrayList<>();

          AuditedContext(Context parent) {
            super(parent);
          }

          @Override
          public Object value(Object key) {
            asked.add(key);
            return super.value(key);
          }

          List<Object> asked() {
            return List.copyOf(asked);
          }
        }

        public static List<Object> audit(Context ctx, Store store) throws Exception {
          AuditedContext audited = new AuditedContext(ctx);
          store.write(audited, "audited");
          return audited.asked();
        }
      }
      """;

  private static final String CLIENT =
      """
      package client;

      import java.time.Duration;
      import java.time.Instant;
      import java.util.ArrayList;
      import java.util.Iterator;
      import java.util.LinkedHashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A fluent client: a builder that carries a context, interceptors, request-scoped objects. */
      public final class Client {
        private static final ContextKey<String> TRACE = ContextKey.of("trace", String.class);
        private static final ContextKey<Integer> ATTEMPT = ContextKey.withDefault("attempt", Integer.class, 0);

        public interface Interceptor {
          String intercept(Context ctx, Call call, Chain chain) throws Exception;
        }

        public interface Chain {
          String proceed(Context ctx, Call call) throws Exception;
        }

        public record Call(String method, String url, Map<String, String> headers, Optional<Duration> timeout) {}

        private final List<Interceptor> interceptors;
        private final Transport transport;

        public interface Transport {
          String send(Context ctx, Call call) throws Exception;
        }

        private Client(List<Interceptor> interceptors, Transport transport) {
          this.interceptors = List.copyOf(interceptors);
          this.transport = transport;
        }

        public static Builder builder() {
          return new Builder();
        }

        public static final class Builder {
          private final List<Interceptor> interceptors = new ArrayList<>();
          private Transport transport = (ctx, call) -> "";

          public Builder intercept(Interceptor... more) {
            interceptors.addAll(List.of(more));
            return this;
          }

          public Builder transport(Transport t) {
            this.transport = t;
            return this;
          }

          public Client build() {
            return new Client(interceptors, transport);
          }
        }

        /** The request builder: the context is passed to the terminal call, not stored. */
        public RequestBuilder request(String method, String url) {
          return new RequestBuilder(method, url);
        }

        public final class RequestBuilder {
          private final String method;
          private final String url;
          private final Map<String, String> headers = new LinkedHashMap<>();
          private Duration timeout;

          RequestBuilder(String method, String url) {
            this.method = method;
            this.url = url;
          }

          public RequestBuilder header(String name, String value) {
            headers.put(name, value);
            return this;
          }

          public RequestBuilder timeout(Duration d) {
            this.timeout = d;
            return this;
          }

          public String execute(Context ctx) throws Exception {
            Call call = new Call(method, url, Map.copyOf(headers), Optional.ofNullable(timeout));
            if (timeout == null) {
              return run(ctx, call);
            }
            try (CancellableContext timed = Context.withTimeout(ctx, timeout)) {
              return run(timed, call);
            }
          }
        }

        /** The chain walks the interceptors by index, like OkHttp's. */
        String run(Context ctx, Call call) throws Exception {
          return new IndexChain(0).proceed(ctx, call);
        }

        private final class IndexChain implements Chain {
          private final int index;

          IndexChain(int index) {
            this.index = index;
          }

          @Override
          public String proceed(Context ctx, Call call) throws Exception {
            if (index == interceptors.size()) {
              return transport.send(ctx, call);
            }
            return interceptors.get(index).intercept(ctx, call, new IndexChain(index + 1));
          }
        }

        /** Interceptors as a developer writes them. */
        public static Interceptor tracing() {
          return (ctx, call, chain) -> {
            String trace = Optional.ofNullable(TRACE.get(ctx)).orElseGet(() -> Long.toHexString(System.nanoTime()));
            Map<String, String> headers = new LinkedHashMap<>(call.headers());
            headers.put("traceparent", trace);
            return chain.proceed(TRACE.with(ctx, trace), new Call(call.method(), call.url(), headers, call.timeout()));
          };
        }

        public static Interceptor retrying(int max) {
          return (ctx, call, chain) -> {
            Exception last = null;
            for (int attempt = 1; attempt <= max; attempt++) {
              Context attemptCtx = ATTEMPT.with(ctx, attempt);
              Duration per = call.timeout().orElse(Duration.ofSeconds(1));
              try (CancellableContext timed = Context.withTimeout(attemptCtx, per)) {
                return chain.proceed(timed, call);
              } catch (java.io.IOException e) {
                last = e;
                Context.sleep(ctx, Duration.ofMillis(10L << attempt));
              }
            }
            throw last;
          };
        }

        public static Interceptor deadlineHeader() {
          return new Interceptor() {
            @Override
            public String intercept(Context ctx, Call call, Chain chain) throws Exception {
              Optional<Instant> deadline = ctx.deadline();
              if (deadline.isEmpty()) {
                return chain.proceed(ctx, call);
              }
              Map<String, String> headers = new LinkedHashMap<>(call.headers());
              headers.put("x-deadline", deadline.get().toString());
              return chain.proceed(ctx, new Call(call.method(), call.url(), headers, call.timeout()));
            }
          };
        }

        /** Overloads with and without a context; the one without is for callers with none yet. */
        public String get(String url) throws Exception {
          return get(Context.background(), url);
        }

        public String get(Context ctx, String url) throws Exception {
          return request("GET", url).execute(ctx);
        }

        public String get(Context ctx, String url, Duration timeout) throws Exception {
          return request("GET", url).timeout(timeout).execute(ctx);
        }

        /** Several contexts in one try/finally, an early return and an exception. */
        public List<String> mirror(Context ctx, String primary, String... mirrors) throws Exception {
          CancellableContext all = Context.withTimeout(ctx, Duration.ofSeconds(5));
          CancellableContext first = Context.withTimeout(all, Duration.ofSeconds(1));
          try {
            String p = get(first, primary);
            if (p.isEmpty()) {
              return List.of();
            }
            List<String> out = new ArrayList<>(List.of(p));
            scan:
            for (String m : mirrors) {
              for (Iterator<String> it = out.iterator(); it.hasNext(); ) {
                if (it.next().equals(m)) {
                  continue scan;
                }
              }
              String body = get(all, m);
              if (body.contains("STOP")) {
                break scan;
              }
              if (body.isBlank()) {
                throw new IllegalStateException("empty mirror " + m);
              }
              out.add(body);
            }
            return out;
          } finally {
            first.cancel();
            all.cancel();
          }
        }

        /** A request-scoped object: built from the request's context, never keeps it. */
        public static final class RequestScope {
          private final String trace;
          private final int attempt;
          private final Optional<Instant> deadline;

          public RequestScope(Context ctx) {
            this.trace = Optional.ofNullable(TRACE.get(ctx)).orElse("-");
            this.attempt = ATTEMPT.get(ctx);
            this.deadline = ctx.deadline();
          }

          public RequestScope(Context ctx, String traceOverride) {
            this(TRACE.with(ctx, traceOverride));
          }

          public String describe() {
            return \"""
                trace=%s
                attempt=%d
                deadline=%s
                \""".formatted(trace, attempt, deadline.map(Instant::toString).orElse("none"));
          }
        }
      }
      """;

  private static final String CORRELATED =
      """
      package correlated;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      /** A variable set under a condition and read under the same condition. */
      final class Correlated {
        static String work(Context ctx) {
          return String.valueOf(ctx.deadline());
        }

        static String optionalTimeout(Context ctx, Duration timeout) {
          CancellableContext timed = null;
          if (timeout != null) {
            timed = Context.withTimeout(ctx, timeout);
          }
          try {
            return work(timeout != null ? timed : ctx);
          } finally {
            if (timed != null) {
              timed.cancel();
            }
          }
        }

        static String sameFlag(Context ctx, boolean scoped) {
          CancellableContext c = null;
          if (scoped) {
            c = Context.withCancel(ctx);
          }
          try {
            if (scoped) {
              return work(c);
            }
            return work(ctx);
          } finally {
            if (scoped) {
              c.cancel();
            }
          }
        }

        static String finallyOnly(Context ctx, Supplier<Context> make) {
          Context c = null;
          boolean ok = false;
          try {
            c = make.get();
            ok = true;
          } finally {
            if (!ok) {
              System.err.println("no context");
            }
          }
          return work(c);
        }

        interface Source {
          Context open() throws IOException;
        }

        static String caughtAndReturned(Context ctx, Source source) {
          Context c = null;
          try {
            c = source.open();
          } catch (IOException e) {
            return "unavailable";
          }
          return work(c);
        }
      }
      """;

  private static final String EDGES =
      """
      package edges;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.Iterator;
      import java.util.List;
      import java.util.Map;
      import java.util.Objects;
      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;
      import java.util.function.Consumer;
      import java.util.function.Function;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Shapes at the edges of the rules, written the way application code writes them. */
      public final class Edges {
        private enum Key {
          USER,
          LOCALE
        }

        private record Baggage(ContextKey<String> key, String value) {}

        static final class Holder {
          public enum Exposed {
            TRACE
          }

          public static final Object SHARED = new Object();
        }

        private final Function<Context, String> describer;
        private final Supplier<Context> fallback;
        private final List<Consumer<Context>> listeners = new ArrayList<>();

        Edges(Function<Context, String> describer, Supplier<Context> fallback) {
          this.describer = describer;
          this.fallback = fallback;
        }

        static Context user(Context ctx, String user) {
          return Context.withValue(ctx, Key.USER, user);
        }

        static Object user(Context ctx) {
          return ctx.value(Key.USER);
        }

        static Context packageKeys(Context ctx) {
          Context c = Context.withValue(ctx, Holder.Exposed.TRACE, "t");
          return Context.withValue(c, Holder.SHARED, "s");
        }

        /** Baggage: one value per item, keys from the loop. */
        static Context baggage(Context ctx, List<Baggage> items, Map<ContextKey<String>, String> more) {
          for (Baggage b : items) {
            ctx = b.key().with(ctx, b.value());
          }
          for (Map.Entry<ContextKey<String>, String> e : more.entrySet()) {
            ctx = e.getKey().with(ctx, e.getValue());
          }
          List<ContextKey<String>> keys = List.copyOf(more.keySet());
          for (int i = 0; i < keys.size(); i++) {
            ctx = keys.get(i).with(ctx, more.get(keys.get(i)));
          }
          for (Iterator<Baggage> it = items.iterator(); it.hasNext(); ) {
            Baggage b = it.next();
            ctx = Context.withValue(ctx, b.key(), b.value());
          }
          return ctx;
        }

        /** Null handling that never passes null on. */
        static String nulls(Context ctx, Context maybe, Supplier<Context> source) throws Exception {
          Context parent = maybe != null ? maybe : ctx;
          Context other = Objects.requireNonNullElse(source.get(), ctx);
          Context chosen = null;
          while (chosen == null) {
            chosen = source.get();
          }
          Context found = null;
          try {
            found = source.get();
          } catch (RuntimeException e) {
            return "none";
          }
          Context polled;
          do {
            polled = source.get();
          } while (polled == null);
          CancellableContext c = null;
          try {
            c = Context.withTimeout(parent, Duration.ofSeconds(1));
            return describe(c) + describe(other) + describe(chosen) + describe(found) + describe(polled);
          } finally {
            if (c != null) {
              c.cancel();
            }
          }
        }

        static String nullsInBranches(Context ctx, int mode) {
          Context picked = null;
          switch (mode) {
            case 0:
              picked = ctx;
              break;
            case 1:
              picked = Context.withValue(ctx, Key.LOCALE, "fr");
              break;
            default:
              throw new IllegalArgumentException();
          }
          return describe(picked);
        }

        static String lastOfLoop(Context ctx, List<String> items) {
          if (items.isEmpty()) {
            return "";
          }
          Context last = null;
          for (String item : items) {
            last = Context.withValue(ctx, Key.USER, item);
          }
          return last == null ? "" : describe(last);
        }

        static String describe(Context ctx) {
          return String.valueOf(ctx.value(Key.USER));
        }

        /** A context handed to a callback that cancels it. */
        static void watch(Context ctx, Watcher watcher) {
          CancellableContext c = Context.withCancel(ctx);
          watcher.onEvent(
              event -> {
                if (event.fatal()) {
                  c.cancel(new IllegalStateException(event.name()));
                }
              });
          try {
            watcher.run(c);
          } finally {
            c.cancel();
          }
        }

        static CompletableFuture<String> async(Context ctx, Function<Context, CompletableFuture<String>> call) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(3));
          return call.apply(c).whenComplete((r, e) -> c.cancel());
        }

        static CancellableContext open(Context ctx, Duration d) {
          CancellableContext c = Context.withTimeout(ctx, d);
          if (d.isNegative()) {
            c.cancel();
          }
          return c;
        }

        static String resourceVariable(Context ctx) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          try (c) {
            return describe(c);
          }
        }

        static void cancelAll(Context ctx, List<String> ids) {
          List<CancellableContext> live = new ArrayList<>();
          try {
            for (String id : ids) {
              CancellableContext c = Context.withCancel(ctx);
              live.add(c);
              describe(Context.withValue(c, Key.USER, id));
            }
          } finally {
            live.forEach(CancellableContext::cancel);
          }
        }

        static void cancelThroughOptional(Context ctx, boolean timed) {
          Optional<CancellableContext> timer =
              timed ? Optional.of(Context.withTimeout(ctx, Duration.ofSeconds(1))) : Optional.empty();
          try {
            describe(timer.<Context>map(t -> t).orElse(ctx));
          } finally {
            timer.ifPresent(CancellableContext::cancel);
          }
        }

        public interface Watcher {
          void onEvent(Consumer<Event> listener);

          void run(Context ctx);
        }

        public record Event(String name, boolean fatal) {}

        /** Functional values over contexts, and listeners called with the caller's context. */
        String fields(Context ctx) {
          listeners.forEach(l -> l.accept(ctx));
          Context base = Optional.ofNullable(fallback.get()).orElse(ctx);
          return describer.apply(base);
        }

        /** Streams that map contexts. */
        static List<String> fromContexts(Context ctx, List<Context> children) {
          return children.stream()
              .filter(c -> !c.done().isDone())
              .map(c -> Optional.ofNullable(c.value(Key.USER)).orElse(ctx.value(Key.USER)))
              .map(String::valueOf)
              .toList();
        }

        static Function<Context, String> lookup(Context ctx) {
          return c -> c == ctx ? "same" : describe(c);
        }

        /** A generic helper with a context type variable. */
        static <C extends Context> C checked(C ctx) {
          ctx.throwIfDone();
          return ctx;
        }

        static String varargs(Context ctx, String first, Object... rest) {
          return first + rest.length + describe(ctx);
        }

        static String varargsOfContexts(Context ctx, Context... more) {
          StringBuilder sb = new StringBuilder(describe(ctx));
          for (Context m : more) {
            sb.append(describe(m));
          }
          return sb.toString();
        }

        /** An inner class whose methods take the context; a local class too. */
        final class Session {
          private final String name;

          Session(Context ctx, String name) {
            this.name = name + describe(ctx);
          }

          String greet(Context ctx) {
            return name + fields(ctx);
          }
        }

        String session(Context ctx) {
          Session s = new Session(ctx, "s");
          class Greeter {
            String greet(Context ctx) {
              return s.greet(ctx);
            }
          }
          return new Greeter().greet(ctx) + this.new Session(ctx, "t").greet(ctx);
        }
      }
      """;

  private static final String EVENTS =
      """
      package events;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.LinkedBlockingDeque;
      import java.util.concurrent.LinkedBlockingQueue;
      import java.util.concurrent.TimeUnit;
      import org.ctx4j.Context;

      /** An event sink: an unbounded queue filled by callbacks, drained with the context's time left. */
      public final class Events {
        public record Event(String type, String payload) {}

        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final LinkedBlockingDeque<Event> retries = new LinkedBlockingDeque<>();

        public void publish(Context ctx, Event event) throws InterruptedException {
          ctx.throwIfDone();
          events.put(event);
        }

        public void retry(Context ctx, Event event) throws InterruptedException {
          retries.putFirst(event);
          retries.put(event);
        }

        public List<Event> collect(Context ctx, List<String> types) throws InterruptedException {
          BlockingQueue<Event> found = new LinkedBlockingQueue<>();
          for (String type : types) {
            found.put(new Event(type, ""));
          }
          List<Event> out = new ArrayList<>();
          long millis = ctx.timeLeft().map(d -> d.toMillis()).orElse(0L);
          Event e;
          while ((e = found.poll(millis, TimeUnit.MILLISECONDS)) != null) {
            out.add(e);
          }
          return out;
        }
      }
      """;

  private static final String GATHER =
      """
      package gather;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Future;
      import java.util.concurrent.LinkedBlockingQueue;
      import java.util.concurrent.TimeUnit;
      import java.util.function.BiFunction;
      import java.util.function.Consumer;
      import java.util.stream.Collectors;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.InterruptScope;

      /** Futures gathered the ways application code gathers them. */
      public final class Gather {
        private static final ContextKey<String> USER = ContextKey.of("user", String.class);

        public interface Backend {
          CompletableFuture<String> fetch(Context ctx, String id);
        }

        /** allOf, then join inside thenApply: every future is complete there. */
        static CompletableFuture<String> both(Context ctx, Backend backend) {
          CompletableFuture<String> a = backend.fetch(ctx, "a");
          CompletableFuture<String> b = backend.fetch(ctx, "b");
          return CompletableFuture.allOf(a, b).thenApply(v -> a.join() + b.join());
        }

        /** Await with the context, then read results that are already there. */
        static String awaited(Context ctx, Backend backend) throws Exception {
          CompletableFuture<String> a = backend.fetch(ctx, "a");
          CompletableFuture<String> b = backend.fetch(ctx, "b");
          Context.await(ctx, CompletableFuture.allOf(a, b));
          return a.join() + b.join();
        }

        static List<String> awaitedAll(Context ctx, Backend backend, List<String> ids) throws Exception {
          List<CompletableFuture<String>> futures = ids.stream().map(id -> backend.fetch(ctx, id)).toList();
          Context.await(ctx, CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
          return futures.stream().map(CompletableFuture::join).collect(Collectors.toList());
        }

        static String interruptible(Context ctx, Future<String> f, BlockingQueue<String> q) throws Exception {
          try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
            String head = q.take();
            return head + f.get();
          }
        }

        static String ifDone(Context ctx, Future<String> f) throws ExecutionException, InterruptedException {
          if (f.isDone()) {
            return f.get();
          }
          return Context.await(ctx, f);
        }

        static Optional<String> bounded(Context ctx, Backend backend) throws Exception {
          try (CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(500))) {
            return Optional.ofNullable(Context.await(c, backend.fetch(c, "x")));
          }
        }

        /** A queue with room: offer with no wait, poll with the context's time left. */
        static void pump(Context ctx, LinkedBlockingQueue<String> q, List<String> items) throws InterruptedException {
          for (String item : items) {
            if (!q.offer(item)) {
              ctx.throwIfDone();
            }
          }
          long millis = ctx.timeLeft().map(Duration::toMillis).orElse(100L);
          String s = q.poll(millis, TimeUnit.MILLISECONDS);
          if (s != null) {
            items.add(s);
          }
        }

        /** Cancelling every child when the caller's context ends: consumers of contexts. */
        static void linkAll(Context ctx, Map<String, CancellableContext> children) {
          children.values().forEach(child -> Context.afterFunc(ctx, child::cancel));
          children.forEach((id, child) -> Context.afterFunc(ctx, () -> child.cancel()));
        }

        static List<String> users(Context ctx, List<Context> requests) {
          BiFunction<Context, String, String> pick = (c, fallback) -> Optional.ofNullable(USER.get(c)).orElse(fallback);
          List<String> out = new ArrayList<>();
          for (Context r : requests) {
            out.add(pick.apply(r, USER.get(ctx)));
          }
          Consumer<Context> check = c -> c.throwIfDone();
          requests.forEach(check);
          return out;
        }

        /** Shutdown without a context, bounded by a time limit. */
        static final class Pool implements AutoCloseable {
          private final ExecutorService executor;

          Pool(ExecutorService executor) {
            this.executor = executor;
          }

          String submit(Context ctx, String id) throws Exception {
            Future<String> f = executor.submit(() -> id);
            try {
              return Context.await(ctx, f);
            } finally {
              f.cancel(true);
            }
          }

          @Override
          public void close() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
              executor.shutdownNow();
            }
          }
        }
      }
      """;

  private static final String HANDOVER =
      """
      package handover;

      import java.time.Duration;
      import java.util.HashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.ScheduledExecutorService;
      import java.util.concurrent.TimeUnit;
      import java.util.function.Consumer;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      /** Contexts whose cancel is handed to other code. */
      public final class Handover {
        public interface Button {
          void onClick(Runnable r);
        }

        public interface Loader {
          String load(Context ctx, String id) throws Exception;
        }

        static String cancelButton(Context ctx, Button button, Loader loader) throws Exception {
          CancellableContext c = Context.withCancel(ctx);
          button.onClick(() -> c.cancel());
          button.onClick(c::cancel);
          return loader.load(c, "clicked");
        }

        static void scheduledCancel(Context ctx, ScheduledExecutorService scheduler, Consumer<Context> work) {
          CancellableContext c = Context.withCancel(ctx);
          scheduler.schedule(() -> c.cancel(), 5, TimeUnit.SECONDS);
          work.accept(c);
        }

        static List<String> perItem(Context ctx, List<String> ids, Loader loader) {
          return ids.stream()
              .map(
                  id -> {
                    try (var c = Context.withTimeout(ctx, Duration.ofMillis(100))) {
                      return loader.load(c, id);
                    } catch (Exception e) {
                      return "error: " + e.getMessage();
                    }
                  })
              .toList();
        }

        static String optionalTimeout(Context ctx, Optional<Duration> timeout, Loader loader) throws Exception {
          Optional<CancellableContext> timed = timeout.map(d -> Context.withTimeout(ctx, d));
          try {
            return loader.load(timed.<Context>map(t -> t).orElse(ctx), "x");
          } finally {
            timed.ifPresent(CancellableContext::cancel);
          }
        }

        static void perTenant(Context ctx, List<String> tenants, Loader loader) throws Exception {
          Map<String, CancellableContext> byTenant = new HashMap<>();
          try {
            for (String t : tenants) {
              Context tc = byTenant.computeIfAbsent(t, k -> Context.withCancel(ctx));
              loader.load(tc, t);
            }
          } finally {
            byTenant.values().forEach(CancellableContext::cancel);
          }
        }

        static CancellableContext open(Context ctx, Duration timeout) {
          return timeout == null ? Context.withCancel(ctx) : Context.withTimeout(ctx, timeout);
        }
      }
      """;

  private static final String HEADERS =
      """
      package headers;

      import java.util.Locale;
      import java.util.Map;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Middleware that copies recognised headers into the context. */
      final class Headers {
        private static final ContextKey<String> REQUEST_ID = ContextKey.of("requestId", String.class);
        private static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);

        static Context fromHeaders(Context ctx, Map<String, String> headers) {
          for (Map.Entry<String, String> h : headers.entrySet()) {
            switch (h.getKey().toLowerCase(Locale.ROOT)) {
              case "x-request-id" -> ctx = REQUEST_ID.with(ctx, h.getValue());
              case "x-tenant" -> ctx = TENANT.with(ctx, h.getValue());
              default -> {}
            }
          }
          return ctx;
        }

        static Context fromHeadersIf(Context ctx, Map<String, String> headers) {
          for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("x-request-id")) {
              ctx = REQUEST_ID.with(ctx, h.getValue());
            } else if (h.getKey().equalsIgnoreCase("x-tenant")) {
              ctx = TENANT.with(ctx, h.getValue());
            }
          }
          return ctx;
        }
      }
      """;

  private static final String JOBS =
      """
      package jobs;

      import java.time.Duration;
      import java.util.List;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      /** A job runner: optional timeouts, varargs cleanup, a switch that cancels early. */
      final class Jobs {
        record Job(String name, Duration timeout, boolean skip) {}

        enum Mode {
          DRY_RUN,
          RUN,
          FORCE
        }

        static void run(Context ctx, Job job) {}

        static void closeAll(AutoCloseable... closeables) {
          for (AutoCloseable c : closeables) {
            try {
              c.close();
            } catch (Exception e) {
              // best effort
            }
          }
        }

        static void runAll(Context ctx, List<Job> jobs) {
          for (Job job : jobs) {
            CancellableContext c = job.timeout() == null ? null : Context.withTimeout(ctx, job.timeout());
            try {
              if (job.skip()) {
                continue;
              }
              run(c != null ? c : ctx, job);
            } finally {
              if (c != null) {
                c.cancel();
              }
            }
          }
        }

        static void pair(Context ctx, Job a, Job b) {
          CancellableContext first = Context.withTimeout(ctx, a.timeout());
          CancellableContext second = Context.withTimeout(ctx, b.timeout());
          try {
            run(first, a);
            run(second, b);
          } finally {
            closeAll(first, second);
          }
        }

        static String mode(Context ctx, Job job, Mode mode) {
          CancellableContext c = Context.withCancel(ctx);
          try {
            return switch (mode) {
              case DRY_RUN -> {
                c.cancel();
                yield "dry";
              }
              case RUN, FORCE -> {
                run(c, job);
                yield job.name();
              }
            };
          } finally {
            c.cancel();
          }
        }

        static String oldSwitch(Context ctx, Job job, Mode mode) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          switch (mode) {
            case DRY_RUN:
              c.cancel();
              return "dry";
            case RUN:
              run(c, job);
              c.cancel();
              return "run";
            default:
              c.cancel();
              throw new IllegalArgumentException(mode.name());
          }
        }
      }
      """;

  private static final String LIFECYCLE =
      """
      package lifecycle;

      import java.time.Duration;
      import java.time.Instant;
      import java.util.ArrayList;
      import java.util.HashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.function.Function;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Leases, sessions, jobs and request scopes whose contexts live longer than one call. */
      public final class Lifecycle {
        private static final ContextKey<String> JOB = ContextKey.of("job", String.class);

        /** A lease: the caller gets the context and the duty to close it. */
        public record Lease(CancelFunc cancel, Instant expires) implements AutoCloseable {
          @Override
          public void close() {
            cancel.cancel();
          }
        }

        public static Lease lease(Context ctx, Duration ttl, Function<Context, Boolean> keepAlive) {
          CancellableContext c = Context.withTimeout(ctx, ttl);
          if (!keepAlive.apply(c)) {
            c.cancel();
            throw new IllegalStateException("refused");
          }
          return new Lease(c::cancel, Instant.now().plus(ttl));
        }

        /** A job table: the cancel handle is stored, the context passed to the job. */
        public static final class Jobs {
          private final Map<String, CancelFunc> running = new ConcurrentHashMap<>();
          private final Map<String, CompletableFuture<Void>> done = new HashMap<>();

          public interface Job {
            void run(Context ctx) throws Exception;
          }

          public CompletableFuture<Void> start(Context ctx, String id, Job job) {
            CancellableContext jobCtx = Context.withCancel(JOB.with(Context.withoutCancel(ctx), id));
            CancelFunc previous = running.put(id, jobCtx::cancel);
            if (previous != null) {
              previous.cancel(new IllegalStateException("replaced by a new run of " + id));
            }
            CompletableFuture<Void> f =
                CompletableFuture.runAsync(
                    () -> {
                      try {
                        job.run(jobCtx);
                      } catch (Exception e) {
                        jobCtx.cancel(e);
                        throw new RuntimeException(e);
                      } finally {
                        running.remove(id, (CancelFunc) null);
                        jobCtx.cancel();
                      }
                    });
            done.put(id, f);
            return f;
          }

          public boolean stop(String id) {
            CancelFunc c = running.remove(id);
            if (c == null) {
              return false;
            }
            c.cancel();
            return true;
          }
        }

        /** A session that owns several contexts, cancelled together in reverse order. */
        public static String session(Context ctx, List<String> steps) throws Exception {
          List<CancellableContext> opened = new ArrayList<>();
          try {
            Context current = ctx;
            for (String step : steps) {
              CancellableContext c = Context.withTimeout(current, Duration.ofSeconds(1));
              opened.add(c);
              current = JOB.with(c, step);
            }
            return Optional.ofNullable(JOB.get(current)).orElse("empty");
          } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
              opened.get(i).cancel();
            }
          }
        }

        /** Two contexts in one try-with-resources, the second derived from the first. */
        public static String nested(Context ctx, String id) {
          try (CancellableContext outer = Context.withTimeout(ctx, Duration.ofSeconds(5));
              CancellableContext inner = Context.withTimeout(outer, Duration.ofSeconds(1))) {
            return JOB.with(inner, id).toString();
          }
        }

        /** An exception leaves early; every path still cancels. */
        public static int process(Context ctx, List<String> items) {
          CancellableContext c = Context.withCancel(ctx);
          int n = 0;
          try {
            for (String item : items) {
              if (item == null) {
                throw new IllegalArgumentException("null item");
              }
              if (item.isEmpty()) {
                return n;
              }
              if (c.done().isDone()) {
                break;
              }
              n++;
            }
          } finally {
            c.cancel();
          }
          return n;
        }

        /** Cancel in a catch and after: a swallowed exception path cancels too. */
        public static String swallow(Context ctx) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          String out;
          try {
            out = String.valueOf(c.deadline().orElseThrow());
          } catch (RuntimeException e) {
            c.cancel(e);
            return "failed";
          }
          c.cancel();
          return out;
        }

        /** A request scope: a record holds no context, only what was read from it. */
        public record RequestInfo(String job, Optional<Instant> deadline) {
          public static RequestInfo of(Context ctx) {
            return new RequestInfo(JOB.get(ctx), ctx.deadline());
          }
        }

        /** Generic code over context types. */
        public static <C extends Context> Optional<String> job(C ctx) {
          return Optional.ofNullable(JOB.get(ctx));
        }

        public static <C extends CancellableContext> void cancelLater(C ctx, Duration after, Function<Runnable, ?> scheduler) {
          scheduler.apply(ctx::cancel);
        }
      }
      """;

  private static final String MIDDLEWARE =
      """
      package web;

      import java.time.Duration;
      import java.time.Instant;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.UUID;
      import java.util.function.UnaryOperator;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A middleware chain: request id, per-route deadline, auth, logging. */
      public final class Middleware {
        public record Request(String method, String path, Map<String, String> headers, String body) {
          public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
          }
        }

        public record Response(int status, String body) {
          static Response ok(String body) {
            return new Response(200, body);
          }

          static Response error(int status, String message) {
            return new Response(status, \"""
                {"error": "%s"}
                \""".formatted(message));
          }
        }

        @FunctionalInterface
        public interface Handler {
          Response handle(Context ctx, Request request) throws Exception;

          default Handler with(Filter filter) {
            return filter.wrap(this);
          }

          static Handler of(Handler h) {
            return h;
          }
        }

        @FunctionalInterface
        public interface Filter {
          Handler wrap(Handler next);

          default Filter andThen(Filter after) {
            return next -> wrap(after.wrap(next));
          }
        }

        private static final ContextKey<String> REQUEST_ID = ContextKey.of("requestId", String.class);
        private static final ContextKey<Principal> PRINCIPAL = ContextKey.of("principal", Principal.class);

        public record Principal(String name, List<String> roles) {}

        static Filter requestId() {
          return next ->
              (ctx, request) -> {
                String id = request.header("X-Request-Id").orElseGet(() -> UUID.randomUUID().toString());
                return next.handle(REQUEST_ID.with(ctx, id), request);
              };
        }

        static Filter deadline(Map<String, Duration> perRoute, Duration fallback) {
          return next ->
              (ctx, request) -> {
                Duration budget = perRoute.getOrDefault(request.path(), fallback);
                try (CancellableContext routeCtx = Context.withTimeout(ctx, budget)) {
                  return next.handle(routeCtx, request);
                }
              };
        }

        static Filter auth(Authenticator authenticator) {
          return next ->
              (ctx, request) -> {
                Optional<Principal> principal =
                    request.header("Authorization").flatMap(token -> authenticator.verify(ctx, token));
                if (principal.isEmpty()) {
                  return Response.error(401, "unauthorized");
                }
                return next.handle(PRINCIPAL.with(ctx, principal.get()), request);
              };
        }

        static Filter logging(List<String> log) {
          return next -> new Handler() {
            @Override
            public Response handle(Context ctx, Request request) throws Exception {
              Instant start = Instant.now();
              try {
                return next.handle(ctx, request);
              } finally {
                log.add(REQUEST_ID.get(ctx) + " " + request.path() + " " + Duration.between(start, Instant.now()));
              }
            }
          };
        }

        static Filter recover() {
          return next ->
              (ctx, request) -> {
                try {
                  return next.handle(ctx, request);
                } catch (RuntimeException e) {
                  if (Context.isDeadlineExceeded(Context.cause(ctx))) {
                    return Response.error(504, "timeout");
                  }
                  return Response.error(500, e.getMessage());
                }
              };
        }

        public interface Authenticator {
          Optional<Principal> verify(Context ctx, String token);
        }

        /** Routes by method and path; a switch expression with yield. */
        static Handler router(Map<String, Handler> routes) {
          return (ctx, request) -> {
            Handler h =
                switch (request.method()) {
                  case "GET", "HEAD" -> routes.getOrDefault("GET " + request.path(), notFound());
                  case "POST" -> {
                    if (request.body() == null || request.body().isBlank()) {
                      yield (c, r) -> Response.error(400, "empty body");
                    }
                    yield routes.getOrDefault("POST " + request.path(), notFound());
                  }
                  default -> (c, r) -> Response.error(405, "method not allowed");
                };
            return h.handle(ctx, request);
          };
        }

        static Handler notFound() {
          return (ctx, request) -> Response.error(404, request.path());
        }

        /** Builds the chain from a list of filters, outermost first. */
        static Handler chain(Handler last, Filter... filters) {
          Handler h = last;
          for (int i = filters.length - 1; i >= 0; i--) {
            h = filters[i].wrap(h);
          }
          return h;
        }

        static Handler chain(Handler last, List<Filter> filters) {
          return chain(last, filters.toArray(Filter[]::new));
        }

        public static Response serve(Context ctx, Handler app, Request request) {
          try {
            return app.handle(ctx, request);
          } catch (Exception e) {
            return Response.error(500, e.toString());
          }
        }

        /** A server's accept loop: one context per request, derived from the server's. */
        public static List<Response> serveAll(Context ctx, Handler app, List<Request> requests) {
          List<Response> out = new ArrayList<>();
          for (Request request : requests) {
            Context requestCtx = REQUEST_ID.with(ctx, UUID.randomUUID().toString());
            try (CancellableContext perRequest = Context.withTimeout(requestCtx, Duration.ofSeconds(30))) {
              out.add(serve(perRequest, app, request));
            }
          }
          return out;
        }

        /** Decorates a context with several values, like a chain of interceptors. */
        static Context decorate(Context ctx, Request request, UnaryOperator<Context> extra) {
          Context out = REQUEST_ID.with(ctx, request.header("X-Request-Id").orElse("none"));
          out = extra.apply(out);
          return out;
        }
      }
      """;

  private static final String ORDERS =
      """
      package orders;

      import java.math.BigDecimal;
      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.Collection;
      import java.util.Comparator;
      import java.util.HashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.function.Function;
      import java.util.stream.Collectors;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A domain layer: sealed commands, records, enums, generic repositories, a fluent query. */
      public final class Orders {
        public interface Entity {
          String id();
        }

        public record Order(String id, String customer, List<Line> lines, Status status) implements Entity {
          public Order {
            lines = List.copyOf(lines);
          }

          BigDecimal total() {
            return lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
          }
        }

        public record Line(String sku, int quantity, BigDecimal price) {
          BigDecimal amount() {
            return price.multiply(BigDecimal.valueOf(quantity));
          }
        }

        public record Customer(String id, String name, Tier tier) implements Entity {}

        public enum Status {
          NEW,
          PAID,
          SHIPPED,
          CANCELLED
        }

        public enum Tier {
          GOLD {
            @Override
            BigDecimal discount(Context ctx, Order order) {
              return order.total().multiply(new BigDecimal("0.10"));
            }
          },
          SILVER {
            @Override
            BigDecimal discount(Context ctx, Order order) {
              return PROMO.get(ctx) != null ? order.total().multiply(new BigDecimal("0.05")) : BigDecimal.ZERO;
            }
          },
          NONE {
            @Override
            BigDecimal discount(Context ctx, Order order) {
              return BigDecimal.ZERO;
            }
          };

          abstract BigDecimal discount(Context ctx, Order order);
        }

        private static final ContextKey<String> PROMO = ContextKey.of("promo", String.class);
        private static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);

        /** A generic repository. */
        public interface Repository<T extends Entity> {
          Optional<T> find(Context ctx, String id);

          List<T> findAll(Context ctx, Collection<String> ids);

          void save(Context ctx, T entity);

          default T require(Context ctx, String id) {
            return find(ctx, id).orElseThrow(() -> new IllegalArgumentException("no " + id));
          }

          default Map<String, T> byId(Context ctx, Collection<String> ids) {
            return findAll(ctx, ids).stream().collect(Collectors.toMap(Entity::id, Function.identity()));
          }

          static <T extends Entity> Repository<T> inMemory() {
            return new InMemory<>();
          }
        }

        static final class InMemory<T extends Entity> implements Repository<T> {
          private final Map<String, T> rows = new HashMap<>();

          @Override
          public Optional<T> find(Context ctx, String id) {
            ctx.throwIfDone();
            return Optional.ofNullable(rows.get(tenant(ctx) + "/" + id));
          }

          @Override
          public List<T> findAll(Context ctx, Collection<String> ids) {
            return ids.stream().map(id -> find(ctx, id)).flatMap(Optional::stream).toList();
          }

          @Override
          public void save(Context ctx, T entity) {
            rows.put(tenant(ctx) + "/" + entity.id(), entity);
          }

          private static String tenant(Context ctx) {
            return Optional.ofNullable(TENANT.get(ctx)).orElse("default");
          }
        }

        /** Commands, a sealed hierarchy of records. */
        public sealed interface Command permits Place, Cancel, Ship {
          String orderId();
        }

        public record Place(String orderId, String customer, List<Line> lines) implements Command {}

        public record Cancel(String orderId, String reason) implements Command {}

        public record Ship(String orderId, String carrier) implements Command {}

        public sealed interface Result permits Ok, Rejected {}

        public record Ok(Order order) implements Result {}

        public record Rejected(String reason) implements Result {}

        private final Repository<Order> orders;
        private final Repository<Customer> customers;

        public Orders(Repository<Order> orders, Repository<Customer> customers) {
          this.orders = orders;
          this.customers = customers;
        }

        public Result handle(Context ctx, Command command) {
          ctx = TENANT.with(ctx, "shop");
          if (command instanceof Place p) {
            return place(ctx, p);
          } else if (command instanceof Cancel c) {
            Optional<Order> o = orders.find(ctx, c.orderId());
            if (o.isEmpty()) {
              return new Rejected("unknown order");
            }
            Order cancelled = new Order(c.orderId(), o.get().customer(), o.get().lines(), Status.CANCELLED);
            orders.save(ctx, cancelled);
            return new Ok(cancelled);
          } else if (command instanceof Ship s) {
            return ship(ctx, s);
          }
          throw new AssertionError(command);
        }

        /** A status switch with yield, deriving a context per arm. */
        public String notify(Context ctx, Order order) {
          String channel =
              switch (order.status()) {
                case NEW -> "none";
                case PAID, SHIPPED -> {
                  Context notifyCtx = PROMO.with(ctx, "notify");
                  yield send(notifyCtx, order);
                }
                case CANCELLED -> {
                  try (CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(200))) {
                    yield send(c, order);
                  }
                }
              };
          return channel;
        }

        private static String send(Context ctx, Order order) {
          return order.id();
        }

        private Result place(Context ctx, Place p) {
          Customer customer = customers.require(ctx, p.customer());
          Order order = new Order(p.orderId(), customer.id(), p.lines(), Status.NEW);
          BigDecimal discount = customer.tier().discount(ctx, order);
          if (discount.signum() > 0) {
            ctx = PROMO.with(ctx, "tier-" + customer.tier().name().toLowerCase());
          }
          orders.save(ctx, order);
          return new Ok(order);
        }

        private Result ship(Context ctx, Ship s) {
          try (CancellableContext shipCtx = Context.withTimeout(ctx, Duration.ofSeconds(5))) {
            return orders
                .find(shipCtx, s.orderId())
                .filter(o -> o.status() == Status.PAID)
                .<Result>map(
                    o -> {
                      Order shipped = new Order(o.id(), o.customer(), o.lines(), Status.SHIPPED);
                      orders.save(shipCtx, shipped);
                      return new Ok(shipped);
                    })
                .orElseGet(() -> new Rejected("not paid"));
          }
        }

        /** instanceof patterns over results. */
        public static String describe(Object result) {
          if (result instanceof Ok ok && ok.order().status() == Status.SHIPPED) {
            return "shipped " + ok.order().id();
          } else if (result instanceof Rejected r) {
            return "rejected: " + r.reason();
          }
          return String.valueOf(result);
        }

        /** A batch: every command with the same deadline; top customers by total. */
        public List<Result> handleAll(Context ctx, List<? extends Command> commands) {
          List<Result> results = new ArrayList<>();
          try (CancellableContext batch = Context.withTimeout(ctx, Duration.ofSeconds(10))) {
            for (Command c : commands) {
              if (batch.done().isDone()) {
                break;
              }
              results.add(handle(batch, c));
            }
          }
          return results;
        }

        public List<String> topCustomers(Context ctx, Collection<String> orderIds, int n) {
          return orders.findAll(ctx, orderIds).stream()
              .collect(Collectors.groupingBy(Order::customer, Collectors.reducing(BigDecimal.ZERO, Order::total, BigDecimal::add)))
              .entrySet()
              .stream()
              .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder()))
              .limit(n)
              .map(e -> customers.find(ctx, e.getKey()).map(Customer::name).orElse(e.getKey()))
              .toList();
        }
      }
      """;

  private static final String PATHS =
      """
      package paths;

      import java.time.Duration;
      import java.time.Instant;
      import java.util.List;
      import java.util.Map;
      import java.util.Objects;
      import java.util.Optional;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.Done;

      /** Null checks and control flow where a context variable starts out null. */
      final class Paths {
        private static final Object TENANT = new Object();

        /** A key class visible only in this package, public inside a package-private class. */
        static final class Keys {
          public record Header(String name) {}

          public static final Header TRACE = new Header("trace");
        }

        static String use(Context ctx) {
          return String.valueOf(ctx.value(TENANT)) + ctx.value(Keys.TRACE) + ctx.value(new Keys.Header("x"));
        }

        static String labelledSearch(Context ctx, List<String> tenants, String wanted) {
          Context found = null;
          search:
          {
            for (String t : tenants) {
              if (t.equals(wanted)) {
                found = Context.withValue(ctx, TENANT, t);
                break search;
              }
            }
            throw new IllegalArgumentException("no tenant " + wanted);
          }
          return use(found);
        }

        static String loopUntilAssigned(Context ctx, Supplier<Optional<Context>> next) {
          Context c = null;
          while (true) {
            Optional<Context> o = next.get();
            if (o.isPresent()) {
              c = o.get();
              break;
            }
            ctx.throwIfDone();
          }
          return use(c);
        }

        static String doWhile(Context ctx, List<String> tenants) {
          Context c = null;
          int i = 0;
          do {
            c = Context.withValue(ctx, TENANT, tenants.isEmpty() ? "none" : tenants.get(i));
            i++;
          } while (i < tenants.size());
          return use(c);
        }

        static String guarded(Context ctx, Map<String, Context> byTenant, String tenant) {
          Context c = null;
          if (tenant != null) {
            c = byTenant.get(tenant);
          }
          if (c == null) {
            throw new IllegalStateException("no context for " + tenant);
          }
          return use(c);
        }

        static String required(Context ctx, boolean scoped) {
          Context c = null;
          if (scoped) {
            c = Context.withValue(ctx, TENANT, "scoped");
          }
          c = Objects.requireNonNull(c, "not scoped");
          return use(c);
        }

        static String requireThenUse(Context ctx, boolean scoped) {
          Context c = null;
          if (scoped) {
            c = Context.withValue(ctx, TENANT, "scoped");
          }
          Objects.requireNonNull(c, "not scoped");
          return use(c);
        }

        static String fallbackConditional(Context ctx, boolean scoped) {
          Context c = null;
          if (scoped) {
            c = Context.withValue(ctx, TENANT, "scoped");
          }
          return use(c != null ? c : ctx);
        }

        static String elseChain(Context ctx, int level) {
          Context c = null;
          if (level == 0) {
            c = ctx;
          } else if (level == 1) {
            c = Context.withValue(ctx, TENANT, "one");
          } else {
            c = Context.withoutCancel(ctx);
          }
          return use(c);
        }

        static String rethrown(Context ctx, Supplier<Context> source) {
          Context c = null;
          try {
            c = source.get();
          } catch (RuntimeException e) {
            throw new IllegalStateException("no context", e);
          }
          return use(c);
        }

        static String synchronizedAssign(Context ctx, Object lock) {
          Context c = null;
          synchronized (lock) {
            c = Context.withValue(ctx, TENANT, "locked");
          }
          return use(c);
        }

        static String definite(Context ctx, Duration timeout) {
          CancellableContext c;
          if (timeout != null) {
            c = Context.withTimeout(ctx, timeout);
          } else {
            c = Context.withCancel(ctx);
          }
          try (c) {
            return use(c);
          }
        }

        static CancellableContext pick(Context ctx, String mode) {
          return switch (mode) {
            case "fast" -> Context.withTimeout(ctx, Duration.ofMillis(10));
            case "slow" -> {
              Duration d = Duration.ofSeconds(10);
              yield Context.withTimeout(ctx, d);
            }
            default -> Context.withCancel(ctx);
          };
        }

        static String usePicked(Context ctx, String mode) {
          try (CancellableContext c = pick(ctx, mode)) {
            return use(c);
          }
        }

        static Supplier<CancellableContext> factory(Context ctx, Duration d) {
          return () -> Context.withTimeout(ctx, d);
        }

        /** A context of one's own that wraps another, the way test fakes and adapters do. */
        static final class TenantContext implements Context {
          private final Context parent;
          private final String tenant;

          TenantContext(Context parent, String tenant) {
            this.parent = parent;
            this.tenant = tenant;
          }

          @Override
          public Optional<Instant> deadline() {
            return parent.deadline();
          }

          @Override
          public Done done() {
            return parent.done();
          }

          @Override
          public ContextDoneException err() {
            return parent.err();
          }

          @Override
          public Object value(Object key) {
            return key == TENANT ? tenant : parent.value(key);
          }
        }

        static String wrapped(Context ctx) {
          return use(new TenantContext(ctx, "wrapped"));
        }
      }
      """;

  private static final String POLLER =
      """
      package poller;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.List;
      import java.util.Optional;
      import java.util.concurrent.atomic.AtomicLong;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A poller with a do/while retry, synchronized state, and null values in the context. */
      public final class Poller {
        private static final ContextKey<String> CURSOR = ContextKey.of("cursor", String.class);
        private static final Object DEBUG = new Object();

        public interface Feed {
          Optional<String> next(Context ctx, String cursor) throws IOException;
        }

        private final AtomicLong polled = new AtomicLong();
        private String cursor = "";

        public synchronized String cursor() {
          return cursor;
        }

        private synchronized void advance(String next) {
          cursor = next;
        }

        public Optional<String> pollOnce(Context ctx, Feed feed, Duration perAttempt, int maxAttempts)
            throws IOException {
          IOException last = null;
          int attempt = 0;
          do {
            CancellableContext c = Context.withTimeout(ctx, perAttempt);
            try {
              Optional<String> item = feed.next(CURSOR.with(c, cursor()), cursor());
              item.ifPresent(this::advance);
              polled.incrementAndGet();
              return item;
            } catch (IOException e) {
              last = e;
            } finally {
              c.cancel();
            }
          } while (++attempt < maxAttempts && !ctx.done().isDone());
          throw last != null ? last : new IOException("cancelled");
        }

        public int pollAll(Context ctx, Feed feed, Duration every) throws InterruptedException {
          int n = 0;
          Context quiet = Context.withValue(ctx, DEBUG, null);
          Context noCursor = CURSOR.with(quiet, null);
          while (!Thread.currentThread().isInterrupted() && !ctx.done().isDone()) {
            try {
              if (pollOnce(noCursor, feed, Duration.ofSeconds(1), 3).isEmpty()) {
                Context.sleep(ctx, every);
              } else {
                n++;
              }
            } catch (IOException e) {
              Context.sleep(ctx, every.multipliedBy(2));
            }
          }
          return n;
        }

        public static Context parentOf(Context ctx, Object key) {
          Object v = ctx.value(key);
          return v instanceof Context parent ? parent : ctx;
        }

        public static List<String> describe(Context ctx, List<Context> children) {
          return children.stream().map(c -> c == ctx ? "self" : String.valueOf(c.deadline())).toList();
        }
      }
      """;

  private static final String PROBES =
      """
      package probes;

      import java.time.Duration;
      import java.util.ArrayDeque;
      import java.util.Deque;
      import java.util.List;
      import java.util.Map;
      import java.util.Objects;
      import java.util.Queue;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.function.Supplier;
      import org.ctx4j.AfterFunc;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Control flow that path analyses must follow. */
      public final class Probes {
        private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);

        enum Mode {
          FAST,
          SLOW,
          FOREVER
        }

        private record HeaderKey(String name) {}

        private static final class Keys {
          public static final Object TRACE = new Object();
        }

        private interface Names {
          Object USER = new Object();
        }

        static String run(Context ctx, String s) {
          return s + ctx.value(Keys.TRACE) + ctx.value(Names.USER) + ctx.value(new HeaderKey(s));
        }

        static String ternaryResource(Context ctx, Duration timeout) {
          try (CancellableContext c = timeout == null ? Context.withCancel(ctx) : Context.withTimeout(ctx, timeout)) {
            return run(c, "t");
          }
        }

        static String switchResource(Context ctx, Mode mode) {
          try (CancellableContext c =
              switch (mode) {
                case FAST -> Context.withTimeout(ctx, Duration.ofMillis(100));
                case SLOW -> Context.withTimeout(ctx, Duration.ofSeconds(10));
                case FOREVER -> Context.withCancel(ctx);
              }) {
            return run(c, mode.name());
          }
        }

        static String ternaryLocal(Context ctx, Duration timeout) {
          CancellableContext c = timeout == null ? Context.withCancel(ctx) : Context.withTimeout(ctx, timeout);
          try {
            return run(c, "t");
          } finally {
            c.cancel();
          }
        }

        static String arrowSwitchStatement(Context ctx, Mode mode) {
          Context picked = null;
          switch (mode) {
            case FAST -> picked = ROUTE.with(ctx, "fast");
            case SLOW -> picked = ROUTE.with(ctx, "slow");
            default -> throw new IllegalArgumentException("mode " + mode);
          }
          return run(picked, "a");
        }

        static String assignedInCondition(Context ctx, Supplier<Context> source) {
          Context c;
          if ((c = source.get()) == null) {
            return run(ctx, "none");
          }
          return run(c, "c");
        }

        static int drain(Context ctx, Queue<Context> queue) {
          int n = 0;
          Context c = null;
          while ((c = queue.poll()) != null) {
            run(c, "d");
            n++;
          }
          for (Context d = queue.peek(); d != null; d = queue.poll()) {
            run(d, "e");
          }
          return n;
        }

        static String firstMatch(Context ctx, List<String> routes, String path) {
          Context matched = null;
          outer:
          for (String route : routes) {
            for (String part : route.split("/")) {
              if (part.equals(path)) {
                matched = ROUTE.with(ctx, route);
                break outer;
              }
            }
          }
          if (matched == null) {
            throw new IllegalArgumentException(path);
          }
          return run(matched, path);
        }

        static String fallbackInCatch(Context ctx, Supplier<Context> source) {
          Context c = null;
          try {
            c = Objects.requireNonNull(source.get());
          } catch (NullPointerException e) {
            c = ctx;
          }
          return run(c, "f");
        }

        static String patternAssigned(Context ctx, Object o) {
          Context c = null;
          if (o instanceof Context oc) {
            c = oc;
          } else {
            return run(ctx, "x");
          }
          return run(c, "p");
        }

        static String derivedLoopWithLabelledExit(Context ctx, List<List<String>> groups) {
          outer:
          for (List<String> group : groups) {
            for (String g : group) {
              if (g.startsWith("!")) {
                ctx = ROUTE.with(ctx, g);
                break outer;
              }
            }
          }
          return run(ctx, "l");
        }

        static String derivedLoopWithReturnInLabel(Context ctx, List<String> parts) {
          search:
          {
            for (String p : parts) {
              if (p.isEmpty()) {
                ctx = ROUTE.with(ctx, "empty");
                break search;
              }
            }
            return run(ctx, "none");
          }
          return run(ctx, "found");
        }

        /** Linking children to the caller's context: a consumer of contexts, not a task. */
        static void linkChildren(Context ctx, List<CancellableContext> children) {
          children.forEach(child -> Context.afterFunc(ctx, child::cancel));
        }

        /** Cancellation handed on: a cancel handle in a map, a closeable scope, an afterFunc link. */
        private final Map<String, CancelFunc> running = new ConcurrentHashMap<>();

        void start(Context ctx, String id, Runnable work) {
          CancellableContext c = Context.withCancel(ctx);
          running.put(id, c::cancel);
          new Thread(() -> {
            try {
              work.run();
            } finally {
              running.remove(id);
              c.cancel();
            }
          }).start();
        }

        static final class Scope implements AutoCloseable {
          private final CancelFunc cancel;
          private final Deque<Runnable> cleanups = new ArrayDeque<>();

          Scope(CancellableContext ctx) {
            this.cancel = ctx::cancel;
          }

          void defer(Runnable r) {
            cleanups.push(r);
          }

          @Override
          public void close() {
            while (!cleanups.isEmpty()) cleanups.pop().run();
            cancel.cancel();
          }
        }

        static String scoped(Context ctx) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          try (Scope scope = new Scope(c)) {
            scope.defer(() -> System.out.println("done"));
            return run(c, "s");
          }
        }

        static String mergedCancel(Context ctx, Context other) {
          CancellableContext c = Context.withCancel(ctx);
          AfterFunc stop = Context.afterFunc(other, c::cancel);
          try {
            return run(c, "m");
          } finally {
            stop.stop();
            c.cancel();
          }
        }

        static String cleanupRunnable(Context ctx) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          Runnable cleanup = c::cancel;
          try {
            return run(c, "r");
          } finally {
            cleanup.run();
          }
        }

        static String rethrow(Context ctx) throws Exception {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          String out;
          try {
            out = run(c, "e");
          } catch (RuntimeException e) {
            c.cancel(e);
            throw new Exception(e);
          }
          c.cancel();
          return out;
        }

        static String bothBranches(Context ctx, boolean fast) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(fast ? 1 : 10));
          if (fast) {
            String s = run(c, "fast");
            c.cancel();
            return s;
          } else {
            String s = run(c, "slow");
            c.close();
            return s;
          }
        }

        static String localRecord(Context ctx) {
          record Probe(String name) {
            String check() {
              return run(Context.background(), name);
            }
          }
          return new Probe(run(ctx, "x")).check();
        }
      }
      """;

  private static final String RESILIENCE =
      """
      package resilience;

      import java.io.IOException;
      import java.time.Clock;
      import java.time.Duration;
      import java.time.Instant;
      import java.util.Objects;
      import java.util.concurrent.ThreadLocalRandom;
      import java.util.concurrent.atomic.AtomicInteger;
      import java.util.concurrent.atomic.AtomicReference;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;

      /** Retries with backoff and per-attempt timeouts, and a circuit breaker. */
      public final class Resilience {
        @FunctionalInterface
        public interface Call<T> {
          T call(Context ctx) throws Exception;
        }

        public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration perAttempt) {
          public RetryPolicy {
            Objects.requireNonNull(initialBackoff);
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts");
          }

          Duration backoff(int attempt) {
            long millis = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 20));
            return Duration.ofMillis(ThreadLocalRandom.current().nextLong(millis / 2, millis + 1));
          }
        }

        public static <T> T retry(Context ctx, RetryPolicy policy, Call<T> call) throws Exception {
          Exception last = null;
          for (int attempt = 0; attempt < policy.maxAttempts(); attempt++) {
            ctx.throwIfDone();
            try (CancellableContext attemptCtx = Context.withTimeout(ctx, policy.perAttempt())) {
              return call.call(attemptCtx);
            } catch (ContextDoneException e) {
              if (ctx.done().isDone()) throw e;
              last = e;
            } catch (IOException e) {
              last = e;
            }
            if (attempt + 1 < policy.maxAttempts()) {
              Context.sleep(ctx, policy.backoff(attempt));
            }
          }
          throw last;
        }

        /** The same with a while loop, an explicit cancel in finally and a labelled break. */
        public static <T> T retryUntil(Context ctx, Duration perAttempt, Call<T> call) throws Exception {
          int attempt = 0;
          T result = null;
          outer:
          while (true) {
            CancellableContext attemptCtx = Context.withTimeout(ctx, perAttempt);
            try {
              result = call.call(attemptCtx);
              if (result != null) {
                break outer;
              }
            } catch (IOException e) {
              if (++attempt > 5) {
                throw e;
              }
            } finally {
              attemptCtx.cancel();
            }
            Context.sleep(ctx, Duration.ofMillis(100L * attempt));
          }
          return result;
        }

        /** Hedged request: two attempts, the first to answer wins, both cancelled at the end. */
        public static <T> T hedge(Context ctx, Call<T> primary, Call<T> backup) throws Exception {
          CancellableContext first = Context.withCancel(ctx);
          CancellableContext second = null;
          try {
            try {
              return primary.call(first);
            } catch (IOException e) {
              second = Context.withTimeout(ctx, Duration.ofSeconds(1));
              return backup.call(second);
            }
          } finally {
            first.cancel();
            if (second != null) {
              second.cancel();
            }
          }
        }

        public static final class CircuitBreaker {
          enum State {
            CLOSED {
              @Override
              <T> T call(Context ctx, CircuitBreaker cb, Call<T> call) throws Exception {
                try {
                  T t = call.call(ctx);
                  cb.failures.set(0);
                  return t;
                } catch (Exception e) {
                  if (cb.failures.incrementAndGet() >= cb.threshold) {
                    cb.trip();
                  }
                  throw e;
                }
              }
            },
            OPEN {
              @Override
              <T> T call(Context ctx, CircuitBreaker cb, Call<T> call) throws Exception {
                if (cb.clock.instant().isAfter(cb.openedAt.get().plus(cb.coolDown))) {
                  cb.state.set(HALF_OPEN);
                  return HALF_OPEN.call(ctx, cb, call);
                }
                throw new IllegalStateException("circuit open");
              }
            },
            HALF_OPEN {
              @Override
              <T> T call(Context ctx, CircuitBreaker cb, Call<T> call) throws Exception {
                try (CancellableContext probe = Context.withTimeout(ctx, cb.probeTimeout)) {
                  T t = call.call(probe);
                  cb.state.set(CLOSED);
                  return t;
                } catch (Exception e) {
                  cb.trip();
                  throw e;
                }
              }
            };

            abstract <T> T call(Context ctx, CircuitBreaker cb, Call<T> call) throws Exception;
          }

          private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
          private final AtomicReference<Instant> openedAt = new AtomicReference<>(Instant.EPOCH);
          private final AtomicInteger failures = new AtomicInteger();
          private final int threshold;
          private final Duration coolDown;
          private final Duration probeTimeout;
          private final Clock clock;

          public CircuitBreaker(int threshold, Duration coolDown, Duration probeTimeout, Clock clock) {
            this.threshold = threshold;
            this.coolDown = coolDown;
            this.probeTimeout = probeTimeout;
            this.clock = clock;
          }

          private void trip() {
            openedAt.set(clock.instant());
            state.set(State.OPEN);
          }

          public <T> T call(Context ctx, Call<T> call) throws Exception {
            return state.get().call(ctx, this, call);
          }
        }

        /** Retry and breaker composed, with a deadline on the whole operation. */
        public static String fetchProfile(Context ctx, CircuitBreaker breaker, String userId) throws Exception {
          RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(300));
          try (CancellableContext overall = Context.withTimeout(ctx, Duration.ofSeconds(2))) {
            return retry(overall, policy, c -> breaker.call(c, c2 -> load(c2, userId)));
          }
        }

        private static String load(Context ctx, String userId) throws IOException {
          if (ctx.done().isDone()) throw new IOException("gone");
          return userId;
        }
      }
      """;

  private static final String ROUTER =
      """
      package router;

      import java.time.Duration;
      import java.util.List;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A router that matches a route, names it in the context, and returns from inside the loop. */
      final class Router {
        private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);

        interface Handler {
          String handle(Context ctx, String path) throws Exception;
        }

        record Route(String prefix, Duration budget, Handler handler) {}

        static String dispatch(Context ctx, List<Route> routes, String path) throws Exception {
          for (Route r : routes) {
            if (path.startsWith(r.prefix())) {
              ctx = ROUTE.with(ctx, r.prefix());
              try (CancellableContext t = Context.withTimeout(ctx, r.budget())) {
                return r.handler().handle(t, path);
              }
            }
          }
          return "404 " + ROUTE.get(ctx);
        }

        static String dispatchOrDefault(Context ctx, List<Route> routes, String path) throws Exception {
          for (Route r : routes) {
            if (path.startsWith(r.prefix())) {
              ctx = ROUTE.with(ctx, r.prefix());
              if (r.handler() != null) {
                return r.handler().handle(ctx, path);
              } else {
                throw new IllegalStateException("no handler for " + r.prefix());
              }
            }
          }
          return "404";
        }
      }
      """;

  private static final String SYNTAX =
      """
      package syntax;

      import java.time.Duration;
      import java.util.Comparator;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.function.BiFunction;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.TaskGroup;

      /** Java 17 syntax around contexts: enums of handlers, intersections, private interface methods. */
      public final class Syntax {
        private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);

        @FunctionalInterface
        public interface Handler {
          String handle(Context ctx, String request) throws Exception;

          default Handler named(String name) {
            return (ctx, request) -> handle(ROUTE.with(ctx, name), request);
          }

          private static String describe(Context ctx) {
            return String.valueOf(ROUTE.get(ctx));
          }

          static Handler echo() {
            return (ctx, request) -> describe(ctx) + request;
          }
        }

        public enum Route implements Handler {
          HEALTH((ctx, r) -> "ok"),
          ECHO(Handler.echo()),
          SLOW(
              (ctx, r) -> {
                try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(2))) {
                  return r + c.deadline().isPresent();
                }
              });

          private final Handler delegate;

          Route(Handler delegate) {
            this.delegate = delegate;
          }

          @Override
          public String handle(Context ctx, String request) throws Exception {
            return delegate.handle(ROUTE.with(ctx, name()), request);
          }
        }

        interface Entity {
          String id();
        }

        record Item(String id, int rank) implements Entity, Comparable<Item> {
          static Item of(Context ctx, String id) {
            return new Item(id, Optional.ofNullable(ROUTE.get(ctx)).map(String::length).orElse(0));
          }

          @Override
          public int compareTo(Item o) {
            return Integer.compare(rank, o.rank);
          }
        }

        static <T extends Entity & Comparable<T>> Optional<T> best(Context ctx, List<T> items) {
          ctx.throwIfDone();
          return items.stream().max(Comparator.naturalOrder());
        }

        static <E extends Exception> String guarded(Context ctx, Handler h, String r, Class<E> type) throws E {
          try {
            return h.handle(ctx, r);
          } catch (Exception e) {
            if (type.isInstance(e)) {
              throw type.cast(e);
            }
            throw new IllegalStateException(e);
          }
        }

        static String dispatch(Context ctx, String path, boolean fast) throws Exception {
          Handler h = fast ? (c, r) -> "fast " + r : (c, r) -> Route.SLOW.handle(c, r);
          Handler[] chain = {Route.HEALTH, (c, r) -> r.toUpperCase(), Route.ECHO.named("echo")};
          Object target = Map.of("h", h).get("h");
          if (target instanceof Handler handler && !ctx.done().isDone()) {
            return handler.handle(ctx, path) + chain.length;
          }
          return switch (path) {
            case "/health" -> Route.HEALTH.handle(ctx, path);
            case "/slow" -> {
              try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(3))) {
                Handler inner = new Handler() {
                  @Override
                  public String handle(Context ctx2, String request) throws Exception {
                    return Route.SLOW.handle(ctx2, request);
                  }
                };
                yield inner.handle(c, path);
              }
            }
            default -> {
              interface Fallback {
                String apply(Context ctx, String p);
              }
              Fallback f = (c, p) -> "no route " + p + ROUTE.get(c);
              yield f.apply(ctx, path);
            }
          };
        }

        String work(Context ctx, String id) {
          return id + ROUTE.get(ctx);
        }

        void fanOut(Context ctx, List<String> ids) throws Exception {
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String id : ids) {
              g.go(c -> work(c, id));
            }
            BiFunction<Context, String, String> w = this::work;
            g.go(c -> w.apply(c, "bi"));
            g.await();
          }
        }

        static String retryLabelled(Context ctx, List<String> hosts) throws Exception {
          attempts:
          for (int attempt = 0; attempt < 3; attempt++) {
            for (String host : hosts) {
              try (var c = Context.withTimeout(ctx, Duration.ofMillis(200))) {
                if (host.isBlank()) {
                  continue attempts;
                }
                if (host.startsWith("#")) {
                  break attempts;
                }
                return Route.ECHO.handle(c, host);
              }
            }
          }
          return "";
        }
      }
      """;

  private static final String WAITS =
      """
      package waits;

      import java.time.Duration;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      /** Waits on contexts themselves, keys with a debug name, generic steps. */
      public final class Waits {
        private static final Object USER =
            new Object() {
              @Override
              public String toString() {
                return "user";
              }
            };

        static final class Internal {
          protected static final Object ROLE = new Object();
        }

        static void drain(Context ctx, Duration grace) throws InterruptedException {
          try (CancellableContext shutdown = Context.withTimeout(Context.withoutCancel(ctx), grace)) {
            ctx.done().await();
            shutdown.done().await(grace);
          }
        }

        static boolean waitForChild(Context ctx, Duration limit) throws InterruptedException {
          try (CancellableContext child = Context.withTimeout(ctx, limit)) {
            child.done().await();
            return Context.isDeadlineExceeded(Context.cause(child));
          }
        }

        static void awaitSignal(Context ctx) {
          ctx.done().toFuture().join();
        }

        static String user(Context ctx) {
          return String.valueOf(Context.withValue(ctx, USER, "u").value(USER)) + ctx.value(Internal.ROLE);
        }

        /** A generic step interface whose context is a type variable. */
        @FunctionalInterface
        interface Step<C extends Context> {
          String run(C ctx) throws Exception;
        }

        static <C extends Context> String runAll(C ctx, List<Step<C>> steps) throws Exception {
          StringBuilder sb = new StringBuilder();
          for (Step<C> step : steps) {
            sb.append(step.run(ctx));
          }
          return sb.toString();
        }

        static String steps(Context ctx) throws Exception {
          return runAll(ctx, List.<Step<Context>>of(c -> user(c), c -> String.valueOf(c.deadline())));
        }

        /** A group per batch, the results read after await. */
        static Map<String, String> batch(Context ctx, List<String> ids) throws InterruptedException, ExecutionException {
          Map<String, String> out = new ConcurrentHashMap<>();
          try (TaskGroup g = TaskGroup.withLimit(ctx, 4)) {
            for (String id : ids) {
              g.go(c -> out.put(id, user(c)));
            }
            g.await();
          }
          return out;
        }

        static CompletableFuture<String> chain(Context ctx, CompletableFuture<String> first) {
          return Context.awaitAsync(ctx, first).thenCompose(s -> CompletableFuture.supplyAsync(() -> s + user(ctx)));
        }
      }
      """;

  private static final String WALKER =
      """
      package walker;

      import java.lang.annotation.ElementType;
      import java.lang.annotation.Target;
      import java.util.List;
      import java.util.function.BiFunction;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** A tree walker that saves and restores its context around each child. */
      final class Walker {
        @Target({ElementType.PARAMETER, ElementType.TYPE_USE})
        @interface Traced {}

        private static final ContextKey<String> PATH = ContextKey.of("path", String.class);

        record Node(String name, List<Node> children) {}

        private final StringBuilder out = new StringBuilder();

        void walk(Walker this, @Traced final Context ctx, Node node) {
          Context current = ctx;
          for (Node child : node.children()) {
            current = PATH.with(current, PATH.get(ctx) + "/" + node.name());
            visit(current, child);
            current = ctx;
          }
        }

        void walkRestoring(Context ctx, Node node) {
          Context current = ctx;
          for (Node child : node.children()) {
            try {
              current = PATH.with(current, node.name());
              visit(current, child);
            } finally {
              current = ctx;
            }
          }
        }

        private void visit(Context ctx, Node node) {
          out.append(PATH.get(ctx)).append(' ').append(node.name()).append('\\n');
          walk(ctx, node);
        }

        static final class Session {
          private final String path;

          Session(Context ctx, String name) {
            this.path = PATH.get(ctx) + name;
          }

          String path() {
            return path;
          }
        }

        static List<String> sessions(Context ctx, List<String> names) {
          BiFunction<Context, String, Session> make = Session::new;
          return names.stream().map(n -> make.apply(ctx, n).path()).toList();
        }
      }
      """;

  private static final String MISTAKES =
      """
      package mistakes;

      import java.time.Duration;
      import java.util.List;
      import java.util.Map;
      import java.util.Optional;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** The application's shapes again, each with a mistake. */
      public final class Mistakes {
        public record Request(String path, Map<String, String> headers) {}

        public record Response(int status, String body) {}

        @FunctionalInterface
        public interface Handler {
          Response handle(Context ctx, Request request) throws Exception;
        }

        @FunctionalInterface
        public interface Call<T> {
          T call(Context ctx) throws Exception;
        }

        private static final ContextKey<Integer> ATTEMPT = ContextKey.of("attempt", Integer.class);

        static Handler deadline(Handler next, Duration budget) {
          // BUG: Diagnostic contains: [LostCancel]
          return (ctx, request) -> next.handle(Context.withTimeout(ctx, budget), request);
        }

        static Handler requestId(Handler next) {
          return (ctx, request) -> {
            String id = request.headers().getOrDefault("X-Request-Id", "none");
            // BUG: Diagnostic contains: [ContextKeyNotPrivate]
            return next.handle(Context.withValue(ctx, "requestId", id), request);
          };
        }

        static <T> T retry(Context ctx, int attempts, Duration backoff, Call<T> call) throws Exception {
          Exception last = null;
          for (int attempt = 1; attempt <= attempts; attempt++) {
            // BUG: Diagnostic contains: [ContextDerivedInLoop]
            ctx = ATTEMPT.with(ctx, attempt);
            try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
              return call.call(c);
            } catch (Exception e) {
              last = e;
            }
            // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
            Thread.sleep(backoff.toMillis());
          }
          throw last;
        }

        static String profile(Context ctx, String user) throws Exception {
          // BUG: Diagnostic contains: [TaskContextIgnored]
          return retry(ctx, 3, Duration.ofMillis(50), attempt -> load(ctx, user));
        }

        static String audit(Context ctx, String user) throws Exception {
          // BUG: Diagnostic contains: [ContextNotInherited]
          return retry(Context.background(), 3, Duration.ofMillis(50), c -> load(c, user));
        }

        static String cached(Context ctx, Optional<String> user) throws Exception {
          // BUG: Diagnostic contains: [NullContext]
          return load(null, user.orElse("anonymous"));
        }

        static String load(Context ctx, String user) throws Exception {
          ctx.throwIfDone();
          return user;
        }

        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        static void log(String event, Context ctx) {}

        // BUG: Diagnostic contains: [ContextParameterName]
        static List<String> poll(Context context, Supplier<String> source) {
          return List.of(source.get(), String.valueOf(ATTEMPT.get(context)));
        }

        /** A request-scoped object that keeps the request's context. */
        public static final class RequestScope {
          // BUG: Diagnostic contains: [ContextInField]
          private final Context ctx;

          public RequestScope(Context ctx) {
            this.ctx = ctx;
          }

          String attempt() {
            return String.valueOf(ATTEMPT.get(ctx));
          }
        }

        static String perTick(Context ctx, List<String> ticks) throws Exception {
          StringBuilder sb = new StringBuilder();
          for (String tick : ticks) {
            // BUG: Diagnostic contains: [LostCancel]
            CancellableContext tickCtx = Context.withTimeout(ctx, Duration.ofSeconds(1));
            if (tick.isEmpty()) {
              continue;
            }
            sb.append(load(tickCtx, tick));
            tickCtx.cancel();
          }
          return sb.toString();
        }
      }
      """;
}
