package org.ctx4j.bridgebench;

import com.sun.net.httpserver.HttpServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.grpc.GrpcBridge;
import org.ctx4j.http.HttpBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the bridges add to a call, side by side with the same call made the plain way: a unary
 * in-process gRPC call through {@code GrpcBridge.withContext} against one with {@code
 * withDeadlineAfter}, and an HTTP/1.1 request on loopback through {@code HttpBridge.send} against
 * {@code HttpClient.send} with a timeout. Both sides of a pair do the same I/O; the bridge's side
 * also reads the context's time left, registers and removes a callback on it, and (HTTP) copies the
 * request with the time left as its timeout. The context is a live one with a deadline, made once
 * per trial, as a request's context exists before its calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BridgeBenchmark {
  static {
    // The JDK's HttpServer leaves Nagle's algorithm on, which with the client's delayed ACKs adds
    // about 40 ms to every keep-alive exchange on loopback and would hide what is measured.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final MethodDescriptor.Marshaller<String> STRING =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Echo/Echo")
          .setRequestMarshaller(STRING)
          .setResponseMarshaller(STRING)
          .build();

  /** A blocking stub, as protoc would generate it. */
  static final class EchoStub extends AbstractBlockingStub<EchoStub> {
    EchoStub(Channel channel, CallOptions options) {
      super(channel, options);
    }

    @Override
    protected EchoStub build(Channel channel, CallOptions options) {
      return new EchoStub(channel, options);
    }

    String echo(String request) {
      return ClientCalls.blockingUnaryCall(getChannel(), ECHO, getCallOptions(), request);
    }
  }

  // JMH state: the context every invocation runs under, made in @Setup, cancelled in @TearDown.
  @SuppressWarnings("ContextInField")
  private CancellableContext ctx;

  private Server grpcServer;
  private ManagedChannel grpcChannel;
  private EchoStub stub;
  private HttpServer httpServer;
  private HttpClient httpClient;
  private HttpRequest plainRequest;
  private HttpRequest timedRequest;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ctx = Context.withTimeout(Context.background(), Duration.ofHours(1));

    String name = InProcessServerBuilder.generateName();
    grpcServer =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerServiceDefinition.builder("bench.Echo")
                    .addMethod(
                        ECHO,
                        ServerCalls.asyncUnaryCall(
                            (request, observer) -> {
                              observer.onNext(request);
                              observer.onCompleted();
                            }))
                    .build())
            .build()
            .start();
    grpcChannel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = new EchoStub(grpcChannel, CallOptions.DEFAULT);

    httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    httpServer.createContext(
        "/",
        exchange -> {
          byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    httpServer.start();
    httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + httpServer.getAddress().getPort() + "/");
    plainRequest = HttpRequest.newBuilder(uri).build();
    timedRequest = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    grpcChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    httpServer.stop(0);
    ctx.cancel();
  }

  /** The baseline: a stub with a deadline, as grpc-java code sets one today. */
  @Benchmark
  public String grpcPlainDeadline() {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).echo("x");
  }

  /** The same call under the context: its deadline, and a cancel callback for the call. */
  @Benchmark
  public String grpcBridge() {
    return GrpcBridge.withContext(ctx, stub).echo("x");
  }

  /** The baseline: a request with a timeout, sent and read whole. */
  @Benchmark
  public String httpPlainTimeout() throws IOException, InterruptedException {
    return httpClient.send(timedRequest, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The same request under the context: the time left as its timeout, aborted if it ends. */
  @Benchmark
  public String httpBridge() throws IOException, InterruptedException {
    return HttpBridge.send(ctx, httpClient, plainRequest, HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
