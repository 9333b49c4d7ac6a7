package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * Declarations around contexts, compiled with every ctx4j check: callbacks whose parameter order a
 * library fixed (implemented, overridden, generic, or named by a method reference), JUnit tests
 * taking the extension's context, per-call objects, enums, sealed types, builders, varargs, a
 * {@code Context} of one's own, fields of other libraries' contexts, and keys held in every shape
 * (enum keys, nested key classes, interface constants, keys shared inside a package, protected keys
 * of classes other packages cannot extend). Correct code stays quiet under every check.
 */
final class DeclarationsRealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, DeclarationsRealisticCodeTest.class);
  }

  /**
   * A library's callback types, declared in their own files, and an application that implements
   * them, overrides them, and hands its own methods to them by method reference.
   */
  @Test
  void callbacksWhoseOrderALibraryFixedAreQuiet() {
    everyCheck()
        .addSourceLines("lib/events/EventListener.java", EVENT_LISTENER)
        .addSourceLines("lib/events/EventBus.java", EVENT_BUS)
        .addSourceLines("app/Listeners.java", LISTENERS)
        .expectNoDiagnostics()
        .doTest();
  }

  /** JUnit 5 tests that take ctx4j-junit's context, among JUnit's own parameters. */
  @Test
  void junitTestsTakingTheExtensionsContextAreQuiet() {
    everyCheck().addSourceLines("app/SkuTest.java", JUNIT_TESTS).expectNoDiagnostics().doTest();
  }

  /** Per-call objects, enums, sealed types, builders, varargs, main, equals and hashCode. */
  @Test
  void modelTypesAreQuiet() {
    everyCheck().addSourceLines("app/Model.java", MODEL).expectNoDiagnostics().doTest();
  }

  /** Fields that look like context fields and are not: other libraries' contexts, handles. */
  @Test
  void fieldsThatHoldNoCtx4jContextAreQuiet() {
    everyCheck().addSourceLines("app/Fields.java", FIELDS).expectNoDiagnostics().doTest();
  }

  /** Keys in every private shape, and keys shared inside one package on purpose. */
  @Test
  void privateKeysInEveryShapeAreQuiet() {
    everyCheck()
        .addSourceLines("app/keys/Keys.java", KEYS)
        .addSourceLines("app/keys/KeyUsers.java", KEY_USERS)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * Generic handlers over a context type, a worker that owns a lifetime, a derived context named
   * {@code ctx} in a try, a functional interface composed in a default method, varargs.
   */
  @Test
  void handlersAndHelpersAreQuiet() {
    everyCheck().addSourceLines("app/Helpers.java", HELPERS).expectNoDiagnostics().doTest();
  }

  private static final String HELPERS =
      """
      package app;

      import java.time.Duration;
      import java.util.Optional;
      import java.util.function.Function;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      final class Helpers {
        interface Handler<C extends Context> {
          String handle(C ctx, String request);
        }

        static final class Worker implements AutoCloseable {
          private final AutoCloseable stop;

          Worker(Context ctx) {
            CancellableContext lifetime = Context.withCancel(ctx);
            this.stop = lifetime;
          }

          @Override
          public void close() throws Exception {
            stop.close();
          }
        }

        static <C extends Context> String dispatch(C ctx, Handler<? super C> handler) {
          return handler.handle(ctx, "x");
        }

        static String timed(Context parent, Duration d) {
          try (CancellableContext ctx = Context.withTimeout(parent, d)) {
            return String.valueOf(ctx.err());
          }
        }

        static Function<String, String> bound(Context ctx) {
          return s -> ctx.err() == null ? s : "";
        }

        enum Level {
          LOW,
          HIGH;

          static Level of(Context ctx) {
            return ctx.err() == null ? LOW : HIGH;
          }
        }

        @FunctionalInterface
        interface Step {
          void run(Context ctx) throws Exception;

          default Step then(Step next) {
            return c -> {
              run(c);
              next.run(c);
            };
          }
        }

        private static final ContextKey<String> NAME = ContextKey.of("name", String.class);

        static Optional<String> name(Context ctx) {
          return Optional.ofNullable(NAME.get(ctx));
        }

        @SafeVarargs
        static <T> void each(Context ctx, T... items) {}

        static String viaReference(Context ctx) {
          Handler<Context> handler = Helpers::echo;
          return dispatch(ctx, handler);
        }

        private static <C extends Context> String echo(C ctx, String request) {
          return ctx.err() == null ? request : "";
        }
      }
      """;

  /**
   * The near twins of the quiet programs: each is reported by the right check on its line, with
   * every check running.
   */
  @Test
  void theMistakesNextToThemAreReported() {
    everyCheck()
        .addSourceLines(
            "app/twins/Twins.java",
            """
            package app.twins;

            import java.util.function.BiConsumer;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            public class Twins {
              // BUG: Diagnostic contains: ContextKeyNotPrivate
              public static final ContextKey<String> USER = ContextKey.of("user", String.class);

              /** Others can extend this one: its constructor is protected. */
              public abstract static class Base {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                protected static final ContextKey<String> REGION = ContextKey.of("r", String.class);

                protected Base() {}
              }

              /** A per-call object holding the caller's context. */
              // BUG: Diagnostic contains: ContextInField
              record Call(Context ctx, String id) {}

              void register(java.util.List<BiConsumer<String, Context>> sinks) {
                // a lambda calls handle: the order of handle is its author's
                sinks.add((event, ctx) -> handle(event, ctx));
              }

              // BUG: Diagnostic contains: ContextNotFirstParameter
              private void handle(String event, Context ctx) {}
            }
            """)
        .doTest();
  }

  private static final String EVENT_LISTENER =
      """
      package lib.events;

      import org.ctx4j.Context;

      /** A library's callback: the library chose this order, and its own build judges it. */
      @SuppressWarnings({"ContextNotFirstParameter", "ContextParameterName"})
      public interface EventListener<E> {
        void onEvent(E event, Context context);

        /** A generic handler over the library's own context subtype. */
        interface Handler<C extends Context> {
          String handle(String request, C ctx);
        }

        /** A visitor in the classic shape, argument last. */
        interface Visitor<R, A> {
          R visit(String node, A arg);
        }
      }
      """;

  private static final String EVENT_BUS =
      """
      package lib.events;

      import java.util.ArrayList;
      import java.util.List;
      import java.util.function.BiConsumer;
      import org.ctx4j.Context;

      public final class EventBus {
        private final List<EventListener<String>> listeners = new ArrayList<>();
        private final List<BiConsumer<String, Context>> consumers = new ArrayList<>();

        public void subscribe(EventListener<String> listener) {
          listeners.add(listener);
        }

        public void consume(BiConsumer<String, Context> consumer) {
          consumers.add(consumer);
        }

        public void publish(Context ctx, String event) {
          for (EventListener<String> listener : listeners) {
            listener.onEvent(event, ctx);
          }
          for (BiConsumer<String, Context> consumer : consumers) {
            consumer.accept(event, ctx);
          }
        }
      }
      """;

  private static final String LISTENERS =
      """
      package app;

      import java.util.Comparator;
      import java.util.function.BiFunction;
      import lib.events.EventBus;
      import lib.events.EventListener;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Listeners {
        /** Implements the library's callback in its order, names its own. */
        static final class AuditListener implements EventListener<String> {
          @Override
          public void onEvent(String event, Context ctx) {
            if (ctx.err() == null) {
              System.out.println(event);
            }
          }
        }

        /** Implements it without @Override, with the library's parameter name. */
        static final class QuietListener implements EventListener<String> {
          public void onEvent(String event, Context context) {}
        }

        /** Overrides a superclass's implementation. */
        static class BaseListener implements EventListener<Integer> {
          @Override
          public void onEvent(Integer event, Context ctx) {}
        }

        static final class CountingListener extends BaseListener {
          private int seen;

          @Override
          public void onEvent(Integer event, Context c) {
            seen++;
            super.onEvent(event, c);
          }
        }

        /** A JDK functional interface with the context second. */
        static final class Lookup implements BiFunction<String, Context, Integer> {
          @Override
          public Integer apply(String key, Context ctx) {
            return ctx.err() == null ? key.length() : -1;
          }
        }

        /** A generic handler over a context subtype. */
        static final class CancellingHandler implements EventListener.Handler<CancellableContext> {
          @Override
          public String handle(String request, CancellableContext ctx) {
            ctx.cancel();
            return request;
          }
        }

        /** A visitor whose argument is the context. */
        static final class Printer implements EventListener.Visitor<String, Context> {
          @Override
          public String visit(String node, Context ctx) {
            return ctx.err() == null ? node : "";
          }
        }

        /** Deadlines compared; the order of a Comparator is the JDK's. */
        static final Comparator<String> BY_LENGTH = Comparator.comparingInt(String::length);

        private int delivered;

        void register(EventBus bus) {
          bus.subscribe(new AuditListener());
          bus.subscribe(
              new EventListener<String>() {
                @Override
                public void onEvent(String event, Context ctx) {
                  delivered++;
                }
              });
          bus.subscribe((event, ctx) -> delivered++);
          // Methods of this class handed to the library: its interface fixed their order.
          bus.subscribe(this::onEvent);
          bus.subscribe(Listeners::log);
          bus.consume(Listeners::log);
        }

        private void onEvent(String event, Context ctx) {
          if (ctx.err() == null) {
            delivered++;
          }
        }

        private static void log(String event, Context ctx) {
          System.out.println(event + (ctx.err() == null ? "" : " (late)"));
        }
      }
      """;

  private static final String JUNIT_TESTS =
      """
      package app;

      import static org.junit.jupiter.api.Assertions.assertNull;

      import java.lang.annotation.ElementType;
      import java.lang.annotation.Retention;
      import java.lang.annotation.RetentionPolicy;
      import java.lang.annotation.Target;
      import org.ctx4j.Context;
      import org.junit.jupiter.api.BeforeEach;
      import org.junit.jupiter.api.RepeatedTest;
      import org.junit.jupiter.api.RepetitionInfo;
      import org.junit.jupiter.api.Test;
      import org.junit.jupiter.api.TestInfo;
      import org.junit.jupiter.params.ParameterizedTest;
      import org.junit.jupiter.params.provider.CsvSource;
      import org.junit.jupiter.params.provider.ValueSource;

      class SkuTest {
        /** A composed annotation, as JUnit's guide shows: a parameterized test by another name. */
        @Target(ElementType.METHOD)
        @Retention(RetentionPolicy.RUNTIME)
        @ParameterizedTest
        @ValueSource(strings = {"a-1", "b-2"})
        @interface EachSku {}

        private final StringBuilder log = new StringBuilder();

        @BeforeEach
        void fill(Context ctx, TestInfo info) {
          log.append(info.getDisplayName());
        }

        @Test
        void plain(Context ctx) {
          assertNull(ctx.err());
        }

        @ParameterizedTest
        @CsvSource({"a-1, 1", "b-2, 2"})
        void parses(String sku, int n, Context ctx) {
          assertNull(ctx.err());
        }

        @RepeatedTest(3)
        void repeats(RepetitionInfo info, Context ctx) {
          assertNull(ctx.err());
        }

        @EachSku
        void composed(String sku, Context ctx) {
          assertNull(ctx.err());
        }
      }
      """;

  private static final String MODEL =
      """
      package app;

      import java.util.Objects;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Model {
        /** A sealed command hierarchy whose records carry data, not contexts. */
        sealed interface Command permits Put, Delete {
          String run(Context ctx, Store store);
        }

        record Put(String key, String value) implements Command {
          @Override
          public String run(Context ctx, Store store) {
            return store.put(ctx, key, value);
          }
        }

        record Delete(String key) implements Command {
          @Override
          public String run(Context ctx, Store store) {
            return store.delete(ctx, key);
          }
        }

        interface Store {
          String put(Context ctx, String key, String value);

          String delete(Context ctx, String key);

          default String putAll(Context ctx, String... pairs) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
              put(ctx, pairs[i], pairs[i + 1]);
            }
            return "";
          }
        }

        /** Enum constants with bodies, overriding an abstract method that takes the context first. */
        enum Op {
          READ {
            @Override
            String apply(Context ctx, String key) {
              return key;
            }
          },
          WRITE {
            @Override
            String apply(Context c, String key) {
              return key.toUpperCase();
            }
          };

          abstract String apply(Context ctx, String key);
        }

        /** A request-scoped object built per call: it takes the context per method, not in a field. */
        static final class Request {
          private static final Object USER = new Object();
          private final String id;
          private final String user;

          private Request(String id, String user) {
            this.id = id;
            this.user = user;
          }

          static Request of(Context ctx, String id) {
            return new Request(id, ctx.value(USER) instanceof String s ? s : "anon");
          }

          static Builder builder() {
            return new Builder();
          }

          @Override
          public boolean equals(Object o) {
            return o instanceof Request r && r.id.equals(id) && r.user.equals(user);
          }

          @Override
          public int hashCode() {
            return Objects.hash(id, user);
          }

          static final class Builder {
            private String id = "";
            private String user = "";

            Builder id(String id) {
              this.id = id;
              return this;
            }

            Builder user(String user) {
              this.user = user;
              return this;
            }

            Request build() {
              return new Request(id, user);
            }
          }
        }

        /** A dependency-injected service: collaborators in the constructor, contexts per call. */
        static final class Service {
          private final Store store;

          Service(Store store) {
            this.store = store;
          }

          String handle(Context ctx, Command command) {
            return command.run(ctx, store);
          }

          static String runAll(Context ctx, Service service, Command... commands) {
            StringBuilder out = new StringBuilder();
            for (Command command : commands) {
              out.append(service.handle(ctx, command));
            }
            return out.toString();
          }

          /** Several contexts up front: the caller's and a detached one for cleanup. */
          static void withCleanup(Context ctx, Context cleanup, Runnable work) {
            if (ctx.err() == null && cleanup.err() == null) {
              work.run();
            }
          }

          /** Derives a child from the parent, as Go's factories do. */
          static CancellableContext child(Context parent, String name) {
            return Context.withCancel(parent);
          }

          /** Several contexts as varargs: the first parameter is the name. */
          static boolean anyDone(String why, Context... contexts) {
            for (Context c : contexts) {
              if (c.err() != null) {
                return true;
              }
            }
            return false;
          }
        }

        public static void main(String[] args) {
          try (CancellableContext ctx = Context.withCancel(Context.background())) {
            System.out.println(Service.anyDone("main", ctx));
          }
        }
      }
      """;

  private static final String FIELDS =
      """
      package app;

      import java.io.Serializable;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.function.BiFunction;
      import java.util.function.Function;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;
      import org.ctx4j.Done;

      final class Fields {
        /** grpc's context captured to run work under it later: grpc's pattern, not ctx4j's. */
        static final class GrpcPropagation {
          private final io.grpc.Context captured = io.grpc.Context.current();

          void later(Runnable work) {
            captured.run(work);
          }
        }

        /** JNDI's context, another type named Context. */
        static final class Naming {
          private final javax.naming.Context jndi;

          Naming(javax.naming.Context jndi) {
            this.jndi = jndi;
          }
        }

        /** Handles, code and types: no context held. */
        static final class Registry implements Serializable {
          private static final long serialVersionUID = 1L;
          private final transient Map<String, CancelFunc> running = new ConcurrentHashMap<>();
          private final transient List<Function<Context, String>> steps = List.of();
          private final transient BiFunction<Context, String, Integer> lookup = (c, s) -> 0;
          private final Class<? extends Context> type = Context.class;
          private transient Done done;
          private static final ContextKey<Context> ORIGIN = ContextKey.of("origin", Context.class);

          void stopAll() {
            running.values().forEach(CancelFunc::cancel);
          }
        }
      }
      """;

  private static final String KEYS =
      """
      package app.keys;

      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Keys this package shares between its files, on purpose, and no other package can read. */
      interface Keys {
        ContextKey<String> USER = ContextKey.of("user", String.class);
        Object TENANT = new Object();

        /** An enum key that knows how to read itself. */
        enum Attr {
          TRACE,
          SPAN;

          String get(Context ctx) {
            return ctx.value(this) instanceof String s ? s : "";
          }
        }
      }
      """;

  private static final String KEY_USERS =
      """
      package app.keys;

      import java.util.Map;
      import org.ctx4j.Context;
      import org.ctx4j.ContextKey;

      /** Public accessors over keys no other package can obtain. */
      public final class KeyUsers {
        private KeyUsers() {}

        private static final ContextKey<Long> ATTEMPT = ContextKey.of("attempt", Long.class);

        private enum Key {
          REQUEST_ID
        }

        private static final class SpanKey {}

        private static final SpanKey SPAN = new SpanKey();

        /** A value key whose class others cannot construct: private constructor, no factory. */
        public static final class NamedKey {
          static final NamedKey LOCALE = new NamedKey("locale");
          private final String name;

          private NamedKey(String name) {
            this.name = name;
          }

          @Override
          public boolean equals(Object o) {
            return o instanceof NamedKey k && k.name.equals(name);
          }

          @Override
          public int hashCode() {
            return name.hashCode();
          }
        }

        /** Keys private to a nested interface of this class. */
        private interface Hidden {
          ContextKey<String> ROLE = ContextKey.of("role", String.class);
        }

        /**
         * A base class others can see but not extend (package-private constructor): its protected
         * key is for the subclasses in this package.
         */
        public abstract static class Base {
          protected static final ContextKey<String> REGION = ContextKey.of("region", String.class);

          Base() {}
        }

        /** A sealed base: its permitted subclasses are all here. */
        public abstract static sealed class Step permits First {
          protected static final ContextKey<Integer> INDEX = ContextKey.of("index", Integer.class);
        }

        static final class First extends Step {}

        public static Context withUser(Context ctx, String user) {
          return Keys.USER.with(ctx, user);
        }

        public static String user(Context ctx) {
          return Keys.USER.get(ctx);
        }

        public static Context withTenant(Context ctx, String tenant) {
          return Context.withValue(ctx, Keys.TENANT, tenant);
        }

        public static Context tagged(Context ctx, String id, Map<String, String> attrs) {
          Context out = Context.withValue(ctx, Key.REQUEST_ID, id);
          out = Context.withValue(out, SPAN, attrs.getOrDefault("span", ""));
          out = Context.withValue(out, NamedKey.LOCALE, attrs.getOrDefault("locale", "en"));
          out = Context.withValue(out, Keys.Attr.TRACE, attrs.getOrDefault("trace", ""));
          out = Hidden.ROLE.with(out, "reader");
          out = Base.REGION.with(out, "eu");
          out = Step.INDEX.with(out, 0);
          return ATTEMPT.with(out, 1L);
        }

        public static String trace(Context ctx) {
          return Keys.Attr.TRACE.get(ctx) + ctx.value(Key.REQUEST_ID) + ctx.value(SPAN);
        }
      }
      """;
}
