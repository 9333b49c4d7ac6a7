package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * Realistic service code around I/O, compiled with every ctx4j check the service loader finds: gRPC
 * servers and clients (generated stubs of every kind, interceptors, grpc's own {@code Context}),
 * {@code java.net.http.HttpClient} wrappers with retries, JDBC repositories with transactions and
 * batches, and the waits around them. Correct code stays quiet under every check; where a program
 * has a real mistake, the finding is expected on its line.
 */
final class IoRealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  /** Every check, with the generated gRPC code, the bridges and the request and reply records. */
  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, IoRealisticCodeTest.class)
        .addSourceLines("demo/HelloRequest.java", HELLO_REQUEST)
        .addSourceLines("demo/HelloReply.java", HELLO_REPLY)
        .addSourceLines("demo/GreeterGrpc.java", GREETER)
        .addSourceLines("org/ctx4j/grpc/GrpcBridge.java", GRPC_BRIDGE)
        .addSourceLines("org/ctx4j/http/HttpBridge.java", HTTP_BRIDGE)
        .addSourceLines("org/ctx4j/jdbc/JdbcBridge.java", JDBC_BRIDGE);
  }

  private static final String HELLO_REQUEST =
      """
      package demo;

      public record HelloRequest(String name, int times) {
        public HelloRequest {
          if (times < 0) {
            throw new IllegalArgumentException("times");
          }
        }
      }
      """;

  private static final String HELLO_REPLY =
      """
      package demo;

      public record HelloReply(String message) {
        public static HelloReply of(String message) {
          return new HelloReply(message);
        }
      }
      """;

  /**
   * What grpc's code generator writes for a service with one unary and one server-streaming method:
   * the three stubs, the {@code AsyncService} interface with default methods, the base class of
   * implementations.
   */
  private static final String GREETER =
      """
      package demo;

      import com.google.common.util.concurrent.ListenableFuture;
      import io.grpc.BindableService;
      import io.grpc.CallOptions;
      import io.grpc.Channel;
      import io.grpc.MethodDescriptor;
      import io.grpc.ServerServiceDefinition;
      import io.grpc.stub.AbstractAsyncStub;
      import io.grpc.stub.AbstractBlockingStub;
      import io.grpc.stub.AbstractFutureStub;
      import io.grpc.stub.ClientCalls;
      import io.grpc.stub.ServerCalls;
      import io.grpc.stub.StreamObserver;
      import java.util.Iterator;

      public final class GreeterGrpc {
        private GreeterGrpc() {}

        public static MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO;
        public static MethodDescriptor<HelloRequest, HelloReply> LOTS_OF_REPLIES;

        public static GreeterStub newStub(Channel channel) {
          return new GreeterStub(channel, CallOptions.DEFAULT);
        }

        public static GreeterBlockingStub newBlockingStub(Channel channel) {
          return new GreeterBlockingStub(channel, CallOptions.DEFAULT);
        }

        public static GreeterFutureStub newFutureStub(Channel channel) {
          return new GreeterFutureStub(channel, CallOptions.DEFAULT);
        }

        public interface AsyncService {
          default void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
            ServerCalls.asyncUnimplementedUnaryCall(SAY_HELLO, responseObserver);
          }

          default void lotsOfReplies(
              HelloRequest request, StreamObserver<HelloReply> responseObserver) {
            ServerCalls.asyncUnimplementedUnaryCall(LOTS_OF_REPLIES, responseObserver);
          }
        }

        public abstract static class GreeterImplBase implements BindableService, AsyncService {
          @Override
          public final ServerServiceDefinition bindService() {
            return ServerServiceDefinition.builder("demo.Greeter").build();
          }
        }

        public static final class GreeterStub extends AbstractAsyncStub<GreeterStub> {
          private GreeterStub(Channel channel, CallOptions callOptions) {
            super(channel, callOptions);
          }

          @Override
          protected GreeterStub build(Channel channel, CallOptions callOptions) {
            return new GreeterStub(channel, callOptions);
          }

          public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
            ClientCalls.asyncUnaryCall(
                getChannel().newCall(SAY_HELLO, getCallOptions()), request, responseObserver);
          }

          public void lotsOfReplies(
              HelloRequest request, StreamObserver<HelloReply> responseObserver) {
            ClientCalls.asyncServerStreamingCall(
                getChannel().newCall(LOTS_OF_REPLIES, getCallOptions()), request, responseObserver);
          }
        }

        public static final class GreeterBlockingStub
            extends AbstractBlockingStub<GreeterBlockingStub> {
          private GreeterBlockingStub(Channel channel, CallOptions callOptions) {
            super(channel, callOptions);
          }

          @Override
          protected GreeterBlockingStub build(Channel channel, CallOptions callOptions) {
            return new GreeterBlockingStub(channel, callOptions);
          }

          public HelloReply sayHello(HelloRequest request) {
            return ClientCalls.blockingUnaryCall(getChannel(), SAY_HELLO, getCallOptions(), request);
          }

          public Iterator<HelloReply> lotsOfReplies(HelloRequest request) {
            return ClientCalls.blockingServerStreamingCall(
                getChannel(), LOTS_OF_REPLIES, getCallOptions(), request);
          }
        }

        public static final class GreeterFutureStub extends AbstractFutureStub<GreeterFutureStub> {
          private GreeterFutureStub(Channel channel, CallOptions callOptions) {
            super(channel, callOptions);
          }

          @Override
          protected GreeterFutureStub build(Channel channel, CallOptions callOptions) {
            return new GreeterFutureStub(channel, callOptions);
          }

          public ListenableFuture<HelloReply> sayHello(HelloRequest request) {
            return ClientCalls.futureUnaryCall(
                getChannel().newCall(SAY_HELLO, getCallOptions()), request);
          }
        }
      }
      """;

  /**
   * The public entry points of {@code ctx4j-grpc} with the signatures the module declares (the
   * bridge modules are built after the checks, so the checks' tests cannot depend on them).
   */
  private static final String GRPC_BRIDGE =
      """
      package org.ctx4j.grpc;

      import io.grpc.ClientInterceptor;
      import io.grpc.ServerInterceptor;
      import io.grpc.stub.AbstractStub;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      public final class GrpcBridge {
        private GrpcBridge() {}

        public static <S extends AbstractStub<S>> S withContext(Context ctx, S stub) {
          return stub;
        }

        public static ClientInterceptor clientInterceptor(Context ctx) {
          throw new UnsupportedOperationException();
        }

        public static ServerInterceptor serverInterceptor() {
          throw new UnsupportedOperationException();
        }

        public static Context currentContext() {
          throw new UnsupportedOperationException();
        }

        public static CancellableContext fromGrpc(io.grpc.Context grpcContext) {
          throw new UnsupportedOperationException();
        }

        public static CancellableContext fromGrpc(Context parent, io.grpc.Context grpcContext) {
          throw new UnsupportedOperationException();
        }

        public static io.grpc.Context.CancellableContext toGrpc(Context ctx) {
          throw new UnsupportedOperationException();
        }

        public static io.grpc.Context.CancellableContext toGrpc(
            io.grpc.Context grpcParent, Context ctx) {
          throw new UnsupportedOperationException();
        }
      }
      """;

  private static final String HTTP_BRIDGE =
      """
      package org.ctx4j.http;

      import java.io.IOException;
      import java.net.http.HttpClient;
      import java.net.http.HttpRequest;
      import java.net.http.HttpResponse;
      import java.util.concurrent.CompletableFuture;
      import org.ctx4j.Context;

      public final class HttpBridge {
        private HttpBridge() {}

        public static <T> HttpResponse<T> send(
            Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
          throw new UnsupportedOperationException();
        }

        public static <T> CompletableFuture<HttpResponse<T>> sendAsync(
            Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
          throw new UnsupportedOperationException();
        }

        public static HttpRequest withTimeLeft(Context ctx, HttpRequest request) {
          return request;
        }
      }
      """;

  private static final String JDBC_BRIDGE =
      """
      package org.ctx4j.jdbc;

      import java.sql.SQLException;
      import java.sql.Statement;
      import java.util.OptionalInt;
      import org.ctx4j.Context;

      public final class JdbcBridge {
        private JdbcBridge() {}

        @FunctionalInterface
        public interface StatementWork<S extends Statement, R> {
          R run(S statement) throws SQLException;
        }

        public static <S extends Statement, R> R execute(
            Context ctx, S statement, StatementWork<? super S, ? extends R> work)
            throws SQLException {
          return work.run(statement);
        }

        public static OptionalInt queryTimeoutSeconds(Context ctx) {
          return OptionalInt.empty();
        }
      }
      """;

  @Test
  void grpcServiceImplementation() {
    everyCheck()
        .addSourceLines(
            "demo/GreeterService.java",
            """
            package demo;

            import io.grpc.Status;
            import io.grpc.StatusRuntimeException;
            import io.grpc.stub.ServerCallStreamObserver;
            import io.grpc.stub.StreamObserver;
            import java.time.Duration;
            import java.util.List;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextDoneException;
            import org.ctx4j.grpc.GrpcBridge;

            final class GreeterService extends GreeterGrpc.GreeterImplBase {
              private final GreetingRepository repository;
              private final GreeterGrpc.GreeterBlockingStub translations;

              GreeterService(GreetingRepository repository, GreeterGrpc.GreeterBlockingStub translations) {
                this.repository = repository;
                this.translations = translations;
              }

              @Override
              public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
                Context ctx = GrpcBridge.currentContext();
                try (CancellableContext lookup = Context.withTimeout(ctx, Duration.ofMillis(300))) {
                  String greeting = repository.greetingFor(lookup, request.name());
                  HelloReply translated =
                      GrpcBridge.withContext(lookup, translations)
                          .sayHello(new HelloRequest(greeting, request.times()));
                  responseObserver.onNext(translated);
                  responseObserver.onCompleted();
                } catch (ContextDoneException e) {
                  responseObserver.onError(
                      Status.DEADLINE_EXCEEDED.withCause(e).asRuntimeException());
                } catch (StatusRuntimeException e) {
                  responseObserver.onError(e);
                }
              }

              @Override
              public void lotsOfReplies(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
                Context ctx = GrpcBridge.currentContext();
                ServerCallStreamObserver<HelloReply> server =
                    (ServerCallStreamObserver<HelloReply>) responseObserver;
                server.setOnCancelHandler(() -> {});
                List<String> greetings = repository.allGreetings(ctx, request.name());
                for (int i = 0; i < request.times() && !server.isCancelled(); i++) {
                  if (ctx.done().isDone()) {
                    responseObserver.onError(Status.CANCELLED.asRuntimeException());
                    return;
                  }
                  String greeting = greetings.get(i % greetings.size());
                  responseObserver.onNext(
                      switch (i % 3) {
                        case 0 -> HelloReply.of(greeting + ", " + request.name());
                        case 1 -> HelloReply.of(greeting.toUpperCase());
                        default -> new HelloReply(greeting);
                      });
                }
                responseObserver.onCompleted();
              }
            }

            interface GreetingRepository {
              String greetingFor(Context ctx, String name);

              List<String> allGreetings(Context ctx, String name);

              default String greetingOrDefault(Context ctx, String name, String fallback) {
                try {
                  return greetingFor(ctx, name);
                } catch (RuntimeException e) {
                  return fallback;
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void grpcServerInterceptorsAndGrpcContext() {
    everyCheck()
        .addSourceLines(
            "demo/AuthInterceptor.java",
            """
            package demo;

            import io.grpc.Contexts;
            import io.grpc.Metadata;
            import io.grpc.ServerCall;
            import io.grpc.ServerCallHandler;
            import io.grpc.ServerInterceptor;
            import io.grpc.Status;
            import java.util.concurrent.Callable;
            import java.util.concurrent.Executor;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;
            import org.ctx4j.grpc.GrpcBridge;

            final class AuthInterceptor implements ServerInterceptor {
              static final io.grpc.Context.Key<String> USER = io.grpc.Context.key("user");
              private static final Metadata.Key<String> AUTHORIZATION =
                  Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
              private static final ContextKey<String> PRINCIPAL = ContextKey.of("principal", String.class);

              @Override
              public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
                  ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
                String token = headers.get(AUTHORIZATION);
                if (token == null) {
                  call.close(Status.UNAUTHENTICATED, new Metadata());
                  return new ServerCall.Listener<>() {};
                }
                io.grpc.Context context = io.grpc.Context.current().withValue(USER, token);
                return Contexts.interceptCall(context, call, headers, next);
              }

              static Context withPrincipal(Context ctx) {
                String user = USER.get();
                return user == null ? ctx : PRINCIPAL.with(ctx, user);
              }

              static String principal(Context ctx) {
                return PRINCIPAL.get(ctx);
              }

              static String runAs(String user, Callable<String> work) throws Exception {
                io.grpc.Context previous = io.grpc.Context.current().withValue(USER, user).attach();
                try {
                  return work.call();
                } finally {
                  io.grpc.Context.current().detach(previous);
                }
              }

              static void runWithUser(String user, Runnable work) {
                io.grpc.Context.current().withValue(USER, user).run(work);
              }

              static String callWithUser(String user, Callable<String> work) throws Exception {
                return io.grpc.Context.current().withValue(USER, user).call(work);
              }

              static Runnable wrapped(Runnable work) {
                return io.grpc.Context.current().wrap(work);
              }

              static Executor propagating(Executor executor) {
                return io.grpc.Context.currentContextExecutor(executor);
              }

              /** grpc's context and ctx4j's, side by side: the bridge converts one into the other. */
              static String describe(io.grpc.Context grpcContext, Context ctx) {
                try (var converted = GrpcBridge.fromGrpc(ctx, grpcContext)) {
                  return principal(converted) + USER.get(grpcContext);
                }
              }

              static void underGrpc(Context ctx, Runnable work) {
                io.grpc.Context.CancellableContext grpcContext = GrpcBridge.toGrpc(ctx);
                try {
                  grpcContext.run(work);
                } finally {
                  grpcContext.cancel(null);
                }
              }

              static void cancellableGrpc(Runnable work) {
                io.grpc.Context.CancellableContext cancellable = io.grpc.Context.current().withCancellation();
                io.grpc.Context previous = cancellable.attach();
                try {
                  work.run();
                } finally {
                  cancellable.detach(previous);
                  cancellable.cancel(null);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void grpcClients() {
    everyCheck()
        .addSourceLines(
            "demo/GreeterClient.java",
            """
            package demo;

            import com.google.common.util.concurrent.ListenableFuture;
            import io.grpc.Channel;
            import io.grpc.ClientInterceptors;
            import io.grpc.Deadline;
            import io.grpc.ManagedChannel;
            import io.grpc.StatusRuntimeException;
            import io.grpc.stub.StreamObserver;
            import java.time.Duration;
            import java.util.ArrayList;
            import java.util.Iterator;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;
            import org.ctx4j.grpc.GrpcBridge;

            final class GreeterClient implements AutoCloseable {
              private final ManagedChannel channel;
              private final GreeterGrpc.GreeterBlockingStub blocking;
              private final GreeterGrpc.GreeterFutureStub future;
              private final GreeterGrpc.GreeterStub async;

              GreeterClient(ManagedChannel channel) {
                this.channel = channel;
                this.blocking = GreeterGrpc.newBlockingStub(channel).withWaitForReady();
                this.future = GreeterGrpc.newFutureStub(channel);
                this.async = GreeterGrpc.newStub(channel);
              }

              HelloReply greet(Context ctx, String name) {
                return GrpcBridge.withContext(ctx, blocking).sayHello(new HelloRequest(name, 1));
              }

              HelloReply greetWithin(Context ctx, String name, Duration budget) {
                try (CancellableContext call = Context.withTimeout(ctx, budget)) {
                  return GrpcBridge.withContext(call, blocking)
                      .withDeadline(Deadline.after(5, TimeUnit.SECONDS))
                      .sayHello(new HelloRequest(name, 1));
                }
              }

              List<HelloReply> greetAll(Context ctx, String name, int times) {
                List<HelloReply> replies = new ArrayList<>();
                Iterator<HelloReply> it =
                    GrpcBridge.withContext(ctx, blocking).lotsOfReplies(new HelloRequest(name, times));
                while (it.hasNext()) {
                  replies.add(it.next());
                }
                return replies;
              }

              HelloReply greetFuture(Context ctx, String name)
                  throws ExecutionException, InterruptedException {
                ListenableFuture<HelloReply> reply =
                    GrpcBridge.withContext(ctx, future).sayHello(new HelloRequest(name, 1));
                return Context.await(ctx, reply);
              }

              CompletableFuture<HelloReply> greetAsync(Context ctx, String name) {
                CompletableFuture<HelloReply> result = new CompletableFuture<>();
                GrpcBridge.withContext(ctx, async)
                    .sayHello(
                        new HelloRequest(name, 1),
                        new StreamObserver<HelloReply>() {
                          @Override
                          public void onNext(HelloReply value) {
                            result.complete(value);
                          }

                          @Override
                          public void onError(Throwable t) {
                            result.completeExceptionally(t);
                          }

                          @Override
                          public void onCompleted() {}
                        });
                return result;
              }

              HelloReply greetAndWait(Context ctx, String name)
                  throws ExecutionException, InterruptedException {
                return Context.await(ctx, greetAsync(ctx, name));
              }

              HelloReply greetThroughChannel(Context ctx, String name) {
                Channel intercepted = ClientInterceptors.intercept(channel, GrpcBridge.clientInterceptor(ctx));
                return GreeterGrpc.newBlockingStub(intercepted).sayHello(new HelloRequest(name, 1));
              }

              HelloReply greetInterruptibly(Context ctx, String name) {
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  return blocking.sayHello(new HelloRequest(name, 1));
                }
              }

              HelloReply greetWithRetry(Context ctx, String name, int attempts)
                  throws InterruptedException {
                StatusRuntimeException last = null;
                Duration backoff = Duration.ofMillis(50);
                for (int attempt = 0; attempt < attempts; attempt++) {
                  try {
                    return greet(ctx, name);
                  } catch (StatusRuntimeException e) {
                    last = e;
                    Context.sleep(ctx, backoff);
                    backoff = backoff.multipliedBy(2);
                  }
                }
                throw last;
              }

              @Override
              public void close() throws InterruptedException {
                channel.shutdown();
                if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                  channel.shutdownNow();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void httpClientWrapper() {
    everyCheck()
        .addSourceLines(
            "demo/CatalogClient.java",
            """
            package demo;

            import java.io.IOException;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.time.Duration;
            import java.util.List;
            import java.util.Optional;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.TimeUnit;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.http.HttpBridge;

            final class CatalogClient {
              record Item(String id, String body) {}

              record Page(List<Item> items, Optional<String> next) {}

              private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
              private final HttpClient client;
              private final URI base;

              CatalogClient(HttpClient client, URI base) {
                this.client = client;
                this.base = base;
              }

              CatalogClient(URI base) {
                this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), base);
              }

              Item item(Context ctx, String id) throws IOException, InterruptedException {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/items/" + id)).GET().build();
                HttpResponse<String> response =
                    HttpBridge.send(ctx, client, request, HttpResponse.BodyHandlers.ofString());
                return switch (response.statusCode()) {
                  case 200 -> new Item(id, response.body());
                  case 404 -> null;
                  default -> throw new IOException("status " + response.statusCode());
                };
              }

              Item itemWithRetry(Context ctx, String id, int attempts)
                  throws IOException, InterruptedException {
                Duration backoff = FIRST_BACKOFF;
                IOException last = new IOException("no attempt");
                for (int attempt = 1; attempt <= attempts; attempt++) {
                  try (CancellableContext attemptCtx = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
                    return item(attemptCtx, id);
                  } catch (IOException e) {
                    last = e;
                  }
                  Context.sleep(ctx, backoff);
                  backoff = backoff.multipliedBy(2);
                }
                throw last;
              }

              CompletableFuture<Item> itemAsync(Context ctx, String id) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/items/" + id)).build();
                return HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Item(id, r.body()));
              }

              List<Item> items(Context ctx, List<String> ids)
                  throws ExecutionException, InterruptedException {
                List<CompletableFuture<Item>> calls = ids.stream().map(id -> itemAsync(ctx, id)).toList();
                Context.await(ctx, CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])));
                return calls.stream().map(CompletableFuture::join).toList();
              }

              String health(Context ctx) throws ExecutionException, InterruptedException {
                HttpRequest request =
                    HttpBridge.withTimeLeft(ctx, HttpRequest.newBuilder(base.resolve("/health")).build());
                CompletableFuture<String> body =
                    client
                        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(HttpResponse::body)
                        .orTimeout(2, TimeUnit.SECONDS);
                return Context.await(ctx, body);
              }

              <T> T getJson(Context ctx, String path, Function<String, T> parse)
                  throws IOException, InterruptedException {
                HttpRequest request =
                    HttpRequest.newBuilder(base.resolve(path))
                        .header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(5))
                        .build();
                return parse.apply(
                    HttpBridge.send(ctx, client, request, HttpResponse.BodyHandlers.ofString()).body());
              }

              Page page(Context ctx, String cursor) throws IOException, InterruptedException {
                return getJson(ctx, "/items?cursor=" + cursor, body -> new Page(List.of(), Optional.empty()));
              }

              void post(Context ctx, Item item) throws IOException, InterruptedException {
                HttpRequest request =
                    HttpRequest.newBuilder(base.resolve("/items"))
                        .POST(HttpRequest.BodyPublishers.ofString(item.body()))
                        .build();
                HttpResponse<Void> response =
                    HttpBridge.send(ctx, client, request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 != 2) {
                  throw new IOException("status " + response.statusCode());
                }
              }

              /** No context: a startup probe, before any request exists. */
              boolean ping() throws IOException, InterruptedException {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/ping")).build();
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void jdbcRepository() {
    everyCheck()
        .addSourceLines(
            "demo/OrderRepository.java",
            """
            package demo;

            import java.math.BigDecimal;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.ResultSet;
            import java.sql.SQLException;
            import java.sql.Statement;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Optional;
            import javax.sql.DataSource;
            import org.ctx4j.Context;
            import org.ctx4j.jdbc.JdbcBridge;

            final class OrderRepository {
              record Order(long id, String customer, BigDecimal total) {}

              record Line(long orderId, String sku, int quantity) {}

              @FunctionalInterface
              interface TransactionWork<T> {
                T run(Connection connection) throws SQLException;
              }

              private static final String FIND = "SELECT id, customer, total FROM orders WHERE id = ?";
              private final DataSource dataSource;

              OrderRepository(DataSource dataSource) {
                this.dataSource = dataSource;
              }

              Optional<Order> find(Context ctx, long id) throws SQLException {
                try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(FIND)) {
                  statement.setLong(1, id);
                  try (ResultSet rows = JdbcBridge.execute(ctx, statement, PreparedStatement::executeQuery)) {
                    return rows.next() ? Optional.of(order(rows)) : Optional.empty();
                  }
                }
              }

              List<Order> byCustomer(Context ctx, String customer) throws SQLException {
                try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement =
                        connection.prepareStatement("SELECT id, customer, total FROM orders WHERE customer = ?")) {
                  statement.setString(1, customer);
                  statement.setFetchSize(100);
                  return JdbcBridge.execute(
                      ctx,
                      statement,
                      s -> {
                        List<Order> orders = new ArrayList<>();
                        try (ResultSet rows = s.executeQuery()) {
                          while (rows.next()) {
                            orders.add(order(rows));
                          }
                        }
                        return orders;
                      });
                }
              }

              long insert(Context ctx, Order order, List<Line> lines) throws SQLException {
                return inTransaction(
                    ctx,
                    connection -> {
                      long id;
                      try (PreparedStatement insert =
                          connection.prepareStatement(
                              "INSERT INTO orders(customer, total) VALUES (?, ?)",
                              Statement.RETURN_GENERATED_KEYS)) {
                        insert.setString(1, order.customer());
                        insert.setBigDecimal(2, order.total());
                        JdbcBridge.execute(ctx, insert, PreparedStatement::executeUpdate);
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                          keys.next();
                          id = keys.getLong(1);
                        }
                      }
                      try (PreparedStatement batch =
                          connection.prepareStatement("INSERT INTO lines(order_id, sku, qty) VALUES (?, ?, ?)")) {
                        for (Line line : lines) {
                          batch.setLong(1, id);
                          batch.setString(2, line.sku());
                          batch.setInt(3, line.quantity());
                          batch.addBatch();
                        }
                        JdbcBridge.execute(ctx, batch, PreparedStatement::executeBatch);
                      }
                      return id;
                    });
              }

              <T> T inTransaction(Context ctx, TransactionWork<T> work) throws SQLException {
                try (Connection connection = dataSource.getConnection()) {
                  boolean autoCommit = connection.getAutoCommit();
                  connection.setAutoCommit(false);
                  try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                  } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                  } finally {
                    connection.setAutoCommit(autoCommit);
                  }
                }
              }

              int deleteOlderThan(Context ctx, int days) throws SQLException {
                try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                  JdbcBridge.queryTimeoutSeconds(ctx).ifPresent(seconds -> setTimeout(statement, seconds));
                  return JdbcBridge.execute(
                      ctx, statement, s -> s.executeUpdate("DELETE FROM orders WHERE age > " + days));
                }
              }

              private static void setTimeout(Statement statement, int seconds) {
                try {
                  statement.setQueryTimeout(seconds);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              }

              private static Order order(ResultSet rows) throws SQLException {
                return new Order(rows.getLong("id"), rows.getString("customer"), rows.getBigDecimal("total"));
              }

              /** Schema migration at startup: no request, no context. */
              void migrate() throws SQLException {
                try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                  statement.execute("CREATE TABLE IF NOT EXISTS orders(id BIGINT)");
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void boundedWaits() {
    everyCheck()
        .addSourceLines(
            "demo/Waits.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.List;
            import java.util.concurrent.ArrayBlockingQueue;
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.Context;
            import org.ctx4j.InterruptScope;
            import org.ctx4j.TaskGroup;

            final class Waits {
              private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
              private final BlockingQueue<String> bounded = new ArrayBlockingQueue<>(16);
              private final ExecutorService executor;

              Waits(ExecutorService executor) {
                this.executor = executor;
              }

              String withOrTimeout(Context ctx, CompletableFuture<String> pending)
                  throws ExecutionException, InterruptedException {
                return Context.await(ctx, pending.orTimeout(1, TimeUnit.SECONDS));
              }

              void publish(Context ctx, String event) throws InterruptedException {
                events.put(event);
              }

              void publishBounded(Context ctx, String event) throws InterruptedException {
                try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
                  bounded.put(event);
                }
              }

              String next(Context ctx) throws InterruptedException {
                long millis = ctx.timeLeft().map(Duration::toMillis).orElse(1000L);
                return events.poll(Math.min(millis, 1000L), TimeUnit.MILLISECONDS);
              }

              boolean offer(Context ctx, String event) {
                return bounded.offer(event);
              }

              void awaitStart(Context ctx, CountDownLatch started) throws InterruptedException {
                try (var scope = Context.interruptWhenDone(ctx)) {
                  started.await();
                }
              }

              boolean started(Context ctx, CountDownLatch started) throws InterruptedException {
                return started.await(0, TimeUnit.MILLISECONDS);
              }

              String compute(Context ctx, String input) throws ExecutionException, InterruptedException {
                CompletableFuture<String> result =
                    ContextExecutors.callAsync(ctx, executor, c -> input.toUpperCase());
                return result.get();
              }

              List<String> fanOut(Context ctx, List<String> inputs)
                  throws ExecutionException, InterruptedException {
                try (TaskGroup group = TaskGroup.withContext(ctx)) {
                  List<TaskGroup.Result<String>> results =
                      inputs.stream().map(in -> group.fork(c -> in.trim())).toList();
                  group.await();
                  return results.stream().map(TaskGroup.Result::get).toList();
                }
              }

              String first(Context ctx, CompletableFuture<String> a, CompletableFuture<String> b)
                  throws ExecutionException, InterruptedException {
                Context.await(ctx, CompletableFuture.allOf(a, b));
                return a.join() + b.join();
              }

              String ifDone(Context ctx, CompletableFuture<String> f) {
                return f.isDone() ? f.join() : "pending";
              }

              void drain(Context ctx) throws InterruptedException {
                while (!ctx.done().isDone()) {
                  String event = events.poll(100, TimeUnit.MILLISECONDS);
                  if (event != null) {
                    handle(ctx, event);
                  }
                }
              }

              private void handle(Context ctx, String event) {}
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void handlersOverloadsAndDefaults() {
    everyCheck()
        .addSourceLines(
            "demo/Handlers.java",
            """
            package demo;

            import java.util.EnumMap;
            import java.util.Map;
            import java.util.function.BiFunction;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;

            final class Handlers {
              enum Method { GET, POST, DELETE }

              record Request(Method method, String path, String body) {}

              record Response(int status, String body) {
                static Response ok(String body) {
                  return new Response(200, body);
                }
              }

              @FunctionalInterface
              interface Handler {
                Response handle(Context ctx, Request request) throws Exception;

                default Handler withFallback(Response fallback) {
                  return (ctx, request) -> {
                    try {
                      return handle(ctx, request);
                    } catch (Exception e) {
                      return fallback;
                    }
                  };
                }

                static Handler constant(Response response) {
                  return (ctx, request) -> response;
                }
              }

              interface Middleware extends BiFunction<Context, Handler, Handler> {}

              private static final ContextKey<String> ROUTE = ContextKey.of("route", String.class);
              private final Map<Method, Handler> routes = new EnumMap<>(Method.class);

              Handlers() {
                routes.put(Method.GET, this::get);
                routes.put(Method.POST, Handlers::post);
                routes.put(Method.DELETE, Handler.constant(new Response(405, "")).withFallback(Response.ok("")));
              }

              Response dispatch(Context ctx, Request request) throws Exception {
                Context routed = ROUTE.with(ctx, request.path());
                Handler handler = routes.getOrDefault(request.method(), (c, r) -> new Response(404, ""));
                return handler.handle(routed, request);
              }

              Response dispatch(Context ctx, Method method, String path) throws Exception {
                return dispatch(ctx, new Request(method, path, ""));
              }

              Response dispatch(Context ctx, String path) throws Exception {
                return dispatch(ctx, Method.GET, path);
              }

              private Response get(Context ctx, Request request) {
                return Response.ok(ROUTE.get(ctx) + request.path());
              }

              private static Response post(Context ctx, Request request) {
                String kind =
                    switch (request.method()) {
                      case GET -> "read";
                      case POST -> "write";
                      case DELETE -> "remove";
                    };
                return new Response(201, kind);
              }

              static Handler logged(Handler next) {
                return (ctx, request) -> {
                  long start = System.nanoTime();
                  try {
                    return next.handle(ctx, request);
                  } finally {
                    System.out.println(request.path() + " " + (System.nanoTime() - start));
                  }
                };
              }

              static Handler chain(Context ctx, Handler handler, Middleware... middlewares) {
                Handler h = handler;
                for (Middleware m : middlewares) {
                  h = m.apply(ctx, h);
                }
                return h;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A client that binds its stub in a private helper or in a local it reassigns with options, fans
   * out on a bound future stub, and waits on the futures of {@code HttpBridge.sendAsync}: every
   * wait ends with the context.
   */
  @Test
  void boundHelpersAndFuturesOfTheBridges() {
    everyCheck()
        .addSourceLines(
            "demo/Fetcher.java",
            """
            package demo;

            import com.google.common.util.concurrent.ListenableFuture;
            import java.io.IOException;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.time.Duration;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.TimeoutException;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.http.HttpBridge;

            final class Fetcher {
              private final GreeterGrpc.GreeterBlockingStub blocking;
              private final GreeterGrpc.GreeterFutureStub future;
              private final HttpClient client = HttpClient.newHttpClient();

              Fetcher(GreeterGrpc.GreeterBlockingStub blocking, GreeterGrpc.GreeterFutureStub future) {
                this.blocking = blocking;
                this.future = future;
              }

              private GreeterGrpc.GreeterBlockingStub stub(Context ctx) {
                return GrpcBridge.withContext(ctx, blocking).withDeadlineAfter(2, TimeUnit.SECONDS);
              }

              HelloReply helper(Context ctx, String name) {
                return stub(ctx).sayHello(new HelloRequest(name, 1));
              }

              HelloReply reassigned(Context ctx, String name, boolean compress) {
                GreeterGrpc.GreeterBlockingStub s = GrpcBridge.withContext(ctx, blocking);
                if (compress) {
                  s = s.withCompression("gzip");
                }
                return s.sayHello(new HelloRequest(name, 1));
              }

              String futures(Context ctx, String a, String b) throws ExecutionException, InterruptedException {
                GreeterGrpc.GreeterFutureStub bound = GrpcBridge.withContext(ctx, future);
                ListenableFuture<HelloReply> first = bound.sayHello(new HelloRequest(a, 1));
                ListenableFuture<HelloReply> second = bound.sayHello(new HelloRequest(b, 1));
                return first.get().message() + second.get().message();
              }

              String futureDirect(Context ctx, String a) throws Exception {
                return GrpcBridge.withContext(ctx, future).sayHello(new HelloRequest(a, 1)).get(1, TimeUnit.SECONDS).message();
              }

              String http(Context ctx, URI uri) {
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                return HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString()).join().body();
              }

              String httpThen(Context ctx, URI uri) throws ExecutionException, InterruptedException {
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                CompletableFuture<String> body =
                    HttpBridge.sendAsync(ctx, client, request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(HttpResponse::body);
                return body.get();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A service that reads a public grpc key of another package through a converted context, falls
   * back when no server context exists, runs JDBC with a resource declared outside the {@code try},
   * chooses a context in a switch expression and hands a captured context to an executor.
   */
  @Test
  void grpcServiceWithJdbcAndConvertedContexts() {
    everyCheck()
        .addSourceLines(
            "auth/Constant.java",
            """
            package auth;

            public final class Constant {
              private Constant() {}

              public static final io.grpc.Context.Key<String> CLIENT_ID = io.grpc.Context.key("clientId");
            }
            """)
        .addSourceLines(
            "demo/NameService.java",
            """
            package demo;

            import auth.Constant;
            import io.grpc.stub.StreamObserver;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.ResultSet;
            import java.sql.SQLException;
            import java.time.Duration;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Objects;
            import java.util.concurrent.ExecutorService;
            import java.util.function.Supplier;
            import javax.sql.DataSource;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.jdbc.JdbcBridge;

            final class NameService extends GreeterGrpc.GreeterImplBase {
              private final DataSource dataSource;
              private final ExecutorService executor;

              NameService(DataSource dataSource, ExecutorService executor) {
                this.dataSource = dataSource;
                this.executor = executor;
              }

              static Context requestContext() {
                Context ctx = null;
                try {
                  ctx = GrpcBridge.currentContext();
                } catch (IllegalStateException e) {
                  ctx = Context.todo();
                }
                return ctx;
              }

              static String clientId(Context ctx) {
                try (CancellableContext converted = GrpcBridge.fromGrpc(ctx, io.grpc.Context.current())) {
                  return (String) converted.value(Constant.CLIENT_ID);
                }
              }

              String lookup(Context ctx, long id) throws SQLException {
                CancellableContext query = null;
                try {
                  query = Context.withTimeout(ctx, Duration.ofSeconds(1));
                  return find(query, id);
                } finally {
                  if (query != null) {
                    query.cancel();
                  }
                }
              }

              String find(Context ctx, long id) throws SQLException {
                try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT name FROM t WHERE id = ?")) {
                  ps.setLong(1, id);
                  ResultSet rows = JdbcBridge.execute(ctx, ps, PreparedStatement::executeQuery);
                  try (rows) {
                    return rows.next() ? rows.getString(1) : null;
                  }
                }
              }

              String withFallback(Context ctx, int mode, long id) throws SQLException {
                Context chosen =
                    switch (mode) {
                      case 0 -> ctx;
                      case 1 -> Context.withoutCancel(ctx);
                      default -> null;
                    };
                if (chosen == null) {
                  return null;
                }
                return find(chosen, id);
              }

              String orDefault(Context ctx, long id) throws SQLException {
                return find(Objects.requireNonNullElseGet(ctx, Context::todo), id);
              }

              @Override
              public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
                Context ctx = GrpcBridge.currentContext();
                executor.execute(
                    () -> {
                      try {
                        responseObserver.onNext(HelloReply.of(find(ctx, request.times())));
                        responseObserver.onCompleted();
                      } catch (SQLException e) {
                        responseObserver.onError(e);
                      }
                    });
              }

              static <T> T retry(Context ctx, int attempts, Supplier<T> call) {
                RuntimeException last = null;
                for (int i = 0; i < attempts; i++) {
                  try {
                    return call.get();
                  } catch (RuntimeException e) {
                    last = e;
                  }
                }
                throw Objects.requireNonNull(last);
              }

              List<String> findAll(Context ctx, List<Long> ids) throws SQLException {
                List<String> out = new ArrayList<>();
                Context current = ctx;
                for (Long id : ids) {
                  out.add(find(current, id));
                }
                return out;
              }

              void process(Context ctx, List<String> tenants) {
                for (String tenant : tenants) {
                  Context tenantCtx = Context.withValue(ctx, Key.TENANT, tenant);
                  handle(tenantCtx, tenant);
                }
              }

              private enum Key { TENANT }

              private void handle(Context ctx, String tenant) {}

              interface Callback {
                void done(Context ctx, String result);
              }

              void startAsync(Context ctx, String input, Callback callback) {
                executor.execute(() -> callback.done(ctx, input));
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A context cancelled by the future's callback or by a bidirectional stream's observer, grpc's
   * closeable and deadline contexts, a bounded fan-out, an after-func stopped in {@code finally}, a
   * header search that stops at the first match, and a context-to-string function in a field.
   */
  @Test
  void asyncHandOversStreamsAndSearches() {
    everyCheck()
        .addSourceLines(
            "demo/Gateway.java",
            """
            package demo;

            import io.grpc.stub.ServerCallStreamObserver;
            import io.grpc.stub.StreamObserver;
            import java.io.IOException;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;
            import java.util.function.Function;
            import org.ctx4j.AfterFunc;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.ContextKey;
            import org.ctx4j.TaskGroup;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.http.HttpBridge;

            final class Gateway {
              private static final ContextKey<String> REQUEST_ID = ContextKey.of("requestId", String.class);
              private final HttpClient client;
              private final ExecutorService executor;
              private final GreeterGrpc.GreeterBlockingStub stub;
              private final Function<Context, String> describe = c -> REQUEST_ID.get(c);

              Gateway(HttpClient client, ExecutorService executor, GreeterGrpc.GreeterBlockingStub stub) {
                this.client = client;
                this.executor = executor;
                this.stub = stub;
              }

              CompletableFuture<String> fetch(Context ctx, URI uri) {
                CancellableContext call = Context.withTimeout(ctx, Duration.ofSeconds(2));
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                return HttpBridge.sendAsync(call, client, request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(HttpResponse::body)
                    .whenComplete((body, failure) -> call.cancel());
              }

              StreamObserver<HelloRequest> chat(StreamObserver<HelloReply> out) {
                CancellableContext ctx = GrpcBridge.fromGrpc(io.grpc.Context.current());
                ((ServerCallStreamObserver<HelloReply>) out).setOnCancelHandler(ctx::cancel);
                return new StreamObserver<HelloRequest>() {
                  @Override
                  public void onNext(HelloRequest request) {
                    out.onNext(reply(ctx, request));
                  }

                  @Override
                  public void onError(Throwable t) {
                    ctx.cancel();
                  }

                  @Override
                  public void onCompleted() {
                    ctx.cancel();
                    out.onCompleted();
                  }
                };
              }

              HelloReply reply(Context ctx, HelloRequest request) {
                return GrpcBridge.withContext(ctx, stub).sayHello(request);
              }

              void grpcCloseable(Runnable work) {
                try (io.grpc.Context.CancellableContext c = io.grpc.Context.current().withCancellation()) {
                  c.run(work);
                }
              }

              void grpcDeadline(ScheduledExecutorService scheduler, Runnable work) {
                io.grpc.Context.CancellableContext c =
                    io.grpc.Context.current().withDeadlineAfter(1, TimeUnit.SECONDS, scheduler);
                try {
                  c.run(work);
                } finally {
                  c.cancel(null);
                }
              }

              List<HelloReply> fanOut(Context ctx, List<HelloRequest> requests) throws Exception {
                try (TaskGroup group = TaskGroup.withLimit(ctx, 4)) {
                  List<TaskGroup.Result<HelloReply>> results =
                      requests.stream().map(r -> group.fork(c -> reply(c, r))).toList();
                  group.await();
                  return results.stream().map(TaskGroup.Result::get).toList();
                }
              }

              CompletableFuture<HelloReply> replyAsync(Context ctx, HelloRequest request) {
                return ContextExecutors.callAsync(ctx, executor, c -> reply(c, request));
              }

              void watch(Context ctx, Runnable onEnd) {
                AfterFunc stop = Context.afterFunc(ctx, onEnd);
                try {
                  reply(ctx, new HelloRequest("x", 1));
                } finally {
                  stop.stop();
                }
              }

              Context withHeaders(Context ctx, Map<String, String> headers) {
                Context result = ctx;
                for (Map.Entry<String, String> header : headers.entrySet()) {
                  if (header.getKey().equalsIgnoreCase("x-request-id")) {
                    result = REQUEST_ID.with(result, header.getValue());
                    break;
                  }
                }
                return result;
              }

              HelloReply lastReply(Context ctx, List<HelloRequest> requests) {
                HelloReply last = null;
                Context attempt = null;
                for (int i = 0; i < 3; i++) {
                  attempt = REQUEST_ID.with(ctx, "attempt-" + i);
                  last = reply(attempt, requests.get(i));
                }
                return last;
              }

              static Context pick(Context ctx, Context override) {
                Context chosen = override != null ? override : ctx;
                return chosen;
              }

              String describe(Context ctx) {
                return describe.apply(ctx);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * Repository and transaction interfaces with default methods, a worker that owns a task group, a
   * server interceptor with an anonymous listener, context factories whose parameter is {@code
   * parent}, varargs overloads, a method that takes grpc's context and ctx4j's, a retry that
   * cancels the previous attempt, and a {@code main} that starts the tree.
   */
  @Test
  void repositoriesInterceptorsAndFactories() {
    everyCheck()
        .addSourceLines(
            "demo/Infrastructure.java",
            """
            package demo;

            import io.grpc.ForwardingServerCallListener;
            import io.grpc.Metadata;
            import io.grpc.ServerCall;
            import io.grpc.ServerCallHandler;
            import io.grpc.ServerInterceptor;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.SQLException;
            import java.time.Duration;
            import java.time.Instant;
            import java.util.List;
            import java.util.Optional;
            import java.util.concurrent.Callable;
            import java.util.concurrent.atomic.AtomicReference;
            import java.util.function.BiFunction;
            import javax.annotation.Nullable;
            import javax.sql.DataSource;
            import org.ctx4j.CancelFunc;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.TaskGroup;
            import org.ctx4j.jdbc.JdbcBridge;

            final class Infrastructure {
              record Deadlines(Instant client, Optional<Instant> server) {}

              record Reply<T>(T value, Duration took) {}

              interface Repository<T, ID> {
                Optional<T> find(Context ctx, ID id) throws SQLException;

                List<T> findAll(Context ctx) throws SQLException;

                default T require(Context ctx, ID id) throws SQLException {
                  return find(ctx, id).orElseThrow();
                }
              }

              interface Transactional {
                <T> T inTransaction(Context ctx, Callable<T> work) throws Exception;
              }

              static final class Worker implements AutoCloseable {
                private final TaskGroup group;
                private final AtomicReference<CancelFunc> stop = new AtomicReference<>();
                private final BiFunction<Context, String, String> handler;

                Worker(Context ctx, BiFunction<Context, String, String> handler) {
                  this.group = TaskGroup.withContext(ctx);
                  this.handler = handler;
                }

                void submit(String job) {
                  group.go(c -> handler.apply(c, job));
                }

                @Override
                public void close() {
                  group.close();
                }
              }

              static final class TimingInterceptor implements ServerInterceptor {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                  long start = System.nanoTime();
                  return new ForwardingServerCallListener.SimpleForwardingServerCallListener<Q>(
                      next.startCall(call, headers)) {
                    @Override
                    public void onComplete() {
                      System.out.println(System.nanoTime() - start);
                      super.onComplete();
                    }
                  };
                }
              }

              static CancellableContext withBudget(Context parent, Duration budget) {
                return Context.withTimeout(parent, budget);
              }

              static CancellableContext fromDeadline(Context parent, @Nullable Instant deadline) {
                return deadline == null ? Context.withCancel(parent) : Context.withDeadline(parent, deadline);
              }

              static @Nullable Context optional(List<Context> contexts) {
                return contexts.isEmpty() ? null : contexts.get(0);
              }

              static int update(Context ctx, DataSource dataSource, String sql, Object... args)
                  throws SQLException {
                try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                  for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                  }
                  return JdbcBridge.execute(ctx, statement, PreparedStatement::executeUpdate);
                }
              }

              static int update(Context ctx, DataSource dataSource, String sql) throws SQLException {
                return update(ctx, dataSource, sql, new Object[0]);
              }

              static String bridge(io.grpc.Context grpcContext, Context ctx) {
                return String.valueOf(grpcContext.getDeadline()) + ctx.deadline();
              }

              static Context effective(Context ctx, @Nullable Context override) {
                Context result = ctx;
                if (override != null) {
                  result = override;
                }
                return result;
              }

              static String lastAttempt(Context ctx, int attempts) throws Exception {
                CancellableContext attempt = null;
                String result = "";
                try {
                  for (int i = 0; i < attempts; i++) {
                    if (attempt != null) {
                      attempt.cancel();
                    }
                    attempt = Context.withTimeout(ctx, Duration.ofSeconds(1));
                    result = run(attempt, i);
                  }
                } finally {
                  if (attempt != null) {
                    attempt.cancel();
                  }
                }
                return result;
              }

              static String run(Context ctx, int i) {
                return Integer.toString(i);
              }

              public static void main(String[] args) throws Exception {
                Context root = Context.background();
                try (CancellableContext app = Context.withCancel(root)) {
                  Runtime.getRuntime().addShutdownHook(new Thread(app::cancel));
                  System.out.println(run(app, 0));
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A stub bound in an interface's default method, a grpc context from the bridge attached around a
   * blocking call or running one, and grpc-java's way to wait for a stream: a latch that the
   * observer counts down, on a call through the bridge.
   */
  @Test
  void grpcContextsAndStreamLatches() {
    everyCheck()
        .addSourceLines(
            "demo/StreamingClient.java",
            """
            package demo;

            import io.grpc.stub.StreamObserver;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.Context;
            import org.ctx4j.grpc.GrpcBridge;

            final class StreamingClient {
              interface Greeter {
                GreeterGrpc.GreeterBlockingStub stub();

                default HelloReply greet(Context ctx, String name) {
                  return GrpcBridge.withContext(ctx, stub()).sayHello(new HelloRequest(name, 1));
                }
              }

              private final GreeterGrpc.GreeterBlockingStub blocking;
              private final GreeterGrpc.GreeterStub async;

              StreamingClient(GreeterGrpc.GreeterBlockingStub blocking, GreeterGrpc.GreeterStub async) {
                this.blocking = blocking;
                this.async = async;
              }

              HelloReply attached(Context ctx, String name) {
                io.grpc.Context.CancellableContext grpcCtx = GrpcBridge.toGrpc(ctx);
                io.grpc.Context previous = grpcCtx.attach();
                try {
                  return blocking.sayHello(new HelloRequest(name, 1));
                } finally {
                  grpcCtx.detach(previous);
                  grpcCtx.cancel(null);
                }
              }

              HelloReply underGrpc(Context ctx, String name) throws Exception {
                io.grpc.Context.CancellableContext grpcCtx = GrpcBridge.toGrpc(ctx);
                try {
                  return grpcCtx.call(() -> blocking.sayHello(new HelloRequest(name, 1)));
                } finally {
                  grpcCtx.cancel(null);
                }
              }

              List<HelloReply> stream(Context ctx, String name) throws InterruptedException {
                List<HelloReply> replies = new ArrayList<>();
                CountDownLatch finished = new CountDownLatch(1);
                GrpcBridge.withContext(ctx, async)
                    .lotsOfReplies(
                        new HelloRequest(name, 3),
                        new StreamObserver<HelloReply>() {
                          @Override
                          public void onNext(HelloReply reply) {
                            replies.add(reply);
                          }

                          @Override
                          public void onError(Throwable t) {
                            finished.countDown();
                          }

                          @Override
                          public void onCompleted() {
                            finished.countDown();
                          }
                        });
                finished.await();
                return replies;
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * A retry up to a constant number of attempts that reports the last attempt's context, a race of
   * mirrors in a task group, an audit detached from the request's cancellation, a count inside the
   * JDBC bridge's callback, and a timeout cancelled in {@code finally}.
   */
  @Test
  void retriesRacesAndDetachedWork() {
    everyCheck()
        .addSourceLines(
            "demo/Mirrors.java",
            """
            package demo;

            import java.io.IOException;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.ResultSet;
            import java.sql.SQLException;
            import java.time.Duration;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutorService;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextExecutors;
            import org.ctx4j.ContextKey;
            import org.ctx4j.TaskGroup;
            import org.ctx4j.http.HttpBridge;
            import org.ctx4j.jdbc.JdbcBridge;

            final class Mirrors {
              private static final int MAX_ATTEMPTS = 3;
              private static final ContextKey<Integer> ATTEMPT = ContextKey.of("attempt", Integer.class);
              private final HttpClient client;
              private final ExecutorService executor;

              Mirrors(HttpClient client, ExecutorService executor) {
                this.client = client;
                this.executor = executor;
              }

              String fetchWithRetry(Context ctx, URI uri) throws IOException, InterruptedException {
                IOException failure = new IOException("no attempt");
                Context lastAttempt = null;
                for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                  lastAttempt = ATTEMPT.with(ctx, attempt);
                  try {
                    HttpRequest request = HttpRequest.newBuilder(uri).build();
                    return HttpBridge.send(lastAttempt, client, request, HttpResponse.BodyHandlers.ofString())
                        .body();
                  } catch (IOException e) {
                    failure = e;
                    Context.sleep(ctx, Duration.ofMillis(100L * attempt));
                  }
                }
                log(lastAttempt, "giving up after " + ATTEMPT.get(lastAttempt) + " attempts");
                throw failure;
              }

              String firstOk(Context ctx, List<URI> mirrors) throws Exception {
                try (TaskGroup group = TaskGroup.withContext(ctx)) {
                  List<TaskGroup.Result<String>> results =
                      mirrors.stream()
                          .map(
                              uri ->
                                  group.fork(
                                      c ->
                                          HttpBridge.send(
                                                  c,
                                                  client,
                                                  HttpRequest.newBuilder(uri).build(),
                                                  HttpResponse.BodyHandlers.ofString())
                                              .body()))
                          .toList();
                  group.await();
                  return results.get(0).get();
                }
              }

              CompletableFuture<Void> audit(Context ctx, String event) {
                Context detached = Context.withoutCancel(ctx);
                return ContextExecutors.runAsync(detached, executor, c -> log(c, event));
              }

              static void log(Context ctx, String event) {}

              int count(Context ctx, Connection connection, String table) throws SQLException {
                try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM " + table)) {
                  return JdbcBridge.execute(
                      ctx,
                      ps,
                      p -> {
                        try (ResultSet rows = p.executeQuery()) {
                          return rows.next() ? rows.getInt(1) : 0;
                        }
                      });
                }
              }

              String timed(Context ctx, URI uri) throws IOException, InterruptedException {
                CancellableContext call = Context.withTimeout(ctx, Duration.ofSeconds(1));
                try {
                  return HttpBridge.send(call, client, HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                      .body();
                } finally {
                  call.cancel();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  /**
   * The same kinds of service with real mistakes: each is reported once, by its own check, on the
   * line its page names.
   */
  @Test
  void mistakesInIoCodeAreFound() {
    everyCheck()
        .addSourceLines(
            "demo/Careless.java",
            """
            package demo;

            import io.grpc.stub.StreamObserver;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.sql.ResultSet;
            import java.time.Duration;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;
            import org.ctx4j.ContextKey;
            import org.ctx4j.grpc.GrpcBridge;
            import org.ctx4j.http.HttpBridge;

            final class Careless extends GreeterGrpc.GreeterImplBase {
              private static final ContextKey<String> TRACE = ContextKey.of("trace", String.class);
              private final HttpClient client = HttpClient.newHttpClient();
              private final GreeterGrpc.GreeterBlockingStub downstream;
              // BUG: Diagnostic contains: [ContextInField]
              private Context lastRequest;

              Careless(GreeterGrpc.GreeterBlockingStub downstream) {
                this.downstream = downstream;
              }

              @Override
              public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
                Context ctx = GrpcBridge.currentContext();
                lastRequest = ctx;
                responseObserver.onNext(forward(ctx, request));
                responseObserver.onCompleted();
              }

              HelloReply forward(Context ctx, HelloRequest request) {
                // BUG: Diagnostic contains: GrpcBridge.withContext(ctx, stub)
                return downstream.withDeadlineAfter(1, TimeUnit.SECONDS).sayHello(request);
              }

              String fetch(Context ctx, URI uri) throws Exception {
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                // BUG: Diagnostic contains: HttpBridge.send(ctx, client, request, handler)
                return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
              }

              String fetchAsync(Context ctx, URI uri) {
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                CompletableFuture<HttpResponse<String>> response =
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                // BUG: Diagnostic contains: use Context.await(ctx, future)
                return response.join().body();
              }

              String timed(Context ctx, URI uri) throws Exception {
                // BUG: Diagnostic contains: [LostCancel]
                CancellableContext call = Context.withTimeout(ctx, Duration.ofSeconds(1));
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                return HttpBridge.send(call, client, request, HttpResponse.BodyHandlers.ofString()).body();
              }

              int rows(Context ctx, Connection connection) throws Exception {
                try (PreparedStatement ps = connection.prepareStatement("SELECT 1");
                    // BUG: Diagnostic contains: JdbcBridge.execute(ctx, statement, s -> ...)
                    ResultSet rows = ps.executeQuery()) {
                  return rows.next() ? rows.getInt(1) : 0;
                }
              }

              String warmUp(Context ctx, URI uri) throws Exception {
                // BUG: Diagnostic contains: [ContextNotInherited]
                return fetch(Context.background(), uri);
              }

              Context traced(Context ctx, List<String> hops) {
                for (String hop : hops) {
                  // BUG: Diagnostic contains: [ContextDerivedInLoop]
                  ctx = TRACE.with(ctx, "same");
                }
                return ctx;
              }

              String noContext(URI uri) throws Exception {
                // BUG: Diagnostic contains: [NullContext]
                return fetch(null, uri);
              }
            }
            """)
        .doTest();
  }
}
