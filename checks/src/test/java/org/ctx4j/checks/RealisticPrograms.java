package org.ctx4j.checks;

/**
 * The programs {@link RealisticCodeTest} compiles with every check: realistic code as applications
 * and libraries write it, with the findings each check must report marked where they occur.
 */
final class RealisticPrograms {
  private RealisticPrograms() {}

  /**
   * A small order service as an application writes it: a generic repository and an in-memory
   * implementation, a record with an enum, a service with overloads, retries, fan-out, queues and
   * an owned background job, handlers built from lambdas, method references, anonymous and local
   * classes and a switch expression, middleware, a poller that keeps only a cancel handle, and the
   * program's entry point. Every context is passed on, derived freshly per iteration, waited on
   * through the context, named {@code ctx}, and cancelled; every root is made where no context
   * exists.
   */
  static final String[][] SHOP = {
    {
      "shop/Repository.java",
      """
      package shop;

      import java.util.Optional;
      import org.ctx4j.Context;

      public interface Repository<T, I> {
        Optional<T> find(Context ctx, I id);

        void save(Context ctx, T value);

        default T require(Context ctx, I id) {
          return find(ctx, id).orElseThrow(() -> new IllegalStateException("no such id: " + id));
        }
      }
      """
    },
    {
      "shop/Order.java",
      """
      package shop;

      import java.util.List;
      import java.util.Objects;

      public record Order(String id, Order.Status status, List<String> items) {
        public Order {
          Objects.requireNonNull(id, "id");
          items = List.copyOf(items);
        }

        public Order next() {
          return new Order(id, status.next(), items);
        }

        public enum Status {
          NEW,
          PAID,
          SHIPPED;

          Status next() {
            return switch (this) {
              case NEW -> PAID;
              case PAID, SHIPPED -> SHIPPED;
            };
          }
        }
      }
      """
    },
    {
      "shop/InMemoryOrders.java",
      """
      package shop;

      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.ConcurrentHashMap;
      import org.ctx4j.Context;

      public final class InMemoryOrders implements Repository<Order, String> {
        private final Map<String, Order> rows = new ConcurrentHashMap<>();

        // An override keeps whatever names it likes: the interface chose them.
        @Override
        public Optional<Order> find(Context context, String id) {
          context.throwIfDone();
          return Optional.ofNullable(rows.get(id));
        }

        @Override
        public void save(Context ctx, Order order) {
          ctx.throwIfDone();
          rows.put(order.id(), order);
        }
      }
      """
    },
    {
      "shop/Handler.java",
      """
      package shop;

      import org.ctx4j.Context;

      @FunctionalInterface
      public interface Handler {
        String handle(Context ctx, String request) throws Exception;
      }
      """
    },
    {
      "shop/Retry.java",
      """
      package shop;

      import java.time.Duration;
      import org.ctx4j.Context;

      enum Retry {
        NEVER {
          @Override
          boolean again(Context ctx, int attempt) {
            return false;
          }
        },
        BACKOFF {
          @Override
          boolean again(Context ctx, int attempt) throws InterruptedException {
            Context.sleep(ctx, Duration.ofMillis(10L << attempt));
            return attempt < 3;
          }
        };

        abstract boolean again(Context ctx, int attempt) throws InterruptedException;
      }
      """
    },
    {
      "shop/OrderService.java",
      """
      package shop;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Objects;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Executors;
      import java.util.concurrent.Future;
      import java.util.concurrent.LinkedBlockingQueue;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.InterruptScope;

      public final class OrderService implements AutoCloseable {
        private enum Key {
          ORDER_ID,
          ATTEMPT
        }

        private final Repository<Order, String> orders;
        private final ExecutorService pool;
        private final BlockingQueue<String> events;
        private final Duration budget;
        private CancelFunc stopRefresh = cause -> {};

        public OrderService(
            Repository<Order, String> orders,
            ExecutorService pool,
            BlockingQueue<String> events,
            Duration budget) {
          this.orders = orders;
          this.pool = pool;
          this.events = events;
          this.budget = budget;
        }

        public Order load(Context ctx, String id) {
          try (CancellableContext lookup = Context.withTimeout(ctx, budget)) {
            return orders.require(Context.withValue(lookup, Key.ORDER_ID, id), id);
          }
        }

        public Order pay(Context ctx, String id) throws InterruptedException {
          return pay(ctx, id, Retry.BACKOFF);
        }

        public Order pay(Context ctx, String id, Retry retry) throws InterruptedException {
          for (int attempt = 1; ; attempt++) {
            Context attemptCtx = Context.withValue(ctx, Key.ATTEMPT, attempt);
            try (CancellableContext call = Context.withTimeout(attemptCtx, budget)) {
              Order paid = orders.require(call, id).next();
              orders.save(call, paid);
              return paid;
            } catch (IllegalStateException e) {
              if (!retry.again(ctx, attempt)) {
                throw e;
              }
            }
          }
        }

        public List<Order> loadAll(Context ctx, List<String> ids) throws Exception {
          List<Future<Order>> pending = new ArrayList<>();
          for (String id : ids) {
            Context itemCtx = Context.withValue(ctx, Key.ORDER_ID, id);
            pending.add(pool.submit(() -> load(itemCtx, id)));
          }
          List<Order> loaded = new ArrayList<>();
          for (Future<Order> f : pending) {
            loaded.add(Context.await(ctx, f));
          }
          return loaded;
        }

        public String quote(Context ctx, String id) throws Exception {
          CompletableFuture<String> price =
              CompletableFuture.supplyAsync(() -> load(ctx, id).id(), pool);
          return Context.await(ctx, price);
        }

        public CompletableFuture<Order> loadAsync(Context ctx, String id) {
          return Context.awaitAsync(ctx, CompletableFuture.supplyAsync(() -> load(ctx, id), pool));
        }

        public String nextEvent(Context ctx) throws InterruptedException {
          try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
            return events.take();
          }
        }

        public void shipped(Context ctx, Order order) {
          // The audit record outlives the request: its values, not its cancellation.
          Context audit = Context.withoutCancel(ctx);
          pool.execute(() -> orders.save(audit, order.next()));
        }

        /** The refresh job belongs to the service, not to a request: its own root. */
        public void startRefresh() {
          CancellableContext refresh = Context.withCancel(Context.background());
          stopRefresh = refresh::cancel;
          pool.execute(() -> refreshUntilDone(refresh));
        }

        private void refreshUntilDone(Context ctx) {
          while (ctx.err() == null) {
            try {
              Context.sleep(ctx, Duration.ofSeconds(1));
              orders.find(ctx, "latest");
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            } catch (ContextDoneException e) {
              return;
            }
          }
        }

        static Context orRoot(Context ctx) {
          return ctx == null ? Context.background() : ctx;
        }

        static Context orTodo(Context ctx) {
          return Objects.requireNonNullElse(ctx, Context.todo());
        }

        @Override
        public void close() throws InterruptedException {
          stopRefresh.cancel();
          pool.shutdown();
          pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
        }

        public static void main(String[] args) throws Exception {
          try (OrderService service =
                  new OrderService(
                      new InMemoryOrders(),
                      Executors.newFixedThreadPool(2),
                      new LinkedBlockingQueue<>(),
                      Duration.ofSeconds(1));
              CancellableContext ctx =
                  Context.withTimeout(Context.background(), Duration.ofSeconds(5))) {
            service.startRefresh();
            service.loadAll(ctx, List.of(args));
          }
        }
      }
      """
    },
    {
      "shop/Routes.java",
      """
      package shop;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.UUID;
      import java.util.function.UnaryOperator;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Routes {
        private enum Key {
          REQUEST_ID
        }

        enum Method {
          GET,
          PUT,
          DELETE
        }

        private final OrderService service;

        Routes(OrderService service) {
          this.service = service;
        }

        Handler route(Method method) {
          return switch (method) {
            case GET -> (ctx, id) -> service.load(ctx, id).toString();
            case PUT -> this::put;
            case DELETE ->
                new Handler() {
                  @Override
                  public String handle(Context ctx, String id) {
                    return "deleted " + service.load(ctx, id).id();
                  }
                };
          };
        }

        private String put(Context ctx, String id) throws InterruptedException {
          return service.pay(ctx, id).toString();
        }

        static Handler withDeadline(Handler next, Duration limit) {
          return (ctx, request) -> {
            try (CancellableContext bounded = Context.withTimeout(ctx, limit)) {
              return next.handle(bounded, request);
            }
          };
        }

        static Handler withRequestId(Handler next) {
          return (ctx, request) ->
              next.handle(
                  Context.withValue(ctx, Key.REQUEST_ID, UUID.randomUUID().toString()), request);
        }

        static Handler chain(Handler last, List<UnaryOperator<Handler>> middleware) {
          Handler handler = last;
          for (UnaryOperator<Handler> layer : middleware) {
            handler = layer.apply(handler);
          }
          return handler;
        }

        static <C extends Context> String typed(C ctx, Handler handler, String request)
            throws Exception {
          return handler.handle(ctx, request);
        }

        List<String> serveAll(Context ctx, Method method, List<String> requests) throws Exception {
          class Served {
            final List<String> responses = new ArrayList<>();

            void serve(Context ctx, String request) throws Exception {
              responses.add(route(method).handle(ctx, request));
            }
          }
          Served served = new Served();
          Handler handler = chain(route(method), List.of(Routes::withRequestId));
          for (String request : requests) {
            Context requestCtx =
                switch (method) {
                  case GET -> ctx;
                  case PUT, DELETE -> Context.withValue(ctx, Key.REQUEST_ID, request);
                };
            served.serve(requestCtx, request);
            served.responses.add(handler.handle(requestCtx, request));
          }
          return served.responses;
        }
      }
      """
    },
    {
      "shop/Poller.java",
      """
      package shop;

      import java.util.concurrent.ExecutorService;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      /** Polls until closed or until the context it was started under ends. */
      final class Poller implements AutoCloseable {
        private final CancelFunc stop;

        Poller(Context ctx, ExecutorService pool, Runnable poll) {
          CancellableContext lifetime = Context.withCancel(ctx);
          this.stop = lifetime::cancel;
          pool.execute(() -> pollUntilDone(lifetime, poll));
        }

        private static void pollUntilDone(Context ctx, Runnable poll) {
          while (ctx.err() == null) {
            poll.run();
          }
        }

        @Override
        public void close() {
          stop.cancel();
        }
      }
      """
    },
    {
      "shop/OrderServiceTest.java",
      """
      package shop;

      import static org.junit.jupiter.api.Assertions.assertEquals;
      import static org.junit.jupiter.api.Assertions.assertThrows;

      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.Executors;
      import java.util.concurrent.LinkedBlockingQueue;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.junit.jupiter.api.Test;

      class OrderServiceTest {
        private final InMemoryOrders orders = new InMemoryOrders();
        private final OrderService service =
            new OrderService(
                orders, Executors.newSingleThreadExecutor(), new LinkedBlockingQueue<>(),
                Duration.ofSeconds(1));

        @Test
        void paysAnOrder() throws Exception {
          Context ctx = Context.background();
          orders.save(ctx, new Order("1", Order.Status.NEW, List.of("book")));
          assertEquals(Order.Status.PAID, service.pay(ctx, "1", Retry.NEVER).status());
        }

        @Test
        void rejectsANullParent() {
          assertThrows(NullPointerException.class, () -> service.load(null, "1"));
          assertThrows(NullPointerException.class, () -> Context.withTimeout(null, Duration.ZERO));
        }

        @Test
        void stopsWaitingWhenCancelled() throws Exception {
          try (CancellableContext ctx = Context.withCancel(Context.background())) {
            ctx.cancel();
            assertThrows(RuntimeException.class, () -> service.nextEvent(ctx));
          }
        }
      }
      """
    },
  };

  static final String SERVER =
      """
      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Executors;
      import java.util.concurrent.Future;
      import java.util.function.Function;
      import java.util.function.Supplier;
      import java.util.stream.Collectors;
      import java.util.stream.IntStream;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      public final class Server implements AutoCloseable {
        // The rule: a field whose type is a context type, CancellableContext included; the message
        // points at keeping only the cancel handle (a CancelFunc; AutoCloseable and Runnable below).
        // BUG: Diagnostic contains: [ContextInField]
        private final CancellableContext lifetime;
        private final AutoCloseable stop;                       // not flagged
        private final Runnable cancelHook;                      // not flagged
        private final Function<Context, String> handler;        // not flagged
        private final Supplier<CancellableContext> factory;     // not flagged
        private final ExecutorService pool = Executors.newFixedThreadPool(2);

        public Server(Context ctx) {
          CancellableContext l = Context.withCancel(ctx);
          this.lifetime = l;
          this.stop = l;
          this.cancelHook = l::cancel;
          this.handler = c -> "x";
          this.factory = () -> Context.withCancel(ctx);
        }

        String handle(Context ctx, String req) throws Exception {
          try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
              CancellableContext d = Context.withCancel(c)) {
            Future<String> f = pool.submit(() -> work(d, req));
            // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
            return f.get();
          }
        }

        String submitAndCancelLater(Context ctx) throws Exception {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          Future<String> f = pool.submit(() -> { try { return work(c, "a"); } finally { c.cancel(); } });
          return Context.await(ctx, f);
        }

        CompletableFuture<String> chain(Context ctx) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          return CompletableFuture.supplyAsync(() -> work(c, "x"), pool)
              .thenApply(String::trim)
              .whenComplete((r, e) -> c.cancel());
        }

        List<String> perItem(Context ctx, List<String> items) {
          List<String> out = new ArrayList<>();
          for (String item : items) {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(100));
            try {
              out.add(work(c, item));
            } finally {
              c.cancel();
            }
          }
          return out;
        }

        List<String> streams(Context ctx, List<String> items) {
          return items.stream()
              .map(i -> { try (CancellableContext c = Context.withCancel(ctx)) { return work(c, i); } })
              .collect(Collectors.toList());
        }

        List<CancellableContext> many(Context ctx, int n) {
          return IntStream.range(0, n).mapToObj(i -> Context.withCancel(ctx)).collect(Collectors.toList());
        }

        Optional<CancellableContext> maybe(Context ctx, boolean b) {
          CancellableContext c = Context.withCancel(ctx);
          if (b) {
            return Optional.ofNullable(c);
          }
          c.cancel();
          return Optional.empty();
        }

        // Cancelled on one branch, handed to an AutoCloseable parameter on the other.
        String guardedByBoolean(Context ctx, boolean owned) {
          CancellableContext c = Context.withCancel(ctx);
          String r = work(c, "x");
          if (owned) {
            c.cancel();
          } else {
            cancelHookFor(c);
          }
          return r;
        }

        String finallyNullCheck(Context ctx, Duration timeout) {
          CancellableContext c = null;
          Context use = ctx;
          try {
            if (timeout != null) {
              c = Context.withTimeout(ctx, timeout);
              use = c;
            }
            return work(use, "x");
          } finally {
            if (c != null) {
              c.cancel();
            }
          }
        }

        String varAndSwitch(Context ctx, int k) {
          var c = switch (k) {
            case 0 -> Context.withCancel(ctx);
            case 1 -> Context.withTimeout(ctx, Duration.ofSeconds(1));
            default -> Context.withDeadline(ctx, java.time.Instant.now());
          };
          try {
            return work(c, "x");
          } finally {
            c.close();
          }
        }

        int labelled(Context ctx, int[][] grid) {
          int found = -1;
          CancellableContext c = Context.withCancel(ctx);
          outer:
          for (int[] row : grid) {
            for (int v : row) {
              if (v < 0) {
                break outer;
              }
              found = v;
            }
          }
          c.cancel();
          return found;
        }

        void patternMatch(Context ctx, boolean b) {
          Context c = b ? Context.withCancel(ctx) : ctx;
          work(c, "x");
          if (c instanceof CancellableContext cc) {
            cc.cancel();
          }
        }

        // cancel() inside its own try/catch: the catch path has already called it.
        void closeQuietly(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          try {
            work(c, "x");
          } finally {
            try {
              c.close();
            } catch (RuntimeException ignored) {
              // nothing
            }
          }
        }

        // Was a LostCancel false positive (the graph's zero-trip path of a constant loop).
        void constantLoopCapture(Context ctx) throws Exception {
          CancellableContext c = Context.withCancel(ctx);
          List<Future<?>> fs = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> c.cancel()));
          }
          for (Future<?> f : fs) {
            Context.await(ctx, f);
          }
        }

        void threadSubclass(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          Thread t = new Thread() {
            @Override public void run() {
              try { work(c, "t"); } finally { c.cancel(); }
            }
          };
          t.start();
        }

        void cancelHookFor(AutoCloseable c) {}

        @Override
        public void close() {
          lifetime.cancel();
          pool.shutdown();
        }

        static String work(Context ctx, String s) {
          return s;
        }
      }
      """;

  static final String SHAPES =
      """
      import java.time.Duration;
      import java.time.Instant;
      import java.util.Map;
      import java.util.Optional;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.function.BiFunction;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.Done;

      public final class Shapes {
        private Shapes() {}

        // Sealed hierarchy of requests; a record with a context is stored data.
        sealed interface Request permits Get, Put {}
        record Get(String key) implements Request {}
        record Put(String key, String value) implements Request {}

        interface Handler {
          String handle(Context ctx, Request r);
          default String handleAll(Context ctx, Request... rs) {
            StringBuilder sb = new StringBuilder();
            for (Request r : rs) {
              try (CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(5))) {
                sb.append(handle(c, r));
              }
            }
            return sb.toString();
          }
        }

        static String dispatch(Context ctx, Request r) {
          if (r instanceof Get g) { return g.key(); }
          return r instanceof Put p ? p.key() + p.value() : "";
        }

        static String patternIf(Context ctx, Object o) {
          if (o instanceof Get g && ctx.err() == null) {
            return g.key();
          }
          return "";
        }

        // Generic with a context-bounded type variable.
        static <C extends Context> C first(C ctx, Object other) {
          return ctx;
        }

        static <C extends Context> String derive(C ctx) {
          try (CancellableContext c = Context.withCancel(ctx)) {
            return c.toString();
          }
        }

        // Builder: stores configuration, not a context; builds with a context parameter.
        static final class Client {
          private final Duration timeout;
          private Client(Duration timeout) { this.timeout = timeout; }
          static Builder builder() { return new Builder(); }
          String call(Context ctx, String what) {
            try (CancellableContext c = Context.withTimeout(ctx, timeout)) {
              return what + c.deadline().isPresent();
            }
          }
          static final class Builder {
            private Duration timeout = Duration.ofSeconds(1);
            Builder timeout(Duration d) { this.timeout = d; return this; }
            Client build() { return new Client(timeout); }
          }
        }

        // Enum singleton owning a lifetime: the field is a context (TP by rule).
        enum Registry {
          INSTANCE;
          private final Map<String, String> entries = new ConcurrentHashMap<>();
          String get(Context ctx, String k) { return entries.get(k); }
        }

        // An inner (non-static) class and a local class.
        final class Inner {
          String run(Context ctx) {
            class Local {
              String go(Context ctx) {
                try (CancellableContext d = Context.withCancel(ctx)) {
                  return d.toString();
                }
              }
            }
            return new Local().go(ctx);
          }
        }

        // A functional interface declaration and its anonymous/lambda implementations.
        static final BiFunction<String, Context, String> ADAPTER = (s, c) -> s;
        static String useAdapter(Context ctx) {
          BiFunction<String, Context, String> anon = new BiFunction<>() {
            @Override public String apply(String s, Context c) { return s; }
          };
          return anon.apply("x", ctx) + ADAPTER.apply("y", ctx);
        }

        // Private keys and lookups.
        private enum Key { USER }
        private static final Object TRACE = new Object();
        static Context withUser(Context ctx, String user) {
          return Context.withValue(Context.withValue(ctx, Key.USER, user), TRACE, "t");
        }
        static String user(Context ctx) {
          return ctx.value(Key.USER) instanceof String s ? s : "";
        }
        static Object trace(Context ctx) { return ctx.value(TRACE); }
        static Object passThrough(Context ctx, Object key) { return ctx.value(key); }

        // Null handling: fine shapes.
        static Context orTodo(Context ctx) {
          return ctx == null ? Context.todo() : ctx;
        }
        static Context nonNullDerived(Context ctx) {
          Context c = null;
          if (ctx != null) {
            c = Context.withValue(ctx, Key.USER, "u");
          }
          return c == null ? Context.background() : c;
        }
      }
      """;

  static final String MORE =
      """
      import java.time.Duration;
      import java.util.concurrent.atomic.AtomicReference;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      final class More {
        // Were LostCancel false positives: instanceof without a pattern, then a cast.
        void instanceOfCast(Context ctx, boolean b) {
          Context c = b ? Context.withCancel(ctx) : ctx;
          work(c);
          if (c instanceof CancellableContext) {
            ((CancellableContext) c).cancel();
          }
        }
        void instanceOfAutoCloseable(Context ctx) throws Exception {
          Context c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          work(c);
          if (c instanceof AutoCloseable) {
            ((AutoCloseable) c).close();
          }
        }
        void negatedInstanceOf(Context ctx) {
          Context c = Context.withCancel(ctx);
          work(c);
          if (!(c instanceof CancellableContext)) {
            return;
          }
          ((CancellableContext) c).cancel();
        }
        void nullTernary(Context ctx, Duration timeout) {
          CancellableContext c = timeout == null ? null : Context.withTimeout(ctx, timeout);
          try {
            work(c == null ? ctx : c);
          } finally {
            if (c != null) c.cancel();
          }
        }
        void atomicHolder(Context ctx, AtomicReference<CancellableContext> ref) {
          CancellableContext c = Context.withCancel(ctx);
          ref.set(c);
        }
        void whileTrueWithBreak(Context ctx, java.util.Iterator<String> it) {
          while (true) {
            CancellableContext c = Context.withCancel(ctx);
            try {
              if (!it.hasNext()) break;
              work(c);
            } finally {
              c.cancel();
            }
          }
        }
        void doWhileCapture(Context ctx, java.util.List<Runnable> out, int n) {
          CancellableContext c = Context.withCancel(ctx);
          int i = 0;
          do {
            out.add(c::cancel);
            i++;
          } while (i < n);
        }
        void returnInTryCancelInFinally(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          try {
            if (ctx.err() != null) return;
            work(c);
          } catch (RuntimeException e) {
            return;
          } finally {
            c.cancel();
          }
        }
        void interruptedCatch(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          try {
            c.done().await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            c.close();
          }
        }
        static void work(Context ctx) {}
      }
      """;

  static final String ODD =
      """
      import java.io.Serializable;
      import java.time.Duration;
      import java.util.List;
      import java.util.function.BiFunction;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      public class Odd {
        class Inner { Inner(Context ctx) {} }
        enum Mode {
          // BUG: Diagnostic contains: [NullContext]
          A(null) { @Override String f() { return "a"; } },
          B(Context.background());
          Mode(Context ctx) {}
          String f() { return ""; }
        }
        { CancellableContext c = Context.withCancel(Context.background()); c.cancel(); }
        // Not flagged: in an initializer block LostCancel checks only for a discarded context.
        static { CancellableContext c = Context.withCancel(Context.background()); }
        void innerAnon(Odd outer) {
          // BUG: Diagnostic contains: [NullContext]
          Inner i = outer.new Inner(null) {};
          Inner j = this.new Inner(Context.todo());
        }
        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        <C extends Context & Serializable> void intersection(String s, C ctx, C[] all) {
          Object o = (Context & Serializable) ctx;
        }
        void varLambda(Context ctx) {
          BiFunction<Context, String, String> f = (var c, var s) -> {
            try (var d = Context.withCancel(c)) { return s; }
          };
          f.apply(ctx, "x");
        }
        void localTypes(Context ctx) {
          record Job(String name) {}
          enum Local { X }
          interface Step { void run(Context ctx); }
          Step s = c -> { CancellableContext d = Context.withTimeout(c, Duration.ZERO); d.cancel(); };
          s.run(ctx);
          Object k = Local.X;
          Context.withValue(ctx, Local.X, new Job("j"));
        }
        @SuppressWarnings("LostCancel")
        void suppressedMethod(Context ctx) { Context.withCancel(ctx); }
        @SuppressWarnings("all")
        void suppressedAll(Context ctx) { Context.withCancel(ctx); }
        void genericArray(Context ctx, List<? super CancellableContext> sink) {
          CancellableContext c = Context.withCancel(ctx);
          sink.add(c);
        }
        void assertStatement(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          assert c != null : "never";
          c.cancel();
        }
        void conditionalAnd(Context ctx, boolean b) {
          CancellableContext c = null;
          try {
            // BUG: Diagnostic contains: [LostCancel]
            c = Context.withCancel(ctx);
          } finally {
            if (b && c != null) c.cancel();
          }
        }
      }
      """;

  static final String CTORS =
      """
      import java.util.function.Consumer;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      abstract class Base {
        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        Base(String name, Context ctx) {}
        abstract void go();
      }
      final class Ctors {
        // BUG: Diagnostic contains: [ContextInField]
        record R(String a, Context c) {
          R {
            if (a == null) throw new IllegalArgumentException();
          }
        }
        // BUG: Diagnostic contains: [ContextInField]
        record S(String a, Context c) {
          S(String a, Context c) { this.a = a; this.c = c; }
        }
        void anon(Context ctx) {
          Base b = new Base("x", ctx) { @Override void go() {} };
          b.go();
          Consumer<Context> k = new Consumer<>() { @Override public void accept(Context c) {} };
        }
        static void varargs(Context... all) {}
        static void callVarargs() { varargs((Context[]) null); varargs(); }
        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        private static String helper(String a, Context ctx, Object... rest) { return a; }
        static String callHelper(Context ctx) { return helper("a", ctx) + helper("b", ctx, 1, 2); }
      }
      """;

  /**
   * A checkout with mistakes that break two rules at once: each check reports its own rule, and the
   * near misses next to them (a reset before a derivation, a loop over handlers, a null fallback, a
   * root in a method without a context, a task that captures the context) stay quiet.
   */
  static final String CHECKOUT =
      """
      import java.time.Duration;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Checkout {
        private enum Key { ITEM }

        interface Handler {
          String handle(Context ctx, String request) throws Exception;
        }

        // BUG: Diagnostic contains: [ContextNotFirstParameter]
        // [ContextParameterName]
        static String price(String item, Context request) {
          return item + request.err();
        }

        // BUG: Diagnostic contains: [ContextInField]
        record Job(Context context, String id) {
          // BUG: Diagnostic contains: [ContextNotFirstParameter]
          // [ContextParameterName]
          Job(String id, Context parent) {
            this(parent, id);
          }
        }

        void perItem(Context ctx, List<String> items) {
          for (String item : items) {
            // BUG: Diagnostic contains: [ContextDerivedInLoop]
            // [LostCancel]
            ctx = Context.withTimeout(ctx, Duration.ofSeconds(1));
            price(item, ctx);
          }
        }

        void tagAll(Context ctx, List<String> items) {
          for (String item : items) {
            // BUG: Diagnostic contains: [ContextDerivedInLoop]
            // [ContextKeyNotPrivate]
            ctx = Context.withValue(ctx, "item", item);
          }
          price("all", ctx);
        }

        void tagEach(Context ctx, List<String> items) {
          Context current = ctx;
          for (String item : items) {
            current = ctx;
            current = Context.withValue(current, Key.ITEM, item);
            price(item, current);
          }
        }

        String quote(Context ctx, CompletableFuture<String> price)
            throws ExecutionException, InterruptedException {
          try (CancellableContext lookup =
              // BUG: Diagnostic contains: [ContextNotInherited]
              Context.withTimeout(Context.background(), Duration.ofSeconds(1))) {
            price(lookup.toString(), lookup);
            // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
            return price.get();
          }
        }

        String twice(Context ctx, String item) {
          // BUG: Diagnostic contains: [NullContext]
          String first = price(item, null);
          // BUG: Diagnostic contains: [ContextNotInherited]
          return first + price(item, Context.todo());
        }

        String fallback(Context ctx, String item) {
          return price(item, ctx == null ? Context.background() : ctx);
        }

        static Handler handler() {
          Context root = Context.background();
          return (ctx, request) -> {
            // BUG: Diagnostic contains: [BlockingCallIgnoresContext]
            Thread.sleep(10);
            // BUG: Diagnostic contains: [ContextNotInherited]
            return price(request, Context.background()) + price(request, root);
          };
        }
      }
      """;

  /** A user Context implementation that adds a span to its parent. */
  static final String TRACED =
      """
      import java.time.Instant;
      import java.util.Optional;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.Done;

      final class Traced implements Context {
        private enum SpanKey { SPAN }

        private final Context parent;
        private final String span;

        // Go's name for the context a new one derives from: not a ContextParameterName finding
        Traced(Context parent, String span) {
          this.parent = parent;
          this.span = span;
        }

        static Context withSpan(Context ctx, String span) {
          return new Traced(ctx, span);
        }

        static String span(Context ctx) {
          return ctx.value(SpanKey.SPAN) instanceof String s ? s : "";
        }

        @Override public Optional<Instant> deadline() { return parent.deadline(); }
        @Override public Done done() { return parent.done(); }
        @Override public ContextDoneException err() { return parent.err(); }
        @Override public Object value(Object key) {
          return key == SpanKey.SPAN ? span : parent.value(key);
        }
      }
      """;

  /**
   * Code next to the newer checks' rules that they must leave alone: roots made only when the
   * caller passed no context, getters that do not block, waits inside an interrupt scope, a reset
   * before each derivation in a loop, overrides through generics, records and enum constants that
   * keep their supertype's parameter names, and the roots of a program's entry point.
   */
  static final String NEAR_MISSES =
      """
      import java.time.Duration;
      import java.util.List;
      import java.util.Map;
      import java.util.Objects;
      import java.util.Optional;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.atomic.AtomicReference;
      import java.util.function.Function;
      import java.util.function.Supplier;
      import java.util.stream.Collectors;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class NearMisses {
        private enum Key { ATTEMPT, USER }

        private static final ThreadLocal<String> USER = new ThreadLocal<>();
        private final Map<String, String> cache = new ConcurrentHashMap<>();

        interface Repository<C extends Context> {
          void save(C ctx, String value);
        }

        static final class CancellableRepository implements Repository<CancellableContext> {
          @Override
          public void save(CancellableContext job, String value) {
            job.throwIfDone();
          }
        }

        static final class Describe implements Function<Context, String> {
          @Override
          public String apply(Context context) {
            return String.valueOf(context.deadline());
          }
        }

        interface Handler {
          String handle(Context ctx, String request);
        }

        record Echo(String prefix) implements Handler {
          @Override
          public String handle(Context request, String body) {
            return prefix + body + request.err();
          }
        }

        enum Step {
          FIRST {
            @Override
            String run(Context parent) {
              return String.valueOf(parent.err());
            }
          };

          abstract String run(Context ctx);
        }

        static Context orBackground(Context ctx) {
          return ctx != null ? ctx : Context.background();
        }

        static Context defaulted(Context ctx) {
          if (ctx == null) {
            ctx = Context.background();
          }
          return ctx;
        }

        static Context guarded(Context ctx) {
          if (ctx == null) {
            return Context.todo();
          }
          return ctx;
        }

        static Context lazily(Context ctx) {
          return Optional.ofNullable(ctx).orElseGet(Context::background);
        }

        static Context required(Context ctx) {
          return Objects.requireNonNullElseGet(ctx, Context::background);
        }

        static boolean isRoot(Context ctx) {
          return ctx == Context.background() || Objects.equals(ctx, Context.todo());
        }

        String getters(
            Context ctx,
            Optional<String> name,
            Supplier<String> fallback,
            AtomicReference<String> last,
            List<String> parts,
            CompletableFuture<String> pending) {
          return name.orElseGet(fallback) + last.get() + USER.get() + cache.get("k")
              + String.join(",", parts) + parts.stream().collect(Collectors.joining())
              + pending.getNow("none") + pending.isDone() + ctx.err();
        }

        String drain(Context ctx, BlockingQueue<String> queue) throws InterruptedException {
          try (var ignored = Context.interruptWhenDone(ctx)) {
            Thread.sleep(1);
            return queue.take();
          }
        }

        void attempts(Context ctx, int count) {
          Context attempt;
          for (int i = 0; i < count; i++) {
            attempt = ctx;
            attempt = Context.withValue(attempt, Key.ATTEMPT, i);
            try (CancellableContext call = Context.withTimeout(attempt, Duration.ofSeconds(1))) {
              call.throwIfDone();
            }
          }
        }

        static void all(Context... contexts) {}

        public static void main(String[] args) {
          Supplier<Context> roots = () -> Context.background();
          Handler handler = (ctx, request) -> new Echo(">").handle(Context.background(), request);
          all(roots.get(), Context.withValue(Context.todo(), Key.USER, handler));
        }
      }
      """;

  /**
   * A price service that fans out to its suppliers with {@code TaskGroup}s (a bounded group inside
   * a deadline, a group awaited on every path, a group handed to the caller, a group per record
   * value), and a class that runs work in grpc's {@code io.grpc.Context} (a deadline as
   * try-with-resources, attach and detach in {@code finally}, the safe forms {@code run}, {@code
   * call}, {@code wrap}). Every group is awaited or closed, every context cancelled or restored.
   */
  static final String[][] FAN_OUT = {
    {
      "fanout/PriceService.java",
      """
      package fanout;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      public final class PriceService {
        public interface Supplier {
          int quote(Context ctx, String sku) throws Exception;
        }

        private final List<Supplier> suppliers;

        public PriceService(List<Supplier> suppliers) {
          this.suppliers = List.copyOf(suppliers);
        }

        /** The best quote, every supplier asked at once; the first failure ends the others. */
        public int best(Context ctx, String sku) throws InterruptedException, ExecutionException {
          try (CancellableContext bounded = Context.withTimeout(ctx, Duration.ofSeconds(2));
              TaskGroup group = TaskGroup.withLimit(bounded, 8)) {
            List<TaskGroup.Result<Integer>> quotes = new ArrayList<>();
            for (Supplier supplier : suppliers) {
              quotes.add(group.fork(c -> supplier.quote(c, sku)));
            }
            group.await();
            int best = Integer.MAX_VALUE;
            for (TaskGroup.Result<Integer> quote : quotes) {
              best = Math.min(best, quote.get());
            }
            return best;
          }
        }

        /** Warms the cache of every sku; no result, awaited on every path. */
        public void warm(Context ctx, List<String> skus)
            throws InterruptedException, ExecutionException {
          TaskGroup group = TaskGroup.withContext(ctx);
          for (String sku : skus) {
            group.go(c -> best(c, sku));
          }
          group.await();
        }

        /** Starts the work; the caller awaits the group it gets. */
        public TaskGroup prefetch(Context ctx, List<String> skus) {
          TaskGroup group = TaskGroup.withContext(ctx);
          skus.forEach(sku -> group.go(c -> best(c, sku)));
          return group;
        }

        public record Basket(List<String> skus) {
          public Basket {
            skus = List.copyOf(skus);
          }

          public int total(Context ctx, PriceService prices)
              throws InterruptedException, ExecutionException {
            try (TaskGroup group = TaskGroup.withContext(ctx)) {
              List<TaskGroup.Result<Integer>> each = new ArrayList<>();
              for (String sku : skus) {
                each.add(group.fork(c -> prices.best(c, sku)));
              }
              group.await();
              return switch (each.size()) {
                case 0 -> 0;
                default -> each.stream().mapToInt(TaskGroup.Result::get).sum();
              };
            }
          }
        }
      }
      """
    },
    {
      "fanout/GrpcScope.java",
      """
      package fanout;

      import io.grpc.Context;
      import java.util.concurrent.Callable;
      import java.util.concurrent.Executor;
      import java.util.concurrent.ScheduledExecutorService;
      import java.util.concurrent.TimeUnit;

      /** Runs work in grpc's context: under a deadline, or with another context attached. */
      public final class GrpcScope {
        private final ScheduledExecutorService scheduler;

        public GrpcScope(ScheduledExecutorService scheduler) {
          this.scheduler = scheduler;
        }

        public <T> T withDeadline(long millis, Callable<T> call) throws Exception {
          try (Context.CancellableContext bounded =
              Context.current().withDeadlineAfter(millis, TimeUnit.MILLISECONDS, scheduler)) {
            return bounded.call(call);
          }
        }

        public void runIn(Context context, Runnable work) {
          Context previous = context.attach();
          try {
            work.run();
          } finally {
            context.detach(previous);
          }
        }

        public void cancellable(Runnable work) {
          Context.CancellableContext scope = Context.current().withCancellation();
          Context previous = scope.attach();
          try {
            work.run();
          } finally {
            scope.detachAndCancel(previous, null);
          }
        }

        public Executor propagating(Executor executor) {
          return Context.currentContextExecutor(executor);
        }

        public Runnable bound(Runnable work) {
          return Context.current().wrap(work);
        }
      }
      """
    }
  };

  /**
   * The flagged twins of {@link #FAN_OUT}: a group left behind by an early return, a group never
   * kept, a grpc deadline never cancelled, an attached context not restored on an early return.
   */
  static final String[][] FAN_OUT_LEAKS = {
    {
      "fanout/LeakyPrices.java",
      """
      package fanout;

      import java.util.ArrayList;
      import java.util.List;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      public final class LeakyPrices {
        public interface Supplier {
          int quote(Context ctx, String sku) throws Exception;
        }

        public int best(Context ctx, List<Supplier> suppliers, String sku) throws Exception {
          // BUG: Diagnostic contains: [LostCancel] This TaskGroup is neither awaited nor closed
          TaskGroup group = TaskGroup.withLimit(ctx, 8);
          List<TaskGroup.Result<Integer>> quotes = new ArrayList<>();
          for (Supplier supplier : suppliers) {
            quotes.add(group.fork(c -> supplier.quote(c, sku)));
          }
          if (quotes.size() == 1) {
            return -1;
          }
          group.await();
          int best = Integer.MAX_VALUE;
          for (TaskGroup.Result<Integer> quote : quotes) {
            best = Math.min(best, quote.get());
          }
          return best;
        }

        public void warmAndForget(Context ctx, List<Supplier> suppliers) {
          // BUG: Diagnostic contains: [LostCancel] This TaskGroup can never be awaited or closed
          TaskGroup.withContext(ctx).go(c -> best(c, suppliers, "warm"));
        }
      }
      """
    },
    {
      "fanout/LeakyGrpcScope.java",
      """
      package fanout;

      import io.grpc.Context;
      import java.util.concurrent.Callable;
      import java.util.concurrent.ScheduledExecutorService;
      import java.util.concurrent.TimeUnit;

      public final class LeakyGrpcScope {
        private final ScheduledExecutorService scheduler;

        public LeakyGrpcScope(ScheduledExecutorService scheduler) {
          this.scheduler = scheduler;
        }

        public <T> T withDeadline(long millis, Callable<T> call) throws Exception {
          Context.CancellableContext bounded =
              // BUG: Diagnostic contains: [LostCancel] This io.grpc.Context.CancellableContext is not cancelled
              Context.current().withDeadlineAfter(millis, TimeUnit.MILLISECONDS, scheduler);
          return bounded.call(call);
        }

        public void runIn(Context context, Runnable work, boolean skip) {
          // BUG: Diagnostic contains: [LostCancel] The context this attach() replaced is not restored
          Context previous = context.attach();
          if (skip) {
            return;
          }
          work.run();
          context.detach(previous);
        }
      }
      """
    }
  };
}
