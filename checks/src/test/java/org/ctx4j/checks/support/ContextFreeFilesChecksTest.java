package org.ctx4j.checks.support;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.bugpatterns.BugChecker;
import org.ctx4j.checks.blocking.BlockingCallIgnoresContext;
import org.ctx4j.checks.contextkey.ContextKeyNotPrivate;
import org.ctx4j.checks.fields.ContextInField;
import org.ctx4j.checks.inheritance.ContextNotInherited;
import org.ctx4j.checks.loops.ContextDerivedInLoop;
import org.ctx4j.checks.lostcancel.LostCancel;
import org.ctx4j.checks.nullcontext.NullContext;
import org.ctx4j.checks.parameters.ContextNotFirstParameter;
import org.ctx4j.checks.parameters.ContextParameterName;
import org.ctx4j.checks.support.ContextFreeFilesTest.GateProbe;
import org.ctx4j.checks.tasks.TaskContextIgnored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every check behind {@link ContextFreeFiles}: a finding in a file that names no context type
 * itself, its contexts reaching it only through another file of the same compilation (a library's
 * context types, helpers, base classes, functional interfaces, keys, grpc's context), is still
 * reported; and realistic files with no context anywhere are skipped, and stay silent.
 *
 * <p>The flagged files are in package {@code app} and import nothing of ctx4j or grpc, except where
 * the rule is about a call that only {@code Context} itself declares ({@code Context.background()}
 * of ContextNotInherited, {@code Context.withCancel} of LostCancel): there the call is the file's
 * only mention.
 */
class ContextFreeFilesChecksTest {
  private final CompilationTestHelper lostCancel = helper(LostCancel.class);
  private final CompilationTestHelper nullContext = helper(NullContext.class);
  private final CompilationTestHelper contextKey = helper(ContextKeyNotPrivate.class);
  private final CompilationTestHelper blocking = helper(BlockingCallIgnoresContext.class);
  private final CompilationTestHelper contextInField = helper(ContextInField.class);
  private final CompilationTestHelper notFirst = helper(ContextNotFirstParameter.class);
  private final CompilationTestHelper parameterName = helper(ContextParameterName.class);
  private final CompilationTestHelper notInherited = helper(ContextNotInherited.class);
  private final CompilationTestHelper derivedInLoop = helper(ContextDerivedInLoop.class);
  private final CompilationTestHelper taskContext = helper(TaskContextIgnored.class);

  private CompilationTestHelper helper(Class<? extends BugChecker> check) {
    return CompilationTestHelper.newInstance(check, getClass());
  }

  /**
   * A library's context types: a subinterface, an abstract implementation others extend, and an
   * enum that is a context. Quiet under every check.
   */
  private static final String TYPES =
      """
      package lib;

      import java.time.Instant;
      import java.util.Optional;
      import org.ctx4j.Context;
      import org.ctx4j.ContextDoneException;
      import org.ctx4j.Done;

      public final class Types {
        private Types() {}

        public interface Ctx extends Context {}

        public abstract static class BaseCtx implements Context {
          private final Context parent;

          protected BaseCtx(Context parent) {
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

        public enum Roots implements Context {
          ROOT;

          @Override
          public Optional<Instant> deadline() {
            return Optional.empty();
          }

          @Override
          public Done done() {
            return Context.background().done();
          }

          @Override
          public ContextDoneException err() {
            return Context.background().err();
          }

          @Override
          public Object value(Object key) {
            return Context.background().value(key);
          }
        }
      }
      """;

  /**
   * A library's calls that take, return and hand out contexts, and the functional interfaces its
   * callers implement. Quiet under each check whose tests below compile it.
   */
  private static final String CALLS =
      """
      package lib;

      import java.util.concurrent.ExecutorService;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      public final class Calls {
        private Calls() {}

        public static final Context NONE = null;

        /** A task that receives its own context first, as TaskGroup.Task does. */
        public interface Handler {
          String handle(Context ctx, String request) throws Exception;
        }

        /** Code that runs under the request's context. */
        public interface Request {
          void run(Context ctx) throws Exception;
        }

        /** Makes a context. */
        public interface Factory {
          Context make();
        }

        /** Makes a context of a type its user chooses. */
        public interface Maker<C extends Context> {
          C make();
        }

        public static Context root() {
          return Context.background();
        }

        public static String fetch(Context ctx, String id) {
          return id;
        }

        public static String find(String id, String other) {
          return id;
        }

        public static String find(Context ctx, int attempt) {
          return "";
        }

        public static void all(String label, Context... contexts) {}

        public static <C extends Context> C same(C ctx) {
          return ctx;
        }

        public static void handle(Context ctx) {}

        public static void serve(Handler handler) {}

        public static void onRequest(Request request) {}

        public static void register(Factory factory) {}

        @SuppressWarnings("rawtypes")
        public static void registerAny(Maker maker) {}

        public static String root(Types.Roots root) {
          return "";
        }

        public static TaskGroup group(Context ctx) {
          return TaskGroup.withContext(ctx);
        }

        public static ExecutorService executor() {
          throw new UnsupportedOperationException();
        }

        /** A service made with a context. */
        public static class Service {
          public Service(Context ctx) {}

          protected final String load(Context ctx, String id) {
            return id;
          }

          protected final void spawn(Handler handler) {}
        }

        public static class Outer {
          public class Inner {
            public Inner(Context ctx) {}
          }
        }

        public record Job(Context ctx, String id) {}
      }
      """;

  /** A typed key that other packages can read (a ContextKeyNotPrivate finding of its own). */
  private static final String TENANTS =
      """
      package lib;

      import org.ctx4j.ContextKey;

      public final class Tenants {
        private Tenants() {}

        public static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);
      }
      """;

  /** grpc's context, handed out by a library. */
  private static final String GRPC =
      """
      package lib;

      import io.grpc.Context;

      public final class Grpc {
        private Grpc() {}

        public static Context current() {
          return Context.current();
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // NullContext

  @Test
  void nullContextThroughAStaticImport() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Caller.java",
            """
            package app;

            import static lib.Calls.fetch;

            class Caller {
              String get() {
                // BUG: Diagnostic contains: NullContext
                return fetch(null, "a");
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextToAnInheritedMethod() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Sub.java",
            """
            package app;

            import lib.Calls;

            class Sub extends Calls.Service {
              Sub() {
                // BUG: Diagnostic contains: NullContext
                super(null);
              }

              String get(String id) {
                // BUG: Diagnostic contains: NullContext
                return load(null, id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextToTheConstructorOfAnAnonymousClass() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Anonymous.java",
            """
            package app;

            import lib.Calls;

            class Anonymous {
              Object service() {
                // BUG: Diagnostic contains: NullContext
                return new Calls.Service(null) {};
              }

              Object inner(Calls.Outer outer) {
                // BUG: Diagnostic contains: NullContext
                return outer.new Inner(null) {};
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextToARecordAndAnEnumDeclaredElsewhere() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Records.java",
            """
            package app;

            import lib.Calls;

            class Records {
              Object job() {
                // BUG: Diagnostic contains: NullContext
                return new Calls.Job(null, "a");
              }

              String root() {
                // BUG: Diagnostic contains: NullContext
                return Calls.root(null);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextFromATernaryASwitchAndAFinalFieldElsewhere() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Expressions.java",
            """
            package app;

            import lib.Calls;

            class Expressions {
              String ternary(boolean flag) {
                // BUG: Diagnostic contains: NullContext
                return Calls.fetch(flag ? null : null, "a");
              }

              String switched(int kind) {
                return Calls.fetch(
                    // BUG: Diagnostic contains: NullContext
                    switch (kind) {
                      case 1 -> null;
                      default -> null;
                    },
                    "a");
              }

              String constant() {
                // BUG: Diagnostic contains: NullContext
                return Calls.fetch(Calls.NONE, "a");
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextToAnOverloadVarargsAndABoundedTypeVariable() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Overloads.java",
            """
            package app;

            import lib.Calls;

            class Overloads {
              String overload() {
                // BUG: Diagnostic contains: NullContext
                return Calls.find(null, 1);
              }

              void varargs() {
                // BUG: Diagnostic contains: NullContext
                Calls.all("a", Calls.root(), null);
              }

              Object typeVariable() {
                // BUG: Diagnostic contains: NullContext
                return Calls.same(null);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullContextInAVarOnSomePath() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Paths.java",
            """
            package app;

            import lib.Calls;

            class Paths {
              String load(String id, boolean fresh) {
                var ctx = Calls.root();
                if (fresh) {
                  ctx = null;
                }
                // BUG: Diagnostic contains: NullContext
                return Calls.fetch(ctx, id);
              }
            }
            """)
        .doTest();
  }

  @Test
  void nullKeyOnAContextFromElsewhere() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Keys.java",
            """
            package app;

            import lib.Calls;

            class Keys {
              Object read() {
                // BUG: Diagnostic contains: NullContext
                return Calls.root().value(null);
              }
            }
            """)
        .doTest();
  }

  /** The lambda's only context is its functional interface's return type, declared elsewhere. */
  @Test
  void nullReturnedByALambdaForAnInterfaceDeclaredElsewhere() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Factories.java",
            """
            package app;

            import lib.Calls;

            class Factories {
              void expression() {
                // BUG: Diagnostic contains: NullContext
                Calls.register(() -> null);
              }

              void block() {
                Calls.register(
                    () -> {
                      // BUG: Diagnostic contains: NullContext
                      return null;
                    });
              }

              void conditional(boolean flag) {
                // BUG: Diagnostic contains: NullContext
                Calls.register(flag ? () -> null : Calls::root);
              }
            }
            """)
        .doTest();
  }

  /**
   * A raw target: the lambda's type has no type argument, the return type is a bounded variable.
   */
  @Test
  void nullReturnedByALambdaForARawInterfaceDeclaredElsewhere() {
    nullContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Raw.java",
            """
            package app;

            import lib.Calls;

            class Raw {
              void register() {
                // BUG: Diagnostic contains: NullContext
                Calls.registerAny(() -> null);
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // ContextInField

  /**
   * Containers of contexts declared as classes of their own: the context is only a type argument of
   * a supertype, so a field of one names no context type.
   */
  private static final String CONTAINERS =
      """
      package lib;

      import java.util.ArrayList;
      import java.util.Map;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      public final class Containers {
        private Containers() {}

        public static class Contexts extends ArrayList<Context> {}

        public interface Jobs extends Map<String, CancellableContext> {}

        public static class Batches extends ArrayList<Contexts> {}

        public static class Outer<T> {
          public class Items extends ArrayList<T> {}
        }

        public static class ContextOuter extends Outer<Context> {}
      }
      """;

  @Test
  void contextInFieldOfATypeDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Holder.java",
            """
            package app;

            import java.util.List;
            import java.util.Map;
            import java.util.Optional;
            import lib.Types;

            class Holder {
              // BUG: Diagnostic contains: ContextInField
              private Types.Ctx ctx;

              // BUG: Diagnostic contains: ContextInField
              private Types.BaseCtx base;

              // BUG: Diagnostic contains: ContextInField
              private Types.Roots root;

              // BUG: Diagnostic contains: ContextInField
              private Types.Ctx[] all;

              // BUG: Diagnostic contains: ContextInField
              private Map<String, List<Types.Ctx>> byUser;

              // BUG: Diagnostic contains: ContextInField
              private List<? extends Types.BaseCtx> some;

              // BUG: Diagnostic contains: ContextInField
              private final ThreadLocal<Optional<Types.Ctx>> current = new ThreadLocal<>();
            }
            """)
        .doTest();
  }

  @Test
  void contextInFieldOfATypeVariableBoundedElsewhere() {
    contextInField
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Generic.java",
            """
            package app;

            import lib.Types;

            class Generic<C extends Types.Ctx> {
              // BUG: Diagnostic contains: ContextInField
              private C current;
            }
            """)
        .doTest();
  }

  @Test
  void contextInRecordComponentOfATypeDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Job.java",
            """
            package app;

            import lib.Types;

            // BUG: Diagnostic contains: ContextInField
            record Job(Types.Ctx ctx, String id) {}
            """)
        .doTest();
  }

  /** The context is only a type argument of a supertype of the field's class. */
  @Test
  void contextInFieldOfAContainerSubclassDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Containers.java", CONTAINERS)
        .addSourceLines(
            "app/Registry.java",
            """
            package app;

            import lib.Containers;

            class Registry {
              // BUG: Diagnostic contains: ContextInField
              private final Containers.Contexts all = new Containers.Contexts();

              // BUG: Diagnostic contains: store its cancel handle
              private Containers.Jobs jobs;
            }
            """)
        .doTest();
  }

  @Test
  void contextInFieldOfAContainerOfContainersDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Containers.java", CONTAINERS)
        .addSourceLines(
            "app/Batches.java",
            """
            package app;

            import lib.Containers;

            class Batches {
              // BUG: Diagnostic contains: ContextInField
              private Containers.Batches batches;
            }
            """)
        .doTest();
  }

  /**
   * {@code Table} asks about {@code Routes} first, whose first type argument {@code Paths} leads
   * back to {@code Routes} while its answer is still open: {@code Paths} must not be remembered as
   * context-free then, {@code Router} asks about it next.
   */
  @Test
  void contextInFieldOfAContainerInACycleOfContainersDeclaredElsewhere() {
    contextInField
        .addSourceLines(
            "lib/Cycle.java",
            """
            package lib;

            import java.util.ArrayList;
            import java.util.HashMap;
            import org.ctx4j.Context;

            public final class Cycle {
              private Cycle() {}

              public static class Routes extends HashMap<Paths, Context> {}

              public static class Paths extends ArrayList<Routes> {}
            }
            """)
        .addSourceLines(
            "app/Table.java",
            """
            package app;

            import lib.Cycle;

            class Table {
              // BUG: Diagnostic contains: ContextInField
              private Cycle.Routes routes;
            }
            """)
        .addSourceLines(
            "app/Router.java",
            """
            package app;

            import lib.Cycle;

            class Router {
              // BUG: Diagnostic contains: ContextInField
              private Cycle.Paths paths;
            }
            """)
        .doTest();
  }

  @Test
  void contextInFieldOfATypeVariableBoundedByAContainerDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Containers.java", CONTAINERS)
        .addSourceLines(
            "app/Bounded.java",
            """
            package app;

            import lib.Containers;

            class Bounded<L extends Containers.Contexts> {
              // BUG: Diagnostic contains: ContextInField
              private L all;
            }
            """)
        .doTest();
  }

  @Test
  void contextInFieldOfAContainerNestedInAGenericTypeDeclaredElsewhere() {
    contextInField
        .addSourceLines("lib/Containers.java", CONTAINERS)
        .addSourceLines(
            "app/Nested.java",
            """
            package app;

            import lib.Containers;

            class Nested {
              // BUG: Diagnostic contains: ContextInField
              private Containers.ContextOuter.Items items;
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // ContextNotFirstParameter and ContextParameterName

  @Test
  void contextNotFirstOfTypesDeclaredElsewhere() {
    notFirst
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Orders.java",
            """
            package app;

            import lib.Types;

            class Orders {
              // BUG: Diagnostic contains: ContextNotFirstParameter
              Orders(String id, Types.Ctx ctx) {}

              // BUG: Diagnostic contains: ContextNotFirstParameter
              String find(String id, Types.Ctx ctx) {
                return id;
              }

              // BUG: Diagnostic contains: ContextNotFirstParameter
              String base(String id, Types.BaseCtx ctx) {
                return id;
              }

              // BUG: Diagnostic contains: ContextNotFirstParameter
              String root(String id, Types.Roots ctx) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void contextNotFirstOfTypeVariablesBoundedElsewhere() {
    notFirst
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Finder.java",
            """
            package app;

            import lib.Types;

            class Finder<C extends Types.BaseCtx> {
              // BUG: Diagnostic contains: ContextNotFirstParameter
              String find(String id, C ctx) {
                return id;
              }

              // BUG: Diagnostic contains: ContextNotFirstParameter
              <D extends Runnable & Types.Ctx> String run(String id, D ctx) {
                return id;
              }
            }
            """)
        .doTest();
  }

  @Test
  void contextParameterNameOfTypesDeclaredElsewhere() {
    parameterName
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Users.java",
            """
            package app;

            import lib.Types;

            class Users {
              // BUG: Diagnostic contains: ContextParameterName
              Users(Types.BaseCtx request) {}

              // BUG: Diagnostic contains: ContextParameterName
              static String name(Types.Ctx requestContext, String id) {
                return id;
              }

              // BUG: Diagnostic contains: ContextParameterName
              static String root(Types.Roots root) {
                return "";
              }
            }
            """)
        .doTest();
  }

  @Test
  void contextParameterNameOfTypeVariablesBoundedElsewhere() {
    parameterName
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Runner.java",
            """
            package app;

            import lib.Types;

            class Runner<C extends Types.Ctx> {
              // BUG: Diagnostic contains: ContextParameterName
              void run(C request) {}

              // BUG: Diagnostic contains: ContextParameterName
              <D extends Types.BaseCtx> void all(D first, D second) {}
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // BlockingCallIgnoresContext

  @Test
  void blockingCallInALambdaWhoseContextParameterIsDeclaredElsewhere() {
    blocking
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Server.java",
            """
            package app;

            import java.util.concurrent.BlockingQueue;
            import lib.Calls;

            class Server {
              void start(BlockingQueue<String> queue) {
                Calls.serve(
                    (c, request) -> {
                      // BUG: Diagnostic contains: BlockingCallIgnoresContext
                      Thread.sleep(10);
                      // BUG: Diagnostic contains: BlockingCallIgnoresContext
                      return queue.take();
                    });
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingCallInATaskOfAGroupMadeElsewhere() {
    blocking
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Workers.java",
            """
            package app;

            import java.util.concurrent.CompletableFuture;
            import lib.Calls;

            class Workers {
              void start(CompletableFuture<String> ready) {
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                Calls.group(Calls.root()).go(c -> System.out.println(ready.join()));
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingCallWithAContextParameterOfATypeDeclaredElsewhere() {
    blocking
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Consumer.java",
            """
            package app;

            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.Future;
            import lib.Types;

            class Consumer {
              Consumer(Types.Roots ctx, CountDownLatch ready) throws InterruptedException {
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                ready.await();
              }

              String next(Types.Ctx ctx, BlockingQueue<String> queue) throws InterruptedException {
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                return queue.take();
              }

              <C extends Types.BaseCtx> String get(C ctx, Future<String> f) throws Exception {
                // BUG: Diagnostic contains: BlockingCallIgnoresContext
                return f.get();
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // ContextKeyNotPrivate

  /** Keys a library's public class hands out. */
  private static final String PUBLIC_KEYS =
      """
      package lib;

      public final class PublicKeys {
        private PublicKeys() {}

        public static final Object TRACE = new Object();
      }
      """;

  @Test
  void contextKeyLookedUpOnAContextFromElsewhere() {
    contextKey
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines("lib/PublicKeys.java", PUBLIC_KEYS)
        .addSourceLines(
            "app/Lookups.java",
            """
            package app;

            import java.util.concurrent.TimeUnit;
            import lib.Calls;
            import lib.PublicKeys;
            import lib.Types;

            public class Lookups {
              public enum Key {
                USER
              }

              Object string() {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                return Calls.root().value("user");
              }

              Object jdkEnum() {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                return Calls.root().value(TimeUnit.SECONDS);
              }

              Object publicField() {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                return Calls.root().value(PublicKeys.TRACE);
              }

              Object publicEnum(Types.Ctx ctx) {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                return ctx.value(Key.USER);
              }
            }
            """)
        .doTest();
  }

  @Test
  void contextKeyLookedUpThroughAnInheritedValueMethod() {
    contextKey
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines(
            "app/Scoped.java",
            """
            package app;

            import lib.Types;

            class Scoped extends Types.BaseCtx {
              Scoped() {
                super(Types.Roots.ROOT);
              }

              Object user() {
                // BUG: Diagnostic contains: ContextKeyNotPrivate
                return value("user");
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // TaskContextIgnored

  @Test
  void taskContextIgnoredWithEveryContextImplicit() {
    taskContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Handlers.java",
            """
            package app;

            import static lib.Calls.fetch;
            import static lib.Calls.onRequest;
            import static lib.Calls.serve;

            import lib.Calls;

            class Handlers {
              void lambdas() {
                // BUG: Diagnostic contains: TaskContextIgnored
                onRequest(ctx -> serve((c, r) -> fetch(ctx, r)));
              }

              void var() {
                var parent = Calls.root();
                // BUG: Diagnostic contains: TaskContextIgnored
                serve((c, r) -> fetch(parent, r));
              }

              void nested() {
                var parent = Calls.root();
                serve(
                    (c, r) -> {
                      Runnable later =
                          new Runnable() {
                            @Override
                            public void run() {
                              // BUG: Diagnostic contains: TaskContextIgnored
                              fetch(parent, r);
                            }
                          };
                      later.run();
                      return r;
                    });
              }
            }
            """)
        .doTest();
  }

  @Test
  void taskContextIgnoredThroughInheritedMethods() {
    taskContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Worker.java",
            """
            package app;

            import lib.Calls;
            import lib.Types;

            class Worker extends Calls.Service {
              Worker(Types.Ctx ctx) {
                super(ctx);
              }

              void start(Types.Ctx outer) {
                // BUG: Diagnostic contains: TaskContextIgnored
                spawn((c, r) -> load(outer, r));
              }
            }
            """)
        .doTest();
  }

  @Test
  void taskContextIgnoredInATaskOfAGroupMadeElsewhere() {
    taskContext
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Fanout.java",
            """
            package app;

            import java.util.List;
            import lib.Calls;
            import lib.Types;

            class Fanout {
              void all(Types.Ctx ctx, List<String> ids) {
                var group = Calls.group(ctx);
                for (String id : ids) {
                  // BUG: Diagnostic contains: TaskContextIgnored
                  group.go(c -> Calls.fetch(ctx, id));
                }
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // ContextDerivedInLoop

  @Test
  void contextDerivedInLoopIntoAVarWithAKeyFromElsewhere() {
    derivedInLoop
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines("lib/Tenants.java", TENANTS)
        .addSourceLines(
            "app/Batch.java",
            """
            package app;

            import static lib.Tenants.TENANT;

            import java.util.List;
            import lib.Calls;

            class Batch {
              void all(List<String> tenants) {
                var ctx = Calls.root();
                for (String tenant : tenants) {
                  // BUG: Diagnostic contains: ContextDerivedInLoop
                  ctx = TENANT.with(ctx, tenant);
                  Calls.handle(ctx);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void contextDerivedInLoopIntoALambdaParameter() {
    derivedInLoop
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines("lib/Tenants.java", TENANTS)
        .addSourceLines(
            "app/Requests.java",
            """
            package app;

            import java.util.List;
            import lib.Calls;
            import lib.Tenants;

            class Requests {
              void start(List<String> tenants) {
                Calls.onRequest(
                    ctx -> {
                      int i = 0;
                      while (i < tenants.size()) {
                        // BUG: Diagnostic contains: ContextDerivedInLoop
                        ctx = Tenants.TENANT.with(ctx, tenants.get(i++));
                        Calls.handle(ctx);
                      }
                    });
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // ContextNotInherited: the root is only Context's, so Context.background() is the one mention.

  @Test
  void contextNotInheritedWhereTheContextInScopeComesFromElsewhere() {
    notInherited
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Prefetch.java",
            """
            package app;

            import lib.Calls;
            import lib.Types;

            class Prefetch {
              void lambda() {
                // BUG: Diagnostic contains: ContextNotInherited
                Calls.onRequest(ctx -> Calls.fetch(org.ctx4j.Context.background(), "a"));
              }

              String parameter(Types.Ctx ctx, String id) {
                // BUG: Diagnostic contains: ContextNotInherited
                return Calls.fetch(org.ctx4j.Context.todo(), id);
              }

              <C extends Types.BaseCtx> void task(C ctx, String id) {
                // BUG: Diagnostic contains: ContextNotInherited
                Calls.executor().submit(() -> Calls.fetch(org.ctx4j.Context.background(), id));
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // LostCancel: grpc's factories are instance methods, reached through a context from elsewhere.

  @Test
  void lostCancelOfAGrpcContextFromElsewhere() {
    lostCancel
        .addSourceLines("lib/Grpc.java", GRPC)
        .addSourceLines(
            "app/Calls.java",
            """
            package app;

            import lib.Grpc;

            class Calls {
              void local(Runnable work) {
                // BUG: Diagnostic contains: LostCancel
                var cc = Grpc.current().withCancellation();
                cc.run(work);
              }

              void discarded() {
                // BUG: Diagnostic contains: LostCancel
                Grpc.current().withCancellation();
              }

              void attached(Runnable work) {
                // BUG: Diagnostic contains: LostCancel
                var previous = Grpc.current().attach();
                work.run();
              }
            }
            """)
        .doTest();
  }

  @Test
  void lostCancelOfAContextDerivedFromAParentFromElsewhere() {
    lostCancel
        .addSourceLines("lib/Types.java", TYPES)
        .addSourceLines("lib/Calls.java", CALLS)
        .addSourceLines(
            "app/Derived.java",
            """
            package app;

            import lib.Calls;

            class Derived {
              String load(String id) {
                // BUG: Diagnostic contains: LostCancel
                var scope = org.ctx4j.Context.withCancel(Calls.root());
                return Calls.fetch(scope, id);
              }
            }
            """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // Context-free files: skipped, and silent.

  /** A file that uses contexts correctly, so that every compilation below has ctx4j in use. */
  private static final String CLEAN =
      """
      package lib;

      import org.ctx4j.Context;

      public final class Clean {
        private Clean() {}

        public static String fetch(Context ctx, String id) {
          return id;
        }
      }
      """;

  /**
   * A context of the application's own, named like ctx4j's: a template's variables. Not a context
   * type of any check.
   */
  private static final String OWN_CONTEXT =
      """
      package app;

      import java.util.HashMap;
      import java.util.Map;

      public class Context {
        private final Map<String, Object> values = new HashMap<>();

        public Object value(Object key) {
          return values.get(key);
        }

        public static Context background() {
          return new Context();
        }
      }
      """;

  /**
   * A realistic service that involves no context at all, in the shapes the checks look at: nulls
   * passed and returned, blocking calls, fields of containers, lookups by key, values rebuilt in
   * loops, lambdas of interfaces of its own, parameters named {@code ctx} and {@code parent},
   * JNDI's {@code javax.naming.Context} and a class of its own named {@code Context}.
   */
  private static final String ORDERS =
      """
      package app;

      import java.io.Serializable;
      import java.util.ArrayList;
      import java.util.HashMap;
      import java.util.List;
      import java.util.Map;
      import java.util.Objects;
      import java.util.concurrent.BlockingQueue;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.CountDownLatch;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.Executors;
      import java.util.concurrent.Future;
      import java.util.concurrent.LinkedBlockingQueue;
      import java.util.concurrent.TimeUnit;
      import java.util.function.Function;
      import java.util.stream.Collectors;
      import javax.naming.InitialContext;
      import javax.naming.NamingException;

      public class Orders implements AutoCloseable {
        public static final Object KEY = new Object();

        public interface Loader {
          String load(Object ctx, String id) throws Exception;
        }

        public interface Maker {
          Object make();
        }

        static final class Names extends ArrayList<String> {}

        record Node(String name, List<Node> children) implements Comparable<Node> {
          @Override
          public int compareTo(Node other) {
            return name.compareTo(other.name);
          }
        }

        private final Map<String, List<String>> byUser = new ConcurrentHashMap<>();
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(16);
        private final ExecutorService executor = Executors.newFixedThreadPool(2);
        private final Names names = new Names();
        private final Object ctx;
        private Context template = Context.background();

        public Orders(Object parent) {
          this.ctx = parent;
        }

        String find(String id, Object ctx) {
          return id + ctx;
        }

        String next(Object ctx) throws InterruptedException {
          Thread.sleep(10);
          return queue.take();
        }

        Future<String> submit(String id) {
          return executor.submit(() -> find(id, null));
        }

        String load(String id) throws Exception {
          CountDownLatch ready = new CountDownLatch(1);
          ready.await(1, TimeUnit.SECONDS);
          return submit(id).get();
        }

        Object lookup(Map<Object, Object> values) {
          return values.get(KEY) == null ? values.get("user") : template.value("user");
        }

        String joined(List<String> parts) {
          String s = "";
          for (String part : parts) {
            s = s.concat(part);
          }
          return s;
        }

        Object jndi(javax.naming.Context ctx, String name) throws NamingException, InterruptedException {
          javax.naming.Context root = new InitialContext();
          Thread.sleep(5);
          return name.isEmpty() ? root.lookup(name) : ctx.lookup(name);
        }

        String fetch(String id, javax.naming.Context jndi) {
          return id;
        }

        void serve(Loader loader) throws Exception {
          loader.load(null, "a");
          Maker maker = () -> null;
          Function<? super String, ? extends Object> f = s -> null;
          Runnable r = (Runnable & Serializable) () -> names.add("b");
          maker.make();
          f.apply("b");
          r.run();
          CompletableFuture.runAsync(() -> names.add("c"), executor).join();
        }

        Map<Integer, List<String>> byLength(List<String> words) {
          return words.stream().collect(Collectors.groupingBy(String::length));
        }

        String orEmpty(String s) {
          return Objects.requireNonNullElse(s, "");
        }

        Map<String, Integer> counts(List<Node> nodes) {
          Map<String, Integer> counts = new HashMap<>();
          nodes.stream().sorted().forEach(n -> counts.merge(n.name(), 1, Integer::sum));
          return counts;
        }

        @Override
        public void close() {
          executor.shutdown();
        }
      }
      """;

  /** {@code source} with the gate's answer expected on its line {@code declaration}. */
  private static String probed(String source, String declaration, boolean contextFree) {
    return source.replace(
        declaration,
        "// BUG: Diagnostic contains: "
            + (contextFree ? "context-free" : "mentions a context")
            + "\n"
            + declaration);
  }

  /** The gate skips the realistic files, and not the file that uses contexts. */
  @Test
  void aRealisticFileWithoutContextsIsContextFree() {
    CompilationTestHelper.newInstance(GateProbe.class, getClass())
        .addSourceLines("lib/Clean.java", probed(CLEAN, "public final class Clean", false))
        .addSourceLines("app/Context.java", probed(OWN_CONTEXT, "public class Context", true))
        .addSourceLines("app/Orders.java", probed(ORDERS, "public class Orders", true))
        .doTest();
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        LostCancel.class,
        NullContext.class,
        ContextKeyNotPrivate.class,
        BlockingCallIgnoresContext.class,
        ContextInField.class,
        ContextNotFirstParameter.class,
        ContextParameterName.class,
        ContextNotInherited.class,
        ContextDerivedInLoop.class,
        TaskContextIgnored.class
      })
  void aRealisticFileWithoutContextsIsSilent(Class<? extends BugChecker> check) {
    CompilationTestHelper.newInstance(check, getClass())
        .addSourceLines("lib/Clean.java", CLEAN)
        .addSourceLines("app/Context.java", OWN_CONTEXT)
        .addSourceLines("app/Orders.java", ORDERS)
        .expectNoDiagnostics()
        .doTest();
  }
}
