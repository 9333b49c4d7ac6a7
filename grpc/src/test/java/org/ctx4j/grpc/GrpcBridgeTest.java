package org.ctx4j.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.testing.CountingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client and server sides of the bridge over grpc's in-process transport. */
final class GrpcBridgeTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<Optional<Duration>> serverTimeLeft = new AtomicReference<>();
  private final AtomicReference<ContextDoneException> serverError = new AtomicReference<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch serverEnded = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile String mode = "echo";

  private final String name = InProcessServerBuilder.generateName();
  private final Server server;
  private final ManagedChannel channel;
  private final List<WeakReference<ClientCall<?, ?>>> made = new ArrayList<>();

  GrpcBridgeTest() throws Exception {
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    EchoService.service(this::handle), GrpcBridge.serverInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
  }

  /** The server handler: what it does depends on {@link #mode}. */
  private String handle(String request) {
    calls.incrementAndGet();
    Context ctx = GrpcBridge.currentContext();
    serverTimeLeft.set(ctx.timeLeft());
    started.countDown();
    try {
      switch (mode) {
        case "wait": // waits for its context, as a well-behaved handler does
          ctx.done().await(LIMIT);
          serverError.set(ctx.err());
          serverEnded.countDown();
          return "ended";
        case "waitThenHold": // sees its context end, then answers only when the test ends
          ctx.done().await(LIMIT);
          serverError.set(ctx.err());
          serverEnded.countDown();
          release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
          return "ended";
        case "ignore": // ignores cancellation and blocks until the test ends
          release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
          return "late";
        default:
          return "echo:" + request;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A channel that records (weakly) each call the bridge creates below itself. */
  private Channel recordingChannel() {
    ClientInterceptor recorder =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
            ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
            synchronized (made) {
              made.add(new WeakReference<>(call));
            }
            return call;
          }
        };
    return ClientInterceptors.intercept(channel, recorder);
  }

  private EchoService.EchoStub stub() {
    return new EchoService.EchoStub(channel);
  }

  @Test
  void callUnderLiveContextSucceeds() {
    try (CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
      assertEquals("echo:hi", GrpcBridge.withContext(ctx, stub()).echo("hi"));
    }
    assertEquals("echo:bg", GrpcBridge.withContext(Context.background(), stub()).echo("bg"));
    assertEquals(Optional.empty(), serverTimeLeft.get(), "no deadline without one");
  }

  @Test
  void contextDeadlineReachesServerWhenSmaller() {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofSeconds(20))) {
      GrpcBridge.withContext(ctx, stub().withDeadlineAfter(300, TimeUnit.SECONDS)).echo("x");
    }
    Duration left = serverTimeLeft.get().orElseThrow();
    assertTrue(left.compareTo(Duration.ofSeconds(20)) <= 0, left.toString());
  }

  @Test
  void stubDeadlineKeptWhenSmaller() {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofSeconds(300))) {
      GrpcBridge.withContext(ctx, stub().withDeadlineAfter(20, TimeUnit.SECONDS)).echo("x");
    }
    Duration left = serverTimeLeft.get().orElseThrow();
    assertTrue(left.compareTo(Duration.ofSeconds(20)) <= 0, left.toString());
  }

  @Test
  void cancelEndsCallAndServerSeesCanceled() throws Exception {
    mode = "wait";
    CancellableContext ctx = Context.withCancel(Context.background());
    Thread canceller =
        new Thread(
            () -> {
              try {
                started.await();
              } catch (InterruptedException e) {
                return;
              }
              ctx.cancel();
            });
    canceller.start();
    StatusRuntimeException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    StatusRuntimeException.class,
                    () -> GrpcBridge.withContext(ctx, stub()).echo("x")));
    canceller.join();
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(Context.isCanceled(e), "isCanceled on the stub's exception");
    assertFalse(Context.isDeadlineExceeded(e));
    assertSame(ctx.err(), e.getCause());
    assertTrue(serverEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(CanceledException.class, serverError.get());
  }

  @Test
  void deadlineEndsCallAndServerSeesDeadlineExceeded() throws Exception {
    mode = "wait";
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(300))) {
      StatusRuntimeException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> GrpcBridge.withContext(ctx, stub()).echo("x")));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(Context.isDeadlineExceeded(e), "isDeadlineExceeded on the stub's exception");
      assertFalse(Context.isCanceled(e));
    }
    assertTrue(serverEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(DeadlineExceededException.class, serverError.get());
  }

  @Test
  void contextDoneBeforeCallNeverStartsIt() {
    CancellableContext canceled = Context.withCancel(Context.background());
    canceled.cancel();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class, () -> GrpcBridge.withContext(canceled, stub()).echo("x"));
    assertSame(canceled.err(), e.getCause());
    assertTrue(Context.isCanceled(e));

    try (CancellableContext expired = Context.withTimeout(Context.background(), Duration.ZERO)) {
      StatusRuntimeException d =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  GrpcBridge.withContext(expired, new EchoService.EchoStub(recordingChannel()))
                      .echo("x"));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, d.getStatus().getCode());
      assertTrue(Context.isDeadlineExceeded(d));
    }
    assertEquals(0, calls.get(), "the server saw a call");
    assertTrue(made.isEmpty(), "a call was created on the channel");
  }

  @Test
  void contextEndingBetweenTheCheckAndTheStartCancelsCleanly() {
    CancellableContext inner = Context.withCancel(Context.background());
    inner.cancel();
    // Reports itself live once (the interceptor's check), then done: as if it ended right after.
    AtomicInteger asked = new AtomicInteger();
    Context racing =
        new Context() {
          @Override
          public Optional<java.time.Instant> deadline() {
            return Optional.empty();
          }

          @Override
          public org.ctx4j.Done done() {
            return inner.done();
          }

          @Override
          public ContextDoneException err() {
            return asked.getAndIncrement() == 0 ? null : inner.err();
          }

          @Override
          public Object value(Object key) {
            return null;
          }
        };
    // The cancel runs inside start; the stub's sendMessage and halfClose must not then fail.
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class, () -> GrpcBridge.withContext(racing, stub()).echo("x"));
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(Context.isCanceled(e), e.toString());
  }

  @Test
  void interceptorFormOnAChannel() {
    CancellableContext ctx = Context.withCancel(Context.background());
    Channel bound = ClientInterceptors.intercept(channel, GrpcBridge.clientInterceptor(ctx));
    assertEquals("echo:a", new EchoService.EchoStub(bound).echo("a"));
    ctx.cancel();
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> new EchoService.EchoStub(bound).echo("b"));
    assertTrue(Context.isCanceled(e));
    assertEquals(1, calls.get());
  }

  @Test
  void serverIgnoringCancellationDoesNotHoldTheClient() throws Exception {
    mode = "ignore";
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(300))) {
      StatusRuntimeException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> GrpcBridge.withContext(ctx, stub()).echo("x")));
      assertTrue(Context.isDeadlineExceeded(e));
      assertEquals(0, started.getCount(), "the server handler was running");
    }
    release.countDown();
  }

  @Test
  void callEndedByItsOwnDeadlineLeavesNoCallbackOnTheContext() throws Exception {
    mode = "ignore";
    CountingContext longLived = new CountingContext();
    StatusRuntimeException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    StatusRuntimeException.class,
                    () ->
                        GrpcBridge.withContext(
                                longLived, stub().withDeadlineAfter(300, TimeUnit.MILLISECONDS))
                            .echo("x")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertFalse(Context.isDeadlineExceeded(e), "the stub's deadline, not the context's");
    assertEquals(0, longLived.liveCallbacks(), "callbacks left on the long-lived context");
    release.countDown();
    mode = "echo";
    for (int i = 0; i < 20; i++) {
      GrpcBridge.withContext(longLived, stub()).echo("y");
    }
    assertEquals(0, longLived.liveCallbacks(), "callbacks left on the long-lived context");
    longLived.cancel();
  }

  @Test
  void longLivedContextKeepsNothingOfFinishedCalls() throws Exception {
    CancellableContext longLived = Context.withCancel(Context.background());
    EchoService.EchoStub stub =
        GrpcBridge.withContext(longLived, new EchoService.EchoStub(recordingChannel()));
    for (int i = 0; i < 50; i++) {
      assertEquals("echo:" + i, stub.echo(Integer.toString(i)));
    }
    assertEquals(50, made.size());
    assertTrue(allCollected(made), "a finished call is still reachable (from the context?)");
    longLived.cancel();
  }

  /** Whether every referent is collected, after a bounded number of GCs. */
  static boolean allCollected(List<? extends WeakReference<?>> refs) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      System.gc();
      if (refs.stream().allMatch(r -> r.get() == null)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void futureCallIsCancelledWithTheContext() throws Exception {
    mode = "wait";
    CancellableContext ctx = Context.withCancel(Context.background());
    Channel bound = ClientInterceptors.intercept(channel, GrpcBridge.clientInterceptor(ctx));
    ListenableFuture<String> f =
        ClientCalls.futureUnaryCall(bound.newCall(EchoService.ECHO, CallOptions.DEFAULT), "x");
    assertTrue(started.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    ctx.cancel();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(StatusRuntimeException.class, e.getCause());
    assertTrue(Context.isCanceled(e));
    assertTrue(serverEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(CanceledException.class, serverError.get());
  }

  @Test
  void aCallUnderAnAttachedConversionEndsWithTheContext() throws Exception {
    // Plain grpc has no guard against the server's reply crossing the client's cancel (the
    // bridge's own calls do): the handler holds its answer, so only the cancel can end the call.
    mode = "waitThenHold";
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofSeconds(120));
    io.grpc.Context.CancellableContext g = GrpcBridge.toGrpc(ctx);
    Thread canceller =
        new Thread(
            () -> {
              try {
                started.await();
              } catch (InterruptedException e) {
                return;
              }
              ctx.cancel();
            });
    canceller.start();
    // Plain grpc-java, no bridge on the stub: grpc itself follows the attached grpc context.
    StatusRuntimeException e =
        assertTimeoutPreemptively(
            LIMIT,
            () -> assertThrows(StatusRuntimeException.class, () -> g.call(() -> stub().echo("x"))));
    canceller.join();
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(Context.isCanceled(e), "the ctx4j error is the status's cause");
    Duration left = serverTimeLeft.get().orElseThrow();
    assertTrue(left.compareTo(Duration.ofSeconds(120)) <= 0, "the deadline travelled: " + left);
    assertTrue(serverEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(CanceledException.class, serverError.get());
  }

  @Test
  void currentContextOutsideACallThrows() {
    IllegalStateException e = assertThrows(IllegalStateException.class, GrpcBridge::currentContext);
    assertTrue(e.getMessage().contains("serverInterceptor()"), e.getMessage());
  }

  @Test
  void nullArgumentsNamed() {
    assertEquals(
        "ctx",
        assertThrows(NullPointerException.class, () -> GrpcBridge.withContext(null, stub()))
            .getMessage());
    assertEquals(
        "stub",
        assertThrows(
                NullPointerException.class,
                () -> GrpcBridge.withContext(Context.background(), (EchoService.EchoStub) null))
            .getMessage());
    assertEquals(
        "ctx",
        assertThrows(NullPointerException.class, () -> GrpcBridge.clientInterceptor(null))
            .getMessage());
    assertEquals(
        "grpcContext",
        assertThrows(NullPointerException.class, () -> GrpcBridge.fromGrpc(null)).getMessage());
    assertEquals(
        "parent",
        assertThrows(
                NullPointerException.class, () -> GrpcBridge.fromGrpc(null, io.grpc.Context.ROOT))
            .getMessage());
    assertEquals(
        "ctx",
        assertThrows(NullPointerException.class, () -> GrpcBridge.toGrpc(null)).getMessage());
    assertEquals(
        "grpcParent",
        assertThrows(
                NullPointerException.class, () -> GrpcBridge.toGrpc(null, Context.background()))
            .getMessage());
    assertNotNull(GrpcBridge.serverInterceptor());
    assertNull(Context.background().err());
  }
}
